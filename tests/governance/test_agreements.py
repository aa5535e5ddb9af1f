"""Information-sharing agreements: status over time (a frozen ``today``), the parties' partnership
(refused by the service and by the database), bad input, and the counts (overview card, home, guide)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant, select_scalars
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.governance import agreements
from partnership_hub.governance.agreements_models import AgreementStatus, SharingAgreement, SharingAgreementParty
from partnership_hub.workspaces.services import context_for
from tests.factories import create_organization

TODAY = date(2026, 6, 1)


def make(app, partnership, organization_ids, today=TODAY, **fields) -> int:
    """An agreement made through the service as the coordinator (valid unless ``fields`` say otherwise)."""
    data = {
        "title": "Referral data",
        "organization_ids": organization_ids,
        "signed_on": today - timedelta(days=100),
        "expires_on": today + timedelta(days=300),
        "status": "active",
        **fields,
    }
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        agreement = agreements.create_agreement(ctx, data)
        db.session.commit()
        return agreement.id


def rows_of(app, partnership) -> list[SharingAgreement]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = list(db.session.scalars(select(SharingAgreement).order_by(SharingAgreement.id)))
        db.session.expunge_all()
        return found


@pytest.fixture
def orgs(app, world):
    return [create_organization(app, world.home, name) for name in ("Streets of Hope", "County Police", "Legal Aid")]


# --- status over time -----------------------------------------------------------------------------


def test_status_follows_the_expiry_date_in_sql_and_python_alike(app, world, orgs):
    expires = TODAY + timedelta(days=30)
    agreement_id = make(app, world.home, orgs[:2], expires_on=expires)
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        for today, status, expiring in (
            (expires - timedelta(days=90), "active", False),  # signed, far from expiry
            (expires - timedelta(days=60), "active", True),  # the window opens 60 days ahead
            (expires, "active", True),  # its last day
            (expires + timedelta(days=1), "expired", False),  # the day after: expired, no longer "expiring"
        ):
            entry = agreements.get_entry(ctx, agreement_id, today)
            assert (entry.status.value, entry.expiring) == (status, expiring), today
            [listed] = agreements.search_agreements(ctx, agreements.AgreementFilters(), today).items
            assert listed.status.value == status, today  # the list's word comes from the SQL expression
            sql = db.session.scalar(
                select(agreements.effective_status(today)).where(SharingAgreement.id == agreement_id)
            )
            assert sql == status
            for name in ("active", "expired", "expiring"):
                found = agreements.search_agreements(ctx, agreements.AgreementFilters(status=name), today).items
                wanted = name == status or (name == "expiring" and expiring)
                assert [e.agreement.id for e in found] == ([agreement_id] if wanted else []), (today, name)
            card = agreements.overview_card(ctx, today)
            assert (card["active"].value, card["expiring"].value, card["expired"].value) == (
                int(status == "active"),
                int(expiring),
                int(status == "expired"),
            )


def test_drafts_and_withdrawn_agreements_never_expire(app, world, orgs):
    draft = make(app, world.home, orgs[:2], status="draft", expires_on=TODAY - timedelta(days=400), signed_on=None)
    withdrawn = make(app, world.home, orgs[:2])
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        agreement = db.session.get(SharingAgreement, withdrawn)
        assert agreements.withdraw_agreement(ctx, agreement) is True
        assert agreements.withdraw_agreement(ctx, agreement) is False  # once is enough
        db.session.commit()
        later = TODAY + timedelta(days=1000)
        assert agreements.get_entry(ctx, draft, later).status == AgreementStatus.DRAFT
        assert agreements.get_entry(ctx, withdrawn, later).status == AgreementStatus.WITHDRAWN
        assert agreements.get_entry(ctx, withdrawn, later).agreement.withdrawn_at is not None
        actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions[-1] == "sharing_agreement.withdrawn" and actions.count("sharing_agreement.withdrawn") == 1


def test_the_database_never_stores_expired(app, world, orgs):
    agreement_id = make(app, world.home, orgs[:2])
    with app.app_context(), pytest.raises(IntegrityError):
        bind_tenant(db.session, world.home.id)
        db.session.execute(update(SharingAgreement).where(SharingAgreement.id == agreement_id).values(status="expired"))
        db.session.flush()


# --- parties ----------------------------------------------------------------------------------------


def test_a_party_from_another_partnership_is_refused_by_the_service(app, world, orgs):
    stranger = create_organization(app, world.other, "Elsewhere Org")
    with pytest.raises(ServiceError) as refused:
        make(app, world.home, [orgs[0], stranger])
    assert refused.value.field == "organization_ids"
    assert rows_of(app, world.home) == []


def test_the_database_refuses_a_party_from_another_partnership(app, world, orgs):
    stranger = create_organization(app, world.other, "Elsewhere Org")
    agreement_id = make(app, world.home, orgs[:2])
    with app.app_context(), pytest.raises(IntegrityError):
        bind_tenant(db.session, world.home.id)
        db.session.add(SharingAgreementParty(agreement_id=agreement_id, organization_id=stranger))
        db.session.flush()


def test_parties_can_change_and_the_audit_names_fields_not_values(app, world, orgs):
    agreement_id = make(app, world.home, orgs[:2])
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        agreement = db.session.get(SharingAgreement, agreement_id)
        data = {name: getattr(agreement, name) for name in agreements.EDITABLE_FIELDS if name != "organization_ids"}
        agreements.update_agreement(ctx, agreement, {**data, "organization_ids": [orgs[1], orgs[2]], "notes": "Secret"})
        db.session.commit()
        entry = agreements.get_entry(ctx, agreement_id, TODAY)
        assert [name for _id, name in entry.parties] == ["County Police", "Legal Aid"]
        last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.action == "sharing_agreement.updated"
        assert sorted(last.details["fields"]) == ["notes", "parties"] and "Secret" not in str(last.details)


# --- bad input --------------------------------------------------------------------------------------

BAD = [
    ({"title": ""}, "title", "Enter the agreement's title."),
    ({"organization_ids": "first"}, "organization_ids", "at least two organizations"),
    ({"organization_ids": ["abc", "1"]}, "organization_ids", "Choose organizations of this partnership"),
    ({"organization_ids": ["999999", "first"]}, "organization_ids", "Choose organizations of this partnership"),
    (
        {"signed_on": date(2026, 5, 1), "expires_on": date(2026, 4, 1)},
        "expires_on",
        "on or after the date it was signed",
    ),
    ({"review_on": date(2027, 5, 2), "expires_on": date(2027, 5, 1)}, "review_on", "on or before the expiry date"),
    ({"signed_on": "01/05/2026"}, "signed_on", "year-month-day"),
    ({"expires_on": "2026-02-30"}, "expires_on", "year-month-day"),
    ({"status": "expired"}, "status", "follows from the expiry date"),
    ({"status": "finished"}, "status", "Choose a status from the list."),
    ({"status": "active", "signed_on": ""}, "signed_on", "an active agreement has been signed"),
    ({"document_links": "javascript:alert(1)"}, "document_links", "is not a web address"),
    ({"document_links": "ftp://example.org/a.pdf"}, "document_links", "is not a web address"),
    ({"document_links": "https://example.org/a.pdf\nnot a link"}, "document_links", "“not a link” is not"),
    ({"document_links": "\n".join(f"https://example.org/{n}" for n in range(11))}, "document_links", "at most 10"),
    ({"shared_scope": "x" * 4001}, "shared_scope", "Use at most 4,000 characters."),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD)
def test_bad_input_is_refused_at_its_field_and_nothing_is_written(app, world, orgs, change, field, message):
    ids = [str(i) for i in orgs[:2]]
    if change.get("organization_ids") == "first":
        change = {**change, "organization_ids": [ids[0]]}  # one party only
    elif isinstance(change.get("organization_ids"), list):
        change = {**change, "organization_ids": [ids[0] if v == "first" else v for v in change["organization_ids"]]}
    if "organization_ids" in change:
        ids = change.pop("organization_ids")
    with pytest.raises(ServiceError) as refused:
        make(app, world.home, ids, **change)
    assert refused.value.field == field and message in refused.value.message
    assert rows_of(app, world.home) == []


def test_good_links_are_kept_one_per_line(app, world, orgs):
    make(app, world.home, orgs[:2], document_links="  https://example.org/a.pdf \n\nhttp://example.org/b\n")
    [row] = rows_of(app, world.home)
    assert row.document_links == "https://example.org/a.pdf\nhttp://example.org/b"


# --- counts ------------------------------------------------------------------------------------------


def test_the_overview_card_home_panel_and_setup_fact_count_what_matters(app, world, orgs):
    make(app, world.home, orgs[:2], expires_on=TODAY + timedelta(days=200))  # active
    make(app, world.home, orgs[:2], expires_on=TODAY + timedelta(days=30))  # expiring
    make(app, world.home, orgs[:2], signed_on=TODAY - timedelta(days=400), expires_on=TODAY - timedelta(days=1))
    make(app, world.home, orgs[:2], status="draft")  # counts nowhere
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        card = agreements.overview_card(ctx, TODAY)
        assert (card["active"].label, card["expiring"].label, card["expired"].label) == ("2", "1", "1")
        values = select_scalars(db.session, agreements._counts(TODAY))
        panel = agreements.home_attention_panel(ctx, values)
        assert panel is not None and (panel["expiring"].value, panel["expired"].value) == (1, 1)
        assert agreements.home_attention_panel(ctx, {"agreements_expiring": 0, "agreements_expired": 0}) is None
        assert select_scalars(db.session, agreements.setup_facts(ctx))["active_agreements"] >= 1
