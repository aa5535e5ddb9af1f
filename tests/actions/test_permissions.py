"""Who may do what on the action plan, and confidential goals' items staying hidden."""

from __future__ import annotations

import pytest

from partnership_hub.actions.models import ActionStatus
from tests.actions.conftest import add_goal, add_items, items_of


@pytest.fixture
def items(app, world, ids):
    """One item created by the member, one assigned to the member, one of the coordinator's own."""
    created, assigned, other = add_items(
        app,
        world.home,
        {"title": "created", "created_by_membership_id": ids["member"]},
        {"title": "assigned", "assignee_membership_id": ids["member"], "created_by_membership_id": ids["coordinator"]},
        {"title": "other", "created_by_membership_id": ids["coordinator"]},
    )
    return {"created": created, "assigned": assigned, "other": other}


def test_coordinators_change_and_remove_any_item(login_as, base, items):
    client = login_as("coordinator")
    for item in items.values():
        assert client.get(f"{base}/{item}/edit").status_code == 200
        assert client.post(f"{base}/{item}/status", data={"status": "done"}).status_code == 302
        assert client.get(f"{base}/{item}/delete").status_code == 200


def test_members_edit_what_they_created_or_are_assigned(app, world, login_as, base, items):
    client = login_as("member")
    assert client.get(f"{base}/new").status_code == 200
    for key in ("created", "assigned"):
        assert client.get(f"{base}/{items[key]}/edit").status_code == 200
        assert client.post(f"{base}/{items[key]}/status", data={"status": "in_progress"}).status_code == 302
    assert client.get(f"{base}/{items['other']}/edit").status_code == 403
    assert client.post(f"{base}/{items['other']}/edit", data={"title": "hijack"}).status_code == 403
    assert client.post(f"{base}/{items['other']}/status", data={"status": "done"}).status_code == 403
    for item in items.values():
        assert client.post(f"{base}/{item}/delete").status_code == 403  # only coordinators remove
    statuses = {row["title"]: row["status"] for row in items_of(app, world.home)}
    assert statuses == {"created": "in_progress", "assigned": "in_progress", "other": ActionStatus.OPEN}


def test_members_see_status_controls_only_on_their_items(login_as, base, items):
    html = login_as("member").get(base).text
    assert f'id="status-{items["assigned"]}"' in html
    assert f'id="status-{items["other"]}"' not in html


def test_a_member_creating_an_item_becomes_its_creator(app, world, login_as, base, ids):
    assert login_as("member").post(f"{base}/new", data={"title": "Mine"}).status_code == 302
    assert items_of(app, world.home)[0]["created_by_membership_id"] == ids["member"]


def test_observers_read_but_change_nothing(app, world, login_as, base, items):
    client = login_as("observer")
    assert client.get(base).status_code == 200
    assert client.get(f"{base}/{items['other']}").status_code == 200
    assert client.get(f"{base}.csv").status_code == 200
    assert client.get(f"{base}/new").status_code == 403
    assert client.post(f"{base}/new", data={"title": "x"}).status_code == 403
    assert client.post(f"{base}/{items['other']}/status", data={"status": "done"}).status_code == 403
    assert client.get(f"{base}/{items['other']}/edit").status_code == 403
    assert "Add an action" not in client.get(base).text
    assert len(items_of(app, world.home)) == 3


def test_outsiders_get_404(world, login_as, base, items):
    client = login_as(world.other.members["coordinator"])
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/{items['other']}").status_code == 404
    assert client.post(f"{base}/{items['other']}/status", data={"status": "done"}).status_code == 404


def test_an_item_under_a_leadership_goal_is_hidden_from_members(app, world, login_as, base, ids):
    goal = add_goal(app, world.home, "Funding strategy", "leadership")
    [item] = add_items(
        app, world.home, {"title": "Secret step", "goal_id": goal, "assignee_membership_id": ids["member"]}
    )
    coordinator = login_as("coordinator")
    assert "Secret step" in coordinator.get(base).text
    assert coordinator.get(f"{base}/{item}").status_code == 200
    for role in ("member", "survivor_advisor", "observer"):
        client = login_as(role)
        assert "Secret step" not in client.get(base).text, role
        assert "Secret step" not in client.get(f"{base}.csv").text, role
        assert client.get(f"{base}/{item}").status_code == 404, role
        assert client.get(f"{base}/{item}/edit").status_code in (403, 404), role
        assert client.post(f"{base}/{item}/status", data={"status": "done"}).status_code == 404, role


def test_members_cannot_link_to_a_goal_they_may_not_see(app, world, login_as, base):
    goal = add_goal(app, world.home, "Funding strategy", "leadership")
    client = login_as("member")
    assert "Funding strategy" not in client.get(f"{base}/new").text
    response = client.post(f"{base}/new", data={"title": "Sneak", "goal_id": str(goal)})
    assert response.status_code == 422 and "Choose a goal from the list." in response.text
    assert items_of(app, world.home) == []


def test_members_do_not_see_survivor_advisors_names(app, world, login_as, base, ids):
    add_items(app, world.home, {"title": "Advisor's item", "assignee_membership_id": ids["survivor_advisor"]})
    advisor_name = world.user("survivor_advisor").name
    assert advisor_name in login_as("coordinator").get(base).text
    member_view = login_as("member").get(base).text
    assert advisor_name not in member_view and "A survivor advisor" in member_view
    assert advisor_name not in login_as("member").get(f"{base}/new").text
