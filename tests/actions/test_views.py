"""The action plan pages: adding, reading, editing, the status change (htmx and plain), removing,
filters and pages, goal/objective links, cross-partnership ids, and the audit trail."""

from __future__ import annotations

import re
from datetime import date

import pytest

from partnership_hub.actions.models import ActionStatus
from partnership_hub.actions.services import PAGE_SIZE
from tests.actions.conftest import add_goal, add_items, add_objective, audit_of, items_of


def titles_in(html: str) -> list[str]:
    return re.findall(r'<a class="action-title" href="[^"]+">([^<]+)</a>', html)


def test_coordinator_adds_an_item_and_sees_it(app, world, login_as, base, ids):
    goal = add_goal(app, world.home)
    objective = add_objective(app, world.home, goal)
    client = login_as()
    assert client.get(f"{base}/new").status_code == 200
    response = client.post(
        f"{base}/new",
        data={
            "title": "Draft the referral protocol",
            "description": "With the DA's office.",
            "goal_id": str(goal),
            "objective_id": str(objective),
            "assignee_membership_id": str(ids["member"]),
            "due_date": "2026-05-31",
            "status": "open",
        },
    )
    assert response.status_code == 302
    [row] = items_of(app, world.home)
    assert row["title"] == "Draft the referral protocol"
    assert (row["goal_id"], row["objective_id"], row["assignee_membership_id"]) == (goal, objective, ids["member"])
    assert row["due_date"] == date(2026, 5, 31)
    assert row["created_by_membership_id"] == ids["coordinator"]
    assert response.headers["Location"].endswith(f"/actions/{row['id']}")
    page = client.get(response.headers["Location"])
    assert "<h1>Draft the referral protocol</h1>" in page.text
    assert "Shared referral protocol" in page.text and "Agencies signed on" in page.text
    assert "Member Person" in page.text


def test_choosing_only_an_objective_links_its_goal(app, world, login_as, base):
    goal = add_goal(app, world.home)
    objective = add_objective(app, world.home, goal)
    response = login_as().post(f"{base}/new", data={"title": "Call agencies", "objective_id": str(objective)})
    assert response.status_code == 302
    [row] = items_of(app, world.home)
    assert (row["goal_id"], row["objective_id"]) == (goal, objective)


def test_an_objective_of_another_goal_is_refused(app, world, login_as, base):
    goal = add_goal(app, world.home)
    other_goal = add_goal(app, world.home, "Other goal")
    objective = add_objective(app, world.home, other_goal)
    response = login_as().post(
        f"{base}/new", data={"title": "Call agencies", "goal_id": str(goal), "objective_id": str(objective)}
    )
    assert response.status_code == 422
    assert "Choose an objective of the selected goal" in response.text
    assert items_of(app, world.home) == []


def test_new_form_is_prefilled_from_the_goals_pages(app, world, login_as, base):
    goal = add_goal(app, world.home)
    objective = add_objective(app, world.home, goal)
    html = login_as().get(f"{base}/new?goal_id={goal}&objective_id={objective}").text
    assert re.search(rf'<option selected value="{goal}">|<option value="{goal}" selected', html)
    assert re.search(rf'<option selected value="{objective}">|<option value="{objective}" selected', html)
    assert "Shared referral protocol › Agencies signed on</option>" in html  # objectives name their goal


@pytest.mark.parametrize(
    ("field", "make_id"),
    [
        ("goal_id", lambda app, w: add_goal(app, w.other)),
        ("objective_id", lambda app, w: add_objective(app, w.other, add_goal(app, w.other))),
        ("assignee_membership_id", lambda app, w: w.other.membership_ids["coordinator"]),
    ],
)
def test_ids_from_another_partnership_are_refused(app, world, login_as, base, field, make_id):
    foreign = make_id(app, world)
    response = login_as().post(f"{base}/new", data={"title": "Smuggled link", field: str(foreign)})
    assert response.status_code == 422
    assert 'class="field-error"' in response.text
    assert items_of(app, world.home) == []


