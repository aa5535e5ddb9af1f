"""A goal's page and its action items: listed (bounded) with status, due date and assignee, a link to
add one for the goal, the action's page linking back; owners of a goal act on it; the page's
statement count does not grow with the goal."""

from __future__ import annotations

from datetime import timedelta

from partnership_hub.actions.models import ActionItem, ActionStatus
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals.models import Objective, ProgressUpdate
from partnership_hub.goals.queries import GOAL_ACTIONS_SHOWN
from tests.budget import BUDGET, statements_for
from tests.goals.helpers import make_goal, make_objective, partnership_today


def add_items(app, partnership, goal_id: int, *rows: dict) -> list[int]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        items = [ActionItem(goal_id=goal_id, **{"title": f"Step {n}", **row}) for n, row in enumerate(rows)]
        db.session.add_all(items)
        db.session.commit()
        return [item.id for item in items]


def test_the_goal_page_lists_its_action_items_and_links_to_add_one(app, world, login_as):
    slug = world.home.slug
    today = partnership_today(app, world.home)
    goal_id = make_goal(app, world.home, title="Shared referral protocol")
    other_goal = make_goal(app, world.home, title="Another goal")
    member = world.home.membership_ids["member"]
    add_items(
        app,
        world.home,
        goal_id,
        {"title": "Draft the protocol", "due_date": today - timedelta(days=3), "assignee_membership_id": member},
        {"title": "Collect signatures", "status": ActionStatus.IN_PROGRESS, "due_date": today + timedelta(days=9)},
        {"title": "Old step", "status": ActionStatus.DONE},
    )
    add_items(app, world.home, other_goal, {"title": "Not this goal's"})
    page = login_as("coordinator").get(f"/p/{slug}/goals/{goal_id}").text
    section = page.split('id="goal-actions"')[1]
    assert "Action items" in section and "Not this goal's" not in section
    # Unfinished first, soonest due first; done last.
    assert section.index("Draft the protocol") < section.index("Collect signatures") < section.index("Old step")
    assert "Overdue" in section and "In progress" in section and "Done" in section
    assert (today + timedelta(days=9)).strftime("%d %b %Y") in section
    assert "Member Person" in section and "Nobody assigned yet" in section
    assert f"/p/{slug}/actions/new?goal_id={goal_id}" in section
    assert "in the action plan" not in section  # all three are listed


def test_the_list_is_bounded_and_links_to_the_whole_plan_for_the_goal(app, world, login_as):
    goal_id = make_goal(app, world.home)
    add_items(app, world.home, goal_id, *({} for _ in range(GOAL_ACTIONS_SHOWN + 3)))
    page = login_as("member").get(f"/p/{world.home.slug}/goals/{goal_id}").text
    section = page.split('id="goal-actions"')[1]
    assert section.count('class="goal-action-title"') == GOAL_ACTIONS_SHOWN
    assert f"All {GOAL_ACTIONS_SHOWN + 3} action items toward this goal in the action plan" in section
    assert f"/p/{world.home.slug}/actions?goal={goal_id}" in section


def test_a_goal_without_action_items_says_so_and_observers_get_no_add_link(app, world, login_as):
    goal_id = make_goal(app, world.home)
    page = login_as("observer").get(f"/p/{world.home.slug}/goals/{goal_id}").text
    assert "No action items toward this goal yet" in page
    assert "/actions/new?goal_id=" not in page


def test_adding_an_action_from_the_goal_prefills_it_and_the_action_links_back(app, world, login_as):
    slug = world.home.slug
    goal_id = make_goal(app, world.home, title="Shared referral protocol")
    client = login_as("member")
    form = client.get(f"/p/{slug}/actions/new?goal_id={goal_id}").text
    assert f'<option selected value="{goal_id}">Shared referral protocol</option>' in form
    [item] = add_items(app, world.home, goal_id, {"title": "Draft it"})
    page = client.get(f"/p/{slug}/actions/{item}").text
    assert f'<a href="/p/{slug}/goals/{goal_id}">Shared referral protocol</a>' in page


