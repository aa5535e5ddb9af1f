"""An action item agreed at a meeting is as confidential as the meeting: one from an advisory board
meeting stays out of the action plan, its page, the CSV and "your work" for people not admitted."""

from __future__ import annotations

import pytest

from partnership_hub.actions.models import ActionItem
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from tests.factories import seat_on_board
from tests.meetings.conftest import schedule
from tests.meetings.test_views import SOON

TITLE = "Follow up the advisory board shelter concerns"


def _item_from(app, partnership, meeting_id: int) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        me = partnership.members["coordinator"].id
        item = ActionItem(title=TITLE, meeting_id=meeting_id, assignee_membership_id=me, created_by_membership_id=me)
        db.session.add(item)
        db.session.commit()
        return item.id


@pytest.mark.parametrize(
    ("role", "seated", "sees"),
    [
        ("survivor_advisor", True, True),
        ("coordinator", True, True),
        ("coordinator", False, False),  # assigned the item, but not on the board: kept out
        ("member", False, False),
        ("observer", False, False),
    ],
)
def test_an_advisory_meetings_action_item_is_seen_only_by_those_admitted(login_as, app, home, role, seated, sees):
    meeting_id = schedule(app, home, date=SOON, kind="advisory_board", title="Advisory board")
    item_id = _item_from(app, home, meeting_id)
    if seated:
        seat_on_board(app, home, role)
    client = login_as(role)
    base = f"/p/{home.slug}/actions"
    assert (TITLE in client.get(base).text) == sees
    assert (client.get(f"{base}/{item_id}").status_code == 200) == sees
    assert (TITLE in client.get(f"{base}.csv").text) == sees


def test_an_action_item_from_a_workspace_meeting_is_seen_by_everyone(login_as, app, home):
    meeting_id = schedule(app, home, date=SOON)
    _item_from(app, home, meeting_id)
    assert TITLE in login_as("observer").get(f"/p/{home.slug}/actions").text
