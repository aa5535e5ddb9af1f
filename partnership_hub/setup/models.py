"""Setup-guide records: the questions a coordinator marked as addressed, and the answers and notes
coordinators recorded against the toolkit's questions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
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


class SetupGuideAnswer(TenantMixin, Model):
    """The partnership's answer to a setup-guide question, or a note on it, as a coordinator recorded
    it. Append-only: a newer answer shows in place of the older ones, which are kept."""

    __tablename__ = "setup_guide_answers"
    __table_args__ = (Index("ix_setup_guide_answers_partnership_id_item_key_id", "partnership_id", "item_key", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_key: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:  # no text: answers may be sensitive
        return f"<SetupGuideAnswer {self.id}>"
