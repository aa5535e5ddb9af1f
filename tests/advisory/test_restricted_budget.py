"""The restricted area's pages cost the same number of statements for a board with a handful of records
as for one with hundreds, within the budget (the request's two, admission, the page's reads and the one
access-log statement), and render a bounded number of rows."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest

from partnership_hub.advisory import restricted
from partnership_hub.advisory.restricted_models import BoardDocument, BoardNote, BoardReply, BoardThread
from partnership_hub.context import context_for
from partnership_hub.db import utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings import services as meetings
from partnership_hub.meetings.models import MeetingKind
from partnership_hub.workspaces.models import Role
from tests import factories
from tests.budget import BUDGET, counting, statements_for
from tests.factories import add_member, create_partnership, create_user, sign_in


def grow(app, partnership, size: int) -> dict[str, int]:
    """A board chaired by the partnership's coordinator with ``size`` notes, documents and threads (the
    last thread with ``size`` replies) and a weekly board meeting; returns the last record of each kind."""
    factories.seat_on_board(app, partnership, "coordinator", chair="coordinator")
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        me = ctx.membership.id
        now = utcnow()
        notes = [BoardNote(title=f"Note {n}", body="Text " * 50, author_membership_id=me) for n in range(size)]
        documents = [
            BoardDocument(title=f"Document {n}", url=f"https://docs.example.org/{n}", added_by_membership_id=me)
            for n in range(size)
        ]
        threads = [
            BoardThread(title=f"Thread {n}", body="Opening", author_membership_id=me, last_activity_at=now)
            for n in range(size)
        ]
        db.session.add_all([*notes, *documents, *threads])
        db.session.flush()
        last = threads[-1]
        replies = [
            BoardReply(
                thread_id=last.id, body=f"Reply {n}", author_membership_id=me, created_at=now + timedelta(seconds=n)
            )
            for n in range(size)
        ]
        db.session.add_all(replies)
        last.reply_count = size
        request = meetings.ScheduleRequest(
            "Board meeting",
            MeetingKind.ADVISORY_BOARD,
            date.today() - timedelta(days=7 * min(size, 10)),
            time(17),
            time(18),
            repeat="weekly:1",
            repeat_count=str(min(size, 20)),
        )
        meetings.schedule_meeting(ctx, request.data())
        db.session.flush()
        ids = {"note": notes[-1].id, "document": documents[-1].id, "thread": last.id, "reply": replies[-1].id}
        db.session.commit()
        return ids


def _sized(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    return {"small": (small, grow(app, small, 3)), "large": (large, grow(app, large, 120))}


@pytest.fixture
def sized(keep):
    return keep(_sized)


BASE = "/advisory/restricted"
PATHS = [
    BASE,
    BASE + "/notes",
    BASE + "/notes?q=note",
    BASE + "/notes?page=99",  # past the end for both: the last page
    BASE + "/notes/new",
    BASE + "/notes/{note}",
    BASE + "/notes/{note}/edit",
    BASE + "/notes/{note}/delete",
    BASE + "/documents",
    BASE + "/documents?q=document",
    BASE + "/documents/new",
    BASE + "/documents/{document}/edit",
    BASE + "/documents/{document}/delete",
    BASE + "/threads",
    BASE + "/threads?q=thread&page=99",
    BASE + "/threads/new",
    BASE + "/threads/{thread}",
    BASE + "/threads/{thread}?page=99",
    BASE + "/threads/{thread}/edit",
    BASE + "/threads/{thread}/delete",
    BASE + "/replies/{reply}/edit",
    BASE + "/replies/{reply}/delete",
    BASE + "/meetings",
    BASE + "/meetings?page=99",
    "/advisory",
]


@pytest.mark.parametrize("path", PATHS)
def test_restricted_pages_cost_the_same_for_3_and_for_120(app, sized, path):
    counts = {size: statements_for(app, p, path.format(**ids)) for size, (p, ids) in sized.items()}
    assert counts["small"] == counts["large"], counts
    assert counts["small"] <= BUDGET, counts


def test_someone_admitted_by_the_chairs_grant_stays_within_the_budget(app, sized):
    """A grant costs admission one more statement than a seat (the seat is looked up first)."""
    partnership, _ = sized["large"]
    guest = create_user(app, "Guest Member")
    membership_id = add_member(app, partnership, guest, Role.MEMBER, key="guest")
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        ends = (ctx.today() + timedelta(days=10)).isoformat()
        from partnership_hub.advisory import board

        board.grant_access(ctx, {"membership_id": str(membership_id), "reason": "Co-planning", "ends_on": ends})
        db.session.commit()
    client = app.test_client()
    sign_in(client, app, guest)
    for path in (BASE, BASE + "/notes", BASE + "/threads"):
        client.get(f"/p/{partnership.slug}{path}")
        with counting(app) as statements:
            response = client.get(f"/p/{partnership.slug}{path}")
        assert response.status_code == 200, path
        assert len(statements) <= BUDGET, (path, len(statements))


def test_pages_render_a_bounded_number_of_rows(app, sized):
    partnership, ids = sized["large"]
    client = app.test_client()
    sign_in(client, app, partnership.members["coordinator"])
    slug = partnership.slug
    assert client.get(f"/p/{slug}{BASE}/notes").text.count("<tr>") == restricted.PAGE_SIZE + 1  # + the header
    assert client.get(f"/p/{slug}{BASE}/documents").text.count("<tr>") == restricted.PAGE_SIZE + 1
    assert client.get(f"/p/{slug}{BASE}/threads").text.count("<tr>") == restricted.PAGE_SIZE + 1
    thread = client.get(f"/p/{slug}{BASE}/threads/{ids['thread']}").text
    assert thread.count('<li id="reply-') == restricted.REPLIES_PAGE_SIZE
    home = client.get(f"/p/{slug}{BASE}").text
    assert len(re.findall(r"/advisory/restricted/notes/\d+", home)) == restricted.HOME_LIMIT
