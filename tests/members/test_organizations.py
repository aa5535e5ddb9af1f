"""Adding, editing, archiving and restoring organizations; refusals at the field; the audit log."""

from __future__ import annotations

import pytest

from tests.factories import create_custom_sector, create_organization
from tests.members.conftest import audit_entries, organizations


def form(**overrides):
    data = {
        "name": "Safe Harbor Shelter",
        "sectors": ["dvs_domestic_violence", "healthcare"],
        "ps": ["protection", "partnership"],
        "website": "https://safeharbor.example.org",
        "service_area": "Denver metro",
        "notes": "Runs a 24-hour line.",
    }
    data.update(overrides)
    return data


def test_coordinator_adds_an_organization_with_sectors_ps_and_details(app, world, coordinator, base):
    custom_id = create_custom_sector(app, world.home, "Faith leaders")
    response = coordinator.post(
        f"{base}/organizations/new", data=form(sectors=["dvs_domestic_violence", f"custom-{custom_id}"])
    )
    assert response.status_code == 302
    (org,) = organizations(app, world.home.id)
    assert response.headers["Location"].endswith(f"/organizations/{org.id}")
    assert org.name == "Safe Harbor Shelter"
    assert org.ps == ["protection", "partnership"]
    assert org.partnership_p and org.protection and not org.prevention
    assert sorted((s.sector_key or "", s.custom_sector_id or 0) for s in org.sectors) == [
        ("", custom_id),
        ("dvs_domestic_violence", 0),
    ]
    assert org.website == "https://safeharbor.example.org"

    page = coordinator.get(f"{base}/organizations/{org.id}")
    assert page.status_code == 200
    assert "Safe Harbor Shelter" in page.text
    assert "Domestic violence" in page.text and "Faith leaders" in page.text
    assert "Partnership</span>" in page.text

    (entry,) = [e for e in audit_entries(app, world.home.id) if e[0] == "organization.created"]
    assert entry[1:3] == ("organization", org.id)
    assert entry[3] == {
        "sectors": ["dvs_domestic_violence"],
        "custom_sector_ids": [custom_id],
        "ps": ["protection", "partnership"],
    }


@pytest.mark.parametrize("duplicate", ["Safe Harbor Shelter", "safe harbor shelter", "  Safe   HARBOR shelter "])
def test_duplicate_names_are_refused_whatever_the_case_and_spacing(app, world, coordinator, base, duplicate):
    create_organization(app, world.home, "Safe Harbor Shelter")
    response = coordinator.post(f"{base}/organizations/new", data=form(name=duplicate))
    assert response.status_code == 422
    assert "already has this name" in response.text
    assert 'aria-invalid="true"' in response.text
    assert len(organizations(app, world.home.id)) == 1


def test_the_same_name_is_fine_in_another_partnership(app, world, coordinator, base):
    create_organization(app, world.other, "Safe Harbor Shelter")
    assert coordinator.post(f"{base}/organizations/new", data=form()).status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the organization&#39;s name."),
        ({"name": "x" * 161}, "Use at most 160 characters."),
        ({"service_area": "x" * 201}, "Use at most 200 characters."),
        ({"notes": "x" * 5001}, "Use at most 5000 characters."),
        ({"website": "javascript:alert(1)"}, "starting with http:// or https://"),
        ({"website": "example.org"}, "starting with http:// or https://"),
        ({"sectors": ["not_a_sector"]}, "Choose sectors from the list."),
        ({"sectors": ["custom-999999"]}, "Choose sectors from the list."),
        ({"sectors": ["custom-1e3"]}, "Choose sectors from the list."),
        ({"ps": ["persecution"]}, "Choose from the four Ps."),
    ],
)
def test_bad_input_is_refused_at_the_field_and_changes_nothing(app, world, coordinator, base, overrides, message):
    response = coordinator.post(f"{base}/organizations/new", data=form(**overrides))
    assert response.status_code == 422
    assert message in response.text
    assert "field-error" in response.text
    assert organizations(app, world.home.id) == []
    assert not [e for e in audit_entries(app, world.home.id) if e[0].startswith("organization.")]


