"""The confidentiality framework's pages: who reads and who edits what (each role, an organization's own
representative, another partnership → 404), bad input at the field (422, nothing written), the stale
save, the list's filters over htmx, the navigation entry and the setup guide's question."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from partnership_hub import toolkit
from partnership_hub.advisory.framework_models import ConfidentialityFramework, FederalRuleReview, OrganizationReporting
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.members.models import Representative
from tests.factories import create_organization

ROLES = ("coordinator", "member", "survivor_advisor", "observer")
PRACTICES = {"consent": "Written consent first.", "privacy": "No names.", "retention": "", "other": "", "revision": "0"}


@pytest.fixture
def base(world):
    return f"/p/{world.home.slug}/advisory/framework"


def rows(app, world, model) -> list:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        found = list(db.session.scalars(select(model).order_by(model.id)))
        db.session.expunge_all()
        return found


def represent(app, world, role: str, organization_id: int) -> None:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.add(Representative(organization_id=organization_id, membership_id=world.home.membership_ids[role]))
        db.session.commit()


# --- reading -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_framework_observers_too(world, login_as, base, role):
    page = login_as(role).get(base)
    assert page.status_code == 200
    assert "Confidentiality framework" in page.text and "No practices written yet." in page.text
    for rule in toolkit.FEDERAL_CONFIDENTIALITY_RULES:
        assert rule.label in page.text  # the checklist comes from the toolkit's reference data
    for resource in toolkit.CONSENT_PRIVACY_RESOURCES:
        assert resource.replace("'", "&#39;") in page.text
    assert ("Edit the practices" in page.text or "Write the practices" in page.text) == (role == "coordinator")
    assert ("Update the checklist" in page.text) == (role == "coordinator")
    assert f'href="/p/{world.home.slug}/advisory/framework"' in page.text  # the navigation entry
    assert login_as(role).get(f"{base}/organizations").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_edit_the_practices_and_the_checklist(app, world, login_as, base, role):
    client = login_as(role)
    expected = 200 if role == "coordinator" else 403
    assert client.get(f"{base}/practices").status_code == expected
    assert client.get(f"{base}/federal-rules").status_code == expected
    saved = client.post(f"{base}/practices", data=PRACTICES)
    reviewed = client.post(f"{base}/federal-rules", data={"hipaa_status": "addressed"})
    assert saved.status_code == reviewed.status_code == (302 if role == "coordinator" else 403)
    assert len(rows(app, world, ConfidentialityFramework)) == (1 if role == "coordinator" else 0)
    assert len(rows(app, world, FederalRuleReview)) == (1 if role == "coordinator" else 0)


def test_the_practices_are_saved_and_shown_to_everyone(app, world, login_as, base):
    response = login_as().post(f"{base}/practices", data=PRACTICES | {"consent": "**Ask** <em>first</em>"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/advisory/framework")
    page = login_as("observer").get(base).text
    assert "<strong>Ask</strong>" in page and "&lt;em&gt;first&lt;/em&gt;" in page  # Markdown, raw HTML as text
    assert "No names." in page and "Last changed" in page and world.user("coordinator").name in page
    form = login_as().get(f"{base}/practices").text
    assert 'name="revision" type="hidden" value="1"' in form or 'value="1"' in form


def test_an_over_long_section_is_a_422_at_its_field_and_nothing_is_written(app, world, login_as, base):
    response = login_as().post(f"{base}/practices", data=PRACTICES | {"privacy": "x" * 20_001})
    assert response.status_code == 422
    assert 'id="privacy-error"' in response.text and "Use at most 20000 characters." in response.text
    assert rows(app, world, ConfidentialityFramework) == []


def test_a_stale_save_is_refused_and_the_next_save_replaces_it(app, world, login_as, base):
    coordinator = login_as()
    assert coordinator.post(f"{base}/practices", data=PRACTICES).status_code == 302
    stale = coordinator.post(f"{base}/practices", data=PRACTICES | {"consent": "Mine, from an old page."})
    assert stale.status_code == 422 and "Someone else saved the framework" in stale.text
    assert "Mine, from an old page." in stale.text  # the text typed is kept
    assert 'value="1"' in stale.text  # based on theirs now
    [row] = rows(app, world, ConfidentialityFramework)
    assert row.consent == "Written consent first." and row.revision == 1
    again = coordinator.post(f"{base}/practices", data=PRACTICES | {"consent": "Mine.", "revision": "1"})
    assert again.status_code == 302
    assert rows(app, world, ConfidentialityFramework)[0].consent == "Mine."


# --- the checklist -------------------------------------------------------------------------------------


def test_the_checklist_is_completed_with_notes(app, world, login_as, base):
    data = {f"{rule.key}_status": "not_started" for rule in toolkit.FEDERAL_CONFIDENTIALITY_RULES}
    data |= {"hipaa_status": "addressed", "hipaa_notes": "Checked with the clinic.", "prea_status": "not_applicable"}
    response = login_as().post(f"{base}/federal-rules", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith("/advisory/framework#federal-rules")
    assert {(r.rule_key, r.status.value) for r in rows(app, world, FederalRuleReview)} == {
        ("hipaa", "addressed"),
        ("prea", "not_applicable"),
    }
    page = login_as("member").get(base).text
    assert "Checked with the clinic." in page and "2 of 4 reviewed" in page and "Does not apply" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"hipaa_status": "done"}, "hipaa_status", "Choose where the partnership stands"),
        ({"vawa_voca_notes": "x" * 4001}, "vawa_voca_notes", "Use at most 4000 characters."),
    ],
)
def test_a_bad_checklist_value_is_a_422_at_its_field_and_nothing_is_written(
    app, world, login_as, base, data, field, message
):
    response = login_as().post(f"{base}/federal-rules", data={"prea_status": "addressed", **data})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text
    assert rows(app, world, FederalRuleReview) == []


# --- mandatory reporting -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_coordinators_and_the_organizations_own_representatives_record_its_duties(app, world, login_as, base, role):
    org = create_organization(app, world.home, "County Police")
    url = f"{base}/organizations/{org}"
    data = {"is_mandatory_reporter": "yes", "reports_for": "child abuse, neglect"}
    client = login_as(role)
    page = client.get(url)
    assert page.status_code == 200 and "County Police" in page.text and "Not recorded" in page.text
    may_edit = role == "coordinator"
    assert ('name="is_mandatory_reporter"' in page.text) == may_edit
    assert client.post(url, data=data).status_code == (302 if may_edit else 403)
    assert len(rows(app, world, OrganizationReporting)) == (1 if may_edit else 0)
    if role in ("coordinator", "observer"):
        return
    represent(app, world, role, org)  # a representative of the organization records its answer
    assert 'name="is_mandatory_reporter"' in client.get(url).text
    response = client.post(url, data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    [row] = rows(app, world, OrganizationReporting)
    assert row.reports_for == "child abuse, neglect"
    assert "child abuse, neglect" in login_as("observer").get(f"{base}/organizations").text


def test_an_observer_who_represents_an_organization_still_only_reads(app, world, login_as, base):
    org = create_organization(app, world.home)
    represent(app, world, "observer", org)
    response = login_as("observer").post(f"{base}/organizations/{org}", data={"is_mandatory_reporter": "no"})
    assert response.status_code == 403 and rows(app, world, OrganizationReporting) == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "is_mandatory_reporter", "Choose whether the organization is a mandatory reporter"),
        ({"is_mandatory_reporter": "perhaps"}, "is_mandatory_reporter", "Choose whether"),
        ({"is_mandatory_reporter": "yes"}, "reports_for", "Say what its staff must report"),
        ({"is_mandatory_reporter": "no", "reports_for": "child abuse"}, "reports_for", "Leave this empty"),
        ({"is_mandatory_reporter": "unsure", "reports_for": "x" * 501}, "reports_for", "Use at most 500"),
    ],
)
def test_bad_reporting_input_is_a_422_at_its_field_and_nothing_is_written(
    app, world, login_as, base, data, field, message
):
    org = create_organization(app, world.home)
    response = login_as().post(f"{base}/organizations/{org}", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text
    assert rows(app, world, OrganizationReporting) == []


def test_another_partnerships_organization_is_a_404(app, world, login_as, base):
    theirs = create_organization(app, world.other, "Their Org")
    mine = create_organization(app, world.home, "Our Org")
    client = login_as()
    assert client.get(f"{base}/organizations/{theirs}").status_code == 404
    assert client.post(f"{base}/organizations/{theirs}", data={"is_mandatory_reporter": "no"}).status_code == 404
    outsider = login_as(world.other.members["coordinator"])
    assert outsider.get(f"{base}/organizations/{mine}").status_code == 404
    assert outsider.get(f"/p/{world.other.slug}/advisory/framework/organizations/{mine}").status_code == 404
    assert outsider.get(base).status_code == 404
    assert rows(app, world, OrganizationReporting) == []


def test_the_list_filters_and_answers_htmx_with_its_results(app, world, login_as, base):
    police = create_organization(app, world.home, "County Police")
    create_organization(app, world.home, "Safe Harbor")
    client = login_as()
    client.post(f"{base}/organizations/{police}", data={"is_mandatory_reporter": "yes", "reports_for": "child abuse"})
    page = client.get(f"{base}/organizations").text
    assert "County Police" in page and "Safe Harbor" in page and "Not recorded" in page
    assert "Mandatory reporter" in page and "<caption" in page and 'data-label="Must report"' in page
    filtered = client.get(f"{base}/organizations?status=not_recorded", headers={"HX-Request": "true"})
    assert filtered.status_code == 200 and "<html" not in filtered.text
    assert "Safe Harbor" in filtered.text and "County Police" not in filtered.text
    assert filtered.headers["HX-Push-Url"].endswith("/advisory/framework/organizations?status=not_recorded")
    searched = client.get(f"{base}/organizations?q=harb&status=bogus&page=abc").text
    assert "Safe Harbor" in searched and "County Police" not in searched
    summary = client.get(base).text
    assert "organization is a mandatory reporter" in summary and "of 2 not recorded" in summary


# --- the setup guide -----------------------------------------------------------------------------------


def test_the_setup_guide_answers_the_confidentiality_question_from_the_framework(app, world, login_as, base):
    client = login_as()
    guide = client.get(f"/p/{world.home.slug}/setup").text
    assert f'href="{base}"' in guide
    client.post(f"{base}/practices", data=PRACTICES)
    client.post(
        f"{base}/federal-rules", data={f"{r.key}_status": "addressed" for r in toolkit.FEDERAL_CONFIDENTIALITY_RULES}
    )
    guide = client.get(f"/p/{world.home.slug}/setup").text
    assert "Consent and privacy practices written; every federal rule reviewed" in guide
