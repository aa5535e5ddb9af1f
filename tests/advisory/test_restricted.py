"""The board's restricted area: who gets in (a seat or the chair's grant; coordinators only so), what
each page shows, who changes what, the access log the chair reviews, the activity feed, and bad input
refused at its field with nothing written."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from partnership_hub.advisory.restricted_models import BoardDocument, BoardNote, BoardReply, BoardThread
from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import Level
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from tests.advisory import restricted_helpers as h

PAGES = ("", "/notes", "/documents", "/threads", "/meetings", "/notes/new", "/documents/new", "/threads/new")


@pytest.fixture
def area(app, world):
    """The board: the survivor advisor chairs it, the member sits on it; one record of each kind."""
    h.seat_board(app, world.home, "member")
    ids = {
        "note": h.note(app, world.home, body="**Agreed** ground rules"),
        "document": h.document(app, world.home, note_text="The signed copy"),
        "thread": h.thread(app, world.home),
    }
    ids["reply"] = h.reply(app, world.home, ids["thread"], who="member")
    return ids


def urls(world, ids) -> list[str]:
    base = f"/p/{world.home.slug}/advisory/restricted"
    return [base + page for page in PAGES] + [
        f"{base}/notes/{ids['note']}",
        f"{base}/notes/{ids['note']}/edit",
        f"{base}/notes/{ids['note']}/delete",
        f"{base}/documents/{ids['document']}/edit",
        f"{base}/documents/{ids['document']}/delete",
        f"{base}/threads/{ids['thread']}",
        f"{base}/threads/{ids['thread']}/edit",
        f"{base}/threads/{ids['thread']}/delete",
        f"{base}/replies/{ids['reply']}/edit",
        f"{base}/replies/{ids['reply']}/delete",
    ]


# --- who gets in ---------------------------------------------------------------------------------------


def test_the_board_reads_every_page(app, world, area, login_as):
    chair = login_as(h.CHAIR)
    for url in urls(world, area):
        expected = 403 if url.endswith(f"/replies/{area['reply']}/edit") else 200  # the member's reply
        assert chair.get(url).status_code == expected, url
    home = chair.get(f"/p/{world.home.slug}/advisory/restricted").text
    assert "Ground rules" in home and "Charter" in home and "Training feedback" in home


@pytest.mark.parametrize("role", ["coordinator", "observer"])
def test_people_not_admitted_are_told_nothing(app, world, area, login_as, role):
    """Coordinators manage the roster but are not admitted by their role: 404 everywhere, as for a record
    that does not exist. Observers, who can never be admitted, get the same 403 for every address."""
    client = login_as(role)
    expected = 404 if role == "coordinator" else 403
    for url in urls(world, area):
        response = client.get(url)
        assert response.status_code == expected, (url, response.status_code)
        assert "Ground rules" not in response.text and "Training feedback" not in response.text
    for url in urls(world, area):
        assert client.post(url, data={"title": "x", "body": "x"}).status_code in (expected, 405), url
    assert h.count(app, world.home, BoardNote) == 1


def test_a_member_who_left_the_board_is_out_at_once(app, world, area, login_as):
    from partnership_hub.advisory import board
    from partnership_hub.advisory.board_models import BoardSeat

    with app.app_context():
        bind_tenant(db.session, world.home.id)
        seat_id = db.session.scalar(
            select(BoardSeat.id).where(BoardSeat.membership_id == world.home.membership_ids["member"])
        )
    h.call(app, world.home, "coordinator", lambda ctx: board.end_seat(ctx, board.get_seat(ctx, seat_id), {}))
    assert login_as("member").get(f"/p/{world.home.slug}/advisory/restricted/notes/{area['note']}").status_code == 404


def test_another_partnership_gets_404(app, world, area, login_as):
    outsider = login_as(world.other.members["coordinator"])
    for url in urls(world, area):
        assert outsider.get(url).status_code == 404, url
    # ...and the ids under their own address are nothing either.
    own = [url.replace(world.home.slug, world.other.slug) for url in urls(world, area)]
    for url in own:
        assert outsider.get(url).status_code == 404, url


def test_a_coordinator_with_the_chairs_grant_reads_until_it_ends(app, world, area, login_as):
    note_url = f"/p/{world.home.slug}/advisory/restricted/notes/{area['note']}"
    coordinator = login_as("coordinator")
    assert coordinator.get(note_url).status_code == 404

    h.grant(app, world.home, "coordinator")
    page = coordinator.get(note_url)
    assert page.status_code == 200 and "Ground rules" in page.text
    assert ("board_note", area["note"], "viewed") in h.reads(app, world.home, "coordinator")
    # The board sees who was admitted, why and until when.
    board_home = login_as("member").get(f"/p/{world.home.slug}/advisory").text
    assert "Helping with the spring training" in board_home

    h.revoke(app, world.home, "coordinator")
    assert coordinator.get(note_url).status_code == 404
    assert coordinator.get(f"/p/{world.home.slug}/advisory/restricted").status_code == 404


# --- the pages -------------------------------------------------------------------------------------------


def test_a_note_is_rendered_markdown_and_its_reads_reach_the_chairs_log(app, world, area, login_as):
    member = login_as("member")
    page = member.get(f"/p/{world.home.slug}/advisory/restricted/notes/{area['note']}")
    assert "<strong>Agreed</strong> ground rules" in page.text
    assert ("board_note", area["note"], "viewed") in h.reads(app, world.home, "member")
    log = login_as(h.CHAIR).get(f"/p/{world.home.slug}/advisory/access-log").text
    assert f"Board note #{area['note']}" in log and "Member Person" in log


def test_lists_are_logged_too_and_searched_by_title(app, world, area, login_as):
    member = login_as("member")
    other = h.note(app, world.home, title="Panel debrief")
    listing = member.get(f"/p/{world.home.slug}/advisory/restricted/notes?q=debrief")
    assert "Panel debrief" in listing.text and "Ground rules" not in listing.text
    assert ("board_note", other, "viewed") in h.reads(app, world.home, "member")
    docs = member.get(f"/p/{world.home.slug}/advisory/restricted/documents").text
    assert "The signed copy" in docs and "https://docs.example.org/c" in docs
    assert ("board_document", area["document"], "viewed") in h.reads(app, world.home, "member")


def test_records_are_always_at_the_advisory_level(app, world, area):
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        for model in (BoardNote, BoardDocument, BoardThread):
            assert {r.confidentiality for r in db.session.scalars(select(model))} == {Level.ADVISORY}


def test_a_reply_moves_the_thread_up_and_counts(app, world, area, login_as):
    later = h.thread(app, world.home, title="Later thread")
    member = login_as("member")
    listing = member.get(f"/p/{world.home.slug}/advisory/restricted/threads").text
    assert listing.index("Later thread") < listing.index("Training feedback")

    response = member.post(
        f"/p/{world.home.slug}/advisory/restricted/threads/{area['thread']}/replies", data={"body": "Me too."}
    )
    assert response.status_code == 302 and "#reply-" in response.headers["Location"]
    listing = member.get(f"/p/{world.home.slug}/advisory/restricted/threads").text
    assert listing.index("Training feedback") < listing.index("Later thread")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.get(BoardThread, area["thread"]).reply_count == 2
        assert db.session.get(BoardThread, later).reply_count == 0


def test_the_boards_meetings_come_from_the_meetings_area(app, world, area, login_as):
    from datetime import date, time, timedelta

    from partnership_hub.meetings import services as meetings
    from partnership_hub.meetings.models import MeetingKind

    day = date.today() + timedelta(days=10)
    data = meetings.ScheduleRequest("Board check-in", MeetingKind.ADVISORY_BOARD, day, time(17), time(18)).data()
    meeting_id = h.call(app, world.home, "coordinator", meetings.schedule_meeting, data)
    open_data = meetings.ScheduleRequest("Open meeting", MeetingKind.FULL_PARTNERSHIP, day, time(9), time(10)).data()
    h.call(app, world.home, "coordinator", meetings.schedule_meeting, open_data)

    member = login_as("member")
    page = member.get(f"/p/{world.home.slug}/advisory/restricted/meetings").text
    assert "Board check-in" in page and f"/meetings/{meeting_id}" in page and "Open meeting" not in page
    assert "Board check-in" in member.get(f"/p/{world.home.slug}/advisory/restricted").text
    # The coordinator who scheduled it is not on the board: the meeting is the board's.
    assert login_as("coordinator").get(f"/p/{world.home.slug}/meetings/{meeting_id}").status_code == 404


# --- who changes what ------------------------------------------------------------------------------------


def test_authors_change_their_own_and_others_may_not(app, world, area, login_as):
    base = f"/p/{world.home.slug}/advisory/restricted"
    member = login_as("member")  # on the board, but not the note's author
    assert member.get(f"{base}/notes/{area['note']}/edit").status_code == 403
    assert member.post(f"{base}/notes/{area['note']}/edit", data={"title": "Mine now"}).status_code == 403
    assert member.post(f"{base}/notes/{area['note']}/delete").status_code == 403
    assert member.post(f"{base}/documents/{area['document']}/delete").status_code == 403
    assert member.post(f"{base}/threads/{area['thread']}/delete").status_code == 403

    chair = login_as(h.CHAIR)
    response = chair.post(f"{base}/notes/{area['note']}/edit", data={"title": "Ground rules v2", "body": "New"})
    assert response.status_code == 302
    # The chair does not edit someone else's reply, but may remove it.
    assert chair.get(f"{base}/replies/{area['reply']}/edit").status_code == 403
    assert member.post(f"{base}/replies/{area['reply']}/edit", data={"body": "Edited."}).status_code == 302
    assert chair.post(f"{base}/replies/{area['reply']}/delete").status_code == 302
    assert h.count(app, world.home, BoardReply) == 0
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.get(BoardThread, area["thread"]).reply_count == 0
        assert db.session.get(BoardNote, area["note"]).title == "Ground rules v2"


def test_removing_a_thread_removes_its_replies(app, world, area, login_as):
    chair = login_as(h.CHAIR)
    confirm = chair.get(f"/p/{world.home.slug}/advisory/restricted/threads/{area['thread']}/delete")
    assert confirm.status_code == 200 and "Its reply goes with it." in confirm.text
    assert chair.post(f"/p/{world.home.slug}/advisory/restricted/threads/{area['thread']}/delete").status_code == 302
    assert h.count(app, world.home, BoardThread) == 0 and h.count(app, world.home, BoardReply) == 0


# --- the activity feed ------------------------------------------------------------------------------------


def test_the_feed_shows_the_boards_activity_to_the_board_only_even_after_removal(app, world, area, login_as):
    chair = login_as(h.CHAIR)
    chair.post(f"/p/{world.home.slug}/advisory/restricted/notes/{area['note']}/delete")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        mine = ("board_note.", "board_document.", "board_thread.", "board_reply.")
        entries = [e for e in db.session.scalars(select(AuditEntry)) if e.action.startswith(mine)]
    assert {e.action for e in entries} >= {"board_note.created", "board_note.deleted", "board_reply.created"}
    for entry in entries:  # ids only, never the words
        assert entry.target_type == "advisory_restricted" and entry.target_id == 0
        assert all(isinstance(value, int | list) for value in entry.details.values()), entry.details

    feed = html.unescape(login_as("coordinator").get(f"/p/{world.home.slug}/activity").text)
    assert "restricted area" not in feed.replace("admitted someone to the advisory board's restricted area", "")
    h.grant(app, world.home, "coordinator")
    feed = html.unescape(login_as("coordinator").get(f"/p/{world.home.slug}/activity").text)
    assert "removed a note from the board's restricted area" in feed
    assert "added a document to the board's restricted area" in feed


# --- bad input ------------------------------------------------------------------------------------------


LONG = "x" * 20_001


@pytest.mark.parametrize(
    ("path", "data", "field", "message"),
    [
        ("notes/new", {"title": "", "body": "Text"}, "title", "Give the note a title."),
        ("notes/new", {"title": "   ", "body": "Text"}, "title", "Give the note a title."),
        ("notes/new", {"title": "x" * 201, "body": ""}, "title", "Use at most 200 characters."),
        ("notes/new", {"title": "Fine", "body": LONG}, "body", "Use at most 20000 characters."),
        ("documents/new", {"title": "Doc", "url": "ftp://files.example.org/a"}, "url", "full web address"),
        ("documents/new", {"title": "Doc", "url": "javascript:alert(1)"}, "url", "full web address"),
        ("documents/new", {"title": "Doc", "url": "docs.example.org/a"}, "url", "full web address"),
        ("documents/new", {"title": "Doc", "url": ""}, "url", "Paste the document"),
        ("documents/new", {"title": "", "url": "https://docs.example.org/a"}, "title", "Give the document a title."),
        ("documents/new", {"title": "Doc", "url": "https://x.example.org/" + "a" * 500}, "url", "at most 500"),
        (
            "documents/new",
            {"title": "Doc", "url": "https://docs.example.org/a", "note": "n" * 2001},
            "note",
            "at most 2000",
        ),
        ("threads/new", {"title": "", "body": "Hello"}, "title", "Give the discussion a title."),
        ("threads/new", {"title": "Topic", "body": ""}, "body", "Write the opening post"),
        ("threads/new", {"title": "Topic", "body": "y" * 10_001}, "body", "at most 10000"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_is_written(
    app, world, area, login_as, path, data, field, message
):
    before = {model: h.count(app, world.home, model) for model in (BoardNote, BoardDocument, BoardThread)}
    audit_before = _audit_count(app, world)
    response = login_as(h.CHAIR).post(f"/p/{world.home.slug}/advisory/restricted/{path}", data=data)
    assert response.status_code == 422
    assert message.replace(",", "") in response.text.replace(",", "")
    assert f'id="{field}-error"' in response.text
    assert {model: h.count(app, world.home, model) for model in before} == before
    assert _audit_count(app, world) == audit_before


@pytest.mark.parametrize(("body", "message"), [("", "Write your reply."), ("z" * 10_001, "at most 10")])
def test_a_bad_reply_is_refused_on_the_thread_page(app, world, area, login_as, body, message):
    response = login_as("member").post(
        f"/p/{world.home.slug}/advisory/restricted/threads/{area['thread']}/replies", data={"body": body}
    )
    assert response.status_code == 422 and message in response.text.replace(",", "")
    assert 'id="body-error"' in response.text and "Training feedback" in response.text
    assert h.count(app, world.home, BoardReply) == 1


def test_an_edit_with_bad_input_changes_nothing(app, world, area, login_as):
    response = login_as(h.CHAIR).post(
        f"/p/{world.home.slug}/advisory/restricted/documents/{area['document']}/edit",
        data={"title": "Renamed", "url": "not a link"},
    )
    assert response.status_code == 422
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        found = db.session.get(BoardDocument, area["document"])
        assert (found.title, found.url) == ("Charter", "https://docs.example.org/c")


def _audit_count(app, world) -> int:
    from sqlalchemy import func

    with app.app_context():
        bind_tenant(db.session, world.home.id)
        return db.session.scalar(select(func.count()).select_from(AuditEntry))


# --- services refuse too, whatever calls them -----------------------------------------------------------------


def test_services_refuse_people_not_admitted(app, world, area):
    from partnership_hub.advisory import restricted
    from partnership_hub.errors import NotFound

    with pytest.raises(NotFound):
        h.call(app, world.home, "coordinator", restricted.create_note, {"title": "Sneaky", "body": ""})
    with pytest.raises(NotFound):
        h.call(app, world.home, "coordinator", restricted.get_note, area["note"])
    with pytest.raises(NotFound):
        h.call(app, world.home, "coordinator", restricted.notes)
    assert h.count(app, world.home, BoardNote) == 1


# --- the demo ---------------------------------------------------------------------------------------------------


def test_the_demo_board_has_its_area(app):
    from partnership_hub.demo import DEMO_PASSWORD, seed

    with app.app_context():
        seed()

    def signed_in(local: str):
        client = app.test_client()
        response = client.post(
            "/login", data={"email": f"{local}@demo.partnershiphub.local", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        return client

    amara = signed_in("amara.okafor")
    home = html.unescape(amara.get("/p/front-range/advisory/restricted").text)
    assert "Ground rules for our panels" in home and "Feedback on the first-responder training" in home
    assert "Survivor advisory board" in home  # the meetings area's demo board meeting
    documents = html.unescape(amara.get("/p/front-range/advisory/restricted/documents").text)
    assert documents.count("https://docs.example.org/") == 2
    threads = amara.get("/p/front-range/advisory/restricted/threads").text
    assert '<td data-label="Replies">3</td>' in threads
    # Priya holds the chair's grant; Dana, a coordinator, is not on the board.
    assert signed_in("priya.raman").get("/p/front-range/advisory/restricted").status_code == 200
    assert signed_in("coordinator").get("/p/front-range/advisory/restricted").status_code == 404
