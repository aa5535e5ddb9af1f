"""Goals pages render a bounded number of rows whatever the size of the partnership: every people
or organization control is a picker (the chosen values plus at most a page of matches), the
overview is paginated, and the statement count does not move. The pickers keep what was chosen
when a form comes back with errors, and anyone can still be chosen by id (typed into the search,
or sent by a plain post), not only those on the first page.

Sizes are 30 and 300: both beyond one page of matches (20) and one page of goals (25), so a page
that is bounded renders exactly the same number of rows at both."""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from partnership_hub import streaming
from partnership_hub.accounts.models import User
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.goals import queries
from partnership_hub.goals.models import Goal, GoalLeadOrganization, Horizon, Objective, ProgressUpdate
from partnership_hub.members.models import Organization, name_key
from partnership_hub.picking import PICK_LIMIT
from partnership_hub.workspaces.models import Membership, Role
from tests.budget import BUDGET, counting
from tests.factories import PartnershipRec, create_partnership, create_user, sign_in
from tests.goals.helpers import partnership_today

OBJECTIVE = {"metric": "m", "unit": "u", "baseline": "0", "target": "1"}


@dataclass
class Sized:
    partnership: PartnershipRec
    size: int
    goal_id: int  # a goal with objectives, updates, a lead organization and named people
    objective_id: int
    last_person: int  # the membership id whose name sorts last (never on the first page)
    last_organization: int


def grow(app, partnership: PartnershipRec, size: int) -> Sized:
    """``size`` people (every role), organizations and goals (two objectives, two updates each)."""
    today = partnership_today(app, partnership)
    coordinator = partnership.membership_ids["coordinator"]
    with app.app_context():
        users = [
            User(name=f"Person {n:04d}", email=f"p{partnership.id}-{n}@example.org", password_hash="x")
            for n in range(size)
        ]
        db.session.add_all(users)
        db.session.flush()
        bind_tenant(db.session, partnership.id)
        roles = [Role.MEMBER, Role.COORDINATOR, Role.SURVIVOR_ADVISOR, Role.OBSERVER]
        people = [Membership(user_id=u.id, role=roles[n % len(roles)]) for n, u in enumerate(users)]
        organizations = [Organization(name=f"Org {n:04d}", name_key=name_key(f"Org {n:04d}")) for n in range(size)]
        db.session.add_all(people + organizations)
        db.session.flush()
        members = [m for m in people if m.role == Role.MEMBER]
        owners = [m for m in people if m.role != Role.OBSERVER]  # more than a page of matches
        goals = [
            Goal(
                title=f"Goal {n:04d}",
                horizon=list(Horizon)[n % 3],
                ps=[["prevention"], ["protection", "partnership"], []][n % 3],
                owner_membership_id=owners[n % len(owners)].id,
                author_membership_id=coordinator,
                target_date=today - timedelta(days=n % 40),
            )
            for n in range(size)
        ]
        db.session.add_all(goals)
        db.session.flush()
        objectives = [
            Objective(
                goal_id=goal.id,
                title=f"Objective {n}-{k}",
                metric="m",
                unit="u",
                baseline=0,
                target=100,
                current_value=k * 10,
                owner_membership_id=members[(n + k) % len(members)].id,
                due_date=today,
                last_update_at=utcnow(),
            )
            for n, goal in enumerate(goals)
            for k in range(2)
        ]
        db.session.add_all(objectives)
        db.session.add_all(
            GoalLeadOrganization(goal_id=goal.id, organization_id=organizations[n].id) for n, goal in enumerate(goals)
        )
        db.session.flush()
        db.session.add_all(
            ProgressUpdate(objective_id=o.id, value=v, recorded_on=today - timedelta(days=v), author_membership_id=m.id)
            for o, m in zip(objectives, people * 2, strict=False)
            for v in (5, 15)
        )
        db.session.commit()
        last_member = max(members, key=lambda m: m.id)
        return Sized(partnership, size, goals[0].id, objectives[0].id, last_member.id, organizations[-1].id)


def _sized(app):
    small = grow(app, create_partnership(app, create_user(app), "Small"), 30)
    large = grow(app, create_partnership(app, create_user(app), "Large"), 300)
    return small, large


@pytest.fixture
def sized(keep):
    return keep(_sized)


