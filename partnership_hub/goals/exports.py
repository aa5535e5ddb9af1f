"""The goals CSV exports: goals, objectives and progress updates the viewer may read.

Each export is a header and rows for ``web.toolkit.csv_response`` (which guards every cell and
streams). The statements are built inside the request, where the viewer is known; the rows are read
as the download streams (``csv_response`` binds a fresh session to the partnership), each statement
its own cursor read a batch at a time (``streaming.streams``). So an export is complete, memory stays
flat, and the statements are the same whatever the partnership's size: objectives and updates are one
statement each (the names are joined); goals three (the goals with their owners' names, their
objectives, their organizations), merged per goal as they stream, each goal's row built by the
overview's own ``queries.goal_row``. Rows are read as plain columns, never ORM objects (a 400,000-row
export would build a million of them). Each export notes what it shows for the access log
(``confidentiality.note_reads_of``: one entry per goal above ``workspace``, written in one
statement after the request).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, literal, select, union_all

from partnership_hub import confidentiality
from partnership_hub.accounts.models import User
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.goals import queries
from partnership_hub.goals.models import (
    HORIZON_LABELS,
    P_LABELS,
    STATUS_LABELS,
    Goal,
    GoalEndorsement,
    GoalLeadOrganization,
    Objective,
    ProgressUpdate,
)
from partnership_hub.goals.progress import AsOf, objective_is_overdue, objective_progress, percent
from partnership_hub.members.models import Organization
from partnership_hub.streaming import Children, streams
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


def goals_table(ctx: WorkspaceContext, today: date | None = None) -> Table:
    """The goals the viewer may read, with progress and flags: three statements whatever their number
    (the goals with their owners' names, their objectives, their organizations), merged as they stream."""
    as_of = AsOf.of(ctx, today)
    stmt = queries.where_visible(select(Goal), ctx).order_by(*GOAL_ORDER)
    confidentiality.note_reads_of(Goal, stmt)
    # Plain rows, not ORM objects, each column named as the attribute the rules read (a rule wanting a
    # column the rows lack fails loudly). The objectives and organizations are the same goals (FROM,
    # filter, order) joined to them, so they come grouped by goal in the goals' order.
    goals = _with_name(
        stmt.with_only_columns(*GOAL_COLUMNS, maintain_column_froms=True),
        Goal.owner_membership_id,
        queries.Names(ctx),
        "owner_name",
    )
    objectives = queries.where_visible(
        select(*OBJECTIVE_COLUMNS).join(Goal, Goal.id == Objective.goal_id), ctx
    ).order_by(*GOAL_ORDER, Objective.position, Objective.id)
    organizations = _organizations_stmt(ctx)

    def rows() -> Iterator[list[object]]:
        with streams(scoped(goals), scoped(objectives), organizations) as (goals_read, objectives_read, links_read):
            objectives_of = Children(objectives_read, "goal_id")
            organizations_of = Children(links_read, "goal_id")
            goal: Any
            for goal in goals_read:
                leads: list[str] = []
                endorsed: list[str] = []
                for organization in organizations_of.of(goal.id):
                    (leads if organization.kind == "lead" else endorsed).append(organization.name)
                people = {} if goal.owner_name is None else {goal.owner_membership_id: goal.owner_name}
                row = queries.goal_row(goal, objectives_of.of(goal.id), as_of, people, leads, endorsed)
                yield [
                    goal.title,
                    HORIZON_LABELS[goal.horizon],
                    "; ".join(P_LABELS[p] for p in goal.ps or [] if p in P_LABELS),
                    STATUS_LABELS[goal.status],
                    goal.confidentiality.value,
                    row.owner_name,
                    "; ".join(row.lead_organizations),
                    "; ".join(row.endorsed_by),
                    _iso(goal.start_date),
                    _iso(goal.target_date),
                    "" if row.percent is None else row.percent,
                    len(row.objectives),
                    _yes_no(row.overdue),
                    _yes_no(row.stalled),
                ]
            objectives_of.finish()
            organizations_of.finish()

    return GOALS_HEADER, rows()


GOAL_ORDER = (func.lower(Goal.title), Goal.id)  # the file's order (the index on (partnership_id, lower(title), id))
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
# What ``queries.goal_row`` reads of an objective (progress, met, overdue, stalled, its owner).
OBJECTIVE_COLUMNS = (
    Objective.goal_id,
    Objective.baseline,
    Objective.target,
    Objective.current_value,
    Objective.last_update_at,
    Objective.due_date,
    Objective.owner_membership_id,
)


def _organizations_stmt(ctx: WorkspaceContext) -> Select:
    """(goal_id, kind, name): the organizations leading ("lead") and endorsing ("endorsed") each goal the
    viewer may read, in the goals' order (``GOAL_ORDER``); the names are sorted per goal in Python."""

    def linked(model: type[GoalLeadOrganization] | type[GoalEndorsement], kind: str) -> Select:
        return queries.where_visible(
            select(
                func.lower(Goal.title).label("title_key"),
                model.goal_id.label("goal_id"),
                literal(kind).label("kind"),
                Organization.name.label("name"),
            )
            .join(Goal, Goal.id == model.goal_id)
            .join(Organization, Organization.id == model.organization_id),
            ctx,
        )

    # A UNION can't go through scoped() (a Select helper); the session scopes every statement anyway.
    both = union_all(linked(GoalLeadOrganization, "lead"), linked(GoalEndorsement, "endorsed")).subquery()
    return select(both.c.goal_id, both.c.kind, both.c.name).order_by(both.c.title_key, both.c.goal_id)


def _with_name(stmt: Select, membership_id: Any, names: queries.Names, label: str = "name") -> Select:
    """``stmt`` with the name of the person ``membership_id`` points at (or NULL) as ``label``, the
    masking rule applied."""
    return (
        stmt.add_columns(names.label().label(label))
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
        with streams(scoped(stmt)) as (result,):
            # Each row carries the goal's status and the objective's values under the models' names,
            # so the rule reads it as it reads a goal and an objective (and fails loudly if it ever
            # wants a column the row lacks).
            row: Any
            for row in result:
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
        with streams(scoped(stmt)) as (result,):
            for goal_title, title, recorded_on, value, unit, note, author in result:
                yield [goal_title, title, _iso(recorded_on), value, unit, note, author or ""]

    return UPDATES_HEADER, rows()
