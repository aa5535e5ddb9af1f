"""Tables of the advisory area's consent section: what an advisor consented to share (their story, their
image, their name), for which use, from when until when, and where the material is used.

A consent is never edited after it is given, except to be withdrawn (``withdrawn_at``, by the advisor
alone); a change is a new consent. Its status — active, expired or withdrawn — is never stored: it is
derived when read by one SQL expression (``consent.effective_status``), so nothing flips a row at
midnight and every list, count and flag agrees.

The advisor's membership is a plain key that becomes NULL if they leave the partnership: the consent
(and the places its material is used, with their flags) stays on record for the coordinators who use
the material. The services only ever link people of the bound partnership.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin
from partnership_hub.extensions import Model

__all__ = ["ConsentUse", "StoryConsent"]


class StoryConsent(TenantMixin, TimestampMixin, Model):
    """An advisor's consent to share their story, image and/or name (at least one) for one use."""

    __tablename__ = "story_consents"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        CheckConstraint("shares_story OR shares_image OR shares_name", name="shares_something"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period"),
        CheckConstraint("withdrawal_note = '' OR withdrawn_at IS NOT NULL", name="note_on_withdrawal"),
        # An advisor's own consents, newest first.
        Index("ix_story_consents_partnership_id_membership", "partnership_id", "membership_id", "id"),
        # The register's status filter and the flags: ranges of (withdrawn?, end date).
        Index("ix_story_consents_partnership_id_status", "partnership_id", "withdrawn_at", "ends_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    shares_story: Mapped[bool] = mapped_column(Boolean, default=False)
    shares_image: Mapped[bool] = mapped_column(Boolean, default=False)
    shares_name: Mapped[bool] = mapped_column(Boolean, default=False)
    purpose: Mapped[str] = mapped_column(String(300))  # the use, e.g. "2027 awareness month video"
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)  # open-ended until withdrawn when NULL
    recorded_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None]
    withdrawal_note: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<StoryConsent {self.id}>"


class ConsentUse(TenantMixin, TimestampMixin, Model):
    """A place the material shared under a consent is used (a video, a report, a web page), recorded by a
    coordinator or the advisor: flagged for taking down once the consent is withdrawn or has ended."""

    __tablename__ = "consent_uses"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        ForeignKeyConstraint(
            ["partnership_id", "consent_id"], ["story_consents.partnership_id", "story_consents.id"], ondelete="CASCADE"
        ),
        CheckConstraint("uses_story OR uses_image OR uses_name", name="uses_something"),
        Index("ix_consent_uses_partnership_id_consent", "partnership_id", "consent_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    link: Mapped[str] = mapped_column(String(500), default="")  # an http(s) address, or empty
    uses_story: Mapped[bool] = mapped_column(Boolean, default=False)
    uses_image: Mapped[bool] = mapped_column(Boolean, default=False)
    uses_name: Mapped[bool] = mapped_column(Boolean, default=False)
    added_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<ConsentUse {self.id}>"
