"""Tables of the governance area's guidelines section: the partnership's governance documents (the
partnership agreement and the governance guidelines), their versions, and who acknowledged which version.

A version is a draft until it is published; a published version is never changed (the services refuse,
and no route offers it). A document has at most one draft (a partial unique index) and its published
versions are numbered 1, 2, ... (unique per document); ``GuidelineDocument.current_number`` is the
newest published one, so "the current version" is one primary-key-like probe.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin, utcnow
from partnership_hub.extensions import Model

__all__ = ["GuidelineAcknowledgement", "GuidelineDocument", "GuidelineVersion"]

DOCUMENT_KINDS = ("agreement", "guidelines")  # toolkit.GOVERNANCE_DOCUMENTS' keys
COORDINATION_KEYS = ("sole", "shared")  # toolkit.COORDINATION_MODELS' keys


class GuidelineDocument(TenantMixin, TimestampMixin, Model):
    """One of the partnership's governance documents (``kind``: the agreement or the guidelines)."""

    __tablename__ = "guideline_documents"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        UniqueConstraint("partnership_id", "kind"),
        CheckConstraint("kind IN ('agreement', 'guidelines')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    current_number: Mapped[int | None]  # the newest published version's number

    def __repr__(self) -> str:
        return f"<GuidelineDocument {self.id}>"


class GuidelineVersion(TenantMixin, TimestampMixin, Model):
    """A version of a document: the draft (``number`` and ``published_at`` empty) or a published one."""

    __tablename__ = "guideline_versions"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        ForeignKeyConstraint(
            ["partnership_id", "document_id"],
            ["guideline_documents.partnership_id", "guideline_documents.id"],
            ondelete="CASCADE",
        ),
        # History by number, and "the current version" (document, number) as an index probe.
        UniqueConstraint("partnership_id", "document_id", "number"),
        # One draft at a time per document.
        Index(
            "uq_guideline_versions_one_draft",
            "partnership_id",
            "document_id",
            unique=True,
            postgresql_where=text("published_at IS NULL"),
            sqlite_where=text("published_at IS NULL"),
        ),
        CheckConstraint("(number IS NULL) = (published_at IS NULL)", name="numbered_when_published"),
        CheckConstraint(
            "meeting_every_weeks IS NULL OR meeting_every_weeks BETWEEN 1 AND 52", name="frequency_in_range"
        ),
        CheckConstraint(
            "coordination_model IS NULL OR coordination_model IN ('sole', 'shared')", name="coordination_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int]
    number: Mapped[int | None]
    member_input: Mapped[str] = mapped_column(Text, default="")
    meeting_every_weeks: Mapped[int | None]
    meeting_notes: Mapped[str] = mapped_column(Text, default="")
    dispute_resolution: Mapped[str] = mapped_column(Text, default="")
    coordination_model: Mapped[str | None] = mapped_column(String(20))
    coordination_notes: Mapped[str] = mapped_column(Text, default="")
    decision_making: Mapped[str] = mapped_column(Text, default="")
    created_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]
    published_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<GuidelineVersion {self.id}>"


class GuidelineAcknowledgement(TenantMixin, Model):
    """``membership_id`` read and accepted ``version_id`` (once: unique per version and person)."""

    __tablename__ = "guideline_acknowledgements"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "version_id"],
            ["guideline_versions.partnership_id", "guideline_versions.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            ondelete="CASCADE",
        ),
        # "Has this person acknowledged this version?" and "who has not" are probes of this key.
        UniqueConstraint("partnership_id", "version_id", "membership_id"),
        # A person's acknowledgements (the newest they acknowledged of a document).
        Index("ix_guideline_acknowledgements_membership", "partnership_id", "membership_id", "version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int]
    membership_id: Mapped[int]
    acknowledged_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<GuidelineAcknowledgement {self.id}>"
