"""The action plan as CSV: the filters apply, and text a spreadsheet would run is defused."""

from __future__ import annotations

import csv
import io
from datetime import date

from partnership_hub.actions.models import ActionStatus
from tests.actions.conftest import add_goal, add_items


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
