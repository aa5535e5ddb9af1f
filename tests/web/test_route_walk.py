"""Walk every workspace route in the URL map as outsiders, anonymous visitors and each role.

New routes and new areas are covered without editing this file: the routes come from the URL map
(every installed area's blueprints) and the records from every installed area's ``test_seed``. A
route argument named ``<thing>_id`` must name a tenant model (``agenda_item_id`` -> ``AgendaItem``);
the walk fills it with the id of a real record of the victim partnership, so IDOR holes show up as
a non-404, and it fails, naming the area to fix, when no such record was seeded.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import select

from partnership_hub import areas
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Invitation, Membership
from tests import factories
from tests.web.walk import (
    ADMITTED_ROLE,
    admitted_only,
    area_of_blueprint,
    fetch,
    record_ids,
    routes,
    urls_for,
    workspace_rules,
)


def _victim(app, world):
    """The home partnership, with at least one record of every kind the routes take (every installed
    area's ``test_seed``)."""
    factories.seed_records(app, world.home)
    return record_ids(app, world.home.id)


@pytest.fixture
def victim(keep, world):
    return keep(_victim, world)


def snapshot(app, world) -> tuple:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        memberships = sorted((m.user_id, m.role.value) for m in db.session.scalars(select(Membership)))
        invitations = sorted(
            (i.email, i.token_hash, i.revoked_at is None, i.send_count) for i in db.session.scalars(select(Invitation))
        )
        return memberships, invitations


def test_the_walk_covers_every_installed_area_with_workspace_routes(app, victim):
    walked = {rule.endpoint.partition(".")[0] for rule in workspace_rules(app)}
    owners = area_of_blueprint()
    assert walked <= set(owners), f"workspace blueprints no installed area declares: {walked - set(owners)}"
    for area in areas.installed():
        takes_ids = any(
            rule.arguments - {"slug"}
            for rule in workspace_rules(app)
            if owners[rule.endpoint.partition(".")[0]] == area.name
        )
        assert not takes_ids or area.test_seed, f"{area.name}: routes take record ids but the area has no test_seed"


def test_anonymous_visitors_are_sent_to_sign_in(app, world, victim):
    client = app.test_client()
    for method, url in urls_for(app, world.home.slug, victim):
        response = fetch(client, method, url)
        assert response.status_code == 302, f"{method} {url} -> {response.status_code}"
        assert response.headers["Location"] == f"/login?next={quote(url, safe='')}", f"{method} {url}"


def test_members_of_another_partnership_get_404_everywhere(app, world, victim, login_as):
    before = snapshot(app, world)
    outsider = login_as(world.other.members["coordinator"])

    for method, url in urls_for(app, world.home.slug, victim):
        response = fetch(outsider, method, url, data={"role": "coordinator", "email": "x@example.org"})
        assert response.status_code == 404, f"{method} {url} -> {response.status_code}"

    assert snapshot(app, world) == before


def test_record_ids_of_another_partnership_are_404_under_your_own_slug(app, world, victim, login_as):
    before = snapshot(app, world)
    outsider = login_as(world.other.members["coordinator"])

    for method, url in urls_for(app, world.other.slug, victim):
        if not any(f"/{record_id}/" in url or url.endswith(f"/{record_id}") for record_id in victim.values()):
            continue  # routes without a record id are the outsider's own pages
        response = fetch(outsider, method, url, data={"role": "coordinator"})
        assert response.status_code == 404, f"{method} {url} -> {response.status_code}"

    assert snapshot(app, world) == before


@pytest.mark.parametrize("role", ["coordinator", "member", "survivor_advisor", "observer"])
def test_every_role_gets_a_page_or_a_refusal_never_an_error(app, world, victim, login_as, role):
    client = login_as(role)
    workspace = f"/p/{world.home.slug}/"
    for endpoint, method, url in routes(app, world.home.slug, victim):
        if method != "GET":
            continue
        response = fetch(client, "GET", url)
        if response.status_code == 302:  # an address that points at a place on another page
            target = response.headers["Location"]
            assert target.startswith(workspace), f"{role} GET {url} -> 302 {target}"
            response = fetch(client, "GET", target.partition("#")[0])
        # Pages open only to the people an area admitted answer 404 to the rest (nothing confirmed).
        allowed = (200, 403, 404) if admitted_only(endpoint) and role != ADMITTED_ROLE else (200, 403)
        assert response.status_code in allowed, f"{role} GET {url} -> {response.status_code}"
