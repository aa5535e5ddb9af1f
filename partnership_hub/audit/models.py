"""The audit log table. Entries are written in the same transaction as the change they describe."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partnership_hub.accounts.models import User
from partnership_hub.db import TenantMixin, TimestampMixin
from partnership_hub.extensions import Model


class AuditEntry(TenantMixin, TimestampMixin, Model):
    __tablename__ = "audit_entries"
    # Each matches a read of the feed newest first, so a page is a LIMIT down an index: the whole
    # feed, one kind of record (an area's filter) and one person's doings (the person filter). The
    # first carries actor_id so "the people active lately" is an index-only read of the newest end
    # (otherwise a generic plan may prefer the actor index, read all of it and sort).
    __table_args__ = (
        Index(
            "ix_audit_entries_partnership_id_created_at_id",
            "partnership_id",
            "created_at",
            "id",
            postgresql_include=["actor_id"],
        ),
        Index("ix_audit_entries_partnership_id_target_type", "partnership_id", "target_type", "created_at", "id"),
        Index("ix_audit_entries_partnership_id_actor_id", "partnership_id", "actor_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    # Identifiers and role names only: never confidential text.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action}>"
