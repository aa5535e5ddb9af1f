"""Writing the audit log, and what the other areas and the home page ask of it.

Entries are written in the same transaction as the change they describe and hold ids only — never
titles or other text a confidential record carries; the feed looks titles up when it is shown
(``audit/queries.py``).
"""

from __future__ import annotations

from typing import Any

from partnership_hub import areas
from partnership_hub.audit import queries
from partnership_hub.audit.models import AuditEntry
from partnership_hub.context import WorkspaceContext
from partnership_hub.extensions import db

HOME_ENTRIES = 8


def record(ctx: WorkspaceContext, action: str, target_type: str, target_id: int | None, **details: Any) -> AuditEntry:
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


def action_labels() -> dict[str, str]:
    """What each audited action says in the feed, from every installed area (``Area.audit_labels``)."""
    return areas.audit_labels()


def home_activity_panel(ctx: WorkspaceContext, values: dict[str, Any]) -> dict[str, Any] | None:
    """Home panel: the latest activity the person may see, as the activity page shows it (nothing counted)."""
    return {"activity": queries.latest(ctx, HOME_ENTRIES)}
