"""Calendars: a meeting's or a series' .ics file, the personal subscription feed (a secret token per
membership, only its sha256 kept), and the month view.

The feed is read without signing in, outside ``/p/<slug>``: its token is ``<partnership id>-<secret>``.
The id binds the session to that partnership first (so on PostgreSQL row-level security is in force
even here, as for invitation links); the token's row — not revoked, its membership still in the
partnership — then says whose feed it is, and the meetings are those that membership may see (the
confidentiality layer's ``visibility_clause`` evaluated as that membership). Anything else is a 404.
The feed costs two statements whatever the data size: the token with its membership and partnership,
then the meetings of a bounded window (``FEED_DAYS_BACK`` .. ``FEED_DAYS_AHEAD``, at most ``FEED_CAP``).

Reads of a feed are not written to the access log: calendar clients poll every few hours, and the
log would fill with them (a person's feed holds only what they may read in the app anyway).
"""

from __future__ import annotations

import calendar as stdlib_calendar
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import not_, select

from partnership_hub import areas
from partnership_hub.areas import CalendarEntry
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import visibility_clause, visible
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import bind_tenant, scoped, utcnow
from partnership_hub.errors import NotFound
from partnership_hub.extensions import db
from partnership_hub.meetings.models import CalendarFeed, Meeting, MeetingSeries
from partnership_hub.meetings.services import to_utc, zone_of
from partnership_hub.parsing import parse_id
from partnership_hub.workspaces.models import Membership, Partnership

FEED_DAYS_BACK = 90
FEED_DAYS_AHEAD = 400
FEED_CAP = 1000  # meetings in one feed at most (the earliest of the window first)
SERIES_CAP = 500  # occurrences one series .ics describes at most
MONTH_CAP = 300  # meetings the month view loads at most (six weeks)
DAY_CAP = 5  # meetings shown in one day of the month view before "and N more"
WEEK_STARTS_ON = stdlib_calendar.SUNDAY

_TOKEN = re.compile(r"([1-9][0-9]{0,9})-([A-Za-z0-9_-]{32,64})", re.ASCII)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- the feed's token ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedState:
    """The acting person's feed: whether one is active and since when (the address itself is never
    shown again after it was made)."""

    active: bool
    created_on: date | None = None  # in the partnership's zone
    revoked_on: date | None = None


def feed_state(ctx: WorkspaceContext) -> FeedState:
    assert ctx.membership is not None
    feed = db.session.scalars(
        scoped(select(CalendarFeed).where(CalendarFeed.membership_id == ctx.membership.id))
    ).one_or_none()
    if feed is None:
        return FeedState(False)
    revoked = feed.revoked_at.astimezone(ctx.zone).date() if feed.revoked_at else None
    return FeedState(feed.revoked_at is None, feed.created_at.astimezone(ctx.zone).date(), revoked)


def create_feed_token(ctx: WorkspaceContext) -> str:
    """Make (or remake) the acting person's feed address; returns the new token, shown once. An earlier
    address stops working at once."""
    assert ctx.membership is not None
    raw = f"{ctx.partnership.id}-{secrets.token_urlsafe(32)}"
    feed = db.session.scalars(
        scoped(select(CalendarFeed).where(CalendarFeed.membership_id == ctx.membership.id))
    ).one_or_none()
    regenerated = feed is not None and feed.revoked_at is None
    if feed is None:
        feed = CalendarFeed(membership_id=ctx.membership.id)
        db.session.add(feed)
    feed.token_hash = hash_token(raw)
    feed.created_at = utcnow()
    feed.revoked_at = None
    db.session.flush()
    audit.record(ctx, "calendar_feed.created", "membership", ctx.membership.id, regenerated=regenerated)
    return raw


