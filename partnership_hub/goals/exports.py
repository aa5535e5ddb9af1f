"""The goals CSV exports: goals, objectives and progress updates the viewer may read.

Each export is a header and rows for ``web.toolkit.csv_response`` (which guards every cell and
streams). The statements are built inside the request, where the viewer is known; the rows are read
as the download streams (``csv_response`` binds a fresh session to the partnership), ``BATCH`` at a
time (``GOALS_BATCH`` goals). So an export is complete, and memory stays flat whatever the partnership's
size. Objectives and updates are one statement each (the names are joined); goals add two per batch (objectives,
and organizations with names). Rows are read as plain columns, never ORM objects (a 400,000-row export
would build a million of them). Each export notes what it shows for the access log
(``confidentiality.note_reads_of``: one entry per goal above ``workspace``, written in one
statement after the request).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, func, select

from partnership_hub import confidentiality
from partnership_hub.accounts.models import User
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.goals import queries
from partnership_hub.goals.models import HORIZON_LABELS, P_LABELS, STATUS_LABELS, Goal, Objective, ProgressUpdate
from partnership_hub.goals.progress import (
    AsOf,
    goal_is_overdue,
    goal_is_stalled,
    goal_progress,
    objective_is_overdue,
    objective_progress,
    percent,
)
from partnership_hub.workspaces.models import Membership

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


def _batches(stmt: Select, size: int | None = None) -> Iterator[Sequence[Row[Any]]]:
    """The rows of ``stmt``, read ``size`` (``BATCH``) at a time (a server-side cursor on PostgreSQL)."""
    result = db.session.execute(scoped(stmt).execution_options(yield_per=size or queries.BATCH))
    try:
        yield from result.partitions()
    finally:
        # A download that stops half way (or is never read) closes the generator: close the cursor
        # with it, not when the garbage collector gets to it.
        result.close()


def goals_table(ctx: WorkspaceContext, today: date | None = None) -> Table:
    """The goals the viewer may read, with progress and flags (per batch: the goals, their
    objectives, and one statement for organizations and owners' names)."""
    as_of = AsOf.of(ctx, today)
    names = queries.Names(ctx)
    stmt = queries.where_visible(select(Goal), ctx).order_by(func.lower(Goal.title), Goal.id)
    confidentiality.note_reads_of(Goal, stmt)
    # Plain rows, not ORM objects: the goal's columns the file and the rules read, and per batch its
    # objectives' values in the overview's order (``position, id``: the mean sums in that order). The
    # rules (``goal_is_overdue``, ``goal_is_stalled``) read these rows as they read the models: each
    # column is named as the attribute (a rule wanting a column the rows lack fails loudly).
    stmt = stmt.with_only_columns(*GOAL_COLUMNS, maintain_column_froms=True)

    def rows() -> Iterator[list[object]]:
        for batch in _batches(stmt, queries.GOALS_BATCH):
            goals: list[Any] = list(batch)
            ids = [goal.id for goal in goals]
            objectives: dict[int, list[Any]] = defaultdict(list)
            for objective in db.session.execute(scoped(_objectives_stmt(ids))):
                objectives[objective.goal_id].append(objective)
            links = queries._links(ids, names.select(goal.owner_membership_id for goal in goals))
            for goal in goals:
                of_goal = objectives.get(goal.id, [])
                progress = goal_progress([objective_progress(o.baseline, o.target, o.current_value) for o in of_goal])
                yield [
                    goal.title,
                    HORIZON_LABELS[goal.horizon],
                    "; ".join(P_LABELS[p] for p in goal.ps or [] if p in P_LABELS),
                    STATUS_LABELS[goal.status],
                    goal.confidentiality.value,
                    queries.name_of(links.people, goal.owner_membership_id),
                    "; ".join(links.leads.get(goal.id, [])),
                    "; ".join(sorted((name for _id, name in links.endorsed.get(goal.id, [])), key=str.lower)),
                    _iso(goal.start_date),
                    _iso(goal.target_date),
                    "" if progress is None else percent(progress),
                    len(of_goal),
                    _yes_no(goal_is_overdue(goal, as_of.today)),
                    _yes_no(goal_is_stalled(goal, of_goal, as_of)),
                ]

    return GOALS_HEADER, rows()


GOAL_COLUMNS = (
    Goal.id,
    Goal.title,
    Goal.horizon,
    Goal.ps,
    Goal.status,
    Goal.confidentiality,
    Goal.owner_membership_id,
    Goal.start_date,
    Goal.target_date,
    Goal.created_at,
)


def _objectives_stmt(goal_ids: list[int]) -> Select:
    """The values of the objectives of ``goal_ids`` that progress and the stalled rule read."""
    return (
        select(
            Objective.goal_id, Objective.baseline, Objective.target, Objective.current_value, Objective.last_update_at
        )
        .where(Objective.goal_id.in_(goal_ids))
        .order_by(Objective.position, Objective.id)
    )


def _with_name(stmt: Select, membership_id: Any, names: queries.Names) -> Select:
    """``stmt`` with the name of the person ``membership_id`` points at (or NULL), the masking rule applied."""
    return (
        stmt.add_columns(names.label())
        .outerjoin(Membership, Membership.id == membership_id)
        .outerjoin(User, User.id == Membership.user_id)
    )


def objectives_table(ctx: WorkspaceContext, today: date | None = None) -> Table:
    """Every objective of the goals the viewer may read, with its owner's name (one statement)."""
    today = today or ctx.today()
    stmt = queries.where_visible(select(Objective, Goal).join(Goal, Goal.id == Objective.goal_id), ctx).order_by(
        func.lower(Goal.title), Goal.id, Objective.position, Objective.id
    )
    confidentiality.note_reads_of(Goal, stmt)
    # Plain rows of just the columns the file shows (the same FROM, filter and order): no ORM objects.
    stmt = _with_name(
        stmt.with_only_columns(
            Goal.title,
            Goal.status,
            Objective.title,
            Objective.metric,
            Objective.unit,
            Objective.baseline,
            Objective.target,
            Objective.current_value,
            Objective.due_date,
            maintain_column_froms=True,
        ),
        Objective.owner_membership_id,
        queries.Names(ctx),
    )

    def rows() -> Iterator[list[object]]:
        for batch in _batches(stmt):
            # Each row carries the goal's status and the objective's values under the models' names,
            # so the rule reads it as it reads a goal and an objective (and fails loudly if it ever
            # wants a column the row lacks).
            judged: Sequence[Any] = batch
            for row in judged:
                goal_title, _status, title, metric, unit, baseline, target, current, due, owner = row
                yield [
                    goal_title,
                    title,
                    metric,
                    unit,
                    baseline,
                    target,
                    current,
                    percent(objective_progress(baseline, target, current)),
                    _iso(due),
                    owner or "",
                    _yes_no(objective_is_overdue(row, row, today)),
                ]

    return OBJECTIVES_HEADER, rows()


def updates_table(ctx: WorkspaceContext) -> Table:
    """Every progress update on the goals the viewer may read, oldest first, with its author's name
    (one statement)."""
    stmt = queries.where_visible(
        select(ProgressUpdate, Objective, Goal)
        .join(Objective, Objective.id == ProgressUpdate.objective_id)
        .join(Goal, Goal.id == Objective.goal_id),
        ctx,
    ).order_by(func.lower(Goal.title), Goal.id, Objective.position, ProgressUpdate.recorded_on, ProgressUpdate.id)
    confidentiality.note_reads_of(Goal, stmt)
    # Plain rows of just the columns the file shows (the same FROM, filter and order): no ORM objects.
    stmt = _with_name(
        stmt.with_only_columns(
            Goal.title,
            Objective.title,
            ProgressUpdate.recorded_on,
            ProgressUpdate.value,
            Objective.unit,
            ProgressUpdate.note,
            maintain_column_froms=True,
        ),
        ProgressUpdate.author_membership_id,
        queries.Names(ctx),
    )

    def rows() -> Iterator[list[object]]:
        for batch in _batches(stmt):
            for goal_title, title, recorded_on, value, unit, note, author in batch:
                yield [goal_title, title, _iso(recorded_on), value, unit, note, author or ""]

    return UPDATES_HEADER, rows()
