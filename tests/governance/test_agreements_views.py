"""The agreements pages: who may do what, bad input at the field (422, nothing written), parties from
another partnership, the list's filters and CSV, the home's attention panel and the organization link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.governance.agreements_models import SharingAgreement
from partnership_hub.members.models import Representative
from partnership_hub.workspaces.services import context_for
from tests.factories import create_organization
from tests.governance.test_agreements import make, rows_of


@pytest.fixture
def base(world):
    return f"/p/{world.home.slug}/governance/agreements"


@pytest.fixture
def orgs(app, world):
    return [create_organization(app, world.home, name) for name in ("Streets of Hope", "County Police", "Legal Aid")]


def today(app, world):
    with app.app_context():
        return context_for(world.home.id).today()


def represent(app, world, role: str, organization_id: int) -> None:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.add(Representative(organization_id=organization_id, membership_id=world.home.membership_ids[role]))
        db.session.commit()


def form(orgs, **fields) -> dict:
    return {
        "title": "Referral data",
        "organization_ids": [str(orgs[0]), str(orgs[1])],
        "signed_on": "2026-01-05",
        "expires_on": "2030-01-05",
        "status": "active",
        "document_links": "https://example.org/signed.pdf",
        **fields,
    }


def test_a_coordinator_records_an_agreement(app, world, login_as, base, orgs):
    response = login_as().post(f"{base}/new", data=form(orgs, shared_scope="Referral contacts"))
    assert response.status_code == 302
    [row] = rows_of(app, world.home)
    assert response.headers["Location"].endswith(f"/governance/agreements/{row.id}")
    page = login_as("observer").get(response.headers["Location"])
    assert page.status_code == 200
    assert "Referral contacts" in page.text and "Streets of Hope" in page.text and "County Police" in page.text
    assert 'href="https://example.org/signed.pdf"' in page.text and ">Active<" in page.text
    assert "Edit" not in page.text  # observers read only


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"organization_ids": []}, "Choose at least two organizations"),
        ({"signed_on": "2026-05-01", "expires_on": "2026-04-01"}, "on or after the date it was signed"),
        ({"review_on": "2031-01-01"}, "on or before the expiry date"),
        ({"document_links": "javascript:alert(1)"}, "is not a web address"),
        ({"expires_on": "next year"}, "year-month-day"),
        ({"title": ""}, "Enter the agreement&#39;s title."),
    ],
)
def test_bad_input_is_a_422_at_the_field_and_nothing_is_written(app, world, login_as, base, orgs, change, message):
    client = login_as()
    response = client.post(f"{base}/new", data=form(orgs, **change))
    assert response.status_code == 422 and message in response.text
    assert 'class="field-error"' in response.text
    assert rows_of(app, world.home) == []

    agreement_id = make(app, world.home, orgs[:2], title="Existing")
    response = client.post(f"{base}/{agreement_id}/edit", data=form(orgs, **change))
    assert response.status_code == 422 and message in response.text
    assert [row.title for row in rows_of(app, world.home)] == ["Existing"]


def test_a_party_from_another_partnership_in_the_form_is_refused(app, world, login_as, base, orgs):
    stranger = create_organization(app, world.other, "Elsewhere Org")
    response = login_as().post(f"{base}/new", data=form(orgs, organization_ids=[str(orgs[0]), str(stranger)]))
    assert response.status_code == 422 and "Choose organizations of this partnership" in response.text
    assert "Elsewhere Org" not in response.text  # the picker never shows it either
    assert rows_of(app, world.home) == []


def test_another_partnerships_agreement_is_404(app, world, login_as, base):
    theirs = make(app, world.other, [create_organization(app, world.other) for _ in range(2)])
    client = login_as()
    for path in (f"{base}/{theirs}", f"{base}/{theirs}/edit", f"{base}/{theirs}/withdraw"):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(
    ("role", "view", "create", "edit"),
    [
        ("coordinator", 200, 200, 200),
        ("member", 200, 200, 403),
        ("survivor_advisor", 200, 200, 403),
        ("observer", 200, 403, 403),
    ],
)
def test_permissions_per_role(app, world, login_as, base, orgs, role, view, create, edit):
    agreement_id = make(app, world.home, orgs[:2])
    client = login_as(role)
    assert client.get(base).status_code == view
    assert client.get(f"{base}/{agreement_id}").status_code == view
    assert client.get(f"{base}/new").status_code == create
    assert client.get(f"{base}/{agreement_id}/edit").status_code == edit
    assert client.get(f"{base}/{agreement_id}/withdraw").status_code == edit
    assert client.post(f"{base}/{agreement_id}/withdraw").status_code in ((302,) if edit == 200 else (403,))


def test_representatives_of_a_party_may_edit_and_withdraw(app, world, login_as, base, orgs):
    agreement_id = make(app, world.home, orgs[:2])
    represent(app, world, "member", orgs[1])
    client = login_as("member")
    assert "Withdraw" in client.get(f"{base}/{agreement_id}").text
    response = client.post(f"{base}/{agreement_id}/edit", data=form(orgs, title="Renamed"))
    assert response.status_code == 302
    assert client.post(f"{base}/{agreement_id}/withdraw").status_code == 302
    [row] = rows_of(app, world.home)
    assert (row.title, row.status.value) == ("Renamed", "withdrawn")


def test_a_member_records_only_agreements_their_organization_is_party_to(app, world, login_as, base, orgs):
    client = login_as("member")
    response = client.post(f"{base}/new", data=form(orgs))
    assert response.status_code == 422 and "Include an organization you represent" in response.text
    assert rows_of(app, world.home) == []
    represent(app, world, "member", orgs[0])
    assert client.post(f"{base}/new", data=form(orgs)).status_code == 302
    assert len(rows_of(app, world.home)) == 1


def test_the_list_flags_expiring_and_expired_agreements_with_words(app, world, login_as, base, orgs):
    day = today(app, world)
    make(app, world.home, orgs[:2], today=day, title="Fine one", expires_on=day + timedelta(days=200))
    make(app, world.home, orgs[:2], today=day, title="Soon one", expires_on=day + timedelta(days=30))
    make(app, world.home, orgs[1:], today=day, title="Old one", expires_on=day - timedelta(days=1))
    client = login_as("member")
    page = client.get(base).text
    assert "Expiring soon" in page and "in 30 days" in page and ">Expired<" in page
    expiring = client.get(f"{base}?status=expiring").text
    assert "Soon one" in expiring and "Fine one" not in expiring and "Old one" not in expiring
    expired = client.get(f"{base}?status=expired").text
    assert "Old one" in expired and "Soon one" not in expired
    by_org = client.get(f"{base}?organization={orgs[2]}").text
    assert "Old one" in by_org and "Fine one" not in by_org
    junk = client.get(f"{base}?status=nonsense&organization=abc")
    assert junk.status_code == 200 and "Fine one" in junk.text  # unusable filters mean "any"

    csv = client.get(f"/p/{world.home.slug}/governance/agreements.csv?status=expiring")
    assert csv.status_code == 200 and csv.headers["Cache-Control"] == "private, no-store"
    body = csv.get_data(as_text=True)
    assert "Soon one" in body and "Fine one" not in body and "County Police; Streets of Hope" in body


def test_the_home_shows_coordinators_the_agreements_needing_attention(app, world, login_as, orgs):
    day = today(app, world)
    make(app, world.home, orgs[:2], today=day, expires_on=day + timedelta(days=30))
    home = login_as().get(f"/p/{world.home.slug}/")
    assert "Agreements that need attention" in home.text and "1 expiring within 60 days" in home.text
    assert "Agreements that need attention" not in login_as("member").get(f"/p/{world.home.slug}/").text


def test_the_overview_card_and_organization_page_link_here(app, world, login_as, orgs):
    make(app, world.home, orgs[:2])
    client = login_as("member")
    overview = client.get(f"/p/{world.home.slug}/governance")
    assert "Information-sharing agreements" in overview.text and "1 active" in overview.text
    organization = client.get(f"/p/{world.home.slug}/organizations/{orgs[0]}")
    assert f"/governance/agreements?organization={orgs[0]}" in organization.text


def test_pickers_offer_only_this_partnerships_organizations(app, world, login_as, orgs):
    create_organization(app, world.other, "Streets Elsewhere")
    url = f"/p/{world.home.slug}/governance/agreements/pick/organizations"
    response = login_as().get(f"{url}?field=organization_ids&organization_ids__q=streets")
    assert "Streets of Hope" in response.text and "Streets Elsewhere" not in response.text
    response = login_as().get(f"{url}?field=organization&organization__q=police")
    assert "County Police" in response.text and "Any organization" in response.text


def test_edit_form_shows_the_agreement(app, world, login_as, base, orgs):
    agreement_id = make(app, world.home, orgs[:2], notes="Kept in the shared drive")
    page = login_as().get(f"{base}/{agreement_id}/edit")
    assert page.status_code == 200 and "Kept in the shared drive" in page.text
    assert f'<option selected value="{orgs[0]}">' in page.text or f'value="{orgs[0]}" selected' in page.text
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalar(select(SharingAgreement.status)).value == "active"


def test_an_active_agreement_answers_the_setup_guides_question(app, world, login_as, orgs):
    url = f"/p/{world.home.slug}/setup"
    done = "Active information-sharing agreements between member organizations"
    assert done not in login_as().get(url).text
    day = today(app, world)
    make(app, world.home, orgs[:2], today=day, signed_on=day - timedelta(days=9), expires_on=day - timedelta(days=1))
    assert done not in login_as().get(url).text  # an expired one does not count
    make(app, world.home, orgs[:2], today=day)
    assert done in login_as().get(url).text