def revoke_feed(ctx: WorkspaceContext) -> bool:
    """Stop the acting person's feed; False when there was none active."""
    assert ctx.membership is not None
    feed = db.session.scalars(
        scoped(select(CalendarFeed).where(CalendarFeed.membership_id == ctx.membership.id))
    ).one_or_none()
    if feed is None or feed.revoked_at is not None:
        return False
    feed.revoked_at = utcnow()
    audit.record(ctx, "calendar_feed.revoked", "membership", ctx.membership.id)
    return True


# --- the feed itself ---------------------------------------------------------------------------------


@dataclass
class Feed:
    partnership: Partnership
    membership: Membership
    meetings: list[Meeting]


def feed_for_token(raw: str, now: datetime | None = None) -> Feed:
    """The meetings behind a feed token (two statements). ``NotFound`` for a malformed, unknown or
    revoked token, or one whose membership has left the partnership."""
    now = now or utcnow()
    match = _TOKEN.fullmatch(raw or "")
    partnership_id = parse_id(match.group(1)) if match else None
    if match is None or partnership_id is None:
        raise NotFound("calendar feed")
    bind_tenant(db.session, partnership_id)
    row = (
        db.session.execute(
            scoped(
                select(Membership, Partnership)
                .join(CalendarFeed, CalendarFeed.membership_id == Membership.id)
                .join(Partnership, Partnership.id == Membership.partnership_id)
                .where(CalendarFeed.token_hash == hash_token(raw), CalendarFeed.revoked_at.is_(None))
            )
        )
        .tuples()
        .one_or_none()
    )
    if row is None:
        bind_tenant(db.session, None)
        raise NotFound("calendar feed")
    membership, partnership = row
    today = now.astimezone(zone_of(partnership.time_zone)).date()
    stmt = (
        select(Meeting)
        .where(
            Meeting.starts_at >= now - timedelta(days=FEED_DAYS_BACK),
            Meeting.starts_at < now + timedelta(days=FEED_DAYS_AHEAD),
            visibility_clause(Meeting, membership, today),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(FEED_CAP)
    )
    return Feed(partnership, membership, list(db.session.scalars(scoped(stmt))))


def feed_all_day_events(feed: Feed, now: datetime) -> list[areas.FeedEvent]:
    """Other areas' all-day events for the feed's owner (``Area.feed_events``), over the feed's window."""
    from partnership_hub.context import WorkspaceContext

    ctx = WorkspaceContext(feed.partnership, feed.membership, None)
    today = ctx.today(now)
    first, last = today - timedelta(days=FEED_DAYS_BACK), today + timedelta(days=FEED_DAYS_AHEAD)
    found: list[areas.FeedEvent] = []
    for area in areas.installed():
        if area.feed_events:
            found.extend(areas.resolve(area.feed_events)(ctx, first, last))
    return found


# --- a series' file ----------------------------------------------------------------------------------


@dataclass
class SeriesFile:
    series: MeetingSeries
    occurrences: list[Meeting]  # the ones the viewer may see, by original start
    hidden_starts: list[datetime]  # the places of the ones they may not


def series_file(ctx: WorkspaceContext, series_id: Any) -> SeriesFile:
    """A series with the occurrences ``ctx``'s member may see (two statements); ``NotFound`` for an
    unknown series or one with no occurrence they may see."""
    record_id = parse_id(series_id)
    if record_id is None:
        raise NotFound("meeting series (not an id)")
    may_see = visible(ctx, Meeting)
    rows = (
        db.session.execute(
            scoped(
                select(MeetingSeries, Meeting)
                .join(Meeting, Meeting.series_id == MeetingSeries.id)
                .where(MeetingSeries.id == record_id, Meeting.original_start.is_not(None), may_see)
                .order_by(Meeting.original_start, Meeting.id)
                .limit(SERIES_CAP)
            )
        )
        .tuples()
        .all()
    )
    if not rows:
        raise NotFound(f"meeting series {series_id}")
    hidden = db.session.scalars(
        scoped(
            select(Meeting.original_start)
            .where(Meeting.series_id == record_id, Meeting.original_start.is_not(None), not_(may_see))
            .order_by(Meeting.original_start)
            .limit(SERIES_CAP)
        )
    )
    return SeriesFile(rows[0][0], [meeting for _, meeting in rows], [s for s in hidden if s is not None])


# --- the month view ---------------------------------------------------------------------------------


def other_entries(ctx: WorkspaceContext, first: date, last: date) -> list[CalendarEntry]:
    """Other areas' entries on the month view (``Area.calendar_entries``: ONE bounded statement each)."""
    found: list[CalendarEntry] = []
    for area in areas.installed():
        if area.calendar_entries:
            found.extend(areas.resolve(area.calendar_entries)(ctx, first, last))
    return found


@dataclass(frozen=True)
class MonthEntry:
    meeting: Meeting
    start: datetime  # in the partnership's zone


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    meetings: list[MonthEntry] = field(default_factory=list)
    more: int = 0  # meetings of this day not shown (beyond DAY_CAP)
    others: list[CalendarEntry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.meetings or self.others)


@dataclass
class MonthView:
    month: date  # its first day
    weeks: list[list[Day]]
    zone: str
    today: date
    capped: bool  # more meetings in these weeks than the view loads

    @property
    def previous(self) -> date:
        return (self.month - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.month + timedelta(days=32)).replace(day=1)

    @property
    def weekdays(self) -> list[tuple[str, str]]:
        """(short, full) weekday names in the grid's order."""
        order = [(WEEK_STARTS_ON + n) % 7 for n in range(7)]
        return [(stdlib_calendar.day_abbr[d], stdlib_calendar.day_name[d]) for d in order]

    @property
    def days_with_entries(self) -> list[Day]:
        return [day for week in self.weeks for day in week if day.in_month and not day.empty]


_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)


