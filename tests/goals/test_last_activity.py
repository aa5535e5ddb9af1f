"""The stored last activity (``Goal.last_activity_at``) equals the value computed from the data after
every kind of change, and the stalled rule's SQL form (which reads it) agrees with the Python one."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from partnership_hub.extensions import db
from partnership_hub.goals import services
from partnership_hub.goals.models import Goal, Objective
from partnership_hub.goals.progress import AsOf, goal_is_stalled, goal_stalled_clause, last_activity_at
from tests.factories import create_partnership, create_user, sign_in
from tests.goals.helpers import ctx_of, make_goal, make_objective, partnership_today, post


def stored_and_computed(app, partnership, goal_id: int) -> tuple[datetime, datetime, bool, bool]:
    """(stored, computed from the data, stalled by SQL, stalled in Python) for the goal, today."""
    with app.app_context():
        ctx = ctx_of(partnership)
        goal = db.session.get(Goal, goal_id)
        objectives = list(db.session.scalars(select(Objective).where(Objective.goal_id == goal_id)))
        as_of = AsOf.of(ctx)
        by_sql = db.session.scalar(select(Goal.id).where(Goal.id == goal_id, goal_stalled_clause(as_of))) is not None
        return (
            goal.last_activity_at,
            last_activity_at(goal, objectives, ctx.zone),
            by_sql,
            goal_is_stalled(goal, objectives, as_of),
        )


def assert_in_step(app, partnership, goal_id: int) -> bool:
    stored, computed, by_sql, by_python = stored_and_computed(app, partnership, goal_id)
    assert stored == computed
    assert by_sql == by_python
    return by_python


def test_every_change_keeps_the_stored_last_activity(app):
    partnership = create_partnership(app, create_user(app))
    with app.app_context():
        ctx = ctx_of(partnership)
        ctx.partnership.time_zone = "America/Denver"
        db.session.commit()
    today = partnership_today(app, partnership)
    long_ago = today - timedelta(days=90)

    # Created: with no start date, from when it was added (not stalled); with one, from its first moment.
    goal_id = make_goal(app, partnership)
    assert assert_in_step(app, partnership, goal_id) is False
    started = make_goal(app, partnership, start_date=long_ago)
    assert assert_in_step(app, partnership, started) is True
    with app.app_context():
        ctx_of(partnership)  # binds the session to the partnership
        stored = db.session.get(Goal, started).last_activity_at
    assert stored == datetime.combine(long_ago, time.min, ZoneInfo("America/Denver"))  # Denver's midnight

    # An objective added: no post yet, so nothing moves.
    objective_id = make_objective(app, partnership, started)
    assert assert_in_step(app, partnership, started) is True

    # Progress posted (even back-dated): the post's moment.
    post(app, partnership, objective_id, 5, long_ago + timedelta(days=1), now=datetime.now(UTC) - timedelta(days=2))
    assert assert_in_step(app, partnership, started) is False

    # The start date edited: changes nothing once there is a post; before any post it is the start.
    with app.app_context():
        ctx = ctx_of(partnership)
        goal = db.session.get(Goal, goal_id)
        services.update_goal(
            ctx, goal, {"title": goal.title, "horizon": "short", "status": "active", "start_date": long_ago}
        )
        db.session.commit()
    assert assert_in_step(app, partnership, goal_id) is True
    with app.app_context():
        ctx = ctx_of(partnership)
        goal = db.session.get(Goal, started)
        services.update_goal(
            ctx, goal, {"title": goal.title, "horizon": "short", "status": "active", "start_date": long_ago}
        )
        db.session.commit()
    assert assert_in_step(app, partnership, started) is False


def test_refresh_recomputes_after_the_time_zone_changes(app):
    partnership = create_partnership(app, create_user(app))
    goal_id = make_goal(app, partnership, start_date=date(2026, 1, 10))
    with app.app_context():
        ctx = ctx_of(partnership)
        ctx.partnership.time_zone = "Asia/Tokyo"
        db.session.flush()
        assert services.refresh_last_activity(ctx) == 1
        db.session.commit()
    stored, computed, _sql, _python = stored_and_computed(app, partnership, goal_id)
    assert stored == computed == datetime(2026, 1, 9, 15, tzinfo=UTC)


def test_changing_the_time_zone_on_the_profile_keeps_the_stored_value_true(app):
    partnership = create_partnership(app, create_user(app))
    goal_id = make_goal(app, partnership, start_date=date(2026, 1, 10))
    client = app.test_client()
    sign_in(client, app, partnership.members["coordinator"])
    response = client.post(
        f"/p/{partnership.slug}/profile/edit",
        data={"name": partnership.name, "time_zone": "Asia/Tokyo", "stage": "", "coordination_model": ""},
    )
    assert response.status_code == 302
    stored, computed, _sql, _python = stored_and_computed(app, partnership, goal_id)
    assert stored == computed == datetime(2026, 1, 9, 15, tzinfo=UTC)
