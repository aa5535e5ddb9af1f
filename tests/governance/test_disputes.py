"""The dispute log: reads go to the access log, changes to the audit log (ids only, no text), the
timeline is append-only, bad input is refused at its field with nothing written, and the database
refuses a party from another partnership."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.governance import disputes
from partnership_hub.governance.disputes_models import (
    Dispute,
    DisputeEntry,
    DisputeMember,
    DisputeOrganization,
    TimelineIsAppendOnly,
)
from tests.factories import create_organization
from tests.governance.disputes_helpers import SECRET, add_entry, audit_entries, counts, ctx_of, make_dispute, reads


@pytest.fixture
def orgs(app, world):
    return [create_organization(app, world.home, name) for name in ("Streets of Hope", "County Police")]


def _url(world, dispute_id: int, tail: str = "") -> str:
    return f"/p/{world.home.slug}/governance/disputes/{dispute_id}{tail}"


# --- reads and changes leave their traces ---------------------------------------------------------


def test_viewing_a_dispute_writes_an_access_log_entry(app, world, login_as, orgs):
    found = make_dispute(app, world.home, organization_ids=orgs)
    assert reads(app, world.home) == []
    assert login_as("coordinator").get(_url(world, found)).status_code == 200
    assert reads(app, world.home) == [("dispute", found, "viewed", world.home.membership_ids["coordinator"])]


def test_every_change_is_audited_with_ids_only(app, world, login_as, orgs):
    client = login_as("coordinator")
    member = world.home.membership_ids["member"]
    response = client.post(
        f"/p/{world.home.slug}/governance/disputes/new",
        data={"title": SECRET, "kind": "personality", "path": "formal", "organization_ids": [str(o) for o in orgs]},
    )
    assert response.status_code == 302
    found = int(response.headers["Location"].rsplit("/", 1)[1])
    client.post(_url(world, found, "/entries"), data={"what_happened": "Heated words at the meeting"})
    client.post(
        _url(world, found, "/edit"),
        data={"title": SECRET, "kind": "priority", "organization_ids": [str(orgs[0])], "member_ids": [str(member)]},
    )
    client.post(_url(world, found, "/status"), data={"status": "resolved", "resolution_notes": "Apology accepted"})
    client.post(
        _url(world, found, "/sharing"),
        data={"membership_id": world.home.membership_ids["survivor_advisor"], "reason": "Advises on survivor impact"},
    )
    entries = audit_entries(app, world.home, found)
    assert [action for action, _ in entries] == [
        "dispute.created",
        "dispute.entry_added",
        "dispute.updated",
        "dispute.status_changed",
        "dispute.shared",
    ]
    assert entries[2][1]["fields"] == ["kind", "parties"]
    text = repr(entries)
    for words in (SECRET, "Heated", "Apology", "Advises"):
        assert words not in text


# --- the timeline is append-only -------------------------------------------------------------------


def test_timeline_entries_are_never_changed(app, world, orgs):
    found = make_dispute(app, world.home, organization_ids=orgs)
    entry_id = add_entry(app, world.home, found, what_happened="We met")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        entry = db.session.get(DisputeEntry, entry_id)
        entry.what_happened = "We never met"
        with pytest.raises(TimelineIsAppendOnly):
            db.session.flush()
        db.session.rollback()
        assert db.session.get(DisputeEntry, entry_id).what_happened == "We met"
    # A correction is a new entry; there is no route that edits one.
    assert not [name for name in dir(disputes) if name.startswith(("update_entry", "edit_entry", "delete_entry"))]


def test_a_status_change_is_kept_on_the_timeline_with_its_resolution(app, world, orgs):
    found = make_dispute(app, world.home, organization_ids=orgs)
    with app.app_context():
        ctx = ctx_of(world.home)
        dispute = disputes.get_visible_dispute(ctx, found)
        disputes.change_status(ctx, dispute, {"status": "closed", "resolution_notes": "Shared protocol agreed"})
        db.session.commit()
        assert dispute.closed_on == ctx.today()
        page = disputes.timeline(dispute, 1)
        assert [(e.status.value if e.status else None, e.agreed) for e in page.items] == [
            ("closed", "Shared protocol agreed")
        ]


# --- bad input -----------------------------------------------------------------------------------


def _tomorrow(app, world) -> str:
    with app.app_context():
        return (ctx_of(world.home).today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("no parties", "organization_ids", "Name at least one party"),
        ("another partnership's organization", "organization_ids", "Choose organizations of this partnership"),
        ("another partnership's member", "member_ids", "Choose people of this partnership"),
        ("an observer as party", "member_ids", "Observers"),
        ("no title", "title", "Give the dispute"),
        ("no kind", "kind", "Choose the kind of conflict"),
        ("a future start", "opened_on", "cannot be in the future"),
    ],
)
def test_a_bad_dispute_is_refused_at_its_field_and_nothing_is_written(app, world, login_as, orgs, case, field, message):
    other_org = create_organization(app, world.other)
    data = {"title": SECRET, "kind": "priority", "organization_ids": [str(orgs[0])]}
    data |= {
        "no parties": {"organization_ids": []},
        "another partnership's organization": {"organization_ids": [str(other_org)]},
        "another partnership's member": {"member_ids": [str(world.other.membership_ids["coordinator"])]},
        "an observer as party": {"member_ids": [str(world.home.membership_ids["observer"])]},
        "no title": {"title": "  "},
        "no kind": {"kind": ""},
        "a future start": {"opened_on": _tomorrow(app, world)},
    }[case]
    before = counts(app, world.home)
    response = login_as("coordinator").post(f"/p/{world.home.slug}/governance/disputes/new", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text
    assert counts(app, world.home) == before


@pytest.mark.parametrize(
    ("path", "data", "field", "message"),
    [
        ("/entries", {"what_happened": "   "}, "what_happened", "Say what happened"),
        ("/entries", {"what_happened": "x", "happened_on": "TOMORROW"}, "happened_on", "cannot be in the future"),
        (
            "/status",
            {"status": "closed", "resolution_notes": ""},
            "resolution_notes",
            "Say how the dispute was resolved",
        ),
        ("/status", {"status": "resolved"}, "resolution_notes", "Say how the dispute was resolved"),
        ("/status", {"status": "open"}, "status", "already open"),
        ("/status", {"status": "gone"}, "status", "Choose a status"),
    ],
)
def test_bad_timeline_and_status_input_is_refused(app, world, login_as, orgs, path, data, field, message):
    found = make_dispute(app, world.home, organization_ids=orgs)
    data = {k: (_tomorrow(app, world) if v == "TOMORROW" else v) for k, v in data.items()}
    before = counts(app, world.home)
    response = login_as("coordinator").post(_url(world, found, path), data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text
    assert counts(app, world.home) == before
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.get(Dispute, found).status.value == "open"


def test_the_database_refuses_a_party_from_another_partnership(app, world, orgs):
    found = make_dispute(app, world.home, organization_ids=orgs)
    other_org = create_organization(app, world.other)
    other_member = world.other.membership_ids["coordinator"]
    for link in (
        DisputeOrganization(dispute_id=found, organization_id=other_org),
        DisputeMember(dispute_id=found, membership_id=other_member),
    ):
        with app.app_context():
            bind_tenant(db.session, world.home.id)
            db.session.add(link)
            with pytest.raises(IntegrityError):
                db.session.flush()
            db.session.rollback()
