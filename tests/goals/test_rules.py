"""Met, overdue and stalled: the Python predicates (overview, goal page, report) and their SQL twins
(the home's attention list) give the same answer on every case of a table, and the answer the rules
in ``goals/progress.py`` describe.

The partnership is in Los Angeles and the clock is frozen at 03:00 UTC on 1 July, which is still
30 June there: "today" is the partnership's day, never the server's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals import queries
from partnership_hub.goals.models import Goal, GoalStatus, Horizon, Objective
from partnership_hub.goals.progress import (
    AsOf,
    goal_is_overdue,
    goal_is_stalled,
    goal_overdue_clause,
    goal_stalled_clause,
    is_met,
    last_activity_at,
    met_clause,
    objective_is_overdue,
    objective_is_stalled,
    objective_overdue_clause,
    objective_stalled_clause,
    reaches_target,
)
from partnership_hub.workspaces.models import Partnership
from tests.factories import create_partnership, create_user

ZONE = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 7, 1, 3, 0, tzinfo=UTC)
TODAY = date(2026, 6, 30)  # in Los Angeles at NOW; the 30-day cutoff day is 31 May


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


OLD = local(date(2026, 1, 15))
RECENT = local(ago(3))


@dataclass
class Obj:
    """An objective and what the rules must say about it: (met, overdue, stalled)."""

    expect: tuple[bool, bool, bool]
    baseline: float = 0
    target: float = 100
    current: float = 0
    due: date | None = None
    created: datetime = OLD
    posted: datetime | None = None


@dataclass
class Case:
    """A goal and what the rules must say about it: (stalled, overdue)."""

    name: str
    expect: tuple[bool, bool]
    status: GoalStatus = GoalStatus.ACTIVE
    start: date | None = None
    target: date | None = None
    created: datetime = OLD
    objectives: list[Obj] = field(default_factory=list)


NOT = (False, False, False)  # an objective that is not met, not overdue, not stalled

CASES = [
    # Stalled.
    Case(
        "started 60 days ago, no posts, typed in today (the issue)", (True, False), start=ago(60), created=local(TODAY)
    ),
    Case(
        "started 60 days ago, objective added today, no posts",
        (True, False),
        start=ago(60),
        created=local(TODAY),
        objectives=[Obj(NOT, created=local(TODAY))],
    ),
    Case("no start date, added long ago, no posts", (True, False)),
    Case("no start date, added yesterday", (False, False), created=local(ago(1))),
    Case("starts next week", (False, False), start=TODAY + timedelta(days=7)),
    Case("started exactly 30 days ago", (True, False), start=ago(30), created=local(TODAY)),
    Case("started 29 days ago", (False, False), start=ago(29), created=local(TODAY)),
    Case("a recent post", (False, False), start=ago(90), objectives=[Obj(NOT, posted=RECENT)]),
    Case(
        "one objective posted recently, another quiet",
        (False, False),
        start=ago(90),
        objectives=[Obj(NOT, posted=RECENT), Obj((False, False, True), posted=OLD)],
    ),
    Case(
        "last post late on the cutoff day, Los Angeles time (already 1 June in UTC)",
        (True, False),
        objectives=[Obj((False, False, True), posted=local(ago(30), 23, 30))],
    ),
    Case(
        "last post just after midnight the day after the cutoff",
        (False, False),
        objectives=[Obj(NOT, posted=local(ago(29), 0, 30))],
    ),
    Case(
        "objective added long ago, goal started 10 days ago",
        (False, False),
        start=ago(10),
        objectives=[Obj(NOT, created=OLD)],
    ),
    Case(
        "a met objective never stalls", (True, False), objectives=[Obj((True, False, False), current=100, posted=OLD)]
    ),
    Case("proposed goals never stall", (False, False), status=GoalStatus.PROPOSED, start=ago(60)),
    Case("on-hold goals never stall, but can be overdue", (False, True), status=GoalStatus.ON_HOLD, target=ago(5)),
    # Achieved and dropped: never stalled or overdue, whatever their dates and objectives.
    *(
        Case(
            f"{status.value}, late and quiet",
            (False, False),
            status=status,
            start=ago(200),
            target=ago(10),
            objectives=[Obj(NOT, due=ago(10)), Obj((True, False, False), current=100, due=ago(10))],
        )
        for status in (GoalStatus.ACHIEVED, GoalStatus.DROPPED)
    ),
    # Overdue: due today is not late; due yesterday is — in the partnership's time zone.
    Case("target date today", (False, False), target=TODAY, objectives=[Obj(NOT, due=TODAY, posted=RECENT)]),
    Case(
        "target date yesterday",
        (False, True),
        target=ago(1),
        objectives=[Obj((False, True, False), due=ago(1), posted=RECENT)],
    ),
    # Met, rising and falling targets; a met objective is never overdue.
    Case(
        "met and not met",
        (False, False),
        objectives=[
            Obj((True, False, False), baseline=0, target=200, current=200, due=ago(1), posted=RECENT),
            Obj((True, False, False), baseline=0, target=200, current=260, due=ago(1), posted=RECENT),
            Obj((False, True, False), baseline=0, target=200, current=199.5, due=ago(1), posted=RECENT),
            Obj((True, False, False), baseline=40, target=10, current=10, due=ago(1), posted=RECENT),
            Obj((True, False, False), baseline=40, target=10, current=0, due=ago(1), posted=RECENT),
            Obj((False, True, False), baseline=40, target=10, current=11, due=ago(1), posted=RECENT),
            Obj((False, True, False), baseline=40, target=10, current=55, due=ago(1), posted=RECENT),
        ],
    ),
]


@pytest.fixture
def partnership(app):
    rec = create_partnership(app, create_user(app), "Rules Partnership")
    with app.app_context():
        bind_tenant(db.session, rec.id)
        db.session.get(Partnership, rec.id).time_zone = ZONE.key
        for case in CASES:
            goal = Goal(
                title=case.name,
                horizon=Horizon.SHORT,
                status=case.status,
                start_date=case.start,
                target_date=case.target,
                created_at=case.created,
            )
            db.session.add(goal)
            db.session.flush()
            made = []
            for position, spec in enumerate(case.objectives):
                made.append(
                    Objective(
                        goal_id=goal.id,
                        title=f"{case.name} #{position}",
                        metric="m",
                        unit="u",
                        baseline=spec.baseline,
                        target=spec.target,
                        current_value=spec.current,
                        due_date=spec.due,
                        position=position,
                        created_at=spec.created,
                        last_update_at=spec.posted,
                    )
                )
            db.session.add_all(made)
            goal.last_activity_at = last_activity_at(goal, made, ZONE)  # as the services keep it
        db.session.commit()
    return rec


def test_the_cutoff_is_the_partnerships_day():
    as_of = AsOf(TODAY, ZONE, 30)
    assert as_of.cutoff_day == date(2026, 5, 31)
    assert as_of.cutoff == datetime(2026, 6, 1, 7, 0, tzinfo=UTC)  # midnight, Pacific daylight time
    assert reaches_target(40, 10, 10) and not reaches_target(40, 10, 10.5)


def test_python_and_sql_agree_on_every_case(app, partnership):
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        assert ctx.today(NOW) == TODAY and NOW.date() != TODAY
        as_of = AsOf.of(ctx, ctx.today(NOW))

        def goal_ids(clause) -> set[int]:
            return set(db.session.scalars(select(Goal.id).where(clause)))

        def objective_ids(clause) -> set[int]:
            return set(db.session.scalars(select(Objective.id).join(Objective.goal).where(clause)))

        sql_goals = {"stalled": goal_ids(goal_stalled_clause(as_of)), "overdue": goal_ids(goal_overdue_clause(TODAY))}
        sql_objectives = {
            "met": objective_ids(met_clause()),
            "overdue": objective_ids(objective_overdue_clause(TODAY)),
            "stalled": objective_ids(objective_stalled_clause(as_of)),
        }
        goals = {goal.title: goal for goal in db.session.scalars(select(Goal))}
        checked = 0
        for case in CASES:
            goal = goals[case.name]
            objectives = sorted(goal.objectives, key=lambda o: o.position)
            python = (goal_is_stalled(goal, objectives, as_of), goal_is_overdue(goal, TODAY))
            sql = (goal.id in sql_goals["stalled"], goal.id in sql_goals["overdue"])
            assert python == sql == case.expect, case.name
            for objective, spec in zip(objectives, case.objectives, strict=True):
                python = (
                    is_met(objective),
                    objective_is_overdue(goal, objective, TODAY),
                    objective_is_stalled(goal, objective, as_of),
                )
                sql = tuple(objective.id in sql_objectives[flag] for flag in ("met", "overdue", "stalled"))
                assert python == sql == spec.expect, objective.title
                checked += 1
        assert checked == sum(len(case.objectives) for case in CASES)


def test_the_issues_goal_is_stalled_on_the_overview_and_in_the_attention_list(app, partnership):
    """An active goal that started 60 days ago with no updates (owned by the viewer)."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        mine = db.session.scalars(select(Goal).where(Goal.title == CASES[0].name)).one()
        mine.owner_membership_id = ctx.membership.id
        db.session.commit()
        rows = {row.goal.title: row for row in queries.goals_overview(ctx, queries.GoalFilters(), TODAY).rows}
        attention = queries.attention_for(ctx, TODAY)
    assert rows[CASES[0].name].stalled
    assert ("goal_stalled", CASES[0].name) in {(item.kind, item.goal_title) for item in attention}


def test_the_kept_attention_statement_judges_each_day_and_setting_afresh(app, partnership):
    """``attention_for``'s statement is built once per permission shape and kept: the day, the
    stalled cut-off (from the partnership's ``stalled_after_days``) and the person are parameters.
    The issue's goal, stalled on TODAY, was not yet stalled 40 days earlier, and stops being stalled
    when the partnership allows 90 days — each read through the same statement."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        mine = db.session.scalars(select(Goal).where(Goal.title == CASES[0].name)).one()
        mine.owner_membership_id = ctx.membership.id
        db.session.commit()

        def stalled(day: date) -> bool:
            return ("goal_stalled", CASES[0].name) in {
                (item.kind, item.goal_title) for item in queries.attention_for(ctx, day)
            }

        assert stalled(TODAY)
        kept = queries._attention_statement.cache_info()
        assert not stalled(TODAY - timedelta(days=40))
        ctx.partnership.stalled_after_days = 90
        assert not stalled(TODAY)
        assert queries._attention_statement.cache_info().hits == kept.hits + 2
        db.session.rollback()
