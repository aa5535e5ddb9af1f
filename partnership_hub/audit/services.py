"""Writing and reading the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from partnership_hub.accounts.models import User
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import scoped
from partnership_hub.extensions import db

ACTION_LABELS = {
    "partnership.created": "created the partnership",
    "member.joined": "joined",
    "member.role_changed": "changed a role",
    "member.removed": "removed a member",
    "member.left": "left the partnership",
    "invitation.sent": "invited someone",
    "invitation.resent": "resent an invitation",
    "invitation.revoked": "revoked an invitation",
    "organization.created": "added an organization",
    "organization.updated": "updated an organization",
    "organization.archived": "archived an organization",
    "organization.restored": "restored an organization",
    "representative.added": "added a representative",
    "representative.removed": "removed a representative",
    "custom_sector.created": "added a sector",
    "custom_sector.updated": "changed a sector",
    "custom_sector.deleted": "deleted a sector",
    "linked_network.created": "added a linked network",
    "linked_network.updated": "updated a linked network",
    "linked_network.deleted": "removed a linked network",
    "resource.created": "added a service to the resource map",
    "resource.updated": "updated a service on the resource map",
    "resource.deleted": "removed a service from the resource map",
    "setup.marked": "marked a setup-guide question as addressed",
    "setup.unmarked": "reopened a setup-guide question",
    "profile.updated": "updated the partnership profile",
    "planning.member_added": "added someone to the planning team",
    "planning.member_removed": "took someone off the planning team",
    "directory_editor.granted": "let a member edit the directory",
    "directory_editor.revoked": "stopped a member editing the directory",
    "orientation.item_added": "added an orientation step",
    "orientation.item_updated": "edited an orientation step",
    "orientation.item_archived": "archived an orientation step",
    "orientation.item_restored": "restored an orientation step",
    "orientation.item_moved": "reordered the orientation checklist",
    "goal.created": "added a goal",
    "goal.updated": "updated a goal",
    "goal.status_changed": "changed a goal's status",
    "goal.achieved": "marked a goal as achieved",
    "goal.endorsed": "endorsed a goal for their organization",
    "goal.viewed": "read a restricted goal",
    "objective.created": "added an objective",
    "objective.updated": "updated an objective",
    "progress.posted": "posted progress on an objective",
    "goals.stalled_after_changed": "changed when goals count as stalled",
    "action_item.created": "added an action item",
    "action_item.updated": "updated an action item",
    "action_item.status_changed": "changed an action item's status",
    "action_item.deleted": "removed an action item",
}


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
