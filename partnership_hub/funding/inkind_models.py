"""Tables of the funding area's in-kind resources section: offers (staff time, student placements,
skills, space, goods), needs (a short request for something), and the matches coordinators make
between them.

Offers and needs are workspace records: everyone in the partnership reads them (no confidentiality
level). Records that point at each other use composite foreign keys on ``(partnership_id, id)`` (an
offer's organizations, a match's offer and need), so the database refuses a link into another
partnership even if a form smuggled its id in. People (who offers, who posted, who matched) are plain
keys that become NULL when the person leaves: the record stays.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin, text_enum, utcnow
from partnership_hub.extensions import Model

__all__ = ["InkindMatch", "InkindNeed", "InkindOffer", "NeedStatus", "OfferStatus"]


class OfferStatus(enum.StrEnum):
    AVAILABLE = "available"
    MATCHED = "matched"  # a coordinator matched it to a need
    IN_USE = "in_use"
    USED_UP = "used_up"
    WITHDRAWN = "withdrawn"


class NeedStatus(enum.StrEnum):
    OPEN = "open"
    MET = "met"
    CLOSED = "closed"  # no longer needed


class InkindOffer(TenantMixin, TimestampMixin, Model):
    """Something a member or an organization offers the partnership in kind."""

    __tablename__ = "inkind_offers"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        # Two keys into organizations: named, as the naming convention would give both the same name.
        ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name="fk_inkind_offers_organization",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "used_by_organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name="fk_inkind_offers_used_by_organization",
        ),
        CheckConstraint("hours IS NULL OR hours >= 0", name="hours_not_negative"),
        CheckConstraint(
            "available_from IS NULL OR available_until IS NULL OR available_from <= available_until",
            name="available_in_order",
        ),
        # The list: newest first, narrowed by status or by kind (ranges of these indexes).
        Index("ix_inkind_offers_status", "partnership_id", "status", "id"),
        Index("ix_inkind_offers_kind", "partnership_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # a toolkit.IN_KIND_TYPES key
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    quantity: Mapped[str] = mapped_column(String(200), default="")  # "2 rooms, Tuesdays"
    available_from: Mapped[date | None]
    available_until: Mapped[date | None]
    status: Mapped[OfferStatus] = mapped_column(
        text_enum(OfferStatus, "inkind_offer_status"), default=OfferStatus.AVAILABLE
    )
    organization_id: Mapped[int | None]  # the organization offering it
    used_by_organization_id: Mapped[int | None]  # who uses it
    offered_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    author_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<InkindOffer {self.id}>"


class InkindNeed(TenantMixin, TimestampMixin, Model):
    """A short request for something in kind, posted by a member or a coordinator."""

    __tablename__ = "inkind_needs"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        Index("ix_inkind_needs_status", "partnership_id", "status", "id"),
        Index("ix_inkind_needs_kind", "partnership_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    details: Mapped[str] = mapped_column(Text, default="")  # what is needed
    kind: Mapped[str | None] = mapped_column(String(40))  # a toolkit.IN_KIND_TYPES key, or none
    needed_by: Mapped[date | None]
    status: Mapped[NeedStatus] = mapped_column(text_enum(NeedStatus, "inkind_need_status"), default=NeedStatus.OPEN)
    posted_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<InkindNeed {self.id}>"


class InkindMatch(TenantMixin, TimestampMixin, Model):
    """An offer matched to a need by a coordinator (both of this partnership: composite keys)."""

    __tablename__ = "inkind_matches"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        UniqueConstraint("offer_id", "need_id"),
        ForeignKeyConstraint(
            ["partnership_id", "offer_id"], ["inkind_offers.partnership_id", "inkind_offers.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["partnership_id", "need_id"], ["inkind_needs.partnership_id", "inkind_needs.id"], ondelete="CASCADE"
        ),
        # A need's matches (its page); an offer's are a range of the unique (offer_id, need_id).
        Index("ix_inkind_matches_need", "partnership_id", "need_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int]
    need_id: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")
    matched_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<InkindMatch {self.offer_id}:{self.need_id}>"
