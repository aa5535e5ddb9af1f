"""The home's "Your work" (issue #10): each person's overdue and upcoming action items and the goals
and objectives they own, contributed by the areas through the registry, bounded at any size."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from partnership_hub.actions.models import ActionItem, ActionStatus
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals.models import Confidentiality, Goal, GoalStatus, Horizon, Objective
from partnership_hub.workspaces import services
from partnership_hub.workspaces.models import Role
from tests.actions.conftest import add_goal, add_items, add_objective
from tests.budget import BUDGET, counting, statements_for
from tests.factories import add_member, create_partnership, create_user

DAY = timedelta(days=1)


def today_of(app, partnership) -> date:
    with app.app_context():
        return context_for(partnership.id).today()


def your_work_section(html: str) -> str:
    """The "Your work" section of a home page ("" when there is none)."""
    match = re.search(r'<section class="card panel-accent your-work".*?</section>', html, re.S)
    return match.group(0) if match else ""


# --- what each person sees --------------------------------------------------------------------


def test_the_coordinators_own_overdue_item_comes_first_on_their_home(app, world, login_as):
    today = today_of(app, world.home)
    ids = world.home.membership_ids
    add_items(
        app,
        world.home,
        {"title": "Circulate the draft MOU", "assignee_membership_id": ids["coordinator"], "due_date": today - DAY},
        {"title": "Book the venue", "assignee_membership_id": ids["coordinator"], "due_date": today + 3 * DAY},
        {"title": "Someone else's", "assignee_membership_id": ids["member"], "due_date": today - DAY},
        {"title": "Far away", "assignee_membership_id": ids["coordinator"], "due_date": today + 40 * DAY},
        {"title": "No date", "assignee_membership_id": ids["coordinator"]},
        {
            "title": "Already done",
            "assignee_membership_id": ids["coordinator"],
            "due_date": today - DAY,
            "status": ActionStatus.DONE,
        },
    )
    page = login_as("coordinator").get(f"/p/{world.home.slug}/").text
    work = your_work_section(page)
    assert work, "no Your work section"
    assert page.index("Your work") < page.index("Getting started")  # own work before running the workspace
    assert work.index("Circulate the draft MOU") < work.index("Book the venue")  # overdue first
    assert "Overdue" in work.split("Book the venue")[0]
    for absent in ("Someone else's", "Far away", "No date", "Already done"):
        assert absent not in work


def test_a_member_sees_her_items_and_the_goals_and_objectives_she_owns(app, world, login_as):
    today = today_of(app, world.home)
    ids = world.home.membership_ids
    goal = add_goal(app, world.home, "Shared referral protocol", owner_membership_id=ids["member"])
    other = add_goal(app, world.home, "Someone else's goal", owner_membership_id=ids["coordinator"])
    objective = add_objective(app, world.home, other, "Agencies signed on")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.get(Objective, objective).owner_membership_id = ids["member"]
        db.session.commit()
    secret = add_goal(app, world.home, "Coordinators only", "leadership", owner_membership_id=ids["coordinator"])
    add_items(
        app,
        world.home,
        {"title": "Draft the referral protocol", "assignee_membership_id": ids["member"], "due_date": today - 6 * DAY},
        {"title": "Hidden by its goal", "assignee_membership_id": ids["member"], "due_date": today, "goal_id": secret},
        {"title": "The coordinator's", "assignee_membership_id": ids["coordinator"], "due_date": today - DAY},
    )
    work = your_work_section(login_as("member").get(f"/p/{world.home.slug}/").text)
    assert "Draft the referral protocol" in work and "Overdue" in work
    assert f'href="/p/{world.home.slug}/goals/{goal}"' in work
    assert "Agencies signed on" in work and "Goal: Someone else&#39;s goal" in work
    for absent in ("Hidden by its goal", "The coordinator's", "Coordinators only", ">Someone else&#39;s goal<"):
        assert absent not in work


def test_the_observer_has_no_work_of_their_own(app, world, login_as):
    add_items(app, world.home, {"title": "Anything", "due_date": today_of(app, world.home)})
    page = login_as("observer").get(f"/p/{world.home.slug}/").text
    assert your_work_section(page) == ""
    assert "Your action items" not in page


def test_nothing_waiting_says_so(world, login_as):
    work = your_work_section(login_as("survivor_advisor").get(f"/p/{world.home.slug}/").text)
    assert "Nothing assigned to you is overdue or due in the next two weeks." in work
    assert "You don&#39;t own any open goals or objectives." in work


def test_the_rest_is_counted_and_linked_to_the_filtered_list(app, world, login_as):
    today = today_of(app, world.home)
    me = world.home.membership_ids["member"]
    add_items(
        app, world.home, *({"title": f"Item {n}", "assignee_membership_id": me, "due_date": today} for n in range(8))
    )
    for n in range(7):
        add_goal(app, world.home, f"Goal {n}", owner_membership_id=me)
    work = your_work_section(login_as("member").get(f"/p/{world.home.slug}/").text)
    assert work.count("Item ") == services.YOUR_WORK_LIMIT
    assert f'href="/p/{world.home.slug}/actions?assignee=me"' in work
    assert f'href="/p/{world.home.slug}/goals?owner={me}"' in work
    assert re.search(r">and 3 more</a>", work) and re.search(r">and 2 more</a>", work)


# --- bounded at any size -----------------------------------------------------------------------


def bulk_fill(app, partnership, size: int) -> None:
    """``size`` action items, goals and objectives owned by / assigned to the coordinator, written
    with bulk INSERTs (the services would take minutes for 10,000)."""
    me = partnership.membership_ids["coordinator"]
    start = date(2026, 1, 1)
    now = datetime.now(UTC)
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        statuses = list(ActionStatus)
        db.session.execute(
            insert(ActionItem),
            [
                {
                    "partnership_id": partnership.id,
                    "title": f"Item {n}",
                    "description": "",
                    "assignee_membership_id": me,
                    "due_date": start + (n % 60) * DAY,
                    "status": statuses[n % len(statuses)],
                }
                for n in range(size)
            ],
        )
        db.session.execute(
            insert(Goal),
            [
                {
                    "partnership_id": partnership.id,
                    "title": f"Goal {n}",
                    "description": "",
                    "horizon": Horizon.SHORT,
                    "ps": [],
                    "status": GoalStatus.ACTIVE,
                    "confidentiality": Confidentiality.WORKSPACE,
                    "owner_membership_id": me,
                    "target_date": start + (n % 90) * DAY,
                    "last_activity_at": now,
                }
                for n in range(size)
            ],
        )
        first_goal = db.session.scalar(db.select(Goal.id).order_by(Goal.id).limit(1))
        db.session.execute(
            insert(Objective),
            [
                {
                    "partnership_id": partnership.id,
                    "goal_id": first_goal,
                    "title": f"Objective {n}",
                    "metric": "agencies",
                    "unit": "agencies",
                    "baseline": 0,
                    "target": 10,
                    "current_value": 0,
                    "owner_membership_id": me,
                    "due_date": start + (n % 30) * DAY,
                    "position": n,
                }
                for n in range(size)
            ],
        )
        db.session.commit()


def your_work_statements(app, partnership) -> tuple[int, list]:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        with counting(app) as statements:
            found = services.your_work(ctx)
        return len(statements), [(entry.key, len(work.items), work.more_label) for entry, work in found]


def test_your_work_and_the_home_cost_the_same_for_10_and_10000_items(app):
    # One test for both (the 10,000 rows take a while to clean up on PostgreSQL).
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    bulk_fill(app, small, 10)
    bulk_fill(app, large, 10_000)

    small_count, small_work = your_work_statements(app, small)
    large_count, large_work = your_work_statements(app, large)
    assert small_count == large_count == 1, (small_count, large_count)  # every kind in one UNION ALL
    assert [key for key, _, _ in large_work][:3] == ["action_items", "goals", "meetings"]
    assert "trust_checkins" in [key for key, _, _ in large_work]
    bulky = [work for work in large_work if work[0] in ("action_items", "goals")]  # the kinds bulk_fill grows
    assert all(shown == services.YOUR_WORK_LIMIT for _, shown, _ in bulky)
    assert all(label.endswith("+") for _, _, label in bulky)  # the count stopped at the cap

    counts = {"small": statements_for(app, small, "/"), "large": statements_for(app, large, "/")}
    assert counts["small"] == counts["large"] <= BUDGET, counts


def test_one_kept_statement_serves_each_person_and_each_day_their_own(app, world, monkeypatch):
    """The "Your work" statement is made once per permission shape and kept by the worker: the person
    and the day are bound parameters. So a second member (same shape) gets her own items, never the
    first one's, and a week later the two-week window has moved with the day, on the same statement."""
    from partnership_hub import db as dbmod

    today = today_of(app, world.home)
    first = world.home.membership_ids["member"]
    other = create_user(app, "Mara Member")
    second = add_member(app, world.home, other, Role.MEMBER, key="second_member")
    add_items(
        app,
        world.home,
        {"title": "The first member's", "assignee_membership_id": first, "due_date": today + DAY},
        {"title": "The second member's", "assignee_membership_id": second, "due_date": today + DAY},
        {"title": "Due in three weeks", "assignee_membership_id": first, "due_date": today + 21 * DAY},
    )

    def titles(user_id: int) -> set[str]:
        with app.app_context():
            found = services.your_work(context_for(world.home.id, user_id))
        return {item.title for entry, work in found if entry.key == "action_items" for item in work.items}

    assert titles(world.user("member").id) == {"The first member's"}
    kept = services._your_work_union.cache_info()
    assert titles(other.id) == {"The second member's"}
    assert services._your_work_union.cache_info().hits == kept.hits + 1  # the same statement, her values

    a_week_later = dbmod.utcnow() + 7 * DAY
    monkeypatch.setattr(dbmod, "utcnow", lambda: a_week_later)
    assert titles(world.user("member").id) == {"The first member's", "Due in three weeks"}
    assert services._your_work_union.cache_info().hits == kept.hits + 2


def test_an_observer_runs_no_your_work_query(app, world):
    with app.app_context():
        ctx = context_for(world.home.id, world.user("observer").id)
        with counting(app) as statements:
            assert services.your_work(ctx) == []
    assert statements == []


def test_what_the_areas_declare_resolves(app):
    """Every "Your work" kind loads through a function that exists and is asked about a real action;
    every getting-started step links to a real page."""
    from partnership_hub import areas

    endpoints = set(app.view_functions)
    entries = areas.your_work()
    assert [entry.key for entry in entries][:3] == ["action_items", "goals", "meetings"]
    assert "trust_checkins" in [entry.key for entry in entries]
    for entry in entries:
        assert callable(areas.resolve(entry.load)), entry.key
        assert entry.action in areas.role_matrix(), entry.key
        assert entry.empty, entry.key
    for step in areas.first_steps():
        assert step.endpoint in endpoints, step.key
