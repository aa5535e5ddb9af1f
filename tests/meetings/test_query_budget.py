"""The meetings pages cost the same number of statements for 1 meeting as for 200, and render a
bounded number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings.models import Meeting, MeetingKind
from partnership_hub.meetings.services import PAGE_SIZE
from tests.budget import BUDGET, assert_fixed_cost, statements_for
from tests.factories import create_partnership, create_user, seat_on_board, sign_in


def grow(app, partnership, size: int) -> int:
    """``size`` meetings, half past and half upcoming, some advisory; returns the first one's id."""
    now = utcnow()
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        meetings = [
            Meeting(
                title=f"Meeting {n}",
                kind=MeetingKind.ADVISORY_BOARD if n % 5 == 0 else MeetingKind.FULL_PARTNERSHIP,
                starts_at=now + timedelta(days=n - size // 2, hours=1),
                ends_at=now + timedelta(days=n - size // 2, hours=2),
                time_zone="UTC",
                confidentiality="advisory" if n % 5 == 0 else "workspace",
                facilitator_membership_id=partnership.membership_ids["coordinator"],
            )
            for n in range(size)
        ]
        db.session.add_all(meetings)
        db.session.commit()
        return meetings[0].id


def on_the_board(app, name: str):
    """A new partnership whose coordinator sits on the survivor advisory board, so the pages measured
    show its advisory meetings too (a coordinator is not admitted to them by role)."""
    partnership = create_partnership(app, create_user(app), name)
    seat_on_board(app, partnership, "coordinator")
    return partnership


@pytest.mark.parametrize("path", ["/meetings", "/meetings?kind=advisory_board", "/meetings?page=99", "/meetings/new"])
def test_meeting_pages_cost_the_same_for_1_and_for_200_meetings(app, path):
    small = on_the_board(app, "Small")
    large = on_the_board(app, "Large")
    grow(app, small, 1)
    grow(app, large, 200)

    assert_fixed_cost(app, small, large, path)


def test_the_meeting_page_costs_the_same_for_1_and_for_200_meetings(app):
    # grow()'s first meeting is an advisory board meeting: the page of a meeting the board reads.
    small = on_the_board(app, "Small")
    large = on_the_board(app, "Large")
    counts = {
        "small": statements_for(app, small, f"/meetings/{grow(app, small, 1)}"),
        "large": statements_for(app, large, f"/meetings/{grow(app, large, 200)}"),
    }
    assert counts["small"] == counts["large"] <= BUDGET, counts
    edit = {
        "small": statements_for(app, small, f"/meetings/{grow(app, small, 1)}/edit"),
        "large": statements_for(app, large, f"/meetings/{grow(app, large, 1)}/edit"),
    }
    assert edit["small"] == edit["large"] <= BUDGET, edit


def test_the_list_renders_one_page_of_meetings_at_any_size(app):
    large = on_the_board(app, "Large")
    grow(app, large, 200)
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    html = client.get(f"/p/{large.slug}/meetings").text
    assert html.count('<li class="meeting-row') == PAGE_SIZE
    assert ">Upcoming</h3>" in html and ">Past</h3>" not in html  # 100 upcoming fill the first page
    last = client.get(f"/p/{large.slug}/meetings?page=10").text
    assert last.count('<li class="meeting-row') == PAGE_SIZE and ">Past</h3>" in last


def _fill_meeting(app, partnership, meeting_id: int, size: int) -> None:
    """``size`` invitees (all extra members), decisions, agenda items with minutes and action items."""
    from partnership_hub.actions.models import ActionItem
    from partnership_hub.meetings.models import AgendaItem, Decision, InviteScope, MeetingInvitee, Rsvp
    from partnership_hub.workspaces.models import Membership, Role
    from tests.factories import create_user

    users = [create_user(app) for _ in range(size)]
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        members = [Membership(user_id=u.id, role=Role.MEMBER) for u in users]
        db.session.add_all(members)
        db.session.flush()
        meeting = db.session.get(Meeting, meeting_id)
        meeting.invite_scope = InviteScope.SELECTED
        meeting.confidentiality = "workspace"  # grow() makes its first meeting advisory
        meeting.minutes_md = "Whole **minutes**"
        items = [AgendaItem(meeting_id=meeting_id, position=n, title=f"Item {n}", minutes_md="x") for n in range(size)]
        db.session.add_all(items)
        db.session.flush()
        db.session.add_all(MeetingInvitee(meeting_id=meeting_id, membership_id=m.id, rsvp=Rsvp.YES) for m in members)
        db.session.add_all(
            Decision(meeting_id=meeting_id, agenda_item_id=items[0].id, text=f"D {n}") for n in range(size)
        )
        db.session.add_all(ActionItem(title=f"A {n}", meeting_id=meeting_id) for n in range(size))
        db.session.commit()


def test_the_meeting_page_with_1_and_200_invitees_decisions_and_actions(app):
    from partnership_hub.meetings import attendance, minutes

    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    small_id, large_id = grow(app, small, 1), grow(app, large, 1)
    _fill_meeting(app, small, small_id, 1)
    _fill_meeting(app, large, large_id, 200)
    counts = {
        "small": statements_for(app, small, f"/meetings/{small_id}"),
        "large": statements_for(app, large, f"/meetings/{large_id}"),
    }
    assert counts["small"] == counts["large"] <= BUDGET, counts
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    html = client.get(f"/p/{large.slug}/meetings/{large_id}").text
    attendance_part = html[html.index('id="meeting-attendance"') : html.index('id="meeting-minutes"')]
    assert attendance_part.count("<tr><td>") == attendance.SECTION_ROWS
    decisions_part = html[html.index('id="meeting-decisions"') : html.index('id="meeting-actions"')]
    assert decisions_part.count("<li>") == minutes.SECTION_DECISIONS
    actions_part = html[html.index('id="meeting-actions"') :]
    assert actions_part.count("/actions/") >= minutes.SECTION_ACTIONS
    assert "more in the" in actions_part


@pytest.mark.parametrize(
    "path",
    ["/meetings/decisions", "/meetings/decisions?q=D", "/meetings/{id}/attendance", "/meetings/{id}/invitations"],
)
def test_attendance_and_decision_pages_cost_the_same_at_any_size(app, path):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    small_id, large_id = grow(app, small, 1), grow(app, large, 1)
    _fill_meeting(app, small, small_id, 1)
    _fill_meeting(app, large, large_id, 200)
    counts = {
        "small": statements_for(app, small, path.format(id=small_id)),
        "large": statements_for(app, large, path.format(id=large_id)),
    }
    assert counts["small"] == counts["large"] <= BUDGET, counts
