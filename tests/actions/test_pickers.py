"""The action plan at any size (issue #8): its filters and its form hold the chosen record and a
page of matches, never the whole list of people, goals or objectives; any record can still be
chosen by id; filters work through the pickers plainly and over htmx; the CSV streams."""

from __future__ import annotations

import csv
import io
import re

import pytest

from partnership_hub.accounts.models import User
from partnership_hub.actions.models import ActionItem
from partnership_hub.actions.services import PAGE_SIZE
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals.models import Confidentiality, Goal, Horizon, Objective
from partnership_hub.picking import PICK_LIMIT
from partnership_hub.workspaces.models import Membership, Role
from tests.actions.conftest import add_goal, add_items, add_objective, items_of
from tests.budget import counting
from tests.factories import create_partnership, create_user, sign_in

# Fixed choices ("Anyone", "Me", "Nobody yet"), the chosen record and the "more match" hint.
MOST_OPTIONS = PICK_LIMIT + 5


def grow(app, partnership, size: int) -> dict[str, int]:
    """``size`` members, goals (one objective each) and action items, added in one go; returns the
    ids of the last of each by name (far past the first page of matches when ``size`` is large)."""
    with app.app_context():
        users = [
            User(name=f"Member {n:03}", email=f"grow{partnership.id}-{n}@example.org", password_hash="x")
            for n in range(size)
        ]
        db.session.add_all(users)
        db.session.flush()
        bind_tenant(db.session, partnership.id)
        members = [Membership(user_id=user.id, role=Role.MEMBER) for user in users]
        goals = [
            Goal(title=f"Goal {n:03}", horizon=Horizon.SHORT, confidentiality=Confidentiality.WORKSPACE)
            for n in range(size)
        ]
        db.session.add_all([*members, *goals])
        db.session.flush()
        objectives = [
            Objective(
                goal_id=goal.id, title=f"Objective {n:03}", metric="m", unit="u", baseline=0, target=1, current_value=0
            )
            for n, goal in enumerate(goals)
        ]
        db.session.add_all(objectives)
        db.session.flush()
        db.session.add_all(
            ActionItem(
                title=f"Item {n:03}",
                goal_id=goals[n].id,
                objective_id=objectives[n].id,
                assignee_membership_id=members[n].id,
            )
            for n in range(size)
        )
        db.session.commit()
        item = db.session.scalar(db.select(ActionItem.id).where(ActionItem.goal_id == goals[-1].id))
        return {"member": members[-1].id, "goal": goals[-1].id, "objective": objectives[-1].id, "item": item}


def selects_in(html: str) -> dict[str, list[str]]:
    """The values of each <select>'s options, by the select's id."""
    found = {}
    for attrs, body in re.findall(r"<select\b([^>]*)>(.*?)</select>", html, re.S):
        found[re.search(r'\bid="([^"]+)"', attrs).group(1)] = re.findall(r'<option[^>]*value="([^"]*)"', body)
    return found


def page_paths(last: dict[str, int]) -> dict[str, str]:
    return {
        "plan": "/actions",
        "filtered": f"/actions?assignee={last['member']}&goal={last['goal']}",
        "new": f"/actions/new?goal_id={last['goal']}&objective_id={last['objective']}&assignee=me",
        "edit": f"/actions/{last['item']}/edit",
    }


def visit(app, partnership, path: str) -> tuple[str, int]:
    """The coordinator's page and how many statements it ran (after a warm-up)."""
    client = app.test_client()
    sign_in(client, app, partnership.members["coordinator"])
    client.get(f"/p/{partnership.slug}{path}")
    with counting(app) as statements:
        response = client.get(f"/p/{partnership.slug}{path}")
    assert response.status_code == 200, (path, response.status_code)
    return response.text, len(statements)


