"""The partnership profile: who may read and edit it, validation, the audit entry, the public page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Partnership
from tests.budget import BUDGET, counting

GOOD = {
    "name": "Front Range Partnership",
    "definition": "Service providers and law enforcement working together against labor and sex trafficking.",
    "vision": "A Front Range where no one is bought or sold.",
    "mission": "We coordinate services for survivors and train the community.",
    "region": "Colorado Front Range",
    "time_zone": "America/Denver",
    "functions": ["information_sharing", "strategic_coordination"],
    "coordination_model": "shared",
    "stage": "early",
}


def partnership(app, world) -> Partnership:
    with app.app_context():
        p = db.session.get(Partnership, world.home.id)
        db.session.expunge(p)
        return p


def audit_entries(app, world, action: str) -> list[AuditEntry]:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        stmt = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        entries = list(db.session.scalars(stmt))
        db.session.expunge_all()
        return entries


@pytest.fixture
def coordinator(login_as):
    return login_as("coordinator")


def test_coordinator_edits_the_profile_and_only_changed_field_names_are_audited(app, coordinator, world):
    url = f"/p/{world.home.slug}/profile/edit"
    assert coordinator.get(url).status_code == 200

    response = coordinator.post(url, data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/p/{world.home.slug}/profile")

    p = partnership(app, world)
    assert p.vision == GOOD["vision"]
    assert p.region == "Colorado Front Range"
    assert p.time_zone == "America/Denver"
    assert p.functions == ["strategic_coordination", "information_sharing"]  # the toolkit's order
    assert (p.coordination_model, p.stage, p.public_profile) == ("shared", "early", False)

    [entry] = audit_entries(app, world, "profile.updated")
    assert set(entry.details["fields"]) == {
        "definition",
        "vision",
        "mission",
        "region",
        "time_zone",
        "functions",
        "coordination_model",
        "stage",
    }
    assert GOOD["vision"] not in str(entry.details)  # names only, never the text

    page = coordinator.get(f"/p/{world.home.slug}/profile").text
    assert GOOD["mission"] in page and "Information and resource sharing" in page and "Shared coordination" in page

    # Saving again with one change records just that field.
    coordinator.post(url, data={**GOOD, "stage": "mature"})
    assert audit_entries(app, world, "profile.updated")[-1].details["fields"] == ["stage"]
    # Saving with no change records nothing.
    coordinator.post(url, data={**GOOD, "stage": "mature"})
    assert len(audit_entries(app, world, "profile.updated")) == 2


def test_the_edit_form_shows_the_toolkit_choices_accessibly(app, coordinator, world):
    page = coordinator.get(f"/p/{world.home.slug}/profile/edit").text
    assert page.count("<h1") == 1
    assert page.count('type="checkbox" name="functions"') == 6
    assert "Prioritize engagement of survivors directly" in page
    assert "<legend>What the partnership does</legend>" in page
    assert "<legend>How it is coordinated</legend>" in page
    assert "<legend>Stage</legend>" in page
    assert "style=" not in page and "<script>" not in page and " onclick" not in page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"functions": ["strategic_coordination", "mind_control"]}, "functions", "Choose from the functions shown."),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Enter a time zone from the list"),
        ({"time_zone": ""}, "time_zone", "Enter a time zone"),
        ({"vision": "x" * 2001}, "vision", "Use at most 2,000 characters."),
        ({"definition": "x" * 2001}, "definition", "Use at most 2,000 characters."),
        ({"region": "x" * 161}, "region", "Use at most 160 characters."),
        ({"name": ""}, "name", "Name your partnership."),
        ({"coordination_model": "dictatorship"}, "coordination_model", "Choose one of the options shown."),
        ({"stage": "ancient"}, "stage", "Choose one of the options shown."),
    ],
)
def test_bad_input_is_a_field_error_422_and_nothing_is_saved(app, coordinator, world, change, field, message):
    before = partnership(app, world)
    response = coordinator.post(f"/p/{world.home.slug}/profile/edit", data={**GOOD, **change})
    assert response.status_code == 422
    assert message in response.text
    assert f'id="{field}-error"' in response.text
    after = partnership(app, world)
    assert (after.vision, after.name, after.functions, after.time_zone) == (
        before.vision,
        before.name,
        before.functions,
        before.time_zone,
    )
    assert audit_entries(app, world, "profile.updated") == []


def test_the_service_refuses_what_the_form_would_let_through(app, world):
    from partnership_hub.context import context_for
    from partnership_hub.errors import ServiceError
    from partnership_hub.workspaces import services

    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        for data, field in (
            ({"functions": ["nope"]}, "functions"),
            ({"time_zone": "Nowhere/Special"}, "time_zone"),
            ({"mission": "y" * 2001}, "mission"),
        ):
            with pytest.raises(ServiceError) as refused:
                services.update_profile(ctx, data)
            assert refused.value.field == field
        with pytest.raises(ValueError):
            services.update_profile(ctx, {"slug": "hijack"})


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_everyone_reads_the_profile_but_only_coordinators_edit(app, login_as, world, role):
    client = login_as(role)
    assert client.get(f"/p/{world.home.slug}/profile").status_code == 200
    assert "Edit profile" not in client.get(f"/p/{world.home.slug}/profile").text
    assert client.get(f"/p/{world.home.slug}/profile/edit").status_code == 403
    assert client.post(f"/p/{world.home.slug}/profile/edit", data={**GOOD, "name": "Taken over"}).status_code == 403
    assert partnership(app, world).name == "Front Range Partnership"


def test_outsiders_get_404(app, login_as, world):
    client = login_as(world.other.members["coordinator"])
    assert client.get(f"/p/{world.home.slug}/profile").status_code == 404
    assert client.post(f"/p/{world.home.slug}/profile/edit", data=GOOD).status_code == 404


def test_public_profile_is_404_until_published_and_then_shows_only_the_public_fields(app, coordinator, world):
    public_url = f"/about/{world.home.slug}"
    anonymous = app.test_client()
    assert anonymous.get(public_url).status_code == 404
    assert anonymous.get("/about/no-such-partnership").status_code == 404

    coordinator.post(f"/p/{world.home.slug}/profile/edit", data={**GOOD, "public_profile": "y"})
    assert partnership(app, world).public_profile is True

    response = anonymous.get(public_url)
    assert response.status_code == 200
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    page = response.text
    for text in (GOOD["name"], GOOD["definition"], GOOD["vision"], GOOD["mission"], GOOD["region"]):
        assert text in page
    assert "Strategic coordination" in page
    # Nothing else: no members, roles, time zone, stage, or workspace links.
    for private in (
        "Cora Coordinator",
        "Survivor_Advisor Person",
        "Member Person",
        "@example.org",
        "America/Denver",
        "Early partnership",
        "Shared coordination",
        f"/p/{world.home.slug}",
    ):
        assert private not in page, private

    coordinator.post(f"/p/{world.home.slug}/profile/edit", data=GOOD)  # unticked: off again
    assert anonymous.get(public_url).status_code == 404


def test_profile_pages_cost_the_same_for_small_and_large_partnerships(app, coordinator, world):
    coordinator.post(f"/p/{world.home.slug}/profile/edit", data={**GOOD, "public_profile": "y"})
    for url in (f"/p/{world.home.slug}/profile", f"/p/{world.home.slug}/profile/edit", f"/about/{world.home.slug}"):
        coordinator.get(url)
        with counting(app) as statements:
            assert coordinator.get(url).status_code == 200
        assert len(statements) <= BUDGET, (url, statements)
