"""The goals rules: progress, met, overdue and stalled — each written once as a Python predicate (for
records already loaded: the overview, a goal's page, the report) and once as a SQL clause (for lists
that filter in the database: the home's attention list), side by side so they cannot drift apart.
``tests/goals/test_rules.py`` proves the two forms agree on a table of cases.

The rules, judged on the partnership's calendar day (its time zone, never the server's):

* **Progress** of an objective is how far its current value has come from the baseline towards the
  target, 0–100 (a falling target works too: 40 → 25 on the way to 10 is half way). A goal's progress
  is the mean of its objectives'; a goal with no objectives has none.
* **Met**: an objective's current value has reached its target — at or above it for a rising target,
  at or below it for a falling one. Decided by comparing values, not rounded percentages.
* **Overdue**: a goal whose target date is before today and that is neither achieved nor dropped. An
  objective whose due date is before today, that is not met, under a goal neither achieved nor
  dropped. Due today is not overdue.
* **Stalled**: only active goals stall; achieved, dropped, proposed and on-hold goals never do. A
  goal's last activity is the day progress was last posted on any of its objectives; before any post,
  its start date, or the day it was added if it has none. It is stalled when that day is the
  partnership's ``stalled_after_days`` or more before today. (So a goal that started 60 days ago and
  has no posts is stalled, whenever it was typed in.) An objective that is not met, under an active
  goal, stalls the same way on its own posts; before any post it counts from the day it was added, or
  from its goal's start if that is later (an objective cannot have progress before it exists).

Posts are timestamps (``Objective.last_update_at``, UTC); "the day" of one is its date in the
partnership's time zone. SQL cannot portably convert time zones, so the SQL forms compare the
timestamp with the instant the partnership's next day begins (``AsOf.cutoff``), which is the same
test as comparing local dates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, not_, or_

from partnership_hub.goals.models import Goal, GoalStatus, Objective

if TYPE_CHECKING:
    from partnership_hub.context import WorkspaceContext

CLOSED = (GoalStatus.ACHIEVED, GoalStatus.DROPPED)
DEFAULT_STALLED_AFTER_DAYS = 30


@dataclass(frozen=True)
class AsOf:
    """The day the rules are judged on: the partnership's ``today``, its time zone, and how many days
    without a post make an active goal stalled."""

    today: date
    zone: ZoneInfo = ZoneInfo("UTC")
    stalled_after_days: int = DEFAULT_STALLED_AFTER_DAYS

    @classmethod
    def of(cls, ctx: WorkspaceContext, today: date | None = None) -> AsOf:
        """The rules' day for ``ctx``'s partnership: ``today`` (default: its today)."""
        return cls(today or ctx.today(), ctx.zone, ctx.partnership.stalled_after_days)

    @property
    def cutoff_day(self) -> date:
        """Last activity on or before this day is too old: the goal is stalled."""
        return self.today - timedelta(days=self.stalled_after_days)

    @property
    def cutoff(self) -> datetime:
        """``cutoff_day`` as an instant (UTC): a post before it fell on or before ``cutoff_day``."""
        return day_start(self.cutoff_day + timedelta(days=1), self.zone)

    def day_of(self, moment: datetime) -> date:
        """The partnership's calendar day at ``moment``."""
        return moment.astimezone(self.zone).date()


# --- progress --------------------------------------------------------------------------------------


def objective_progress(baseline: float, target: float, current: float) -> float:
    """How far ``current`` has come from ``baseline`` towards ``target``, 0–100 (decreasing
    targets work too: going from 40 to 10 is progress)."""
    span = target - baseline
    if span == 0:
        return 100.0 if current == target else 0.0
    return max(0.0, min(100.0, (current - baseline) / span * 100.0))


def goal_progress(progresses: list[float]) -> float | None:
    """The mean of a goal's objectives' progress; None for a goal with no objectives."""
    return sum(progresses) / len(progresses) if progresses else None


def percent(value: float | None) -> int | None:
    """A progress as a whole percent, halves rounded up (None stays None)."""
    return None if value is None else int(math.floor(value + 0.5))


# --- met -------------------------------------------------------------------------------------------


def reaches_target(baseline: float, target: float, value: float) -> bool:
    """Has ``value`` reached ``target`` coming from ``baseline`` (at or past it, in its direction)?"""
    if target > baseline:
        return value >= target
    if target < baseline:
        return value <= target
    return value == target


def is_met(objective: Objective) -> bool:
    """The objective's current value has reached its target."""
    return reaches_target(objective.baseline, objective.target, objective.current_value)


