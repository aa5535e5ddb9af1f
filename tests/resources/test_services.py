"""The resource map's rules, called as tasks and the CLI would call them."""

from __future__ import annotations

import pytest

from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import is_web_address, spreadsheet_cell
from partnership_hub.resources import services
from partnership_hub.resources.services import ResourceFilters
from partnership_hub.workspaces.services import context_for
from tests.resources.conftest import VALID, audit_of, resources_of


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("https://example.org", True),
        ("http://example.org/path?q=1#x", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("https://example.org:8443/", True),
        ("javascript:alert(1)", False),
        ("data:text/html,hi", False),
        ("//example.org", False),
        ("example.org", False),
        ("https://localhost", False),
        ("https://exa\tmple.org", False),
        ("https://example.org\n", False),
        ("http://[::1", False),
    ],
)
def test_valid_website(value, ok):
    assert is_web_address(value) is ok


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1 303 555 0100", "'+1 303 555 0100"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("Plain = text", "Plain = text"),
        ("", ""),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert spreadsheet_cell(value) == expected


def test_service_refuses_what_the_form_would_and_writes_nothing(app, world):
    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        for change, field in (
            ({"organization_name": ""}, "organization_name"),
            ({"service_type": "bogus"}, "service_type"),
            ({"website": "javascript:x"}, "website"),
            ({"hours": "h" * 201}, "hours"),
            ({"notes": 42}, "notes"),
        ):
            with pytest.raises(ServiceError) as error:
                services.create_resource(ctx, {**VALID, **change})
            assert error.value.field == field
        db.session.commit()
    assert resources_of(app, world.home) == []
    assert audit_of(app, world.home) == []


def test_create_update_delete_record_audit_entries(app, world):
    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        resource = services.create_resource(ctx, {**VALID, "trafficking_specific": True})
        services.update_resource(ctx, resource, {**VALID, "trafficking_specific": False, "languages": "Somali"})
        rid = resource.id
        services.delete_resource(ctx, resource)
        db.session.commit()
    assert audit_of(app, world.home) == [
        ("resource.created", "community_resource", rid, {"service_type": "shelter"}),
        ("resource.updated", "community_resource", rid, {"fields": ["languages", "trafficking_specific"]}),
        ("resource.deleted", "community_resource", rid, {"service_type": "shelter"}),
    ]


def test_search_stays_inside_the_bound_partnership(app, world):
    with app.app_context():
        ctx = context_for(world.other.id, world.other.members["coordinator"].id)
        services.create_resource(ctx, {**VALID, "organization_name": "Theirs"})
        db.session.commit()
        ctx = context_for(world.home.id, world.user("coordinator").id)
        services.create_resource(ctx, {**VALID, "organization_name": "Ours"})
        db.session.commit()
        page = services.search_resources(ctx, ResourceFilters())
        assert [r.organization_name for r in page.items] == ["Ours"]
        assert page.total == 1
        exported = services.export_rows(ctx, ResourceFilters(), include_contacts=True)
        assert [row[0] for row in exported] == ["Ours"]


def test_demo_resources_are_valid_and_land_in_the_partnership(app, world):
    from partnership_hub.resources.demo_data import RESOURCES, seed_resources

    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        assert seed_resources(ctx) == len(RESOURCES) >= 12
        db.session.commit()
    rows = resources_of(app, world.home)
    assert len(rows) == len(RESOURCES)
    assert sum(r["trafficking_specific"] for r in rows) >= 7
    assert all("example.org" in r["website"] for r in rows)
