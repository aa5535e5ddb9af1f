"""The board's meetings page at any size: one page of the board's meetings the viewer may see (never
another kind, never a private one of someone else's), and on PostgreSQL a statement that reads the board's
meetings only, from one index that carries the visibility rule's columns (index-only walks and count)."""

from __future__ import annotations

import json
import re
from datetime import date, time, timedelta

import pytest

from partnership_hub.advisory import restricted
from partnership_hub.context import context_for
from partnership_hub.extensions import db
from partnership_hub.meetings import services as meetings
from partnership_hub.meetings.models import MeetingKind
from partnership_hub.workspaces.models import Role
from tests import factories
from tests.factories import add_member, create_partnership, create_user, sign_in
from tests.plans import plan_nodes

INDEX = "ix_meetings_partnership_id_kind_starts_at_id"
WEEKS = 24  # per series: twelve weeks back, eleven ahead


def _schedule(app, partnership, who: str, title: str, kind: MeetingKind, start: time, level: str = "") -> None:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.membership_ids[who])
        first = date.today() - timedelta(weeks=WEEKS // 2)
        end = time(start.hour + 1)
        request = meetings.ScheduleRequest(
            title, kind, first, start, end, confidentiality=level, repeat="weekly:1", repeat_count=str(WEEKS)
        )
        meetings.schedule_meeting(ctx, request.data())
        db.session.commit()


def _board_with_meetings(app):
    """The coordinator chairs the board; two weekly series of board meetings, one of another kind, and a
    series of board meetings another coordinator keeps private."""
    partnership = create_partnership(app, create_user(app), "Board meetings")
    add_member(app, partnership, create_user(app, "Other Coordinator"), Role.COORDINATOR, "other")
    factories.seat_on_board(app, partnership, "coordinator", chair="coordinator")
    _schedule(app, partnership, "coordinator", "Board morning", MeetingKind.ADVISORY_BOARD, time(9))
    _schedule(app, partnership, "coordinator", "Board evening", MeetingKind.ADVISORY_BOARD, time(17))
    _schedule(app, partnership, "coordinator", "Everyone", MeetingKind.FULL_PARTNERSHIP, time(12))
    _schedule(app, partnership, "other", "Kept private", MeetingKind.ADVISORY_BOARD, time(14), level="private")
    return partnership


@pytest.fixture
def board_with_meetings(keep):
    return keep(_board_with_meetings)


def test_one_page_of_the_boards_meetings_the_viewer_may_see(app, board_with_meetings):
    partnership = board_with_meetings
    client = app.test_client()
    sign_in(client, app, partnership.members["coordinator"])
    page = client.get(f"/p/{partnership.slug}/advisory/restricted/meetings").text
    shown = re.findall(r'<a href="/p/[^/]+/meetings/\d+">([^<]+)</a>', page)
    assert len(shown) == meetings.PAGE_SIZE, shown
    assert set(shown) == {"Board morning", "Board evening"}, shown
    assert '<span class="count">48</span>' in page  # both board series, not the private one or the others
    last = client.get(f"/p/{partnership.slug}/advisory/restricted/meetings?page=3").text
    assert len(re.findall(r'<a href="/p/[^/]+/meetings/\d+">', last)) == 2 * WEEKS - 2 * meetings.PAGE_SIZE


def test_the_statement_reads_the_boards_meetings_only(app, board_with_meetings):
    partnership = board_with_meetings
    with app.app_context():
        ctx = context_for(partnership.id, partnership.membership_ids["coordinator"])
        # Every kind of scan off: each plan pays the same penalty, so the cheapest still wins whatever
        # statistics the other tests left (with plain index scans allowed, a test's few meetings made the
        # start-time index as cheap as this one, and CI's run order once picked it).
        scans = ("seqscan", "bitmapscan", "indexscan")
        nodes = plan_nodes(partnership.id, lambda: restricted.board_meetings(ctx), "meetings", scans)
    meeting_reads = [n for n in nodes if n.get("Relation Name") == "meetings"]
    walks = [n for n in meeting_reads if n.get("Index Name") == INDEX]
    dump = json.dumps(meeting_reads, indent=1)
    # Upcoming, past and the capped count each walk the board's part of the index (how the page's rows are
    # then fetched by id is the planner's choice at a test's size).
    assert len(walks) == 3, dump
    assert all("kind" in n["Index Cond"] and "kind" not in n.get("Filter", "") for n in walks), dump
    assert all(n["Node Type"] == "Index Only Scan" for n in walks), dump
