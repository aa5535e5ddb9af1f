"""Goals, their measurable objectives and the history of progress on them.

Progress updates are append-only: a new value is a new row, so the history is never lost.
Links inside a partnership use composite (partnership_id, id) foreign keys.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partnership_hub import toolkit
from partnership_hub.confidentiality import Confidential, Level
from partnership_hub.db import TenantMixin, TimestampMixin, text_enum, utcnow
from partnership_hub.extensions import Model, db


class Horizon(enum.StrEnum):
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


class GoalStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


# The levels live in the confidentiality layer; goals keep the name their code and templates use.
Confidentiality = Level

# What people read for each value (forms, pages, exports).
P_LABELS: dict[str, str] = {choice.key: choice.label for choice in toolkit.PS}
HORIZON_LABELS: dict[Horizon, str] = {
    Horizon.SHORT: "Short term",
    Horizon.MEDIUM: "Medium term",
    Horizon.LONG: "Long term",
}
STATUS_LABELS: dict[GoalStatus, str] = {
    GoalStatus.PROPOSED: "Proposed",
    GoalStatus.ACTIVE: "Active",
    GoalStatus.ON_HOLD: "On hold",
    GoalStatus.ACHIEVED: "Achieved",
    GoalStatus.DROPPED: "Dropped",
}
CONFIDENTIALITY_LABELS: dict[Confidentiality, str] = {
    Confidentiality.WORKSPACE: "Everyone in the workspace",
    Confidentiality.LEADERSHIP: "Coordinators only",
    Confidentiality.ADVISORY: "The survivor advisory board, the people it admits and the people named below",
    Confidentiality.PRIVATE: "Only the author and people named below",
}


def MEMBER_FK() -> ForeignKey:  # noqa: N802 - reads as a constant at the call sites
    return ForeignKey("memberships.id", ondelete="SET NULL")


class Goal(Confidential, TenantMixin, TimestampMixin, Model):
    __tablename__ = "goals"
    confidential_kind = "goal"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        CheckConstraint("start_date IS NULL OR target_date IS NULL OR start_date <= target_date", name="dates_ordered"),
        # Stalled goals (active, last activity before the cutoff) as one range, oldest first: the
        # report's list is a LIMIT walk of it, the attention counts stop early.
        Index("ix_goals_partnership_id_status_last_activity_at", "partnership_id", "status", "last_activity_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    horizon: Mapped[Horizon] = mapped_column(text_enum(Horizon, "horizon"))
    ps: Mapped[list[str]] = mapped_column(db.JSON, default=list)  # toolkit.PS keys
    status: Mapped[GoalStatus] = mapped_column(text_enum(GoalStatus, "goal_status"), default=GoalStatus.PROPOSED)
    # People are memberships; when someone leaves, the goal stays and the link becomes NULL. (A
    # composite key can't SET NULL one column portably, so the services check the partnership.)
    owner_membership_id: Mapped[int | None] = mapped_column(MEMBER_FK(), index=True)
    author_membership_id: Mapped[int | None] = mapped_column(MEMBER_FK())
    start_date: Mapped[date | None]
    target_date: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The instant of the goal's last activity (progress.last_activity_at: its last post, else its start
    # date's first moment in the partnership's time zone, else when it was added). The services keep
    # it in the same transaction as every change; the stalled rule's SQL form reads it.
    last_activity_at: Mapped[datetime] = mapped_column()

    objectives: Mapped[list[Objective]] = relationship(
        back_populates="goal",
        cascade="all, delete-orphan",
        order_by="Objective.position",
        primaryjoin="and_(Goal.id == Objective.goal_id, Goal.partnership_id == Objective.partnership_id)",
        foreign_keys="[Objective.partnership_id, Objective.goal_id]",
        overlaps="goal",
    )

    def __repr__(self) -> str:
        return f"<Goal {self.id}>"


class GoalLeadOrganization(TenantMixin, Model):
    __tablename__ = "goal_lead_organizations"
    __table_args__ = (
        ForeignKeyConstraint(["partnership_id", "goal_id"], ["goals.partnership_id", "goals.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("goal_id", "organization_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int]
    organization_id: Mapped[int] = mapped_column(index=True)


class GoalEndorsement(TenantMixin, TimestampMixin, Model):
    """An organization shows support for a proposed goal (one per organization), through one of
    the workspace members who represent it."""

    __tablename__ = "goal_endorsements"
    __table_args__ = (
        ForeignKeyConstraint(["partnership_id", "goal_id"], ["goals.partnership_id", "goals.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("goal_id", "organization_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int]
    organization_id: Mapped[int] = mapped_column(index=True)
    membership_id: Mapped[int | None] = mapped_column(MEMBER_FK(), index=True)  # who endorsed for it


class Objective(TenantMixin, TimestampMixin, Model):
    """A measurable objective: a metric with a unit, a baseline, a target and a due date. The
    current value is the latest progress update (the baseline until there is one)."""

    __tablename__ = "objectives"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        ForeignKeyConstraint(["partnership_id", "goal_id"], ["goals.partnership_id", "goals.id"], ondelete="CASCADE"),
        CheckConstraint("target <> baseline", name="target_differs"),
        # A goal's objectives in their order (pages, the report, the objective picker).
        Index("ix_objectives_goal_id_position", "goal_id", "position", "id"),
        # A goal's last post (the stalled rule's max(last_update_at)) as one index-only probe.
        Index("ix_objectives_partnership_id_goal_id_last_update_at", "partnership_id", "goal_id", "last_update_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(40))
    baseline: Mapped[float] = mapped_column(Float)
    target: Mapped[float] = mapped_column(Float)
    current_value: Mapped[float] = mapped_column(Float)
    due_date: Mapped[date | None]
    owner_membership_id: Mapped[int | None] = mapped_column(MEMBER_FK(), index=True)
    position: Mapped[int] = mapped_column(default=0)
    last_update_at: Mapped[datetime | None]

    goal: Mapped[Goal] = relationship(
        back_populates="objectives",
        primaryjoin="and_(Goal.id == Objective.goal_id, Goal.partnership_id == Objective.partnership_id)",
        foreign_keys="[Objective.partnership_id, Objective.goal_id]",
        overlaps="objectives",
    )

    def __repr__(self) -> str:
        return f"<Objective {self.id}>"


class ProgressUpdate(TenantMixin, TimestampMixin, Model):
    """One posted value for an objective. Never edited or deleted: the history is the record."""

    __tablename__ = "progress_updates"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "objective_id"], ["objectives.partnership_id", "objectives.id"], ondelete="CASCADE"
        ),
        # An objective's updates by day: the report's range and "the last value before/in it" are index probes.
        Index("ix_progress_updates_objective_id_recorded_on", "objective_id", "recorded_on", "id"),
        # "Any progress posted?" (the setup guide) as a LIMIT walk in id order.
        Index("ix_progress_updates_partnership_id_id", "partnership_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int]
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_on: Mapped[date]
    author_membership_id: Mapped[int | None] = mapped_column(MEMBER_FK())

    def __repr__(self) -> str:
        return f"<ProgressUpdate {self.id}>"


@event.listens_for(Goal, "before_insert")
def _added_is_last_activity(_mapper: Any, _connection: Any, goal: Goal) -> None:
    """A goal inserted without a last activity (seeds, tests) starts from the moment it was added;
    the services set the exact value (a start date needs the partnership's time zone)."""
    if goal.last_activity_at is None:
        goal.created_at = goal.created_at or utcnow()
        goal.last_activity_at = goal.created_at
