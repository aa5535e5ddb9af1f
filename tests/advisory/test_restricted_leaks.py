"""THE LEAK TEST (issue #13): a distinctive word seeded in every restricted field — a board note's title
and body, a document's title, link and note, a discussion's title and opening post, a reply, and a board
meeting's title, place, agenda item, comment, minutes and decision — appears in nothing that a member, an
observer, a coordinator who neither sits on the board nor holds the chair's grant, or a member of another
partnership can fetch: every GET route of the workspace (plain, searched for the word, and as an htmx
fragment), every CSV export and picker among them, the pages outside the workspace, their personal
calendar feed, and every email addressed to them after the agenda and the minutes were published and
every periodic task ran. The restricted area's own addresses answer them 404 (observers: 403).

And the other side of it: the board and the people its chair admits do see the word, their reads land in
the access log the chair reviews, and a coordinator given the chair's grant reads until it ends."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from partnership_hub import areas
from partnership_hub.advisory import board
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.meetings import agenda, attendance, minutes
from partnership_hub.meetings import services as meetings
from partnership_hub.meetings.models import (
    AgendaComment,
    Decision,
    MeetingInvitee,
    MeetingKind,
    MinutesRevision,
)
from partnership_hub.workspaces.models import Role
from tests import factories
from tests.advisory import restricted_helpers as h
from tests.web.walk import fetch, record_ids, routes

WORD = "Zephyrquill"
# What the walk searches for: inside the word, so a page that finds a restricted record shows the word,
# while a page that only repeats the search ("nothing matches “ephyrqui”") does not.
PROBE = "ephyrqui"
NOT_ADMITTED = ("member", "observer", "coordinator", "outsider")
# The development mailbox is a developer's tool: on loopback (the test client) it shows every message of
# the instance, and elsewhere only the signed-in person's own — it is no page of the product.
OUTSIDE_THE_PRODUCT = ("/dev/", "/static/")


def leaks(text: str | bytes) -> bool:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return WORD.lower() in text.lower()


FEED = re.compile(r'value="https?://[^/"]+(/calendar/[^"]+\.ics)"')


def make_feed(client, slug: str) -> str:
    """A new address for the signed-in person's calendar feed (made on its page); returns its path."""
    made = client.post(f"/p/{slug}/meetings/calendar-feed", data={})
    assert made.status_code == 200, made.status_code
    return FEED.search(made.text).group(1)


# --- the world: every restricted field holds the word --------------------------------------------------------


def _meeting(ctx, title: str, day: date, start: time, end: time, **extra) -> int:
    data = meetings.ScheduleRequest(title, MeetingKind.ADVISORY_BOARD, day, start, end, **extra).data()
    return meetings.schedule_meeting(ctx, data).id


def _board_meetings(app, partnership) -> dict[str, int]:
    """As a coordinator who sits on the board: a past board meeting with an agenda item, a comment,
    attendance, minutes and a decision, approved at a later one and published (emails to those who
    came); an upcoming one with its agenda published (emails to the invited). Returns their ids."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["board_coordinator"].id)
        today = ctx.today()
        past_id = _meeting(
            ctx, f"{WORD} board meeting", today - timedelta(days=3), time(9), time(10), location=f"{WORD} room"
        )
        later_id = _meeting(ctx, f"{WORD} follow-up", today - timedelta(days=1), time(9), time(10))
        upcoming_id = _meeting(ctx, f"{WORD} upcoming", today + timedelta(days=7), time(17), time(18))
        db.session.commit()

        past, _ = meetings.get_meeting(ctx, past_id)
        item_data = {"title": f"{WORD} agenda item", "kind": "decision", "notes": f"{WORD} agenda notes"}
        item = agenda.add_item(ctx, past, item_data)
        agenda.add_comment(ctx, past, item, f"{WORD} comment", now=past.starts_at - timedelta(days=1))
        invited = list(db.session.scalars(attendance.invited_membership_ids_clause(past, today)))
        shown = [str(i) for i in invited]
        attendance.record_attendance(ctx, past, {"shown": shown, "attended": shown})
        minutes.save_minutes(ctx, past, {"body": f"{WORD} minutes"})
        minutes.record_decision(ctx, past, {"text": f"{WORD} decision", "agenda_item_id": str(item.id)})
        minutes.approve_minutes(ctx, past, {"approved_in_meeting_id": str(later_id)})
        minutes.publish_minutes(ctx, past)
        db.session.commit()

        upcoming, _ = meetings.get_meeting(ctx, upcoming_id)
        agenda.add_item(ctx, upcoming, {"title": f"{WORD} next item", "kind": "discussion"})
        agenda.publish_agenda(ctx, upcoming)
        db.session.commit()
        return {"past": past_id, "later": later_id, "upcoming": upcoming_id, "item": item.id}


def _run_periodic_tasks(app) -> None:
    """Every beat task of every area (reminders and digests included as they come), in process."""
    celery = app.extensions["celery"]
    with app.app_context():
        for entry in areas.beat_schedule().values():
            celery.tasks[entry["task"]].apply()


def _seeded(app, world):
    """Every area's route-walk records (the survivor advisor chairs the board), a second coordinator who
    sits on the board, and the word in every restricted field. Returns the record ids the walk uses:
    the word's records wherever a route takes one."""
    factories.seed_records(app, world.home)
    h.add_person(app, world.home, "board_coordinator", Role.COORDINATOR)
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["coordinator"].id)
        roles = {role.name: role.id for role in board.roles(ctx)}
        seat = {"membership_id": str(world.home.membership_ids["board_coordinator"]), "role_id": str(roles["Advisor"])}
        board.seat_member(ctx, seat)
        db.session.commit()

    ids = record_ids(app, world.home.id)
    ids["board_note"] = h.note(app, world.home, title=f"{WORD} ground rules", body=f"The {WORD} body")
    ids["board_document"] = h.document(
        app, world.home, title=f"{WORD} charter", url=f"https://docs.example.org/{WORD}", note_text=f"{WORD} note"
    )
    ids["board_thread"] = h.thread(app, world.home, title=f"{WORD} thread", body=f"{WORD} opening post")
    ids["board_reply"] = h.reply(app, world.home, ids["board_thread"], who="board_coordinator", body=f"{WORD} reply")
    found = _board_meetings(app, world.home)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        ids["meeting"] = found["past"]
        ids["agenda_item"] = found["item"]
        for name, column, value in (
            ("agenda_comment", AgendaComment.agenda_item_id, found["item"]),
            ("decision", Decision.meeting_id, found["past"]),
            ("minutes_revision", MinutesRevision.meeting_id, found["past"]),
            ("meeting_invitee", MeetingInvitee.meeting_id, found["past"]),
        ):
            ids[name] = db.session.scalar(select(column.class_.id).where(column == value).limit(1))
    _run_periodic_tasks(app)
    return ids, found


