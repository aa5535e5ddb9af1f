"""Every path that shows a confidential goal's content leaves an access-log entry (issue #9, finding
6): the goal's page, its forms, its objectives' forms, the CSVs, the progress report, the action
items under it. The confidentiality layer notes the reads and writes them after the request, in one
statement, so a page costs the same number of statements however many confidential goals it shows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from partnership_hub.actions import services as actions
from partnership_hub.confidentiality import AccessLogEntry, Level
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from tests.budget import counting
from tests.goals.helpers import ctx_of, make_goal, make_objective, partnership_today, post


def _reads(app, partnership) -> list[tuple[str, int, str, int | None]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(
            AccessLogEntry.record_kind, AccessLogEntry.record_id, AccessLogEntry.how, AccessLogEntry.membership_id
        ).order_by(AccessLogEntry.id)
        return [tuple(row) for row in db.session.execute(stmt)]


def _clear(app, partnership) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.query(AccessLogEntry).delete()
        db.session.commit()


def _item(app, partnership, goal_id: int, title: str = "Book the training room") -> int:
    with app.app_context():
        item = actions.create_item(ctx_of(partnership), {"title": title, "goal_id": str(goal_id)})
        db.session.commit()
        return item.id


@pytest.fixture
def goals(app, world):
    """A leadership goal and a workspace one, each with an objective that has progress and an item."""
    today = partnership_today(app, world.home)
    ids = {}
    for level in ("leadership", "workspace"):
        goal = make_goal(app, world.home, title=f"A {level} goal", confidentiality=level, start_date=today)
        objective = make_objective(app, world.home, goal)
        post(app, world.home, objective, 10, today)
        ids[level] = (goal, objective, _item(app, world.home, goal))
    _clear(app, world.home)  # writing them left no reads; start from an empty log
    return ids


PATHS = {
    "goal page": lambda g, o, i: f"/goals/{g}",
    "goal edit form": lambda g, o, i: f"/goals/{g}/edit",
    "new objective form": lambda g, o, i: f"/goals/{g}/objectives/new",
    "objective edit form": lambda g, o, i: f"/goals/objectives/{o}/edit",
    "action item": lambda g, o, i: f"/actions/{i}",
    "action item edit form": lambda g, o, i: f"/actions/{i}/edit",
}


@pytest.mark.parametrize("path", PATHS)
def test_each_page_showing_a_confidential_goal_logs_the_read(app, world, login_as, goals, path):
    client = login_as("coordinator")
    me = world.home.membership_ids["coordinator"]
    closed, open_ = goals["leadership"], goals["workspace"]
    assert client.get(f"/p/{world.home.slug}{PATHS[path](*open_)}").status_code == 200
    assert _reads(app, world.home) == []  # a workspace-level goal is not logged
    assert client.get(f"/p/{world.home.slug}{PATHS[path](*closed)}").status_code == 200
    assert _reads(app, world.home) == [("goal", closed[0], "viewed", me)]


@pytest.mark.parametrize("path", ["/goals.csv", "/goals/objectives.csv", "/goals/updates.csv"])
def test_each_export_logs_one_entry_per_confidential_goal_it_contains(app, world, login_as, goals, path):
    client = login_as("coordinator")
    response = client.get(f"/p/{world.home.slug}{path}")
    assert response.status_code == 200
    assert "A leadership goal" in response.text
    me = world.home.membership_ids["coordinator"]
    assert _reads(app, world.home) == [("goal", goals["leadership"][0], "exported", me)]


@pytest.mark.parametrize("path", ["/goals/report", "/goals", "/actions"])
def test_lists_and_the_report_log_the_confidential_goals_they_show(app, world, login_as, goals, path):
    client = login_as("coordinator")
    response = client.get(f"/p/{world.home.slug}{path}")
    assert response.status_code == 200
    assert "A leadership goal" in response.text
    assert [(kind, record) for kind, record, _how, _who in _reads(app, world.home)] == [
        ("goal", goals["leadership"][0])
    ]


def test_a_refused_or_failed_read_and_a_form_post_log_nothing(app, world, login_as, goals):
    closed = goals["leadership"]
    # the member may not read a leadership goal: 404, and no entry
    assert login_as("member").get(f"/p/{world.home.slug}/goals/{closed[0]}").status_code == 404
    assert login_as("member").get(f"/p/{world.home.slug}/actions/{closed[2]}").status_code == 404
    # a form shown again with errors (a POST) is the author's own input, not a read
    response = login_as("coordinator").post(f"/p/{world.home.slug}/goals/{closed[0]}/edit", data={"title": ""})
    assert response.status_code == 422
    assert _reads(app, world.home) == []


def test_a_grant_holders_reads_are_logged_too(app, world, login_as):
    member = world.home.membership_ids["member"]
    goal = make_goal(app, world.home, title="Shared", confidentiality="advisory", access_membership_ids=[member])
    _clear(app, world.home)
    assert login_as("member").get(f"/p/{world.home.slug}/goals/{goal}/edit").status_code in (403, 404)
    assert login_as("member").get(f"/p/{world.home.slug}/goals/{goal}").status_code == 200
    assert _reads(app, world.home) == [("goal", goal, "viewed", member)]


def test_the_kept_insert_writes_each_requests_own_person_and_record(app, world, login_as):
    """The access log's INSERT is made once per number of records viewed and kept: two people reading
    one record each (the same statement), in turn, are each logged with their own record."""
    from partnership_hub import confidentiality

    coordinator, member = world.home.membership_ids["coordinator"], world.home.membership_ids["member"]
    first = make_goal(app, world.home, title="First", confidentiality="advisory", access_membership_ids=[member])
    second = make_goal(app, world.home, title="Second", confidentiality="leadership")
    _clear(app, world.home)
    assert login_as("member").get(f"/p/{world.home.slug}/goals/{first}").status_code == 200
    kept = confidentiality._insert_viewed.cache_info()
    assert login_as("coordinator").get(f"/p/{world.home.slug}/goals/{second}").status_code == 200
    assert confidentiality._insert_viewed.cache_info().hits == kept.hits + 1
    assert _reads(app, world.home) == [("goal", first, "viewed", member), ("goal", second, "viewed", coordinator)]


def _statements(app, client, path: str) -> int:
    client.get(path)  # warm-up
    with counting(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/goals", "/goals/report", "/actions", "/goals.csv", "/goals/updates.csv"])
def test_logging_costs_one_statement_however_many_confidential_goals_a_page_shows(app, world, login_as, path):
    today = partnership_today(app, world.home)

    def add(n: int) -> None:
        for k in range(n):
            goal = make_goal(app, world.home, title=f"Board goal {k}", confidentiality="leadership", start_date=today)
            objective = make_objective(app, world.home, goal)
            post(app, world.home, objective, 5, today)
            _item(app, world.home, goal, f"Item {k}")

    client = login_as("coordinator")
    add(1)
    one = _statements(app, client, f"/p/{world.home.slug}{path}")
    add(4)
    five = _statements(app, client, f"/p/{world.home.slug}{path}")
    assert one == five
    reads = _reads(app, world.home)
    assert len({record for _kind, record, _how, _who in reads}) == 5
    with app.app_context():
        assert Level.LEADERSHIP  # the entries carry the goal's level
        bind_tenant(db.session, world.home.id)
        assert set(db.session.scalars(select(AccessLogEntry.level))) == {Level.LEADERSHIP}
