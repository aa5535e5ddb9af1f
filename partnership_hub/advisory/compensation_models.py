"""Tables of the advisory area's compensation section: pay rates (for a role on the board or for one
person) and the log of payments owed and paid to advisors.

Amounts are ``Numeric(12, 2)`` beside an ISO 4217 code (``partnership_hub.money``). A rate is a
history: a change is a new row from a later ``effective_from``, so what applied on any day stays on
record; the rate in effect is the latest that has started, a person's own rate before their role's.
A payment keeps the payee's name as it was when recorded (``payee_name``), so the bookkeeping record
outlives the person's membership (removing someone from the partnership sets ``membership_id`` to
NULL and leaves the payment).
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin, text_enum
from partnership_hub.extensions import Model

__all__ = [
    "METHOD_LABELS",
    "PERIOD_LABELS",
    "RATE_KIND_LABELS",
    "STATUS_LABELS",
    "AdvisorPayment",
    "AdvisoryRate",
    "PaymentMethod",
    "PaymentStatus",
    "RateKind",
    "RatePeriod",
]


class RateKind(enum.StrEnum):
    HOURLY = "hourly"
    PER_MEETING = "per_meeting"
    STIPEND = "stipend"
    GIFT_CARD = "gift_card"
    IN_KIND = "in_kind"


RATE_KIND_LABELS: dict[RateKind, str] = {
    RateKind.HOURLY: "Hourly",
    RateKind.PER_MEETING: "Per meeting",
    RateKind.STIPEND: "Stipend",
    RateKind.GIFT_CARD: "Gift card",
    RateKind.IN_KIND: "In kind",
}


class RatePeriod(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


PERIOD_LABELS: dict[RatePeriod, str] = {
    RatePeriod.MONTH: "a month",
    RatePeriod.QUARTER: "a quarter",
    RatePeriod.YEAR: "a year",
}


class PaymentMethod(enum.StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CHECK = "check"
    CASH = "cash"
    GIFT_CARD = "gift_card"
    IN_KIND = "in_kind"
    PAYROLL = "payroll"
    OTHER = "other"


METHOD_LABELS: dict[PaymentMethod, str] = {
    PaymentMethod.BANK_TRANSFER: "Bank transfer",
    PaymentMethod.CHECK: "Check",
    PaymentMethod.CASH: "Cash",
    PaymentMethod.GIFT_CARD: "Gift card",
    PaymentMethod.IN_KIND: "In kind",
    PaymentMethod.PAYROLL: "Payroll",
    PaymentMethod.OTHER: "Other",
}


class PaymentStatus(enum.StrEnum):
    OWED = "owed"
    PAID = "paid"


STATUS_LABELS: dict[PaymentStatus, str] = {PaymentStatus.OWED: "Owed", PaymentStatus.PAID: "Paid"}


class AdvisoryRate(TenantMixin, TimestampMixin, Model):
    """What a role on the board, or one person, is paid from ``effective_from``: an amount per hour, per
    meeting, per stipend period, a gift card's value, or something in kind (described, no amount)."""

    __tablename__ = "advisory_rates"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        ForeignKeyConstraint(
            ["partnership_id", "role_id"], ["advisory_roles.partnership_id", "advisory_roles.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"], ["memberships.partnership_id", "memberships.id"], ondelete="CASCADE"
        ),
        # One rate per role or person and start day; the rate in effect is an index probe on these.
        UniqueConstraint("partnership_id", "role_id", "effective_from"),
        UniqueConstraint("partnership_id", "membership_id", "effective_from"),
        CheckConstraint("(role_id IS NULL) <> (membership_id IS NULL)", name="one_subject"),
        CheckConstraint("(kind = 'stipend') = (period IS NOT NULL)", name="stipend_period"),
        CheckConstraint("(kind = 'in_kind') = (amount IS NULL)", name="amount_unless_in_kind"),
        CheckConstraint("(amount IS NULL) = (currency IS NULL)", name="currency_with_amount"),
        CheckConstraint("amount IS NULL OR amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int | None]
    membership_id: Mapped[int | None]
    kind: Mapped[RateKind] = mapped_column(text_enum(RateKind, "rate_kind"))
    period: Mapped[RatePeriod | None] = mapped_column(text_enum(RatePeriod, "rate_period"))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    description: Mapped[str] = mapped_column(Text, default="")
    effective_from: Mapped[date] = mapped_column(Date)
    recorded_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<AdvisoryRate {self.id}>"


class AdvisorPayment(TenantMixin, TimestampMixin, Model):
    """A payment owed or made to someone for their work with the partnership: for what, the day of the
    work, the amount and currency, how it is paid and, once paid, when."""

    __tablename__ = "advisor_payments"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
        CheckConstraint("(status = 'paid') = (paid_on IS NOT NULL)", name="paid_on_when_paid"),
        # The log, newest work first, and its year filter; one person's payments; what is owed.
        Index("ix_advisor_payments_work_date", "partnership_id", "work_date", "id"),
        Index("ix_advisor_payments_membership", "partnership_id", "membership_id", "work_date", "id"),
        Index("ix_advisor_payments_status", "partnership_id", "status", "work_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL once the person has left the partnership: the payment stays on the books under ``payee_name``.
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    payee_name: Mapped[str] = mapped_column(String(120))
    for_what: Mapped[str] = mapped_column(String(300))
    work_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[PaymentMethod] = mapped_column(text_enum(PaymentMethod, "payment_method"))
    status: Mapped[PaymentStatus] = mapped_column(
        text_enum(PaymentStatus, "payment_status"), default=PaymentStatus.OWED
    )
    paid_on: Mapped[date | None] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(120), default="")  # a check number, a transfer reference
    recorded_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<AdvisorPayment {self.id}>"
