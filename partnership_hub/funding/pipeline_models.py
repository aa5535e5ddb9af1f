"""Tables of the funding area's pipeline: funding opportunities (grants, revenue, giving) and the goals
each would fund.

An opportunity is ``Confidential``: coordinators choose its level (an application's amounts and
funders can be sensitive), and every list, total, export and digest filters with the layer's clause.
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
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.confidentiality import Confidential
from partnership_hub.db import TenantMixin, TimestampMixin, text_enum, utcnow
from partnership_hub.extensions import Model

__all__ = ["STATUS_LABELS", "FundingOpportunity", "FundingOpportunityGoal", "FundingStatus"]


class FundingStatus(enum.StrEnum):
    IDEA = "idea"
    RESEARCHING = "researching"
    APPLYING = "applying"
    SUBMITTED = "submitted"
    AWARDED = "awarded"
    DECLINED = "declined"
    REPORTING = "reporting"
    CLOSED = "closed"


STATUS_LABELS: dict[FundingStatus, str] = {
    FundingStatus.IDEA: "Idea",
    FundingStatus.RESEARCHING: "Researching",
    FundingStatus.APPLYING: "Applying",
    FundingStatus.SUBMITTED: "Submitted",
    FundingStatus.AWARDED: "Awarded",
    FundingStatus.DECLINED: "Declined",
    FundingStatus.REPORTING: "Reporting",
    FundingStatus.CLOSED: "Closed",
}


class FundingOpportunity(Confidential, TenantMixin, TimestampMixin, Model):
    """A source of money the partnership is pursuing or has: a grant, program revenue, a giving drive."""

    __tablename__ = "funding_opportunities"
    confidential_kind = "funding_opportunity"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        ForeignKeyConstraint(
            ["partnership_id", "lead_organization_id"], ["organizations.partnership_id", "organizations.id"]
        ),
        CheckConstraint("amount_asked IS NULL OR amount_asked >= 0", name="asked_not_negative"),
        CheckConstraint("amount_awarded IS NULL OR amount_awarded >= 0", name="awarded_not_negative"),
        # The board: a status column, in its order (position), then by id.
        Index("ix_funding_opportunities_board", "partnership_id", "status", "position", "id"),
        # Deadlines coming up (your work, the digest, the calendar): index ranges.
        Index("ix_funding_opportunities_application", "partnership_id", "application_deadline"),
        Index("ix_funding_opportunities_report", "partnership_id", "report_deadline"),
        Index("ix_funding_opportunities_owner", "partnership_id", "owner_membership_id", "status"),
        # The totals: the years shown (six) are an index range; on PostgreSQL every column the totals and the
        # visibility rule read rides along, so the aggregate is an index-only scan (migration 0036).
        Index(
            "ix_funding_opportunities_totals",
            "partnership_id",
            "fiscal_year",
            postgresql_include=[
                "source_type",
                "currency",
                "status",
                "amount_asked",
                "amount_awarded",
                "confidentiality",
                "author_membership_id",
                "id",
            ],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    funder: Mapped[str] = mapped_column(String(200), default="")
    source_type: Mapped[str] = mapped_column(String(40))  # a toolkit.FUNDING_TYPES key
    status: Mapped[FundingStatus] = mapped_column(
        text_enum(FundingStatus, "funding_status"), default=FundingStatus.IDEA
    )
    position: Mapped[int] = mapped_column(default=0)  # order within its status column
    amount_asked: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    amount_awarded: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    application_deadline: Mapped[date | None]
    report_deadline: Mapped[date | None]
    fiscal_year: Mapped[int | None] = mapped_column(SmallInteger)  # the year it counts in (totals)
    lead_organization_id: Mapped[int | None]
    owner_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    author_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<FundingOpportunity {self.id}>"


# The table, newest application deadline first and those without one last, then by id
# (``pipeline.opportunities_page``'s order): its page is a LIMIT walk of this index, not a sort of every
# opportunity of the partnership. PostgreSQL only, like the goals' title index: SQLite cannot reflect an
# expression index (the migration test compares schemas), and the embedded default's pipelines are small.
Index(
    "ix_funding_opportunities_list",
    FundingOpportunity.partnership_id,
    FundingOpportunity.application_deadline.is_(None),
    FundingOpportunity.application_deadline.desc(),
    FundingOpportunity.id.desc(),
).ddl_if(dialect="postgresql")


class FundingOpportunityGoal(TenantMixin, Model):
    """A goal an opportunity would fund (both of this partnership: composite keys)."""

    __tablename__ = "funding_opportunity_goals"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "opportunity_id"],
            ["funding_opportunities.partnership_id", "funding_opportunities.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(["partnership_id", "goal_id"], ["goals.partnership_id", "goals.id"], ondelete="CASCADE"),
        UniqueConstraint("opportunity_id", "goal_id"),
        Index("ix_funding_opportunity_goals_goal", "partnership_id", "goal_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int]
    goal_id: Mapped[int]

    def __repr__(self) -> str:
        return f"<FundingOpportunityGoal {self.opportunity_id}:{self.goal_id}>"
