"""Walking the workspace routes: every ``/p/<slug>`` rule in the URL map, filled with real records.

The rules come from the URL map (every installed area's blueprints) and the records from every
installed area's ``test_seed`` (``factories.seed_records``), so a new area is walked without edits.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from partnership_hub import areas
from partnership_hub.db import TenantMixin, bind_tenant
from partnership_hub.extensions import db

PREFIX = "/p/<slug>"


def tenant_models() -> dict[str, type]:
    def snake(name: str) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()

    return {
        snake(mapper.class_.__name__): mapper.class_
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, TenantMixin)
    }


def area_of_blueprint() -> dict[str, str]:
    """Blueprint name -> the installed area that contributes it."""
    return {areas.resolve(reference).name: area.name for area in areas.installed() for reference in area.blueprints}


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


def routes(app, slug: str, ids: dict[str, int]):
    """(endpoint, method, url) for every workspace route, filled with ``slug`` and the given record ids."""
    adapter = app.url_map.bind("localhost")
    owners = area_of_blueprint()
    models = tenant_models()
    for rule in workspace_rules(app):
        area = owners.get(rule.endpoint.partition(".")[0], "?")
        values = {"slug": slug}
        for argument in rule.arguments - {"slug"}:
            assert argument.endswith("_id"), f"{rule.rule} ({area}): name record arguments <thing>_id"
            thing = argument.removesuffix("_id")
            assert thing in models, f"{rule.rule} ({area}): {thing!r} is not a tenant model"
            assert thing in ids, (
                f"{rule.rule}: no {thing} record to try; seed one in the {area!r} area's test_seed "
                f"(partnership_hub/{area}/area.py)"
            )
            values[argument] = ids[thing]
        url = adapter.build(rule.endpoint, values)
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, method, url


def urls_for(app, slug: str, ids: dict[str, int]):
    """(method, url) for every workspace route (``routes``)."""
    for _, method, url in routes(app, slug, ids):
        yield method, url


def fetch(client, method: str, url: str, **kwargs):
    """The response with its whole body read: streamed bodies (CSV) run to the end, and an error
    half-way through one fails here rather than somewhere later."""
    response = client.open(url, method=method, **kwargs)
    response.get_data()
    response.close()
    return response


# The route walk's seed admits the survivor advisor to what areas gate by admission (the advisory area
# makes them the board's chair), so those pages are walked as them; everyone else may get a 404 there.
ADMITTED_ROLE = "survivor_advisor"


def admitted_only(endpoint: str) -> bool:
    """Does an area answer 404 on ``endpoint`` to members it has not admitted (``Area.admitted_only``)?"""
    patterns = [pattern for area in areas.installed() for pattern in area.admitted_only]
    return any(endpoint.startswith(p[:-1]) if p.endswith("*") else endpoint == p for p in patterns)