def met_clause() -> ColumnElement[bool]:
    """SQL twin of ``is_met`` for the ``Objective`` row in the query."""
    baseline, target, current = Objective.baseline, Objective.target, Objective.current_value
    return or_(
        and_(target > baseline, current >= target),
        and_(target < baseline, current <= target),
        and_(target == baseline, current == target),
    )


# --- overdue ---------------------------------------------------------------------------------------


def goal_is_overdue(goal: Goal, today: date) -> bool:
    """Past its target date and neither achieved nor dropped."""
    return goal.target_date is not None and goal.target_date < today and goal.status not in CLOSED


def goal_overdue_clause(today: date) -> ColumnElement[bool]:
    """SQL twin of ``goal_is_overdue`` for the ``Goal`` row in the query."""
    return and_(Goal.target_date.is_not(None), Goal.target_date < today, Goal.status.not_in(CLOSED))


def objective_is_overdue(goal: Goal, objective: Objective, today: date) -> bool:
    """Past its due date, not met, under a goal neither achieved nor dropped."""
    return (
        objective.due_date is not None
        and objective.due_date < today
        and goal.status not in CLOSED
        and not is_met(objective)
    )


def objective_overdue_clause(today: date) -> ColumnElement[bool]:
    """SQL twin of ``objective_is_overdue`` for the ``Objective`` row and its ``Goal`` in the query."""
    return and_(
        Objective.due_date.is_not(None), Objective.due_date < today, Goal.status.not_in(CLOSED), not_(met_clause())
    )


# --- stalled ---------------------------------------------------------------------------------------


def last_activity(goal: Goal, objectives: list[Objective], as_of: AsOf) -> date:
    """The day progress was last posted on the goal; before any post, its start date (or the day it
    was added)."""
    posted = [o.last_update_at for o in objectives if o.last_update_at]
    if posted:
        return as_of.day_of(max(posted))
    return goal.start_date or as_of.day_of(goal.created_at)


def goal_is_stalled(goal: Goal, objectives: list[Objective], as_of: AsOf) -> bool:
    """An active goal whose last activity is ``stalled_after_days`` or more before today."""
    return goal.status == GoalStatus.ACTIVE and last_activity(goal, objectives, as_of) <= as_of.cutoff_day


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The instant (UTC) ``day`` begins in ``zone``."""
    return datetime.combine(day, time.min, zone).astimezone(UTC)


def last_activity_at(goal: Goal, objectives: list[Objective], zone: ZoneInfo) -> datetime:
    """``last_activity`` as the instant stored in ``Goal.last_activity_at``: the last post; before any,
    the moment its start date begins in the partnership's time zone, or the moment it was added. Its
    day in that zone is ``last_activity``, so "that day is on or before ``cutoff_day``" is "that
    instant is before ``AsOf.cutoff``" — one range of an index on the stored column."""
    posted = [o.last_update_at for o in objectives if o.last_update_at]
    if posted:
        return max(posted)
    return day_start(goal.start_date, zone) if goal.start_date else goal.created_at


def goal_stalled_clause(as_of: AsOf) -> ColumnElement[bool]:
    """SQL twin of ``goal_is_stalled`` for the ``Goal`` row in the query: on the stored last activity
    (``last_activity_at``, kept by the services in the same transaction as each change), so the
    stalled goals are one range of the index on (partnership_id, status, last_activity_at, id)."""
    return and_(Goal.status == GoalStatus.ACTIVE, Goal.last_activity_at < as_of.cutoff)


def objective_last_activity(goal: Goal, objective: Objective, as_of: AsOf) -> date:
    """The day progress was last posted on the objective; before any post, the day it was added or
    its goal's start, whichever is later."""
    if objective.last_update_at:
        return as_of.day_of(objective.last_update_at)
    added = as_of.day_of(objective.created_at)
    return max(added, goal.start_date) if goal.start_date else added


def objective_is_stalled(goal: Goal, objective: Objective, as_of: AsOf) -> bool:
    """A not-met objective of an active goal whose last activity is ``stalled_after_days`` or more ago."""
    return (
        goal.status == GoalStatus.ACTIVE
        and not is_met(objective)
        and objective_last_activity(goal, objective, as_of) <= as_of.cutoff_day
    )


def objective_stalled_clause(as_of: AsOf) -> ColumnElement[bool]:
    """SQL twin of ``objective_is_stalled`` for the ``Objective`` row and its ``Goal`` in the query."""
    return and_(
        Goal.status == GoalStatus.ACTIVE,
        not_(met_clause()),
        case(
            (Objective.last_update_at.is_not(None), Objective.last_update_at < as_of.cutoff),
            else_=and_(
                Objective.created_at < as_of.cutoff,
                or_(Goal.start_date.is_(None), Goal.start_date <= as_of.cutoff_day),
            ),
        ),
    )
