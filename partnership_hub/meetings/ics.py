"""iCalendar (RFC 5545) files for meetings, built with the ``icalendar`` library.

* ``meeting_calendar`` — one meeting: ``METHOD:PUBLISH``, or ``METHOD:CANCEL`` with
  ``STATUS:CANCELLED`` once it is cancelled. A one-off meeting's UID is its own; an occurrence of a
  series carries the series' UID and a ``RECURRENCE-ID`` (the start its rule gave it), so a calendar
  that imported the whole series replaces just that occurrence.
* ``series_calendar`` — a whole series: one VEVENT with the ``RRULE`` (``recurrence.rule_for_ical``)
  and an ``EXDATE`` for every cancelled occurrence (and every one the viewer may not see), plus a
  VEVENT with ``RECURRENCE-ID`` for each occurrence that differs from the rule (moved or edited).
* ``feed_calendar`` — a person's subscription: one VEVENT per meeting (cancelled ones kept, marked
  ``STATUS:CANCELLED``), each with its own UID, so every client shows them without the series' master
  (the feed holds a bounded window, never a whole series).

Times carry a ``TZID`` (the meeting's zone) and the matching ``VTIMEZONE`` is added from zoneinfo, so
an occurrence keeps its wall-clock time across DST changes in every client. ``SEQUENCE`` is the
meeting's ``sequence`` (the scheduling services raise it on every change a calendar shows). Each event
links back to the meeting page (``URL`` and in ``DESCRIPTION``) and has a display alarm an hour before.

Nothing here queries the database: the callers load what the viewer may see and pass it in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Alarm, Calendar, Event, vRecur

from partnership_hub.areas import FeedEvent
from partnership_hub.confidentiality import Level
from partnership_hub.meetings import recurrence
from partnership_hub.meetings.models import Meeting, MeetingSeries


def uid_domain() -> str:
    """The UIDs' domain: this deployment's host, so a UID stays the same in every file that carries the
    meeting (the feed, a download, a reminder's attachment)."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "partnership-hub.invalid"


PRODID = "-//Partnership Hub//Meetings//EN"
ALARM_BEFORE = timedelta(hours=1)
CONTENT_TYPE = "text/calendar; charset=utf-8"

# What makes an occurrence differ from its series' rule (and so get a RECURRENCE-ID event of its own).
_COMPARED = ("title", "location", "online_url", "status", "confidentiality")

LinkFor = Callable[[Meeting], str]


def meeting_uid(meeting: Meeting, domain: str) -> str:
    """The UID calendars know ``meeting`` by: its series' for an occurrence, its own otherwise."""
    if meeting.series_id is not None and meeting.original_start is not None:
        return series_uid(meeting.series_id, domain)
    return occurrence_uid(meeting, domain)


def series_uid(series_id: int, domain: str) -> str:
    return f"meeting-series-{series_id}@{domain}"


def occurrence_uid(meeting: Meeting, domain: str) -> str:
    return f"meeting-{meeting.id}@{domain}"


def _in_zone(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def _description(meeting: Meeting, link: str) -> str:
    lines = [f"Meeting page: {link}"]
    if meeting.online_url:
        lines.append(f"Join online: {meeting.online_url}")
    if meeting.cancelled:
        lines.insert(0, "This meeting has been cancelled.")
    return "\n".join(lines)


def _event(
    meeting: Meeting,
    link: str,
    uid: str,
    stamp: datetime,
    *,
    times: tuple[datetime, datetime] | None = None,
    sequence: int | None = None,
    cancelled: bool | None = None,
) -> Event:
    """A VEVENT with ``meeting``'s details, times in its own zone (or ``times``, aware)."""
    start, end = times or (_in_zone(meeting.starts_at, meeting.time_zone), _in_zone(meeting.ends_at, meeting.time_zone))
    cancelled = meeting.cancelled if cancelled is None else cancelled
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", meeting.title)
    location = meeting.location or meeting.online_url
    if location:
        event.add("location", location)
    event.add("url", link)
    event.add("description", _description(meeting, link))
    event.add("sequence", meeting.sequence if sequence is None else sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if meeting.confidentiality != Level.WORKSPACE:
        event.add("class", "CONFIDENTIAL")
    if meeting.updated_at is not None:
        event.add("last-modified", meeting.updated_at.astimezone(UTC))
    if not cancelled:
        event.add_component(_alarm(meeting))
    return event


def _alarm(meeting: Meeting) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -ALARM_BEFORE)
    alarm.add("description", f"In an hour: {meeting.title}")
    return alarm


def _recurrence_id(meeting: Meeting, zone: str) -> datetime:
    assert meeting.original_start is not None
    return _in_zone(meeting.original_start, zone)


def _calendar(method: str, name: str, events: Iterable[Event], *, first: date, last: date) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones(first_date=first, last_date=last)
    body: bytes = calendar.to_ical()
    return body


def _span(meetings: Sequence[Meeting], now: datetime, *, open_ended: bool = False) -> tuple[date, date]:
    """The dates the VTIMEZONEs must cover (with a margin; an open series for ten years)."""
    starts = [m.starts_at for m in meetings] or [now]
    ends = [m.ends_at for m in meetings] or [now]
    first = min(starts).date() - timedelta(days=366)
    last = max(ends).date() + timedelta(days=2 * 366)
    if open_ended:
        last = max(last, now.date() + timedelta(days=10 * 366))
    return first, last


def meeting_calendar(meeting: Meeting, link: str, domain: str, now: datetime) -> bytes:
    """One meeting: PUBLISH, or CANCEL with STATUS:CANCELLED when it was cancelled."""
    event = _event(meeting, link, meeting_uid(meeting, domain), now)
    if meeting.series_id is not None and meeting.original_start is not None:
        event.add("recurrence-id", _recurrence_id(meeting, meeting.time_zone))
    first, last = _span([meeting], now)
    method = "CANCEL" if meeting.cancelled else "PUBLISH"
    return _calendar(method, meeting.title, [event], first=first, last=last)


def _differs(meeting: Meeting, master: Meeting, duration: timedelta) -> bool:
    if meeting.starts_at != meeting.original_start or meeting.ends_at - meeting.starts_at != duration:
        return True
    return any(getattr(meeting, name) != getattr(master, name) for name in _COMPARED)


def series_calendar(
    series: MeetingSeries,
    occurrences: Sequence[Meeting],
    hidden_starts: Iterable[datetime],
    link_for: LinkFor,
    domain: str,
    now: datetime,
) -> bytes:
    """A whole series: the rule (RRULE), EXDATE for cancelled occurrences and ``hidden_starts`` (the
    places of occurrences the viewer may not see), and a RECURRENCE-ID event for each occurrence that
    differs from the rule. ``occurrences``: the series' rows the viewer may see, by start (at least one).

    The master event takes its details from the first occurrence that is neither moved nor cancelled
    (or the first one), and the highest sequence of them all, so a client updates it after any change."""
    placed = [m for m in occurrences if m.original_start is not None]
    if not placed:
        raise ValueError("a series calendar needs an occurrence the viewer may see")
    master = next((m for m in placed if not m.cancelled and m.starts_at == m.original_start), placed[0])
    zone = series.time_zone
    duration = timedelta(minutes=series.duration_minutes)
    uid = series_uid(series.id, domain)
    start = series.first_start_local.replace(tzinfo=ZoneInfo(zone))
    all_cancelled = all(m.cancelled for m in placed) and series.ended_at is not None
    head = _event(
        master,
        link_for(master),
        uid,
        now,
        times=(start, start + duration),
        sequence=max(m.sequence for m in placed),
        cancelled=all_cancelled,
    )
    head.add("rrule", vRecur.from_ical(recurrence.rule_for_ical(series.rule, zone)))
    cancelled = {_recurrence_id(m, zone) for m in placed if m.cancelled}
    excluded = sorted(cancelled | {_in_zone(start, zone) for start in hidden_starts})
    if excluded:
        head.add("exdate", excluded)
    events = [head]
    for meeting in placed:
        if meeting.cancelled or meeting is master or not _differs(meeting, master, duration):
            continue
        event = _event(meeting, link_for(meeting), uid, now)
        event.add("recurrence-id", _recurrence_id(meeting, zone))
        events.append(event)
    first, last = _span(placed, now, open_ended="UNTIL=" not in series.rule and "COUNT=" not in series.rule)
    first = min(first, series.first_start_local.date() - timedelta(days=366))
    return _calendar("CANCEL" if all_cancelled else "PUBLISH", master.title, events, first=first, last=last)


def feed_calendar(
    name: str,
    meetings: Sequence[Meeting],
    link_for: LinkFor,
    domain: str,
    now: datetime,
    all_day: Sequence[FeedEvent] = (),
) -> bytes:
    """A personal subscription: one VEVENT per meeting, each with its own UID, and the other areas'
    all-day events (awareness days: DTSTART;VALUE=DATE, DTEND the day after the last, TRANSP:TRANSPARENT)."""
    events = [_event(m, link_for(m), occurrence_uid(m, domain), now) for m in meetings]
    for item in all_day:
        event = Event()
        event.add("uid", f"{item.uid}@{domain}")
        event.add("dtstamp", now)
        event.add("dtstart", item.start)
        event.add("dtend", item.end + timedelta(days=1))
        event.add("summary", item.summary)
        event.add("transp", "TRANSPARENT")  # an observance does not make anyone busy
        events.append(event)
    first, last = _span(meetings, now)
    return _calendar("PUBLISH", name, events, first=first, last=last)