def test_the_owner_of_a_goal_may_add_objectives_and_post_progress(app, world, login_as):
    """The survivor advisor owns a goal: she adds an objective and posts on it; a member who owns
    nothing there may do neither."""
    slug = world.home.slug
    advisor = world.home.membership_ids["survivor_advisor"]
    goal_id = make_goal(app, world.home, title="Fair compensation", owner_membership_id=str(advisor))
    client = login_as("survivor_advisor")
    page = client.get(f"/p/{slug}/goals/{goal_id}").text
    assert f"/p/{slug}/goals/{goal_id}/objectives/new" in page
    data = {"title": "Advisors paid", "metric": "Advisors paid", "unit": "people", "baseline": "0", "target": "5"}
    response = client.post(f"/p/{slug}/goals/{goal_id}/objectives/new", data=data)
    assert response.status_code == 302, response.text
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        objective_id = db.session.query(Objective.id).filter_by(goal_id=goal_id).scalar()
    today = partnership_today(app, world.home).isoformat()
    posted = client.post(
        f"/p/{slug}/goals/objectives/{objective_id}/updates",
        data={f"o{objective_id}-value": "2", f"o{objective_id}-recorded_on": today, f"o{objective_id}-note": ""},
    )
    assert posted.status_code == 303
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.query(ProgressUpdate).filter_by(objective_id=objective_id).count() == 1
    # Editing the goal stays the coordinators'.
    assert client.get(f"/p/{slug}/goals/{goal_id}/edit").status_code in (403, 404)

    member = login_as("member")
    assert f"/goals/{goal_id}/objectives/new" not in member.get(f"/p/{slug}/goals/{goal_id}").text
    assert member.post(f"/p/{slug}/goals/{goal_id}/objectives/new", data=data).status_code == 403
    refused = member.post(
        f"/p/{slug}/goals/objectives/{objective_id}/updates",
        data={f"o{objective_id}-value": "3", f"o{objective_id}-recorded_on": today},
    )
    assert refused.status_code == 403


def test_the_chart_has_axes_dates_the_target_and_a_table_beside_it(app, world, login_as):
    from tests.goals.helpers import post

    today = partnership_today(app, world.home)
    goal_id = make_goal(app, world.home)
    objective_id = make_objective(app, world.home, goal_id)
    post(app, world.home, objective_id, 40, today - timedelta(days=20))
    post(app, world.home, objective_id, 90, today)
    page = login_as("member").get(f"/p/{world.home.slug}/goals/{goal_id}").text
    chart = page.split('<svg class="goal-chart"')[1].split("</svg>")[0]
    assert "Target 200" in chart
    assert ">90</text>" in chart and ">40</text>" in chart  # the values, written on the chart
    assert f">{today.day} {today:%b}</text>" in chart  # the last date on the date axis
    assert ">0</text>" in chart and ">200</text>" in chart  # the value axis
    # The history is a table beside the chart, not folded away.
    assert "<details" not in page.split('id="objectives-section"')[1]
    assert "<caption>History of “Workers trained” (2 updates)</caption>" in page
    assert today.strftime("%d %b %Y") in page


def test_the_goal_page_costs_the_same_for_a_small_and_a_large_goal(app, world):
    today = partnership_today(app, world.home)
    small = make_goal(app, world.home, title="Small")
    large = make_goal(app, world.home, title="Large")
    make_objective(app, world.home, small)
    add_items(app, world.home, small, {})
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        objectives = [
            Objective(goal_id=large, title=f"O{n}", metric="m", unit="u", baseline=0, target=10, current_value=0)
            for n in range(6)
        ]
        db.session.add_all(objectives)
        db.session.flush()
        db.session.add_all(
            ProgressUpdate(objective_id=o.id, value=v, recorded_on=today - timedelta(days=v))
            for o in objectives
            for v in range(12)
        )
        db.session.commit()
    add_items(app, world.home, large, *({} for _ in range(40)))
    counts = [statements_for(app, world.home, f"/goals/{goal}") for goal in (small, large)]
    assert counts[0] == counts[1], counts
    assert counts[0] <= BUDGET, counts
