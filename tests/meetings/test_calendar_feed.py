"""The personal calendar feed: made, shown once, regenerated and revoked on its page; served without
signing in to whoever has the address; holding only the meetings its person may see, never another
partnership's; and costing the same two statements for 1 meeting as for 300."""

from __future__ import annotations

import re
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings.calendars import FEED_CAP, hash_token
from partnership_hub.meetings.models import CalendarFeed, Meeting, MeetingKind
from partnership_hub.workspaces.models import Membership
from tests.budget import counting
from tests.factories import create_partnership, create_user, seat_on_board, sign_in
from tests.meetings.conftest import schedule

FEED = re.compile(r'value="https?://[^/"]+(/calendar/[^"]+\.ics)"')


def make_feed(client, slug: str) -> str:
    """Make a feed address on the page (as the signed-in client); returns its path."""
    page = client.get(f"/p/{slug}/meetings/calendar-feed")
    assert page.status_code == 200 and "Your feed is off" in page.text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    made = client.post(f"/p/{slug}/meetings/calendar-feed", data={"csrf_token": token})
    assert made.status_code == 200, made.status_code
    assert "shown only this once" in made.text
    return FEED.search(made.text).group(1)


def csrf(client, slug: str) -> str:
    page = client.get(f"/p/{slug}/meetings/calendar-feed")
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)


def titles(app, path: str) -> list[str]:
    response = app.test_client().get(path)  # a calendar client: no cookie, no sign-in
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert "no-store" in response.headers["Cache-Control"]
    return sorted(str(e["SUMMARY"]) for e in meeting_events(response.data))


def meeting_events(body: bytes) -> list:
    """The feed's meetings (awareness days join it as all-day events: tests/awareness covers those)."""
    return [e for e in Calendar.from_ical(body).walk("VEVENT") if not str(e["UID"]).startswith("awareness-")]


def soon(days: int = 7) -> str:
    return (utcnow() + timedelta(days=days)).date().isoformat()


def test_the_feed_holds_only_what_its_person_may_see(app, home, login_as):
    now = utcnow()
    schedule(app, home, now, date=soon(), title="Open meeting")
    schedule(app, home, now, date=soon(8), title="Advisory session", kind="advisory_board", confidentiality="advisory")
    schedule(app, home, now, date=soon(9), title="Leadership huddle", confidentiality="leadership")

    seat_on_board(app, home, "survivor_advisor")
    feeds = {role: make_feed(login_as(role), home.slug) for role in ("member", "survivor_advisor", "observer")}
    feeds["coordinator"] = make_feed(login_as("coordinator"), home.slug)

    assert titles(app, feeds["member"]) == ["Open meeting"]
    assert titles(app, feeds["observer"]) == ["Open meeting"]
    assert titles(app, feeds["survivor_advisor"]) == ["Advisory session", "Open meeting"]
    # The coordinator does not sit on the board: its meetings stay out of their feed.
    assert titles(app, feeds["coordinator"]) == ["Leadership huddle", "Open meeting"]
    body = app.test_client().get(feeds["member"]).data
    assert b"Advisory" not in body and b"Leadership" not in body
    assert b"Advisory" not in app.test_client().get(feeds["coordinator"]).data
    seat_on_board(app, home, "coordinator")  # the feed follows admission, read when it is fetched
    assert titles(app, feeds["coordinator"]) == ["Advisory session", "Leadership huddle", "Open meeting"]


def test_another_partnerships_meetings_never_reach_a_feed(app, world, home, login_as):
    now = utcnow()
    schedule(app, home, now, date=soon(), title="Home meeting")
    schedule(app, world.other, now, date=soon(), title="Other meeting")
    path = make_feed(login_as("member"), home.slug)
    assert titles(app, path) == ["Home meeting"]
    # The same secret under the other partnership's id finds nothing.
    secret = path.removeprefix("/calendar/").removesuffix(".ics").split("-", 1)[1]
    assert app.test_client().get(f"/calendar/{world.other.id}-{secret}.ics").status_code == 404


def test_regenerating_replaces_the_address_and_revoking_stops_it(app, home, login_as):
    client = login_as("member")
    first = make_feed(client, home.slug)
    again = client.post(f"/p/{home.slug}/meetings/calendar-feed", data={"csrf_token": csrf(client, home.slug)})
    second = FEED.search(again.text).group(1)
    assert second != first
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    page = client.get(f"/p/{home.slug}/meetings/calendar-feed").text
    assert "Your feed is on" in page and second not in page  # shown once only

    stopped = client.post(f"/p/{home.slug}/meetings/calendar-feed/revoke", data={"csrf_token": csrf(client, home.slug)})
    assert stopped.status_code == 302
    assert anonymous.get(second).status_code == 404
    assert "Your feed is off" in client.get(f"/p/{home.slug}/meetings/calendar-feed").text
    with app.app_context():
        bind_tenant(db.session, home.id)
        mine = CalendarFeed.membership_id == home.membership_ids["member"]
        (row,) = db.session.scalars(select(CalendarFeed).where(mine))
        assert row.revoked_at is not None
        assert row.token_hash == hash_token(second.removeprefix("/calendar/").removesuffix(".ics"))


def test_a_member_who_left_has_no_feed(app, home, login_as):
    path = make_feed(login_as("member"), home.slug)
    with app.app_context():
        bind_tenant(db.session, home.id)
        db.session.delete(db.session.get(Membership, home.membership_ids["member"]))
        db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_malformed_and_unknown_tokens_are_404(app, home):
    client = app.test_client()
    for token in ("x", "0-" + "a" * 40, f"{home.id}-" + "a" * 40, "99999999999-" + "a" * 40, f"{home.id}-a"):
        assert client.get(f"/calendar/{token}.ics").status_code == 404, token


def grow(app, partnership, size: int) -> None:
    now = utcnow()
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add_all(
            Meeting(
                title=f"Meeting {n}",
                kind=MeetingKind.FULL_PARTNERSHIP,
                starts_at=now + timedelta(days=n % 300 - 60, hours=1),
                ends_at=now + timedelta(days=n % 300 - 60, hours=2),
                time_zone="America/Denver",
                confidentiality="advisory" if n % 5 == 0 else "workspace",
            )
            for n in range(size)
        )
        db.session.commit()


def test_the_feed_costs_the_same_for_1_and_300_meetings(app):
    paths, counts = {}, {}
    for size in (1, 300):
        partnership = create_partnership(app, create_user(app), f"Size {size}")
        grow(app, partnership, size)
        seat_on_board(app, partnership, "coordinator")  # so the feed holds the advisory meetings too
        client = app.test_client()
        sign_in(client, app, partnership.members["coordinator"])
        paths[size] = make_feed(client, partnership.slug)
    for size, path in paths.items():
        app.test_client().get(path)  # warm-up
        with counting(app) as statements:
            response = app.test_client().get(path)
        assert response.status_code == 200
        counts[size] = len(statements)
        assert len(meeting_events(response.data)) == (1 if size == 1 else 300) <= FEED_CAP
    # The feed's own statements plus one for the awareness days (``Area.feed_events``): fixed, whatever
    # the number of meetings.
    assert counts[1] == counts[300] <= 4, counts