@pytest.mark.parametrize("page", ["plan", "filtered", "new", "edit"])
def test_pages_hold_a_page_of_choices_and_cost_the_same_for_10_and_300_records(app, page):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    small_html, small_count = visit(app, small, page_paths(grow(app, small, 10))[page])
    last = grow(app, large, 300)
    large_html, large_count = visit(app, large, page_paths(last)[page])

    assert small_count == large_count, (small_count, large_count)
    small_selects, large_selects = selects_in(small_html), selects_in(large_html)
    # The pages' own selects (not the status box of each item listed, one per item on the page).
    assert {n for n in small_selects if not n.startswith("status-")} == {
        n for n in large_selects if not n.startswith("status-")
    }
    assert 3 <= len(large_selects) <= PAGE_SIZE + 6
    for name, values in large_selects.items():
        assert len(values) <= MOST_OPTIONS, (name, len(values))
    # The small partnership's pickers list all its people / goals: the bound is the picker's, not the data's.
    people = "assignee" if page in ("plan", "filtered") else "assignee_membership_id"
    assert len([v for v in small_selects[people] if v.isdigit()]) == 11  # ten members and the coordinator
    assert len(re.findall(r'<li class="action-card', large_html)) <= PAGE_SIZE
    if page in ("filtered", "edit"):  # the record chosen now is there, selected, though far past the first page
        chosen = re.findall(r'<option value="(\d+)" selected>|<option selected value="(\d+)">', large_html)
        chosen_ids = {int(a or b) for a, b in chosen}
        assert {last["member"], last["goal"]} <= chosen_ids


def test_records_past_the_first_page_of_matches_can_be_chosen(app):
    large = create_partnership(app, create_user(app), "Large")
    last = grow(app, large, 300)
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    base = f"/p/{large.slug}"
    form = client.get(f"{base}/actions/new").text
    for record in ("member", "goal", "objective"):
        assert f'value="{last[record]}"' not in form, record

    # The pickers find them by what is typed ...
    people = client.get(
        f"{base}/pick/people",
        query_string={"field": "assignee_membership_id", "assignee_membership_id__q": "member 299"},
        headers={"HX-Request": "true"},
    )
    assert f'<option value="{last["member"]}">Member 299</option>' in people.text
    objectives = client.get(
        f"{base}/pick/objectives", query_string={"field": "objective_id", "objective_id__q": "objective 299"}
    )
    assert f'<option value="{last["objective"]}">Goal 299 › Objective 299</option>' in objectives.text

    # ... and posting their ids saves them, as with any choice.
    data = {
        "title": "Far down the list",
        "goal_id": str(last["goal"]),
        "objective_id": str(last["objective"]),
        "assignee_membership_id": str(last["member"]),
    }
    response = client.post(f"{base}/actions/new", data=data)
    assert response.status_code == 302
    saved = items_of(app, large)[-1]
    assert (saved["goal_id"], saved["objective_id"], saved["assignee_membership_id"]) == (
        last["goal"],
        last["objective"],
        last["member"],
    )


def test_a_hidden_goals_objective_is_refused_and_never_offered(app, world, login_as, base):
    goal = add_goal(app, world.home, "Funding strategy", "leadership")
    objective = add_objective(app, world.home, goal, "Secret objective")
    client = login_as("member")
    assert "Secret objective" not in client.get(f"{base}/new?goal_id={goal}&objective_id={objective}").text
    response = client.post(f"{base}/new", data={"title": "Sneak", "objective_id": str(objective)})
    assert response.status_code == 422 and "Choose an objective from the list." in response.text
    assert items_of(app, world.home) == []
    # The goal filter does not name it either, asked for by id or by title.
    for query in ({"goal": str(goal)}, {"goal__q": "Funding"}):
        assert "Funding strategy" not in client.get(f"{base}/filter/goals", query_string=query).text
        assert "Funding strategy" not in client.get(base, query_string=query).text


def test_ids_from_another_partnership_are_not_offered_in_the_filters(app, world, login_as, base):
    foreign_goal = add_goal(app, world.other, "Their goal")
    foreign_member = world.other.membership_ids["coordinator"]
    client = login_as()
    html = client.get(base, query_string={"goal": foreign_goal, "assignee": foreign_member}).text
    assert "Their goal" not in html and world.other.members["coordinator"].name not in html
    for path, query in (("goals", {"goal": foreign_goal}), ("assignees", {"assignee": foreign_member})):
        options = client.get(f"{base}/filter/{path}", query_string=query).text
        assert f'value="{query.popitem()[1]}"' not in options


