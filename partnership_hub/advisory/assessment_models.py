"""Tables of the advisory area's assessment section: the trauma-informed self-assessment.

A round (``trauma_assessments``) is the partnership rating itself once, say every spring: one score
0-4 per key area and principle (``assessment_ratings``, keys from ``toolkit.TRAUMA_INFORMED_AREAS`` and
``toolkit.TRAUMA_INFORMED_PRINCIPLES``; the database stores keys, never labels) and, per area, notes
and next steps (``assessment_area_notes``). One round is in progress at a time (a partial unique
index); a completed round is read-only (the services refuse every change to it).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin, utcnow
from partnership_hub.extensions import Model

__all__ = ["AssessmentAreaNote", "AssessmentRating", "TraumaAssessment"]

KEY_LENGTH = 40


class TraumaAssessment(TenantMixin, TimestampMixin, Model):
    """One round of the self-assessment ("Spring 2026"): in progress while ``completed_on`` is null."""

    __tablename__ = "trauma_assessments"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        CheckConstraint("completed_on IS NULL OR completed_on >= started_on", name="period"),
        # One round in progress per partnership; the service checks first, under the partnership's lock.
        Index(
            "uq_trauma_assessments_in_progress",
            "partnership_id",
            unique=True,
            sqlite_where=text("completed_on IS NULL"),
            postgresql_where=text("completed_on IS NULL"),
        ),
        # The rounds list and the comparison: the newest completed rounds first (a LIMIT walk).
        Index("ix_trauma_assessments_completed", "partnership_id", "completed_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    started_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    started_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    completed_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))

    @property
    def completed(self) -> bool:
        return self.completed_on is not None

    def __repr__(self) -> str:
        return f"<TraumaAssessment {self.id}>"


class AssessmentRating(TenantMixin, Model):
    """A round's score for one key area against one principle: 0 (not yet considered) to 4 (embedded).
    No row: not rated yet."""

    __tablename__ = "assessment_ratings"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "assessment_id"],
            ["trauma_assessments.partnership_id", "trauma_assessments.id"],
            ondelete="CASCADE",
        ),
        # One score per area and principle in a round; also the index every read of a round walks.
        UniqueConstraint(
            "partnership_id", "assessment_id", "area_key", "principle_key", name="uq_assessment_ratings_cell"
        ),
        CheckConstraint("score BETWEEN 0 AND 4", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int]
    area_key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    principle_key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    score: Mapped[int] = mapped_column(SmallInteger)

    def __repr__(self) -> str:
        return f"<AssessmentRating {self.id}>"


class AssessmentAreaNote(TenantMixin, Model):
    """A round's notes and next steps for one key area, and who saved the area last and when (a row
    exists once the area has been saved, even with both texts empty)."""

    __tablename__ = "assessment_area_notes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "assessment_id"],
            ["trauma_assessments.partnership_id", "trauma_assessments.id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("partnership_id", "assessment_id", "area_key", name="uq_assessment_area_notes_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int]
    area_key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    notes: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    updated_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<AssessmentAreaNote {self.id}>"
