"""Setup-guide marks: the questions a coordinator marked as addressed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partnership_hub.accounts.models import User
from partnership_hub.db import TenantMixin, utcnow
from partnership_hub.extensions import Model


class SetupGuideMark(TenantMixin, Model):
    """A coordinator marked a setup-guide question as addressed (for the ones data can't show)."""

    __tablename__ = "setup_guide_marks"
    __table_args__ = (UniqueConstraint("partnership_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(String(60))
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    marked_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<SetupGuideMark {self.id}>"