def test_edit_shows_current_values_and_records_changed_fields(app, world, login_as, base, ids):
    [item] = add_items(app, world.home, {"title": "Old", "due_date": date(2026, 2, 1)})
    client = login_as()
    form = client.get(f"{base}/{item}/edit")
    assert form.status_code == 200
    assert 'value="Old"' in form.text and 'value="2026-02-01"' in form.text
    data = {"title": "New", "due_date": "2026-02-01", "status": "in_progress", "assignee_membership_id": ids["member"]}
    assert client.post(f"{base}/{item}/edit", data=data).status_code == 302
    assert client.post(f"{base}/{item}/edit", data=data).status_code == 302  # nothing changed: no entry
    [row] = items_of(app, world.home)
    assert (row["title"], row["status"], row["assignee_membership_id"]) == (
        "New",
        ActionStatus.IN_PROGRESS,
        ids["member"],
    )
    assert audit_of(app, world.home) == [
        ("action_item.updated", item, {"fields": ["assignee_membership_id", "status", "title"]})
    ]


def test_status_change_over_htmx_swaps_the_status_box(app, world, login_as, base):
    [item] = add_items(app, world.home, {"title": "Late", "due_date": date(2020, 1, 1)})
    client = login_as()
    assert "Overdue" in client.get(f"{base}/{item}").text
    response = client.post(f"{base}/{item}/status", data={"status": "done"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<div class="action-status" id="action-status-{item}">')
    assert "<html" not in response.text
    assert "Overdue" not in response.text  # done items are never overdue
    assert "is now done" in response.text
    [row] = items_of(app, world.home)
    assert row["status"] == ActionStatus.DONE and row["completed_at"] is not None
    assert audit_of(app, world.home) == [("action_item.status_changed", item, {"old": "open", "new": "done"})]


def test_status_change_as_a_plain_post_goes_back_to_the_page(app, world, login_as, base):
    [item] = add_items(app, world.home, {"title": "Call"})
    client = login_as()
    response = client.post(f"{base}/{item}/status", data={"status": "in_progress", "next": f"{base}?status=open"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{base}?status=open"
    assert items_of(app, world.home)[0]["status"] == ActionStatus.IN_PROGRESS
    # another site is never a destination
    response = client.post(f"{base}/{item}/status", data={"status": "open", "next": "https://evil.example/"})
    assert response.headers["Location"] == f"{base}/{item}"
    response = client.post(f"{base}/{item}/status", data={"status": "done", "next": "//evil.example/p"})
    assert response.headers["Location"] == f"{base}/{item}"


@pytest.mark.parametrize("htmx", [False, True])
def test_an_unknown_status_is_refused_with_a_message(app, world, login_as, base, htmx):
    [item] = add_items(app, world.home, {"title": "Call"})
    headers = {"HX-Request": "true"} if htmx else {}
    response = login_as().post(f"{base}/{item}/status", data={"status": "finished"}, headers=headers)
    assert response.status_code == 422
    assert "Choose a status from the list." in response.text
    assert items_of(app, world.home)[0]["status"] == ActionStatus.OPEN
    assert audit_of(app, world.home) == []


def test_delete_asks_first_then_removes(app, world, login_as, base):
    [item, keep] = add_items(app, world.home, {"title": "Gone"}, {"title": "Kept"})
    client = login_as()
    confirm = client.get(f"{base}/{item}/delete")
    assert confirm.status_code == 200 and "Remove “Gone”?" in confirm.text
    assert len(items_of(app, world.home)) == 2
    response = client.post(f"{base}/{item}/delete")
    assert response.status_code == 302
    assert [r["id"] for r in items_of(app, world.home)] == [keep]
    assert audit_of(app, world.home) == [("action_item.deleted", item, {"goal_id": None})]


def test_delete_over_htmx_redirects_the_page(app, world, login_as, base):
    [item] = add_items(app, world.home, {"title": "Gone"})
    response = login_as().post(f"{base}/{item}/delete", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == base


def test_list_is_grouped_by_goal_with_unlinked_items_last(app, world, login_as, base):
    b = add_goal(app, world.home, "B goal")
    a = add_goal(app, world.home, "A goal")
    add_items(
        app,
        world.home,
        {"title": "loose"},
        {"title": "b1", "goal_id": b},
        {"title": "a2", "goal_id": a, "due_date": date(2026, 5, 1)},
        {"title": "a1", "goal_id": a, "due_date": date(2026, 4, 1)},
    )
    html = login_as().get(base).text
    assert titles_in(html) == ["a1", "a2", "b1", "loose"]
    headings = re.findall(r'<h3 class="action-group">(.*?)</h3>', html)
    assert [re.sub(r"<[^>]+>Goal: </span>", "", h) for h in headings] == ["A goal", "B goal", "Not linked to a goal"]


def test_filters_narrow_the_list_and_htmx_gets_only_the_results(app, world, login_as, base, ids):
    goal = add_goal(app, world.home)
    add_items(
        app,
        world.home,
        {"title": "mine", "assignee_membership_id": ids["coordinator"]},
        {"title": "members", "assignee_membership_id": ids["member"], "goal_id": goal},
        {"title": "late", "due_date": date(2020, 1, 1)},
        {"title": "done", "status": ActionStatus.DONE},
    )
    client = login_as()
    assert titles_in(client.get(f"{base}?assignee=me").text) == ["mine"]
    assert titles_in(client.get(f"{base}?assignee={ids['member']}").text) == ["members"]
    assert titles_in(client.get(f"{base}?goal={goal}").text) == ["members"]
    assert sorted(titles_in(client.get(f"{base}?goal=none").text)) == ["done", "late", "mine"]
    assert titles_in(client.get(f"{base}?status=done").text) == ["done"]
    assert titles_in(client.get(f"{base}?overdue=1").text) == ["late"]
    assert 'class="badge badge-danger">Overdue</span>' in client.get(f"{base}?overdue=1").text
    # nonsense filters mean "any", never an error
    assert len(titles_in(client.get(f"{base}?status=x&assignee=abc&goal=-1&page=zz").text)) == 4

    response = client.get(f"{base}?status=done&assignee=&goal=", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="action-results"')
    assert response.headers["HX-Push-Url"] == f"{base}?status=done"
    assert "Vary" in response.headers


def test_pages_of_results(app, world, login_as, base):
    add_items(app, world.home, *({"title": f"Item {n:03}"} for n in range(PAGE_SIZE + 3)))
    client = login_as()
    first = client.get(base).text
    assert len(titles_in(first)) == PAGE_SIZE and f"Showing 1–{PAGE_SIZE} of {PAGE_SIZE + 3} action items." in first
    assert '<span class="visually-hidden">Page </span>1</a>' in first and f'href="{base}?page=2"' in first
    second = client.get(f"{base}?page=2").text
    assert len(titles_in(second)) == 3
    assert len(titles_in(client.get(f"{base}?page=99").text)) == 3


def test_items_of_another_partnership_are_404(app, world, login_as, base):
    [foreign] = add_items(app, world.other, {"title": "Theirs"})
    client = login_as()
    for path in (f"{base}/{foreign}", f"{base}/{foreign}/edit", f"{base}/{foreign}/delete"):
        assert client.get(path).status_code == 404
    assert client.post(f"{base}/{foreign}/status", data={"status": "done"}).status_code == 404
    assert items_of(app, world.other)[0]["status"] == ActionStatus.OPEN


def test_activity_log_names_action_plan_changes(app, world, login_as, base):
    client = login_as()
    client.post(f"{base}/new", data={"title": "Something"})
    activity = client.get(f"/p/{world.home.slug}/activity").text
    assert "added the action item" in activity
    assert "action_item.created" not in activity


def test_the_nav_has_the_action_plan(world, login_as, base):
    html = login_as("observer").get(base).text
    assert f'href="{base}"' in html and "Action plan" in html
