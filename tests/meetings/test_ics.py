"""A meeting's and a series' .ics files, parsed back with icalendar: the time zone, DTSTART with a TZID
across a DST change, the alarm, the sequence raised by an edit, cancellation, and RRULE + EXDATE +
RECURRENCE-ID for a series with a cancelled and a moved occurrence."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar

from partnership_hub.meetings import services
from tests.factories import seat_on_board
from tests.meetings.conftest import NOW, ZONE, call, rows, schedule

DENVER = ZoneInfo(ZONE)


def parse(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert "no-store" in response.headers["Cache-Control"]
    return Calendar.from_ical(response.data)


def host(app) -> str:
    return urlsplit(app.config["BASE_URL"]).hostname


def events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def edit(app, home, meeting_id, scope="one", **overrides):
    def change(ctx):
        meeting, series = services.get_meeting(ctx, meeting_id)
        data = services.form_values(meeting, series) | overrides
        return services.update_meeting(ctx, meeting, series, data, scope, NOW).id

    return call(app, home, change)


def cancel(app, home, meeting_id, scope="one"):
    def run(ctx):
        meeting, series = services.get_meeting(ctx, meeting_id)
        return services.cancel_meeting(ctx, meeting, series, scope, NOW)

    return call(app, home, run)


def test_a_one_off_meeting_has_its_zone_times_link_and_alarm(app, home, base, login_as):
    meeting_id = schedule(app, home, location="Community room", online_url="https://meet.example.org/x")
    calendar = parse(login_as("member").get(f"{base}/{meeting_id}.ics"))

    assert calendar["METHOD"] == "PUBLISH"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [ZONE]
    (event,) = events(calendar)
    assert event["UID"] == f"meeting-{meeting_id}@{host(app)}"
    assert event["DTSTART"].params["TZID"] == ZONE
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 10, 0, tzinfo=DENVER)
    assert event.decoded("DTEND") == datetime(2026, 3, 10, 11, 30, tzinfo=DENVER)
    assert str(event["SUMMARY"]) == "Full partnership meeting"
    assert str(event["LOCATION"]) == "Community room"
    link = f"{app.config['BASE_URL']}/p/{home.slug}/meetings/{meeting_id}"
    assert str(event["URL"]) == link and link in str(event["DESCRIPTION"])
    assert "https://meet.example.org/x" in str(event["DESCRIPTION"])
    assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"
    (alarm,) = list(event.walk("VALARM"))
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == -timedelta(hours=1)


def test_an_edit_raises_the_sequence_and_a_cancellation_sends_cancel(app, home, base, login_as):
    meeting_id = schedule(app, home)
    client = login_as("member")
    edit(app, home, meeting_id, start_time="14:00", end_time="15:00")
    (event,) = events(parse(client.get(f"{base}/{meeting_id}.ics")))
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 14, 0, tzinfo=DENVER)

    cancel(app, home, meeting_id)
    calendar = parse(client.get(f"{base}/{meeting_id}.ics"))
    (event,) = events(calendar)
    assert calendar["METHOD"] == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert not list(event.walk("VALARM"))


def test_an_occurrence_carries_the_series_uid_and_its_recurrence_id_across_dst(app, home, base, login_as):
    # Weekly on Tuesdays from 3 March 2026, 10:00 in Denver; clocks change on 8 March.
    schedule(app, home, date="2026-03-03", repeat="weekly:1", repeat_count="4")
    meetings = rows(app, home)
    after_dst = meetings[1]
    calendar = parse(login_as("member").get(f"{base}/{after_dst.id}.ics"))
    (event,) = events(calendar)
    assert event["UID"] == f"meeting-series-{after_dst.series_id}@{host(app)}"
    assert event["RECURRENCE-ID"].params["TZID"] == ZONE
    assert event.decoded("RECURRENCE-ID") == datetime(2026, 3, 10, 10, 0, tzinfo=DENVER)
    # Same wall-clock time, another UTC offset.
    assert event.decoded("DTSTART").utcoffset() != datetime(2026, 3, 3, 10, tzinfo=DENVER).utcoffset()


def test_a_series_has_its_rule_exdates_and_changed_occurrences(app, home, base, login_as):
    first_id = schedule(app, home, date="2026-03-03", repeat="weekly:1", repeat_count="4")
    meetings = rows(app, home)
    series_id = meetings[0].series_id
    cancel(app, home, meetings[2].id)  # 17 March
    edit(app, home, meetings[3].id, start_time="15:00", end_time="16:00", title="Moved meeting")  # 24 March

    calendar = parse(login_as("member").get(f"{base}/series/{series_id}.ics"))
    assert calendar["METHOD"] == "PUBLISH"
    master, *changed = events(calendar)
    assert master["UID"] == f"meeting-series-{series_id}@{host(app)}"
    assert "RECURRENCE-ID" not in master
    assert master["DTSTART"].params["TZID"] == ZONE
    assert master.decoded("DTSTART") == datetime(2026, 3, 3, 10, 0, tzinfo=DENVER)
    rule = master["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["COUNT"] == [4]
    excluded = [d.dt for d in master["EXDATE"].dts] if not isinstance(master["EXDATE"], list) else []
    assert excluded == [datetime(2026, 3, 17, 10, 0, tzinfo=DENVER)]
    assert master["EXDATE"].params["TZID"] == ZONE
    assert str(master["URL"]).endswith(f"/meetings/{first_id}")
    (moved,) = changed
    assert moved["UID"] == master["UID"]
    assert moved.decoded("RECURRENCE-ID") == datetime(2026, 3, 24, 10, 0, tzinfo=DENVER)
    assert moved.decoded("DTSTART") == datetime(2026, 3, 24, 15, 0, tzinfo=DENVER)
    assert str(moved["SUMMARY"]) == "Moved meeting" and moved["SEQUENCE"] == 1


def test_a_confidential_meeting_is_a_404_for_whoever_may_not_see_it(app, home, base, login_as):
    meeting_id = schedule(app, home, kind="advisory_board", confidentiality="advisory", title="Advisory session")
    series_first = schedule(
        app, home, kind="advisory_board", confidentiality="advisory", repeat="weekly:1", repeat_count="2"
    )
    series_id = next(m.series_id for m in rows(app, home) if m.id == series_first)
    seat_on_board(app, home, "survivor_advisor")
    # The coordinator scheduled them but does not sit on the board: a 404 like anyone not admitted.
    for role, status in (("member", 404), ("observer", 404), ("coordinator", 404), ("survivor_advisor", 200)):
        client = login_as(role)
        assert client.get(f"{base}/{meeting_id}.ics").status_code == status, role
        assert client.get(f"{base}/series/{series_id}.ics").status_code == status, role
