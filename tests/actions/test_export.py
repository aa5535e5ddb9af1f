"""The action plan as CSV: the filters apply, and text a spreadsheet would run is defused."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from partnership_hub.actions.models import ActionStatus
from tests.actions.conftest import add_goal, add_items, add_objective
from tests.factories import seat_on_board


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_lists_items_with_their_links(app, world, login_as, base, ids):
    goal = add_goal(app, world.home, "Referral protocol")
    add_items(
        app,
        world.home,
        {"title": "Late", "goal_id": goal, "due_date": date(2020, 1, 2), "assignee_membership_id": ids["member"]},
        {"title": "Done", "status": ActionStatus.DONE},
    )
    response = login_as().get(f"{base}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    header, *rows = rows_of(response.text)
    assert header[:5] == ["Action", "Status", "Overdue", "Due date", "Assigned to"]
    assert rows == [
        ["Late", "Open", "yes", "2020-01-02", "Member Person", "Referral protocol", "", ""],
        ["Done", "Done", "no", "", "", "", "", ""],
    ]


def test_csv_honours_the_filters(app, world, login_as, base):
    add_items(app, world.home, {"title": "Open one"}, {"title": "Done one", "status": ActionStatus.DONE})
    _, *rows = rows_of(login_as().get(f"{base}.csv?status=done").text)
    assert [row[0] for row in rows] == ["Done one"]


def test_csv_defuses_formulas(app, world, login_as, base):
    add_items(app, world.home, {"title": '=HYPERLINK("http://evil")', "description": "+1 call"})
    _, row = rows_of(login_as().get(f"{base}.csv").text)
    assert row[0] == '\'=HYPERLINK("http://evil")'
    assert row[-1] == "'+1 call"


@pytest.fixture
def plan(app, world, ids):
    """Items under a workspace goal (one with its objective) and a leadership goal, and unlinked ones,
    assigned to a survivor advisor, the member, the observer or nobody, on fixed days."""
    seat_on_board(app, world.home, "survivor_advisor")
    open_goal = add_goal(app, world.home, 'Referrals, "warm" handoffs')
    objective = add_objective(app, world.home, open_goal, "=Agencies signed on")
    closed = add_goal(app, world.home, "Leadership plan", confidentiality="leadership")
    add_items(
        app,
        world.home,
        {
            "title": "Call agencies",
            "goal_id": open_goal,
            "objective_id": objective,
            "due_date": date(2021, 3, 1),
            "status": ActionStatus.IN_PROGRESS,
            "assignee_membership_id": ids["survivor_advisor"],
            "description": "Line one\nline two",
        },
        {"title": "Draft the protocol", "goal_id": open_goal, "due_date": date(2999, 1, 1)},
        {"title": "Seat the board", "goal_id": closed, "assignee_membership_id": ids["member"]},
        {
            "title": "-Book the room",
            "due_date": date(2020, 1, 2),
            "assignee_membership_id": ids["member"],
            "description": '@everyone, bring "notes"',
        },
        {"title": "Send minutes", "status": ActionStatus.DONE, "due_date": date(2020, 1, 3)},
        {"title": "Observe", "status": ActionStatus.CANCELLED, "assignee_membership_id": ids["observer"]},
    )


# Whole files, pinned: which rows, the names each role is shown, quoting and the formula guard.
EXPECTED: dict[str, tuple[int, str]] = {
    "coordinator": (
        200,
        (
            "Action,Status,Overdue,Due date,Assigned to,Goal,Objective,Description\r\n"
            "Seat the board,Open,no,,Member Person,Leadership plan,,\r\n"
            'Call agencies,In progress,yes,2021-03-01,Survivor_Advisor Person,"Referrals, ""warm"" handoffs",\'=Agencies signed on,"Line one\nline two"\r\n'  # noqa: E501
            'Draft the protocol,Open,no,2999-01-01,,"Referrals, ""warm"" handoffs",,\r\n'
            '\'-Book the room,Open,yes,2020-01-02,Member Person,,,"\'@everyone, bring ""notes"""\r\n'
            "Send minutes,Done,no,2020-01-03,,,,\r\n"
            "Observe,Cancelled,no,,Observer Person,,,\r\n"
        ),
    ),
    "member": (
        200,
        (
            "Action,Status,Overdue,Due date,Assigned to,Goal,Objective,Description\r\n"
            'Call agencies,In progress,yes,2021-03-01,A survivor advisor,"Referrals, ""warm"" handoffs",\'=Agencies signed on,"Line one\nline two"\r\n'  # noqa: E501
            'Draft the protocol,Open,no,2999-01-01,,"Referrals, ""warm"" handoffs",,\r\n'
            '\'-Book the room,Open,yes,2020-01-02,Member Person,,,"\'@everyone, bring ""notes"""\r\n'
            "Send minutes,Done,no,2020-01-03,,,,\r\n"
            "Observe,Cancelled,no,,Observer Person,,,\r\n"
        ),
    ),
    "survivor_advisor": (
        200,
        (
            "Action,Status,Overdue,Due date,Assigned to,Goal,Objective,Description\r\n"
            'Call agencies,In progress,yes,2021-03-01,Survivor_Advisor Person,"Referrals, ""warm"" handoffs",\'=Agencies signed on,"Line one\nline two"\r\n'  # noqa: E501
            'Draft the protocol,Open,no,2999-01-01,,"Referrals, ""warm"" handoffs",,\r\n'
            '\'-Book the room,Open,yes,2020-01-02,Member Person,,,"\'@everyone, bring ""notes"""\r\n'
            "Send minutes,Done,no,2020-01-03,,,,\r\n"
            "Observe,Cancelled,no,,Observer Person,,,\r\n"
        ),
    ),
    "observer": (
        200,
        (
            "Action,Status,Overdue,Due date,Assigned to,Goal,Objective,Description\r\n"
            'Call agencies,In progress,yes,2021-03-01,A survivor advisor,"Referrals, ""warm"" handoffs",\'=Agencies signed on,"Line one\nline two"\r\n'  # noqa: E501
            'Draft the protocol,Open,no,2999-01-01,,"Referrals, ""warm"" handoffs",,\r\n'
            '\'-Book the room,Open,yes,2020-01-02,A partnership member,,,"\'@everyone, bring ""notes"""\r\n'
            "Send minutes,Done,no,2020-01-03,,,,\r\n"
            "Observe,Cancelled,no,,A partnership member,,,\r\n"
        ),
    ),
}


