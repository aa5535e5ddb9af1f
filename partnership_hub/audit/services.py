"""Writing and reading the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from partnership_hub import areas
from partnership_hub.accounts.models import User
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import scoped
from partnership_hub.extensions import db


def record(ctx, action: str, target_type: str, target_id: int | None, **details: Any) -> AuditEntry:
    """Add an audit entry to the current transaction (it commits or rolls back with the change)."""
    entry = AuditEntry(
        partnership_id=ctx.partnership.id,
        actor_id=ctx.user.id if ctx.user else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
    db.session.add(entry)
    return entry


def people_named(entries: list[AuditEntry]) -> dict[int, str]:
    """Names of the people the entries are about (one query), for showing who was affected."""
    ids = {entry.details.get("user_id") for entry in entries if entry.details} - {None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).tuples().all())


def recent_entries(ctx, limit: int = 50) -> list[AuditEntry]:
    """The partnership's latest audit entries, newest first, with their actors (one query)."""
    stmt = (
        select(AuditEntry)
        .options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(scoped(stmt)))


def action_labels() -> dict[str, str]:
    """What each audited action says in the feed, from every installed area (``Area.audit_labels``)."""
    return areas.audit_labels()


def home_activity_panel(ctx, values: dict[str, Any]) -> dict[str, Any] | None:
    """Home panel: the latest activity, for people who may read the feed."""
    entries = recent_entries(ctx, limit=8)
    return {"activity": entries, "people": people_named(entries), "action_labels": action_labels()}
