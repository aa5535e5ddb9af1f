"""The goals CSV exports: goals, objectives and progress updates the viewer may read.

Each export is a header and rows for ``web.toolkit.csv_response`` (which guards every cell and
streams). The rows are read from the database when an export is called, inside the request (the
session is closed by the time the download streams); only the formatting waits for the download.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import func, select

from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.goals import queries
from partnership_hub.goals.models import HORIZON_LABELS, P_LABELS, STATUS_LABELS, Goal, Objective, ProgressUpdate
from partnership_hub.goals.progress import objective_is_overdue, objective_progress, percent

Table = tuple[list[str], Iterable[Sequence[object]]]

GOALS_HEADER = [
    "Goal",
    "Horizon",
    "Ps",
    "Status",
    "Confidentiality",
    "Owner",
    "Lead organizations",
    "Endorsed by",
    "Start date",
    "Target date",
    "Progress %",
    "Objectives",
    "Overdue",
    "Stalled",
]
OBJECTIVES_HEADER = [
    "Goal",
    "Objective",
    "Metric",
    "Unit",
    "Baseline",
    "Target",
    "Current value",
    "Progress %",
    "Due date",
    "Owner",
    "Overdue",
]
UPDATES_HEADER = ["Goal", "Objective", "Date", "Value", "Unit", "Note", "Posted by"]


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def goals_table(ctx: WorkspaceContext, today: date | None = None) -> Table:
    """The goals the viewer may read, with progress and flags (the overview's four queries)."""
    overview = queries.goals_overview(ctx, queries.GoalFilters(), today)
    rows = (
        [
            r.goal.title,
            HORIZON_LABELS[r.goal.horizon],
            "; ".join(P_LABELS[p] for p in r.goal.ps or [] if p in P_LABELS),
            STATUS_LABELS[r.goal.status],
            r.goal.confidentiality.value,
            r.owner_name,
            "; ".join(r.lead_organizations),
            "; ".join(r.endorsed_by),
            _iso(r.goal.start_date),
            _iso(r.goal.target_date),
            "" if r.percent is None else r.percent,
            len(r.objectives),
            _yes_no(r.overdue),
            _yes_no(r.stalled),
        ]
        for r in overview.rows
    )
    return GOALS_HEADER, rows


def objectives_table(ctx: WorkspaceContext, today: date | None = None) -> Table:
    """Every objective of the goals the viewer may read (two queries)."""
    today = today or ctx.today()
    people = queries.people_names(ctx)
    stmt = queries.where_visible(select(Objective, Goal).join(Goal, Goal.id == Objective.goal_id), ctx).order_by(
        func.lower(Goal.title), Goal.id, Objective.position, Objective.id
    )
    result = db.session.execute(scoped(stmt)).all()
    rows = (
        [
            goal.title,
            o.title,
            o.metric,
            o.unit,
            o.baseline,
            o.target,
            o.current_value,
            percent(objective_progress(o.baseline, o.target, o.current_value)),
            _iso(o.due_date),
            queries.name_of(people, o.owner_membership_id),
            _yes_no(objective_is_overdue(goal, o, today)),
        ]
        for o, goal in result
    )
    return OBJECTIVES_HEADER, rows


def updates_table(ctx: WorkspaceContext) -> Table:
    """Every progress update on the goals the viewer may read, oldest first (two queries)."""
    people = queries.people_names(ctx)
    stmt = queries.where_visible(
        select(ProgressUpdate, Objective, Goal)
        .join(Objective, Objective.id == ProgressUpdate.objective_id)
        .join(Goal, Goal.id == Objective.goal_id),
        ctx,
    ).order_by(func.lower(Goal.title), Goal.id, Objective.position, ProgressUpdate.recorded_on, ProgressUpdate.id)
    result = db.session.execute(scoped(stmt)).all()
    rows = (
        [
            goal.title,
            o.title,
            _iso(u.recorded_on),
            u.value,
            o.unit,
            u.note,
            queries.name_of(people, u.author_membership_id),
        ]
        for u, o, goal in result
    )
    return UPDATES_HEADER, rows