@pytest.mark.parametrize("role", ["coordinator", "member", "survivor_advisor", "observer"])
def test_the_csv_is_exactly_these_bytes_for_each_role(app, world, login_as, base, plan, role):
    response = login_as(role).get(f"{base}.csv")
    assert (response.status_code, response.get_data(as_text=True)) == EXPECTED[role]


def test_the_csv_logs_each_confidential_goal_it_names(app, world, login_as, base, plan):
    """The file names each item's goal: a goal above ``workspace`` is logged as exported (one entry,
    however many of its items the file lists), for those who may read it; the others' files leave it
    out and log nothing."""
    from sqlalchemy import select

    from partnership_hub.confidentiality import AccessLogEntry
    from partnership_hub.db import bind_tenant
    from partnership_hub.extensions import db
    from partnership_hub.goals.models import Goal

    def exported() -> list[tuple[str, str, int | None]]:
        with app.app_context():
            bind_tenant(db.session, world.home.id)
            stmt = (
                select(Goal.title, AccessLogEntry.how, AccessLogEntry.membership_id)
                .join(Goal, Goal.id == AccessLogEntry.record_id)
                .where(AccessLogEntry.record_kind == "goal")
            )
            return list(db.session.execute(stmt).tuples())

    assert login_as("member").get(f"{base}.csv").status_code == 200
    assert exported() == []
    assert login_as("coordinator").get(f"{base}.csv").status_code == 200
    assert exported() == [("Leadership plan", "exported", world.home.membership_ids["coordinator"])]