def options(html: str, select_id: str) -> list[tuple[str, bool]]:
    """The (value, selected) of every <option> of the <select id=select_id>."""
    match = re.search(rf'<select[^>]*\bid="{re.escape(select_id)}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select {select_id}"
    found = []
    for attributes in re.findall(r"<option\b([^>]*)>", match.group(1)):
        value = re.search(r'value="([^"]*)"', attributes)
        found.append((value.group(1) if value else "", bool(re.search(r"\bselected\b", attributes))))
    return found


def shape(html: str) -> dict[str, int]:
    """What a page renders that could grow: options per select, list items, table rows (the
    pagination control aside: it links a window of pages around this one)."""
    html = re.sub(r'<nav class="pagination".*?</nav>', "", html, flags=re.S)
    counts = {
        f"select#{sid}": len(re.findall(r"<option", body))
        for sid, body in re.findall(r'<select[^>]*\bid="([^"]+)"[^>]*>(.*?)</select>', html, re.S)
    }
    counts["li"] = html.count("<li")
    counts["tr"] = html.count("<tr")
    return counts


def visit(app, sized: Sized, path: str) -> tuple[int, str]:
    """(statements, body) of the coordinator's GET, the streamed body included, after a warm-up."""
    client = app.test_client()
    sign_in(client, app, sized.partnership.members["coordinator"])
    url = f"/p/{sized.partnership.slug}{path.format(s=sized)}"
    client.get(url).get_data()
    with counting(app) as statements:
        response = client.get(url)
        body = response.get_data(as_text=True)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements), body


PAGES = [
    "/goals",
    "/goals?group=p",
    "/goals?status=proposed&group=p",
    "/goals?owner={s.last_person}&organization={s.last_organization}&status=active",
    "/goals?owner__q=person&organization__q=org",
    "/goals/new",
    "/goals/{s.goal_id}",
    "/goals/{s.goal_id}/edit",
    "/goals/{s.goal_id}/objectives/new",
    "/goals/objectives/{s.objective_id}/edit",
    "/goals/report?start=2000-01-01&end=2000-12-31",  # a range with no activity: the page's own rows
    "/pick/goal-owners?field=owner&owner__q=person",
    "/pick/objectives?field=objective",
    "/pick/objectives?field=objective&objective__q=objective&objective={s.objective_id}",
]


@pytest.mark.parametrize("path", PAGES)
def test_goal_pages_render_and_cost_the_same_for_30_and_for_300(app, sized, path):
    small, large = sized
    (small_count, small_body), (large_count, large_body) = visit(app, small, path), visit(app, large, path)
    assert small_count == large_count, (small_count, large_count)
    assert large_count <= BUDGET, large_count
    assert shape(small_body) == shape(large_body)
    for select_id, count in shape(large_body).items():
        if select_id.startswith("select#"):
            assert count <= PICK_LIMIT + 3, (select_id, count)  # blank, the chosen one, "more match"


def test_the_report_shows_a_page_of_goals_and_costs_the_same(app, sized):
    """The report lists a page of the goals that moved (each objective once, not each update): its
    rows and statements do not follow the activity in the range (more in test_report_bounded)."""
    small, large = sized
    small_count, small_body = visit(app, small, "/goals/report")
    large_count, body = visit(app, large, "/goals/report")
    assert small_count == large_count <= BUDGET
    assert body.count("<tr") == small_body.count("<tr") == 1 + queries.REPORT_PAGE_SIZE * 2  # header, objectives


def test_the_overview_shows_one_page_of_goals_and_counts_them_all(app, sized):
    _small, large = sized
    _count, body = visit(app, large, "/goals")
    assert body.count('class="card goal-card') == queries.OVERVIEW_PAGE_SIZE
    # The counts stop OVERVIEW_COUNT_CAP (100) past what they need: bounded, "100+" on the first page.
    assert 'All goals <span class="count">100+</span>' in body
    assert "Showing 1–25 of 100+" in body
    assert 'Short term <span class="count">100</span>' in body
    _count, last = visit(app, large, "/goals?page=12")
    assert "Showing 276–300 of 300" in last and "Goal 0299" in last
    # By P a goal serving two Ps is listed under each: 100 + 100 + 100 + 100 (none).
    _count, by_p = visit(app, large, "/goals?group=p&page=16")
    assert "Showing 376–400 of 400" in by_p and "No P chosen" in by_p


def test_the_filters_are_pickers_that_keep_the_chosen_owner_and_organization(app, sized):
    _small, large = sized
    path = f"/goals?owner={large.last_person}&organization={large.last_organization}"
    _count, body = visit(app, large, path)
    assert (str(large.last_person), True) in options(body, "filter-owner")
    assert (str(large.last_organization), True) in options(body, "filter-organization")
    # Without JavaScript, what was typed in the search box narrows the choices on the next load.
    _count, typed = visit(app, large, "/goals?organization__q=org 0299")
    assert [value for value, _ in options(typed, "filter-organization")] == ["", str(large.last_organization)]


def test_owner_filter_lists_only_people_who_own_a_goal(app, sized):
    _small, large = sized
    _count, body = visit(app, large, "/pick/goal-owners?field=owner&owner__q=person")
    with app.app_context():
        bind_tenant(db.session, large.partnership.id)
        owners = set(db.session.scalars(select(Goal.owner_membership_id)))
    values = {int(v) for v, _ in re.findall(r'<option value="(\d+)"()', body)}
    assert values and values <= owners


