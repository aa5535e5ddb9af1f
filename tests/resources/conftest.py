"""Helpers for the resource map tests: adding resources directly and reading them back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.resources.models import CommunityResource

VALID = {
    "organization_name": "Safe Harbor Shelter",
    "service_type": "shelter",
    "area_served": "Denver metro",
    "languages": "English, Spanish",
    "hours": "24/7",
    "contact": "(303) 555-0100",
    "website": "https://safeharbor.example.org/",
    "trafficking_specific": "y",
    "notes": "Call ahead.",
}


def add_resources(app, partnership, *rows: dict) -> list[int]:
    """Insert resources for ``partnership`` (defaults filled in); returns their ids."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        resources = [
            CommunityResource(**{"service_type": "other", **row, "partnership_id": partnership.id}) for row in rows
        ]
        db.session.add_all(resources)
        db.session.commit()
        return [r.id for r in resources]


def resources_of(app, partnership) -> list[dict]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        rows = db.session.scalars(select(CommunityResource).order_by(CommunityResource.id))
        return [
            {c.name: getattr(r, c.name) for c in CommunityResource.__table__.columns if c.name != "updated_at"}
            for r in rows
        ]


def audit_of(app, partnership) -> list[tuple[str, str, int | None, dict]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.target_type, e.target_id, e.details) for e in entries if e.action.startswith("resource.")]


@pytest.fixture
def base(world) -> str:
    return f"/p/{world.home.slug}/resources"