def test_filter_pickers_keep_their_fixed_choices_and_what_is_chosen(app, world, login_as, base, ids):
    client = login_as()
    answer = client.get(
        f"{base}/filter/assignees",
        query_string={"assignee": "me", "assignee__q": "member"},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200 and "<html" not in answer.text
    assert '<option value="me" selected>Me</option>' in answer.text
    assert '<option value="none">Nobody yet</option>' in answer.text
    assert f'<option value="{ids["member"]}">Member Person</option>' in answer.text
    assert "Vary" in answer.headers
    answer = client.get(f"{base}/filter/assignees", query_string={"assignee": ids["member"], "assignee__q": "zzz"})
    assert f'<option value="{ids["member"]}" selected>Member Person</option>' in answer.text
    assert '<option value="" selected>' not in answer.text

    goal = add_goal(app, world.home, "Referral protocol")
    answer = client.get(f"{base}/filter/goals", query_string={"goal": "none", "goal__q": "referral"})
    assert '<option value="none" selected>Not linked to a goal</option>' in answer.text
    assert f'<option value="{goal}">Referral protocol</option>' in answer.text


def test_observers_filter_by_me_or_nobody_without_a_list_of_people(app, world, login_as, base):
    answer = login_as("observer").get(f"{base}/filter/assignees", query_string={"assignee__q": "person"})
    assert answer.status_code == 200
    assert re.findall(r'<option value="([^"]*)"', answer.text) == ["", "me", "none"]


def titles_in(html: str) -> list[str]:
    return re.findall(r'<a class="action-title" href="[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize("htmx", [False, True])
def test_filters_by_picker_values_work_plainly_and_over_htmx(app, world, login_as, base, ids, htmx):
    goal = add_goal(app, world.home, "Referral protocol")
    add_items(
        app,
        world.home,
        {"title": "theirs", "assignee_membership_id": ids["member"], "goal_id": goal},
        {"title": "theirs, unlinked", "assignee_membership_id": ids["member"]},
        {"title": "mine", "assignee_membership_id": ids["coordinator"], "goal_id": goal},
    )
    # What a picker's search box holds rides along with the form; it narrows the choices, never the results.
    query = {"assignee": ids["member"], "assignee__q": "mem", "goal": goal, "goal__q": "", "status": ""}
    response = login_as().get(base, query_string=query, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200
    assert titles_in(response.text) == ["theirs"]
    export = f"{base}.csv?assignee={ids['member']}&amp;goal={goal}"
    assert f'href="{export}"' in response.text  # the CSV link keeps the filters, not the search text
    if htmx:
        assert response.text.lstrip().startswith('<section id="action-results"')
        assert response.headers["HX-Push-Url"] == f"{base}?assignee={ids['member']}&goal={goal}"
    else:
        selects = selects_in(response.text)
        assert selects["assignee"][:4] == ["", "me", "none", str(ids["member"])]
        assert selects["goal"] == ["", "none", str(goal)]
        assert 'name="assignee__q" value="mem"' in response.text


def test_the_csv_streams_every_row_in_batches(app, world, login_as, base):
    add_items(app, world.home, *({"title": f"Item {n:04}"} for n in range(1203)))
    response = login_as().get(f"{base}.csv", buffered=False)
    assert response.is_streamed
    header, *rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header[0] == "Action"
    assert [row[0] for row in rows] == [f"Item {n:04}" for n in range(1203)]


def test_the_edit_form_shows_the_items_links_but_never_a_hidden_persons_name(app, world, login_as, base, ids):
    goal = add_goal(app, world.home, "Referral protocol")
    objective = add_objective(app, world.home, goal, "Agencies signed on")
    [item] = add_items(
        app,
        world.home,
        {
            "title": "Call agencies",
            "goal_id": goal,
            "objective_id": objective,
            "assignee_membership_id": ids["survivor_advisor"],
            "created_by_membership_id": ids["member"],
        },
    )
    advisor = world.user("survivor_advisor").name
    coordinator_view = login_as().get(f"{base}/{item}/edit").text
    assert f'<option selected value="{ids["survivor_advisor"]}">{advisor}</option>' in coordinator_view
    assert f'<option selected value="{objective}">Referral protocol › Agencies signed on</option>' in coordinator_view
    member_view = login_as("member").get(f"{base}/{item}/edit")
    assert member_view.status_code == 200 and advisor not in member_view.text