def test_another_partnerships_custom_sector_cannot_be_used(app, world, coordinator, base):
    theirs = create_custom_sector(app, world.other, "Their sector")
    response = coordinator.post(f"{base}/organizations/new", data=form(sectors=[f"custom-{theirs}"]))
    assert response.status_code == 422
    assert "Choose sectors from the list." in response.text
    assert organizations(app, world.home.id) == []


def test_editing_changes_fields_and_sectors_and_keeps_unchanged_links(app, world, coordinator, base):
    org_id = create_organization(
        app, world.home, "Old Name", sectors=["healthcare", "law_enforcement"], ps=["prevention"]
    )
    (before,) = organizations(app, world.home.id)
    kept = {s.sector_key: s.id for s in before.sectors}["healthcare"]

    page = coordinator.get(f"{base}/organizations/{org_id}/edit")
    assert page.status_code == 200
    assert 'value="Old Name"' in page.text
    assert 'value="healthcare" checked' in page.text

    response = coordinator.post(
        f"{base}/organizations/{org_id}/edit",
        data=form(name="New Name", sectors=["healthcare", "survivor_led_orgs"], ps=["prosecution"], website=""),
    )
    assert response.status_code == 302
    (org,) = organizations(app, world.home.id)
    assert org.name == "New Name"
    assert org.ps == ["prosecution"]
    assert org.website == ""
    assert {s.sector_key: s.id for s in org.sectors}.keys() == {"healthcare", "survivor_led_orgs"}
    assert {s.sector_key: s.id for s in org.sectors}["healthcare"] == kept
    assert "organization.updated" in [e[0] for e in audit_entries(app, world.home.id)]


def test_renaming_onto_another_organizations_name_is_refused(app, world, coordinator, base):
    create_organization(app, world.home, "Taken")
    org_id = create_organization(app, world.home, "Mine")
    response = coordinator.post(f"{base}/organizations/{org_id}/edit", data=form(name="TAKEN"))
    assert response.status_code == 422
    assert "already has this name" in response.text
    assert [o.name for o in organizations(app, world.home.id)] == ["Taken", "Mine"]


def test_keeping_your_own_name_with_other_casing_is_allowed(app, world, coordinator, base):
    org_id = create_organization(app, world.home, "Mine")
    assert coordinator.post(f"{base}/organizations/{org_id}/edit", data=form(name="MINE")).status_code == 302
    assert organizations(app, world.home.id)[0].name == "MINE"


def test_archive_and_restore(app, world, coordinator, base):
    org_id = create_organization(app, world.home, "Archivable", sectors=["healthcare"])
    response = coordinator.post(f"{base}/organizations/{org_id}/archive", follow_redirects=True)
    assert response.status_code == 200
    assert "was archived" in response.text
    assert organizations(app, world.home.id)[0].archived_at is not None
    assert "Archivable" not in coverage_text(coordinator, base)
    assert "Archivable" not in coordinator.get(f"{base}/organizations").text
    assert "Archivable" in coordinator.get(f"{base}/organizations?archived=1").text

    response = coordinator.post(f"{base}/organizations/{org_id}/restore", follow_redirects=True)
    assert "was restored" in response.text
    assert organizations(app, world.home.id)[0].archived_at is None
    assert "Archivable" in coverage_text(coordinator, base)
    actions = [e[0] for e in audit_entries(app, world.home.id)]
    assert actions.count("organization.archived") == 1 and actions.count("organization.restored") == 1


def coverage_text(client, base) -> str:
    return client.get(f"{base}/coverage").text


def test_unknown_ids_are_404(coordinator, base):
    assert coordinator.get(f"{base}/organizations/999999").status_code == 404
    assert coordinator.get(f"{base}/organizations/999999/edit").status_code == 404
    assert coordinator.post(f"{base}/organizations/999999/archive").status_code == 404


def test_another_partnerships_organization_is_404_under_your_slug(app, world, coordinator, base):
    theirs = create_organization(app, world.other, "Theirs")
    assert coordinator.get(f"{base}/organizations/{theirs}").status_code == 404
    assert coordinator.post(f"{base}/organizations/{theirs}/edit", data=form()).status_code == 404
    assert coordinator.post(f"{base}/organizations/{theirs}/archive").status_code == 404
    assert organizations(app, world.other.id)[0].name == "Theirs"
    assert organizations(app, world.other.id)[0].archived_at is None
