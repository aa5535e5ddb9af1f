"""Helpers for the member-directory tests."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.members.models import Organization


@pytest.fixture
def coordinator(login_as):
    """A client signed in as the home partnership's coordinator (most directory tests edit)."""
    return login_as("coordinator")


@pytest.fixture
def base(world):
    return f"/p/{world.home.slug}"


def organizations(app, partnership_id: int) -> list[Organization]:
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        rows = list(db.session.scalars(select(Organization).order_by(Organization.id)))
        for row in rows:
            _ = row.ps, [(s.sector_key, s.custom_sector_id) for s in row.sectors], list(row.representatives)
        db.session.expunge_all()
        return rows


def audit_entries(app, partnership_id: int) -> list[tuple[str, str, int | None, dict]]:
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        return [
            (e.action, e.target_type, e.target_id, e.details)
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
