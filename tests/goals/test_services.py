"""Goal rules against the database: overdue, stalled, the report's date range, endorsements."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.goals import queries, services
from partnership_hub.goals.models import Goal, GoalEndorsement, Objective, ProgressUpdate
from partnership_hub.members.models import Representative
from tests.factories import create_organization
from tests.goals.helpers import ctx_of, make_goal, make_objective, post

TODAY = date(2026, 6, 30)


def overview(app, partnership, role="coordinator", today=TODAY, **filters):
    with app.app_context():
        result = queries.goals_overview(ctx_of(partnership, role), queries.GoalFilters(**filters), today)
        return {row.goal.title: row for row in result.rows}


def test_overdue_goals_and_objectives(app, world):
    late = make_goal(app, world.home, title="Late", target_date=date(2026, 6, 1))
    make_goal(app, world.home, title="Due today", target_date=TODAY)
    make_goal(app, world.home, title="Late but achieved", status="achieved", target_date=date(2026, 6, 1))
    objective_goal = make_goal(app, world.home, title="Objective late")
    make_objective(app, world.home, objective_goal, title="Unmet", due_date=date(2026, 6, 29))
    met = make_objective(app, world.home, objective_goal, title="Met", due_date=date(2026, 6, 29), target="10")
    post(app, world.home, met, 10, date(2026, 6, 20))
    rows = overview(app, world.home)
    assert rows["Late"].overdue and rows["Late"].goal.id == late
    assert not rows["Due today"].overdue
    assert not rows["Late but achieved"].overdue
    objectives = {o.objective.title: o for o in rows["Objective late"].objectives}
    assert objectives["Unmet"].overdue and not objectives["Met"].overdue
    assert rows["Objective late"].overdue_objectives == 1


def test_stalled_after_the_partnerships_number_of_days(app, world):
    goal_id = make_goal(app, world.home, title="Quiet", start_date=date(2026, 1, 1))
    objective = make_objective(app, world.home, goal_id)
    post(app, world.home, objective, 20, date(2026, 5, 31))
    # 30 days (the default) after the last update it is stalled; 29 days after, not yet.
    assert overview(app, world.home, today=date(2026, 6, 30))["Quiet"].stalled
    assert not overview(app, world.home, today=date(2026, 6, 29))["Quiet"].stalled
    with app.app_context():
        ctx = ctx_of(world.home)
        services.set_stalled_after(ctx, "60")
        db.session.commit()
    assert not overview(app, world.home, today=date(2026, 6, 30))["Quiet"].stalled


def test_only_active_goals_stall(app, world):
    make_goal(app, world.home, title="On hold", status="on_hold", start_date=date(2026, 1, 1))
    make_goal(app, world.home, title="Active", status="active", start_date=date(2026, 1, 1))
    rows = overview(app, world.home)
    assert rows["Active"].stalled and not rows["On hold"].stalled


@pytest.mark.parametrize("raw", ["0", "366", "ten", ""])
def test_stalled_setting_refuses_bad_values(app, world, raw):
    with app.app_context(), pytest.raises(ServiceError) as error:
        services.set_stalled_after(ctx_of(world.home), raw)
    assert error.value.field == "stalled_after_days"


def test_report_includes_both_ends_of_the_range_and_values_before(app, world):
    goal_id = make_goal(app, world.home, start_date=date(2026, 1, 1))
    objective = make_objective(app, world.home, goal_id)
    for on, value in [(date(2026, 2, 28), 10), (date(2026, 3, 1), 20), (date(2026, 3, 31), 40), (date(2026, 4, 1), 80)]:
        post(app, world.home, objective, value, on)
    with app.app_context():
        report = queries.progress_report(ctx_of(world.home), date(2026, 3, 1), date(2026, 3, 31))
        (movement,) = report.moved
        assert (movement.updates, movement.first_on, movement.last_on) == (2, date(2026, 3, 1), date(2026, 3, 31))
        assert (movement.before, movement.after) == (10, 40)
        empty = queries.progress_report(ctx_of(world.home), date(2026, 3, 2), date(2026, 3, 30))
        assert empty.moved == []
        first = queries.progress_report(ctx_of(world.home), date(2026, 1, 1), date(2026, 2, 28))
        assert (first.moved[0].before, first.moved[0].after) == (0, 10)  # the baseline before any update


def test_report_lists_goals_achieved_in_range_and_stalled_at_its_end(app, world):
    achieved = make_goal(app, world.home, title="Done", status="active")
    make_goal(app, world.home, title="Quiet", status="active", start_date=date(2026, 1, 1))
    with app.app_context():
        ctx = ctx_of(world.home)
        services.set_goal_status(ctx, db.session.get(Goal, achieved), "achieved")
        db.session.commit()
        today = ctx.today()
        report = queries.progress_report(ctx, today - timedelta(days=1), today + timedelta(days=1))
        assert [goal.title for goal, _at in report.achieved] == ["Done"]
        later = queries.progress_report(ctx, today + timedelta(days=2), today + timedelta(days=40))
        assert later.achieved == []
        assert "Quiet" in [row.goal.title for row in later.stalled]


def test_updates_are_append_only_and_the_latest_date_is_current(app, world):
    goal_id = make_goal(app, world.home, start_date=date(2026, 1, 1))
    objective = make_objective(app, world.home, goal_id)
    post(app, world.home, objective, 50, date(2026, 5, 1))
    post(app, world.home, objective, 30, date(2026, 4, 1))  # back-dated: history only
    with app.app_context():
        ctx_of(world.home)
        assert db.session.get(Objective, objective).current_value == 50
        values = db.session.scalars(select(ProgressUpdate.value).order_by(ProgressUpdate.id)).all()
        assert values == [50, 30]


def _represent(app, partnership, role, organization_id):
    with app.app_context():
        ctx_of(partnership)
        db.session.add(Representative(organization_id=organization_id, membership_id=partnership.membership_ids[role]))
        db.session.commit()


def test_endorsements_only_by_representatives_once_per_organization(app, world):
    org = create_organization(app, world.home, "Safe Harbor")
    create_organization(app, world.home, "Second Org")
    goal_id = make_goal(app, world.home, status="proposed")
    with app.app_context():
        ctx = ctx_of(world.home, "member")
        with pytest.raises(ServiceError, match="representative"):
            services.endorse_goal(ctx, db.session.get(Goal, goal_id))
    _represent(app, world.home, "member", org)
    _represent(app, world.home, "coordinator", org)
    with app.app_context():
        services.endorse_goal(ctx_of(world.home, "member"), db.session.get(Goal, goal_id))
        db.session.commit()
        with pytest.raises(ServiceError, match="already endorsed"):
            services.endorse_goal(ctx_of(world.home, "coordinator"), db.session.get(Goal, goal_id))
        assert db.session.scalars(select(GoalEndorsement.organization_id)).all() == [org]
    rows = overview(app, world.home)
    assert rows["Train frontline workers"].endorsed_by == ["Safe Harbor"]


def test_only_proposed_goals_can_be_endorsed(app, world):
    org = create_organization(app, world.home, "Safe Harbor")
    _represent(app, world.home, "member", org)
    goal_id = make_goal(app, world.home, status="active")
    with app.app_context(), pytest.raises(ServiceError, match="proposed"):
        services.endorse_goal(ctx_of(world.home, "member"), db.session.get(Goal, goal_id))


def test_home_attention_lists_what_the_person_owns_and_must_endorse(app, world):
    member = world.home.membership_ids["member"]
    org = create_organization(app, world.home, "Safe Harbor")
    _represent(app, world.home, "member", org)
    make_goal(app, world.home, title="Mine and late", owner_membership_id=member, target_date=date(2020, 1, 1))
    make_goal(app, world.home, title="Not mine and late", target_date=date(2020, 1, 1))
    make_goal(app, world.home, title="Please endorse", status="proposed")
    goal_id = make_goal(app, world.home, title="Objective owner")
    make_objective(
        app, world.home, goal_id, title="My objective", owner_membership_id=member, due_date=date(2020, 1, 1)
    )
    with app.app_context():
        items = queries.attention_for(ctx_of(world.home, "member"), date(2026, 6, 30))
        kinds = {(item.kind, item.goal_title) for item in items}
    assert ("goal_overdue", "Mine and late") in kinds
    assert ("objective_overdue", "Objective owner") in kinds
    assert ("endorse", "Please endorse") in kinds
    assert not any(title == "Not mine and late" for _kind, title in kinds)
