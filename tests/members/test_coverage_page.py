"""The coverage page reflects the directory as it is now."""

from __future__ import annotations

from sqlalchemy import delete

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Membership
from tests.factories import create_custom_sector, create_organization


def test_coverage_updates_as_organizations_are_added(app, world, coordinator, base):
    page = coordinator.get(f"{base}/coverage").text
    assert "<strong>0</strong> of 22 recommended sectors" in page
    assert "Law Enforcement" in page.split("Have you considered inviting")[1]

    create_organization(app, world.home, "Metro Police", sectors=["law_enforcement"], ps=["prosecution"])
    create_organization(app, world.home, "Safe House", sectors=["dvs_domestic_violence"], ps=["protection"])
    page = coordinator.get(f"{base}/coverage").text
    assert "<strong>2</strong> of 22 recommended sectors" in page
    suggestions = page.split("Have you considered inviting")[1].split("Every recommended sector")[0]
    assert "Law Enforcement" not in suggestions
    assert "Direct Victim Services" not in suggestions.split("Sub-areas not yet represented")[0]
    assert "Sexual assault" in suggestions.split("Sub-areas not yet represented")[1]
    assert "Metro Police" in page and "Safe House" in page
    assert "dir-bar-fill dir-w-50" in page  # prosecution: 1 of 2 organizations
    assert "dir-w-10" in page  # 2 of 22 sectors = 9% -> the 10% bar
    assert "style=" not in page  # the CSP forbids inline styles


def test_survivor_representation_counts_survivor_sectors_and_advisors(app, world, coordinator, base):
    # The world has a survivor advisor: represented through the advisory role.
    page = coordinator.get(f"{base}/coverage").text
    assert "✓ Represented" in page and "1\n        survivor advisor in the workspace" in page

    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(delete(Membership).where(Membership.id == world.home.membership_ids["survivor_advisor"]))
        db.session.commit()
    assert "✗ Not yet represented" in coordinator.get(f"{base}/coverage").text

    create_organization(app, world.home, "Voices Rising", sectors=["survivor_led_orgs"])
    page = coordinator.get(f"{base}/coverage").text
    assert "✓ Represented" in page and "Survivor-led organizations: Voices Rising" in page


def test_custom_sectors_appear_on_the_coverage_page(app, world, coordinator, base):
    faith = create_custom_sector(app, world.home, "Faith leaders")
    hotline = create_custom_sector(app, world.home, "Hotlines", parent_key="direct_victim_services")
    create_organization(app, world.home, "Church", sectors=[f"custom-{faith}"])
    create_organization(app, world.home, "Line", sectors=[f"custom-{hotline}"])
    page = coordinator.get(f"{base}/coverage").text
    assert "<strong>Faith leaders</strong>: Church" in page
    assert "(including Hotlines)" in page


def test_only_people_who_may_see_advisors_are_told_how_many_there_are(app, world, login_as, base):
    # In a small group a number lets the others work out who is not listed: members and observers
    # learn that advisors take part, not how many.
    for role in ("member", "observer"):
        page = login_as(role).get(f"{base}/coverage").text
        assert "✓ Represented" in page, role
        assert "survivor advisor in the workspace" not in page, role
        assert "Survivor advisors take part (the partnership keeps who they are private)" in page, role
    page = login_as("survivor_advisor").get(f"{base}/coverage").text
    assert "1\n        survivor advisor in the workspace" in page
