"""What the goals area adds to the digests (``Area.digest``): goals that are stalled (no progress update for
the partnership's ``stalled_after_days``) or off track (past their target date, or with objectives past
their due date) for coordinators; the goals each member digest reader owns; the recent changes to goals,
their objectives and progress, merged per person. ONE statement; the rules are ``progress``'s SQL clauses,
so the digest says "stalled" exactly when the goals pages do."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import case, func, or_, select

from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.goals.models import STATUS_LABELS, Goal, GoalStatus, Objective
from partnership_hub.goals.progress import (
    CLOSED,
    AsOf,
    goal_overdue_clause,
    goal_stalled_clause,
    objective_overdue_clause,
)
from partnership_hub.notifications.digest import DigestBuild

SECTION = "goals"
GOALS_MAX = 100  # goals in one partnership's digests (those that need attention, changed or owned by a reader)
OPEN = (GoalStatus.PROPOSED, GoalStatus.ACTIVE, GoalStatus.ON_HOLD)
PHRASES = {
    "goal.created": "added the goal",
    "goal.updated": "updated the goal",
    "goal.status_changed": "changed the goal's status",
    "goal.achieved": "marked the goal achieved",
    "objective.created": "added an objective",
    "objective.updated": "updated an objective",
    "progress.posted": "posted progress",
}


def contribute(build: DigestBuild) -> None:
    """Goals that need attention, goals the member-digest readers own, and goals changed in the period."""
    build.section(SECTION, "Goals", order=20)
    changed: dict[int, list[Any]] = defaultdict(list)
    for change in build.changes():
        if change.action not in PHRASES:
            continue
        goal_id = change.target_id if change.target_type == "goal" else change.details.get("goal_id")
        if isinstance(goal_id, int):
            changed[goal_id].append(change)
    as_of = AsOf(build.today, build.ctx.zone, build.ctx.partnership.stalled_after_days)
    late_objectives = (
        select(func.count(Objective.id))
        .where(Objective.goal_id == Goal.id, objective_overdue_clause(build.today))
        .correlate(Goal)
        .scalar_subquery()
    )
    stalled = goal_stalled_clause(as_of)
    overdue = goal_overdue_clause(build.today)
    owned = Goal.owner_membership_id.in_(build.member_reader_ids) & Goal.status.in_(OPEN)
    attention = Goal.status.not_in(CLOSED) & or_(stalled, overdue, late_objectives > 0)
    stmt = (
        select(
            Goal.id,
            Goal.title,
            Goal.status,
            Goal.confidentiality,
            Goal.author_membership_id,
            Goal.owner_membership_id,
            Goal.target_date,
            Goal.last_activity_at,
            case((stalled, True), else_=False).label("stalled"),
            case((overdue, True), else_=False).label("overdue"),
            late_objectives.label("late_objectives"),
        )
        .where(or_(attention, owned, Goal.id.in_(sorted(changed))))
        .order_by(Goal.last_activity_at, Goal.id)
        .limit(GOALS_MAX)
    )
    for row in db.session.execute(scoped(stmt)).all():
        _add_goal(build, as_of, row, changed.get(row.id, []))


def _add_goal(build: DigestBuild, as_of: AsOf, row: Any, changes: list[Any]) -> None:
    needs_attention = bool(row.stalled or row.overdue or row.late_objectives)
    owner = row.owner_membership_id
    status = GoalStatus(row.status)
    link = build.link("goals.detail", goal_id=row.id)
    group = build.group(
        ("goal", row.id),
        SECTION,
        title=row.title,
        link=link,
        detail=f"{STATUS_LABELS[status]} · owned by {{person}}" if owner else STATUS_LABELS[status],
        person=owner,
        flag="Stalled" if row.stalled else ("Off track" if needs_attention else ""),
        seen=(build.seen(Goal, row.id, row.confidentiality, row.author_membership_id),),
        concerns=frozenset({owner}) if owner else frozenset(),
        coordinators=needs_attention,
    )
    for change in changes:
        group.change(change.actor_user_id, PHRASES[change.action], change.at)
    if row.stalled:
        last = row.last_activity_at.astimezone(as_of.zone).date()
        weeks = max((build.today - last) // timedelta(weeks=1), 1)
        text = f"No progress update in {weeks} week{'s' if weeks != 1 else ''}"
        group.line(text, detail=f"last on {last.day} {last:%b %Y}", needs_you=True)
    if row.overdue:
        group.line("Past its target date", on=row.target_date, needs_you=True)
    if row.late_objectives:
        count = row.late_objectives
        group.line(f"{count} objective{'s are' if count != 1 else ' is'} past due", link=link, needs_you=True)
