"""The sector taxonomy page and the partnership's own sectors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.members.models import CustomSector
from tests.factories import create_custom_sector, create_organization
from tests.members.conftest import audit_entries, organizations


def custom_sectors(app, partnership_id):
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        return [(c.name, c.parent_key, c.description) for c in db.session.scalars(select(CustomSector))]


def test_sectors_page_shows_the_hierarchy_with_counts(app, world, coordinator, base):
    create_organization(app, world.home, "A", sectors=["dvs_domestic_violence"])
    create_organization(app, world.home, "B", sectors=["direct_victim_services", "dvs_domestic_violence"])
    page = coordinator.get(f"{base}/sectors").text
    assert page.count("<h1") == 1
    assert (
        "Direct Victim Services" in page
        and "Domestic violence" in page
        and "(sub-area of Direct Victim Services)" in page
    )
    # Parent total: two distinct organizations across the parent and its sub-areas.
    assert f'href="{base}/organizations?sector=direct_victim_services">2<' in page
    assert f'href="{base}/organizations?sector=dvs_domestic_violence">2<' in page


def test_add_edit_and_delete_a_custom_sector(app, world, coordinator, base):
    response = coordinator.post(
        f"{base}/sectors", data={"name": "Faith leaders", "parent_key": "", "description": "Clergy and congregations"}
    )
    assert response.status_code == 302
    assert custom_sectors(app, world.home.id) == [("Faith leaders", None, "Clergy and congregations")]
    custom_id = audit_entries(app, world.home.id)[-1][2]

    response = coordinator.post(
        f"{base}/custom-sectors/{custom_id}/edit",
        data={"name": "Faith communities", "parent_key": "direct_victim_services"},
    )
    assert response.status_code == 302
    assert custom_sectors(app, world.home.id) == [("Faith communities", "direct_victim_services", "")]

    create_organization(app, world.home, "Church Org", sectors=[f"custom-{custom_id}", "healthcare"])
    confirm = coordinator.get(f"{base}/custom-sectors/{custom_id}/delete")
    assert confirm.status_code == 200 and "1 organization loses this sector" in confirm.text
    assert coordinator.post(f"{base}/custom-sectors/{custom_id}/delete").status_code == 302
    assert custom_sectors(app, world.home.id) == []
    (org,) = organizations(app, world.home.id)
    assert [(s.sector_key, s.custom_sector_id) for s in org.sectors] == [("healthcare", None)]  # the link cascaded
    actions = [e[0] for e in audit_entries(app, world.home.id)]
    assert {"custom_sector.created", "custom_sector.updated", "custom_sector.deleted"} <= set(actions)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Name the sector."),
        ({"name": "x" * 121}, "Use at most 120 characters."),
        ({"name": "  faith   LEADERS "}, "already has a sector with this name"),
        ({"name": "law enforcement"}, "The toolkit already has a sector with this name"),
        ({"name": "New", "parent_key": "dvs_domestic_violence"}, "Choose a toolkit sector from the list"),
        ({"name": "New", "parent_key": "nonsense"}, "Choose a toolkit sector from the list"),
    ],
)
def test_custom_sector_refusals(app, world, coordinator, base, data, message):
    create_custom_sector(app, world.home, "Faith leaders")
    response = coordinator.post(f"{base}/sectors", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert custom_sectors(app, world.home.id) == [("Faith leaders", None, "")]


def test_another_partnerships_custom_sector_is_404(app, world, coordinator, base):
    theirs = create_custom_sector(app, world.other, "Theirs")
    assert coordinator.get(f"{base}/custom-sectors/{theirs}/edit").status_code == 404
    assert coordinator.post(f"{base}/custom-sectors/{theirs}/edit", data={"name": "Mine now"}).status_code == 404
    assert coordinator.post(f"{base}/custom-sectors/{theirs}/delete").status_code == 404
    assert custom_sectors(app, world.other.id) == [("Theirs", None, "")]


def test_the_same_custom_sector_name_is_fine_in_two_partnerships(app, world, coordinator, base):
    create_custom_sector(app, world.other, "Faith leaders")
    assert coordinator.post(f"{base}/sectors", data={"name": "Faith leaders"}).status_code == 302
