"""Action plan services: overdue detection on a given day, the home page's helpers, confidentiality."""

from __future__ import annotations

from datetime import date

from partnership_hub.actions import services
from partnership_hub.actions.models import ActionStatus
from partnership_hub.db import select_scalars
from partnership_hub.extensions import db
from partnership_hub.workspaces.services import context_for
from tests.actions.conftest import add_goal, add_items, grant
from tests.factories import seat_on_board

TODAY = date(2026, 3, 10)


def test_an_item_is_overdue_only_after_its_due_date_and_while_unfinished(app, world, ids):
    add_items(
        app,
        world.home,
        {"title": "late open", "due_date": date(2026, 3, 9), "assignee_membership_id": ids["member"]},
        {"title": "late in progress", "due_date": date(2026, 1, 1), "status": ActionStatus.IN_PROGRESS},
        {"title": "due today", "due_date": TODAY, "assignee_membership_id": ids["member"]},
        {"title": "late but done", "due_date": date(2026, 3, 1), "status": ActionStatus.DONE},
        {"title": "late but cancelled", "due_date": date(2026, 3, 1), "status": ActionStatus.CANCELLED},
        {"title": "no date", "assignee_membership_id": ids["member"]},
    )
    with app.app_context():
        ctx = context_for(world.home.id, world.user("coordinator").id)
        assert services.overdue_count(ctx, TODAY) == 2
        assert services.overdue_count(ctx, date(2026, 3, 11)) == 3  # tomorrow "due today" is late too
        assert services.overdue_count(ctx, date(2025, 12, 31)) == 0
        filters = services.ActionFilters(overdue=True)
        overdue = services.search_items(ctx, filters, TODAY)
        assert sorted(e.item.title for e in overdue.items) == ["late in progress", "late open"]
        assert all(e.overdue for e in overdue.items)


def test_open_items_for_lists_a_members_unfinished_items_soonest_first(app, world, ids):
    add_items(
        app,
        world.home,
        {"title": "later", "due_date": date(2026, 4, 1), "assignee_membership_id": ids["member"]},
        {"title": "undated", "assignee_membership_id": ids["member"]},
        {"title": "late", "due_date": date(2026, 3, 1), "assignee_membership_id": ids["member"]},
        {"title": "finished", "status": ActionStatus.DONE, "assignee_membership_id": ids["member"]},
        {"title": "someone else's", "assignee_membership_id": ids["coordinator"]},
    )
    with app.app_context():
        ctx = context_for(world.home.id, world.user("member").id)
        entries = services.open_items_for(ctx, ctx.membership, TODAY)
        assert [(e.item.title, e.overdue) for e in entries] == [("late", True), ("later", False), ("undated", False)]
        assert [e.item.title for e in services.open_items_for(ctx, ctx.membership, TODAY, limit=1)] == ["late"]


def test_items_under_confidential_goals_follow_the_goals_rule(app, world, ids):
    seat_on_board(app, world.home, "survivor_advisor")  # the board: the coordinator does not sit on it
    leadership = add_goal(app, world.home, "Leadership goal", "leadership")
    advisory = add_goal(app, world.home, "Advisory goal", "advisory")
    private = add_goal(app, world.home, "Private goal", "private", author_membership_id=ids["member"])
    granted = add_goal(app, world.home, "Granted advisory goal", "advisory")
    grant(app, world.home, granted, ids["member"])
    add_items(
        app,
        world.home,
        {"title": "open to all"},
        {"title": "leadership", "goal_id": leadership, "due_date": date(2026, 1, 1)},
        {"title": "advisory", "goal_id": advisory},
        {"title": "private", "goal_id": private},
        {"title": "granted", "goal_id": granted},
    )
    expected = {
        "coordinator": ["leadership", "open to all"],
        "member": ["granted", "open to all", "private"],
        "survivor_advisor": ["advisory", "granted", "open to all"],
        "observer": ["open to all"],
    }
    with app.app_context():
        for role, titles in expected.items():
            ctx = context_for(world.home.id, world.user(role).id)
            page = services.search_items(ctx, services.ActionFilters(), TODAY)
            assert sorted(e.item.title for e in page.items) == titles, role
            assert page.total == len(titles)
            assert services.overdue_count(ctx, TODAY) == (1 if role == "coordinator" else 0), role
            db.session.rollback()


def test_setup_fact_counts_the_partnerships_items(app, world):
    add_items(app, world.home, {}, {})
    add_items(app, world.other, {})
    with app.app_context():
        ctx = context_for(world.home.id)
        facts = select_scalars(db.session, services.setup_fact_queries(ctx))
        assert facts == {"action_items": 2}
