"""Who may read and who may change the directory."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Membership
from tests.factories import create_custom_sector, create_organization
from tests.members.conftest import organizations

READ_PAGES = ["/organizations", "/organizations.csv", "/sectors", "/coverage", "/networks"]


def make_directory_editor(app, world, role: str) -> None:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(
            update(Membership).where(Membership.id == world.home.membership_ids[role]).values(directory_editor=True)
        )
        db.session.commit()


def write_requests(app, world):
    org_id = create_organization(app, world.home, "Target Org")
    custom_id = create_custom_sector(app, world.home, "Target sector")
    return [
        ("GET", "/organizations/new", None),
        ("POST", "/organizations/new", {"name": "New Org"}),
        ("GET", f"/organizations/{org_id}/edit", None),
        ("POST", f"/organizations/{org_id}/edit", {"name": "Renamed"}),
        ("POST", f"/organizations/{org_id}/archive", {}),
        ("POST", f"/organizations/{org_id}/representatives", {"kind": "contact", "name": "X"}),
        ("POST", "/sectors", {"name": "Another sector"}),
        ("POST", f"/custom-sectors/{custom_id}/edit", {"name": "Renamed sector"}),
        ("POST", f"/custom-sectors/{custom_id}/delete", {}),
        ("GET", "/networks/new", None),
        ("POST", "/networks/new", {"name": "Net", "kind": "mdt"}),
    ]


@pytest.mark.parametrize("role", ["coordinator", "member", "survivor_advisor", "observer"])
def test_everyone_in_the_workspace_reads_the_directory(app, world, login_as, base, role):
    create_organization(app, world.home, "Readable Org", sectors=["healthcare"])
    client = login_as(role)
    for path in READ_PAGES:
        response = client.get(base + path)
        assert response.status_code == 200, (role, path)
    org_id = organizations(app, world.home.id)[0].id
    assert "Readable Org" in client.get(f"{base}/organizations/{org_id}").text


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_without_the_editor_flag_only_coordinators_change_it(app, world, login_as, base, role):
    client = login_as(role)
    for method, path, data in write_requests(app, world):
        response = client.open(base + path, method=method, data=data)
        assert response.status_code == 403, (role, method, path)
    assert [o.name for o in organizations(app, world.home.id)] == ["Target Org"]
    assert organizations(app, world.home.id)[0].archived_at is None
    page = client.get(f"{base}/organizations")
    assert "Add an organization" not in page.text


def test_a_member_made_directory_editor_may_edit(app, world, login_as, base):
    make_directory_editor(app, world, "member")
    client = login_as("member")
    assert "Add an organization" in client.get(f"{base}/organizations").text
    assert client.post(f"{base}/organizations/new", data={"name": "Editor's Org"}).status_code == 302
    assert "Editor's Org" in [o.name for o in organizations(app, world.home.id)]


def test_the_editor_flag_does_nothing_for_observers(app, world, login_as, base):
    make_directory_editor(app, world, "observer")
    assert login_as("observer").post(f"{base}/organizations/new", data={"name": "Nope"}).status_code == 403


def test_outsiders_get_404_on_every_directory_page(app, world, login_as, base):
    create_organization(app, world.home, "Hidden Org")
    outsider = login_as(world.other.members["coordinator"])
    for path in [*READ_PAGES, "/organizations/new", "/sectors"]:
        assert outsider.get(base + path).status_code == 404, path
    assert outsider.post(f"{base}/organizations/new", data={"name": "Sneaky"}).status_code == 404
    assert [o.name for o in organizations(app, world.home.id)] == ["Hidden Org"]


def test_anonymous_visitors_are_sent_to_sign_in(app, base):
    response = app.test_client().get(f"{base}/organizations")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_navigation_lists_organizations_and_coverage(app, world, login_as, base):
    page = login_as("observer").get(f"{base}/")
    assert f'href="{base}/organizations"' in page.text
    assert f'href="{base}/coverage"' in page.text