@pytest.fixture
def seeded(keep, world):
    return keep(_seeded, world)


# --- the walk -------------------------------------------------------------------------------------------------


def _client(app, world, login_as, who: str):
    if who == "outsider":
        return login_as(world.other.members["coordinator"])
    return login_as(who)


def _get_all(client, url: str, workspace: str) -> list[tuple[int, str]]:
    """The page plain, searched for the word, and as an htmx fragment (following a redirect within the
    workspace once): (status, body) of each."""
    answers = []
    search = f"{url}{'&' if '?' in url else '?'}q={PROBE}&field=q"
    for target, headers in ((url, {}), (search, {}), (url, {"HX-Request": "true"})):
        response = fetch(client, "GET", target, headers=headers)
        if response.status_code == 302 and response.headers["Location"].startswith(workspace):
            answers.append((response.status_code, response.get_data(as_text=True)))
            response = fetch(client, "GET", response.headers["Location"].partition("#")[0])
        answers.append((response.status_code, response.get_data(as_text=True)))
    return answers


def _walk(app, client, world, ids, meeting_ids) -> list[str]:
    """Every GET route of the home workspace (the word's records filled in; the meeting routes once for
    each board meeting), every GET route outside it without arguments. Returns where the word showed."""
    seen: set[str] = set()
    found = []
    workspace = f"/p/{world.home.slug}/"
    variants = [ids] + [ids | {"meeting": meeting_id} for meeting_id in meeting_ids]
    for values in variants:
        for endpoint, method, url in routes(app, world.home.slug, values):
            if method != "GET" or url in seen:
                continue
            seen.add(url)
            for status, body in _get_all(client, url, workspace):
                if leaks(body):
                    found.append(f"{endpoint} {url} ({status})")
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.rule.startswith(("/p/", *OUTSIDE_THE_PRODUCT)):
            continue
        for status, body in _get_all(client, rule.rule, workspace):
            if leaks(body):
                found.append(f"{rule.endpoint} {rule.rule} ({status})")
    return found