def parse_month(raw: object, today: date) -> date:
    """``YYYY-MM`` as the month's first day (1900–2200); anything else means this month."""
    if isinstance(raw, str) and (match := _MONTH.fullmatch(raw)):
        year, month = int(match.group(1)), int(match.group(2))
        if 1900 <= year <= 2200 and 1 <= month <= 12:
            return date(year, month, 1)
    return today.replace(day=1)


def month_view(ctx: WorkspaceContext, month: date, now: datetime | None = None) -> MonthView:
    """The weeks that show ``month`` with the meetings ``ctx``'s member may see, in the partnership's
    zone: ONE statement (at most ``MONTH_CAP`` meetings, by start)."""
    now = now or utcnow()
    zone = ctx.partnership.time_zone
    today = ctx.today(now)
    weeks_dates = stdlib_calendar.Calendar(WEEK_STARTS_ON).monthdatescalendar(month.year, month.month)
    first, last = weeks_dates[0][0], weeks_dates[-1][-1]
    start_utc = to_utc(datetime.combine(first, time()), zone)
    end_utc = to_utc(datetime.combine(last + timedelta(days=1), time()), zone)
    stmt = (
        select(Meeting)
        .where(Meeting.starts_at >= start_utc, Meeting.starts_at < end_utc, visible(ctx, Meeting))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(MONTH_CAP + 1)
    )
    meetings = list(db.session.scalars(scoped(stmt)))
    capped = len(meetings) > MONTH_CAP
    days = {d: Day(d, d.month == month.month, d == today) for week in weeks_dates for d in week}
    tz = zone_of(zone)
    for meeting in meetings[:MONTH_CAP]:
        day = days.get(meeting.starts_at.astimezone(tz).date())
        if day is None:
            continue
        if len(day.meetings) < DAY_CAP:
            day.meetings.append(MonthEntry(meeting, meeting.starts_at.astimezone(tz)))
        else:
            day.more += 1
    for entry in other_entries(ctx, first, last):
        if entry.day in days:
            days[entry.day].others.append(entry)
    weeks = [[days[d] for d in week] for week in weeks_dates]
    return MonthView(month, weeks, zone, today, capped)
