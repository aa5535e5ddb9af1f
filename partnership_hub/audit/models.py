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
    __table_args__ = (Index("ix_audit_entries_partnership_id_created_at", "partnership_id", "created_at"),)

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