@pytest.mark.parametrize("who", NOT_ADMITTED)
def test_the_word_reaches_nobody_the_board_did_not_admit(app, world, seeded, login_as, who):
    ids, meeting_ids = seeded
    client = _client(app, world, login_as, who)

    # The restricted area's own addresses: not found (observers: the same refusal for every address).
    refused = {"observer": 403}.get(who, 404)
    for endpoint, method, url in routes(app, world.home.slug, ids):
        if endpoint.startswith("advisory.restricted_") and method == "GET":
            assert fetch(client, "GET", url).status_code == refused, (who, url)

    found = _walk(app, client, world, ids, [meeting_ids["later"], meeting_ids["upcoming"]])
    assert not found, f"{who} can read the restricted word at: {found}"

    # Their personal calendar feed (the outsider's, of their own partnership).
    slug = world.other.slug if who == "outsider" else world.home.slug
    feed = app.test_client().get(make_feed(client, slug))
    assert feed.status_code == 200 and not leaks(feed.data)

    # Every email addressed to them.
    user = world.other.members["coordinator"] if who == "outsider" else world.user(who)
    for message in factories.outbox(app, to=user.email):
        assert not any(leaks(part) for part in (message.subject, message.text_body, message.html_body)), message.kind

    # The activity feed and the access log say nothing of the board's area to a coordinator not admitted.
    if who == "coordinator":
        feed_page = client.get(f"/p/{world.home.slug}/activity").text
        assert not re.search(r"(note|document|discussion|reply) (to|in|from) the board", feed_page)
        log = client.get(f"/p/{world.home.slug}/activity/access-log").text
        assert "Board note" not in log and "Board discussion" not in log and "Board document" not in log


def test_the_walk_would_see_the_word_if_it_were_there(app, world, seeded, login_as):
    """The control: the same walk as the chair finds the word on the area's pages and the board meetings'
    pages, the board got the emails, and the reads are in the chair's access log."""
    ids, meeting_ids = seeded
    chair = login_as(h.CHAIR)
    found = _walk(app, chair, world, ids, [])
    for endpoint in (
        "advisory.restricted_home",
        "advisory.restricted_note",
        "advisory.restricted_documents",
        "advisory.restricted_thread",
        "meetings.detail",
    ):
        assert any(line.startswith(endpoint + " ") for line in found), endpoint
    board_mail = [m for m in factories.outbox(app) if leaks(m.subject) or leaks(m.text_body)]
    assert {m.to_address for m in board_mail} >= {world.user(h.CHAIR).email}
    feed = app.test_client().get(make_feed(chair, world.home.slug))
    assert leaks(feed.data)
    reads = h.reads(app, world.home, h.CHAIR)
    assert ("board_note", ids["board_note"], "viewed") in reads
    assert ("board_thread", ids["board_thread"], "viewed") in reads
    assert ("meeting", meeting_ids["past"], "viewed") in reads
    log = chair.get(f"/p/{world.home.slug}/advisory/access-log").text
    assert f"Board note #{ids['board_note']}" in log


def test_a_coordinator_with_the_chairs_grant_reads_and_then_no_longer(app, world, seeded, login_as):
    ids, meeting_ids = seeded
    coordinator = login_as("coordinator")
    base = f"/p/{world.home.slug}"
    pages = [
        f"{base}/advisory/restricted",
        f"{base}/advisory/restricted/notes/{ids['board_note']}",
        f"{base}/advisory/restricted/threads/{ids['board_thread']}",
        f"{base}/advisory/restricted/documents",
        f"{base}/meetings/{meeting_ids['past']}",
    ]

    h.grant(app, world.home, "coordinator", days=14, reason="Helping run the board's meetings")
    for url in pages:
        response = coordinator.get(url)
        assert response.status_code == 200 and leaks(response.text), url
    mine = h.reads(app, world.home, "coordinator")
    assert ("board_note", ids["board_note"], "viewed") in mine and (
        "board_thread",
        ids["board_thread"],
        "viewed",
    ) in mine
    log = login_as(h.CHAIR).get(f"{base}/advisory/access-log").text
    assert "Cora Coordinator" in log and f"Board note #{ids['board_note']}" in log
    # The board sees the grant: who, why and until when.
    assert "Helping run the board" in login_as("board_coordinator").get(f"{base}/advisory").text

    h.revoke(app, world.home, "coordinator")
    for url in pages:
        response = coordinator.get(url)
        assert response.status_code == 404 and not leaks(response.text), url
    for url in (f"{base}/activity", f"{base}/activity/access-log", f"{base}/meetings", f"{base}/"):
        response = coordinator.get(url)
        assert response.status_code == 200 and not leaks(response.text), url


def test_a_grant_that_ran_out_admits_nobody(app, world, seeded, login_as):
    """The chair's grant ends on its last day: the day after, the area is shut again without anyone
    revoking it (``ends_on`` is compared with the partnership's today)."""
    ids, _ = seeded
    h.grant(app, world.home, "member", days=1)
    from partnership_hub.confidentiality import BOARD, ConfidentialGrant

    url = f"/p/{world.home.slug}/advisory/restricted/notes/{ids['board_note']}"
    assert login_as("member").get(url).status_code == 200
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        grant = db.session.scalars(
            select(ConfidentialGrant).where(
                ConfidentialGrant.record_kind == BOARD,
                ConfidentialGrant.membership_id == world.home.membership_ids["member"],
            )
        ).one()
        grant.ends_on = date.today() - timedelta(days=2)
        db.session.commit()
    assert login_as("member").get(url).status_code == 404
    assert not leaks(login_as("member").get(f"/p/{world.home.slug}/advisory").text)
