"""The action plan's items. One model for the whole product: goals and objectives link to it here;
the meetings area will add the meeting and agenda item an action came from."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin, text_enum, utcnow
from partnership_hub.extensions import Model
from partnership_hub.goals.models import Goal


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class ActionItem(TenantMixin, TimestampMixin, Model):
    __tablename__ = "action_items"
    __table_args__ = (
        ForeignKeyConstraint(["partnership_id", "goal_id"], ["goals.partnership_id", "goals.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(
            ["partnership_id", "objective_id"], ["objectives.partnership_id", "objectives.id"], ondelete="CASCADE"
        ),
        # The meeting and agenda item an action came from (the meetings area). No ON DELETE action: SET
        # NULL would null partnership_id too, and the item outlives its meeting, so the meetings services
        # clear these links before removing a meeting or an agenda item.
        ForeignKeyConstraint(["partnership_id", "meeting_id"], ["meetings.partnership_id", "meetings.id"]),
        ForeignKeyConstraint(["partnership_id", "agenda_item_id"], ["agenda_items.partnership_id", "agenda_items.id"]),
        # The awareness campaign a task belongs to (the awareness area clears it before removing a plan).
        ForeignKeyConstraint(
            ["partnership_id", "campaign_plan_id"], ["campaign_plans.partnership_id", "campaign_plans.id"]
        ),
        # The action plan's unlinked items, soonest due first (NULLS LAST is a btree's ascending order):
        # the plan's last group is a LIMIT scan of this index (``services._page_keys``).
        Index(
            "ix_action_items_unlinked_due_date",
            "partnership_id",
            "due_date",
            "id",
            postgresql_where=text("goal_id IS NULL"),
            sqlite_where=text("goal_id IS NULL"),
        ),
        # The home's "Your work": one person's unfinished items soonest due first, a LIMIT walk per
        # status (``services.your_work_items``), and their capped count, at any size of the plan.
        Index("ix_action_items_your_work", "partnership_id", "assignee_membership_id", "status", "due_date", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    goal_id: Mapped[int | None] = mapped_column(index=True)
    objective_id: Mapped[int | None] = mapped_column(index=True)
    meeting_id: Mapped[int | None] = mapped_column(index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(index=True)
    campaign_plan_id: Mapped[int | None] = mapped_column(index=True)
    # When the assignee leaves, the item stays and becomes unassigned.
    assignee_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"), index=True
    )
    due_date: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        text_enum(ActionStatus, "action_status"),
        default=ActionStatus.OPEN,
    )
    completed_at: Mapped[datetime | None]
    created_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ActionItem {self.id}>"


# The action plan walks a partnership's goals by title (``services._page_keys``); declared here, with
# the page that needs it, as the goals' own indexes are the goals area's.
# PostgreSQL only: SQLite cannot reflect an expression index (the migration test compares schemas), and
# the embedded default's partnerships are small.
Index("ix_goals_partnership_id_lower_title", Goal.partnership_id, func.lower(Goal.title), Goal.id).ddl_if(
    dialect="postgresql"
)