def test_a_form_shown_again_with_errors_keeps_the_people_and_organizations_chosen(app, sized):
    _small, large = sized
    client = app.test_client()
    sign_in(client, app, large.partnership.members["coordinator"])
    base = f"/p/{large.partnership.slug}"
    data = {
        "title": "",
        "horizon": "short",
        "status": "active",
        "confidentiality": "private",
        "owner_membership_id": str(large.last_person),
        "lead_organization_ids": [str(large.last_organization)],
        "access_membership_ids": [str(large.last_person)],
    }
    response = client.post(f"{base}/goals/new", data=data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert (str(large.last_person), True) in options(body, "owner_membership_id")
    assert (str(large.last_organization), True) in options(body, "lead_organization_ids")
    assert (str(large.last_person), True) in options(body, "access_membership_ids")
    assert len(options(body, "lead_organization_ids")) <= PICK_LIMIT + 2

    response = client.post(
        f"{base}/goals/{large.goal_id}/objectives/new",
        data={
            "title": "",
            "metric": "m",
            "unit": "u",
            "baseline": "0",
            "target": "1",
            "owner_membership_id": str(large.last_person),
        },
    )
    assert response.status_code == 422
    assert (str(large.last_person), True) in options(response.get_data(as_text=True), "owner_membership_id")


def test_people_and_organizations_beyond_the_first_page_can_be_chosen(app, sized):
    _small, large = sized
    client = app.test_client()
    sign_in(client, app, large.partnership.members["coordinator"])
    base = f"/p/{large.partnership.slug}"
    # Not on the first page of the pickers the form shows...
    form = client.get(f"{base}/goals/new").get_data(as_text=True)
    assert str(large.last_organization) not in {v for v, _ in options(form, "lead_organization_ids")}
    assert str(large.last_person) not in {v for v, _ in options(form, "owner_membership_id")}
    # ...found by typing...
    found = client.get(
        f"{base}/pick/organizations?field=lead_organization_ids&lead_organization_ids__q=Org 0299"
    ).get_data(as_text=True)
    assert f'value="{large.last_organization}"' in found
    # ...and chosen.
    response = client.post(
        f"{base}/goals/new",
        data={
            "title": "Reach the far end",
            "horizon": "short",
            "status": "active",
            "confidentiality": "private",
            "owner_membership_id": str(large.last_person),
            "lead_organization_ids": [str(large.last_organization)],
            "access_membership_ids": [str(large.last_person)],
        },
    )
    assert response.status_code in (302, 303)
    response = client.post(
        f"{base}/goals/{large.goal_id}/objectives/new",
        data={
            "title": "Far",
            "metric": "m",
            "unit": "u",
            "baseline": "0",
            "target": "1",
            "owner_membership_id": str(large.last_person),
        },
    )
    assert response.status_code in (302, 303)
    with app.app_context():
        bind_tenant(db.session, large.partnership.id)
        goal = db.session.scalars(select(Goal).where(Goal.title == "Reach the far end")).one()
        assert goal.owner_membership_id == large.last_person
        leads = db.session.scalars(
            select(GoalLeadOrganization.organization_id).where(GoalLeadOrganization.goal_id == goal.id)
        )
        assert list(leads) == [large.last_organization]
        objective = db.session.scalars(select(Objective).where(Objective.title == "Far")).one()
        assert objective.owner_membership_id == large.last_person


def test_the_edit_form_shows_the_goals_people_and_organizations_chosen(app, sized):
    _small, large = sized
    client = app.test_client()
    sign_in(client, app, large.partnership.members["coordinator"])
    with app.app_context():
        bind_tenant(db.session, large.partnership.id)
        goal = db.session.scalars(select(Goal).where(Goal.title == "Goal 0299")).one()
        goal_id, owner = goal.id, goal.owner_membership_id
    body = client.get(f"/p/{large.partnership.slug}/goals/{goal_id}/edit").get_data(as_text=True)
    assert (str(owner), True) in options(body, "owner_membership_id")
    assert (str(large.last_organization), True) in options(body, "lead_organization_ids")


@pytest.mark.parametrize("path", ["/goals.csv", "/goals/objectives.csv", "/goals/updates.csv"])
def test_exports_are_complete_and_read_in_batches(app, sized, monkeypatch, path):
    small, large = sized
    expected = {"/goals.csv": 300, "/goals/objectives.csv": 600, "/goals/updates.csv": 1200}[path]
    files, counts = {}, {}
    for batch in (5000, 7):  # one batch, and many (the streams merged across their batches' ends)
        monkeypatch.setattr(streaming, "BATCH", batch)
        counts[batch], body = visit(app, large, path)
        rows = list(csv.reader(io.StringIO(body)))
        assert len(rows) == expected + 1, (batch, len(rows))
        files[batch] = rows
    assert files[5000] == files[7]
    # Names are there for every row that has someone (owners, authors).
    header = files[7][0]
    column = "Posted by" if path.endswith("updates.csv") else "Owner"
    assert all(row[header.index(column)] for row in files[7][1:])
    # The same statements whatever the batches and the partnership's size.
    assert counts[5000] == counts[7] == visit(app, small, path)[0], counts


def test_survivor_advisors_are_named_only_to_people_who_may_know_them(app, world, login_as):
    from tests.goals.helpers import make_goal, make_objective

    advisor = world.home.membership_ids["survivor_advisor"]
    goal_id = make_goal(app, world.home, title="Advised goal", owner_membership_id=advisor)
    make_objective(app, world.home, goal_id, owner_membership_id=advisor)
    name = world.user("survivor_advisor").name
    base = f"/p/{world.home.slug}"
    for role, sees in (("coordinator", True), ("survivor_advisor", True), ("member", False), ("observer", False)):
        client = login_as(role)
        for path in ("/goals", f"/goals/{goal_id}", "/goals.csv", "/goals/objectives.csv"):
            body = client.get(base + path).get_data(as_text=True)
            assert (name in body) is sees, (role, path)
            assert ("A survivor advisor" in body) is not sees, (role, path)


def test_the_attention_heading_counts_up_to_a_cap(app, sized, monkeypatch):
    """Judging every goal for "N goals need attention" would cost in proportion to the partnership:
    past the cap the heading says "N+"; below it the exact number."""
    _small, large = sized
    monkeypatch.setattr(queries, "ATTENTION_COUNT_CAP", 10_000)
    _count, body = visit(app, large, "/goals")
    exact = re.search(r"(\d+) goals need attention", body)
    assert exact and "+ goals need attention" not in body
    monkeypatch.setattr(queries, "ATTENTION_COUNT_CAP", int(exact.group(1)) - 1)
    _count, capped = visit(app, large, "/goals")
    assert f"{int(exact.group(1)) - 1}+ goals need attention" in capped
    monkeypatch.setattr(queries, "ATTENTION_COUNT_CAP", int(exact.group(1)))
    _count, at_cap = visit(app, large, "/goals")
    assert f"{exact.group(1)} goals need attention" in at_cap and "+ goals need" not in at_cap


def test_the_objective_picker_lists_the_first_objectives_by_label_and_keeps_the_chosen(app, sized):
    _small, large = sized
    _count, body = visit(app, large, "/pick/objectives?field=objective")
    labels = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', body)
    assert len(labels) == PICK_LIMIT
    assert labels == sorted(labels, key=str.lower)
    with app.app_context():
        bind_tenant(db.session, large.partnership.id)
        rows = db.session.execute(
            select(Objective.id, Goal.title + " › " + Objective.title).join(Goal, Goal.id == Objective.goal_id)
        ).all()
    expected = [label for _id, label in sorted(rows, key=lambda r: (r[1].lower(), r[0]))][:PICK_LIMIT]
    assert [html.unescape(label) for label in labels] == expected
    last_id = max(rows, key=lambda r: (r[1].lower(), r[0]))[0]
    _count, chosen = visit(app, large, f"/pick/objectives?field=objective&objective={last_id}")
    assert f'value="{last_id}"' in chosen


def test_the_owner_picker_lists_the_first_owners_by_name_and_only_owners(app, sized):
    """The owner filter walks the members by name, testing each for a goal: it lists the first
    PICK_LIMIT owners by name (never someone who owns nothing) and keeps the chosen one."""
    _small, large = sized
    _count, body = visit(app, large, "/pick/goal-owners?field=owner")
    ids = [int(v) for v in re.findall(r'<option value="(\d+)"', body)]
    assert len(ids) == PICK_LIMIT
    with app.app_context():
        bind_tenant(db.session, large.partnership.id)
        owners = set(db.session.scalars(select(Goal.owner_membership_id)))
        rows = db.session.execute(
            select(Membership.id, Membership.sort_name, Membership.role).where(Membership.id.in_(owners))
        ).all()
    hidden = {mid for mid, _name, role in rows if role == Role.SURVIVOR_ADVISOR}
    assert set(ids) <= owners
    expected = [mid for mid, name, _role in sorted(rows, key=lambda r: (r[1], r[0]))][: PICK_LIMIT + len(hidden)]
    assert ids == [mid for mid in expected if mid in ids][:PICK_LIMIT]
    assert ids == sorted(ids, key=lambda mid: next((r[1], r[0]) for r in rows if r[0] == mid))
