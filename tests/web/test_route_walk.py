"""Walk every workspace route in the URL map as outsiders, anonymous visitors and each role.

New routes are covered without editing this file. A route argument named ``<thing>_id`` must name
a tenant model (``agenda_item_id`` -> ``AgendaItem``); the walk fills it with the id of a real
record of the victim partnership, so IDOR holes show up as a non-404.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from partnership_hub.db import TenantMixin, bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Invitation, Membership
from tests import factories
from tests.factories import sign_in

PREFIX = "/p/<slug>"


def tenant_models() -> dict[str, type]:
    def snake(name: str) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()

    return {
        snake(mapper.class_.__name__): mapper.class_
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, TenantMixin)
    }


def workspace_rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith(PREFIX)]
    assert len(rules) >= 8, "the walk found suspiciously few workspace routes"
    return rules


def record_ids(app, partnership_id: int) -> dict[str, int]:
    """One real record id per tenant model of the given partnership."""
    ids = {}
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        for name, model in tenant_models().items():
            record_id = db.session.scalars(select(model.id).order_by(model.id)).first()
            if record_id is not None:
                ids[name] = record_id
    return ids


def urls_for(app, slug: str, ids: dict[str, int]):
    """(method, url) for every workspace route, filled with ``slug`` and the given record ids."""
    adapter = app.url_map.bind("localhost")
    for rule in workspace_rules(app):
        values = {"slug": slug}
        for argument in rule.arguments - {"slug"}:
            assert argument.endswith("_id"), f"{rule.rule}: name record arguments <thing>_id"
            thing = argument.removesuffix("_id")
            assert thing in ids, f"{rule.rule}: no {thing} record to try (is {thing!r} a tenant model?)"
            values[argument] = ids[thing]
        url = adapter.build(rule.endpoint, values)
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield method, url


@pytest.fixture
def victim(app, world):
    """The home partnership, with at least one record of every kind the routes take (every installed
    area's ``test_seed``)."""
    factories.seed_records(app, world.home)
    # urls_for() fails for any route whose <thing>_id has no record here: seed it in seed_records.
    return record_ids(app, world.home.id)


def snapshot(app, world) -> tuple:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        memberships = sorted((m.user_id, m.role.value) for m in db.session.scalars(select(Membership)))
        invitations = sorted(
            (i.email, i.token_hash, i.revoked_at is None, i.send_count) for i in db.session.scalars(select(Invitation))
        )
        return memberships, invitations


def test_anonymous_visitors_are_sent_to_sign_in(app, world, victim):
    client = app.test_client()
    for method, url in urls_for(app, world.home.slug, victim):
        response = client.open(url, method=method)
        assert response.status_code in (302, 404), f"{method} {url} -> {response.status_code}"
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login"), f"{method} {url}"


def test_members_of_another_partnership_get_404_everywhere(app, world, victim):
    before = snapshot(app, world)
    outsider = app.test_client()
    sign_in(outsider, app, world.other.members["coordinator"])

    for method, url in urls_for(app, world.home.slug, victim):
        response = outsider.open(url, method=method, data={"role": "coordinator", "email": "x@example.org"})
        assert response.status_code == 404, f"{method} {url} -> {response.status_code}"

    assert snapshot(app, world) == before


def test_record_ids_of_another_partnership_are_404_under_your_own_slug(app, world, victim):
    before = snapshot(app, world)
    outsider = app.test_client()
    sign_in(outsider, app, world.other.members["coordinator"])

    for method, url in urls_for(app, world.other.slug, victim):
        if not any(f"/{record_id}/" in url or url.endswith(f"/{record_id}") for record_id in victim.values()):
            continue  # routes without a record id are the outsider's own pages
        response = outsider.open(url, method=method, data={"role": "coordinator"})
        assert response.status_code == 404, f"{method} {url} -> {response.status_code}"

    assert snapshot(app, world) == before


@pytest.mark.parametrize("role", ["coordinator", "member", "survivor_advisor", "observer"])
def test_every_role_gets_a_page_or_a_refusal_never_an_error(app, world, victim, role):
    client = app.test_client()
    sign_in(client, app, world.user(role))
    for method, url in urls_for(app, world.home.slug, victim):
        if method != "GET":
            continue
        response = client.get(url)
        assert response.status_code in (200, 403), f"{role} GET {url} -> {response.status_code}"
