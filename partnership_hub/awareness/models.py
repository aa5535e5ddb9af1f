"""Tables of the awareness area: the partnership's own awareness days (with their date rule), the
toolkit's days it does not observe, its settings, and campaign plans for a day in a given year.

The toolkit's days are reference data (``toolkit.AWARENESS_DAYS``), never rows: a partnership hides the
ones it does not observe (``awareness_hidden_days``). A campaign plan names its day either by the
toolkit key or by the custom day's id (exactly one; a check says so).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.awareness.rules import RuleKind
from partnership_hub.db import TenantMixin, TimestampMixin, text_enum, utcnow
from partnership_hub.extensions import Model

__all__ = ["AwarenessDay", "AwarenessHiddenDay", "AwarenessSettings", "CampaignPlan"]

DEFAULT_LEAD_DAYS = 14


class AwarenessDay(TenantMixin, TimestampMixin, Model):
    """A day (or month) the partnership observes that the toolkit does not list, with its date rule."""

    __tablename__ = "awareness_days"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        ForeignKeyConstraint(["partnership_id", "base_day_id"], ["awareness_days.partnership_id", "awareness_days.id"]),
        CheckConstraint("month IS NULL OR month BETWEEN 1 AND 12", name="month"),
        CheckConstraint("day IS NULL OR day BETWEEN 1 AND 31", name="day"),
        CheckConstraint("weekday IS NULL OR weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("nth IS NULL OR nth BETWEEN 1 AND 5 OR nth = -1", name="nth"),
        CheckConstraint("offset_days BETWEEN -180 AND 180", name="offset_days"),
        CheckConstraint("base_key IS NULL OR base_day_id IS NULL", name="one_base"),
        Index("ix_awareness_days_partnership_id_name", "partnership_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[RuleKind] = mapped_column(text_enum(RuleKind, "awareness_rule_kind"))
    month: Mapped[int | None] = mapped_column(SmallInteger)
    day: Mapped[int | None] = mapped_column(SmallInteger)
    weekday: Mapped[int | None] = mapped_column(SmallInteger)
    nth: Mapped[int | None] = mapped_column(SmallInteger)
    on_date: Mapped[date | None]
    base_key: Mapped[str | None] = mapped_column(String(60))  # OFFSET from a toolkit day
    base_day_id: Mapped[int | None]  # OFFSET from one of the partnership's own days
    offset_days: Mapped[int] = mapped_column(SmallInteger, default=0)
    created_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<AwarenessDay {self.id}>"


class AwarenessHiddenDay(TenantMixin, Model):
    """A toolkit day this partnership does not observe (hidden from its calendar and notices)."""

    __tablename__ = "awareness_hidden_days"
    __table_args__ = (UniqueConstraint("partnership_id", "day_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day_key: Mapped[str] = mapped_column(String(60))

    def __repr__(self) -> str:
        return f"<AwarenessHiddenDay {self.day_key}>"


class AwarenessSettings(TenantMixin, Model):
    """The partnership's awareness settings (one row, created on first change): how many days ahead a
    day is announced and shown as coming up."""

    __tablename__ = "awareness_settings"
    __table_args__ = (
        UniqueConstraint("partnership_id"),
        CheckConstraint("lead_days BETWEEN 1 AND 120", name="lead_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_days: Mapped[int] = mapped_column(SmallInteger, default=DEFAULT_LEAD_DAYS)

    def __repr__(self) -> str:
        return f"<AwarenessSettings {self.partnership_id}>"


class CampaignPlan(TenantMixin, TimestampMixin, Model):
    """A plan for one awareness day in one year: its owner, tasks (action items), a linked funding
    opportunity, and afterwards its outcome."""

    __tablename__ = "campaign_plans"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        ForeignKeyConstraint(
            ["partnership_id", "awareness_day_id"],
            ["awareness_days.partnership_id", "awareness_days.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "funding_opportunity_id"],
            ["funding_opportunities.partnership_id", "funding_opportunities.id"],
        ),
        CheckConstraint("(day_key IS NULL) <> (awareness_day_id IS NULL)", name="one_day"),
        CheckConstraint("year BETWEEN 2000 AND 2200", name="year"),
        Index("ix_campaign_plans_partnership_id_year", "partnership_id", "year", "id"),
        Index("ix_campaign_plans_owner", "partnership_id", "owner_membership_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day_key: Mapped[str | None] = mapped_column(String(60))  # a toolkit day
    awareness_day_id: Mapped[int | None]  # or one of the partnership's own
    year: Mapped[int] = mapped_column(SmallInteger)
    title: Mapped[str] = mapped_column(String(200))
    owner_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    funding_opportunity_id: Mapped[int | None]
    goal_text: Mapped[str] = mapped_column(Text, default="")  # what the campaign is for
    outcome: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<CampaignPlan {self.id}>"
