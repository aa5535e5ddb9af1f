"""Tables of the advisory area's requests section: requests for an advisor's time addressed to the
board, their delivery to the people on it, and each person's monthly limit.

A request is addressed to the board, never to a named advisor (members do not see advisors' names). It
is delivered, when it is filed, to every board member with room under their monthly limit; with nobody
left it is stored ``at_capacity`` and reaches nobody. Each delivery is answered by its board member;
only an acceptance shows the requester who answered.

Composite foreign keys on ``(partnership_id, id)`` keep a delivery and a limit inside the partnership of
their request and person, whatever a form sends."""

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
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin, text_enum, utcnow
from partnership_hub.extensions import Model

__all__ = [
    "ParticipationLimit",
    "ParticipationRequest",
    "RequestDelivery",
    "RequestKind",
    "RequestStatus",
    "DeliveryStatus",
]


class RequestKind(enum.StrEnum):
    REVIEW = "review"
    TALK = "talk"
    PANEL = "panel"
    MEETING = "meeting"
    OTHER = "other"


class RequestStatus(enum.StrEnum):
    """Where a request stands. ``OPEN``: delivered, waiting for answers. ``ACCEPTED``: as many advisors
    as wanted accepted, or every answer is in and someone accepted. ``DECLINED``: everyone it reached
    declined. ``AT_CAPACITY``: nobody on the board had room this month, so it reached nobody."""

    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    AT_CAPACITY = "at_capacity"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class ParticipationRequest(TenantMixin, TimestampMixin, Model):
    """A request for an advisor's time (a review, a talk, a panel, a meeting), addressed to the board."""

    __tablename__ = "participation_requests"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        CheckConstraint("hours > 0 AND hours <= 40", name="hours"),
        CheckConstraint("advisors_wanted BETWEEN 1 AND 5", name="advisors_wanted"),
        # No amount and no currency: "per the board's rates".
        CheckConstraint(
            "(pay_amount IS NULL AND pay_currency IS NULL) OR (pay_amount >= 0 AND pay_currency IS NOT NULL)",
            name="pay",
        ),
        # The requester's own list, newest first; the coordinators' list by status, newest first.
        Index("ix_participation_requests_requester", "partnership_id", "requested_by_membership_id", "id"),
        Index("ix_participation_requests_status", "partnership_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(text_enum(RequestKind, "participation_request_kind"))
    title: Mapped[str] = mapped_column(String(200))
    ask: Mapped[str] = mapped_column(Text)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    needed_on: Mapped[date]
    pay_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    pay_currency: Mapped[str | None] = mapped_column(String(3))
    advisors_wanted: Mapped[int] = mapped_column(SmallInteger, default=1)
    status: Mapped[RequestStatus] = mapped_column(
        text_enum(RequestStatus, "participation_request_status"), default=RequestStatus.OPEN
    )
    # Kept when the requester leaves the partnership: the board's record of what it was asked.
    requested_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<ParticipationRequest {self.id}>"


class RequestDelivery(TenantMixin, TimestampMixin, Model):
    """A request as it reached one board member (``created_at``: when), and their answer."""

    __tablename__ = "request_deliveries"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        UniqueConstraint("request_id", "membership_id"),
        ForeignKeyConstraint(
            ["partnership_id", "request_id"],
            ["participation_requests.partnership_id", "participation_requests.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"], ["memberships.partnership_id", "memberships.id"], ondelete="CASCADE"
        ),
        CheckConstraint("(status = 'pending') = (answered_at IS NULL)", name="answered"),
        # A person's deliveries this month (the limit) and their pending ones (the inbox, "Your work").
        Index("ix_request_deliveries_member_created", "partnership_id", "membership_id", "created_at"),
        Index("ix_request_deliveries_member_status", "partnership_id", "membership_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int]
    membership_id: Mapped[int]
    status: Mapped[DeliveryStatus] = mapped_column(
        text_enum(DeliveryStatus, "request_delivery_status"), default=DeliveryStatus.PENDING
    )
    answered_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")  # to the requester, with the answer

    def __repr__(self) -> str:
        return f"<RequestDelivery {self.id}>"


class ParticipationLimit(TenantMixin, Model):
    """How many requests a month a board member takes (no row: ``requests.DEFAULT_LIMIT``; 0: none)."""

    __tablename__ = "participation_limits"
    __table_args__ = (
        UniqueConstraint("partnership_id", "membership_id"),
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"], ["memberships.partnership_id", "memberships.id"], ondelete="CASCADE"
        ),
        CheckConstraint("monthly_limit BETWEEN 0 AND 20", name="monthly_limit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int]
    monthly_limit: Mapped[int] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ParticipationLimit {self.id}>"
