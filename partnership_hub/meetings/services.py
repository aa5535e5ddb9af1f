"""Meeting rules: who sees which meetings, the list and the meeting page, scheduling one-off and
recurring meetings, editing or cancelling one occurrence or all following ones, keeping a series'
occurrences generated ahead, and what the home and the setup guide need.

Times: the form's date and times are wall-clock times in the meeting's time zone (a new meeting takes
the partnership's); rows store UTC. A series stores its rule and the local start of its first
occurrence, and ``recurrence.occurrences`` turns them into UTC starts that keep the wall-clock time
across DST changes. Occurrences are rows, generated up to ``AHEAD_DAYS`` days or ``AHEAD_COUNT``
occurrences ahead (whichever comes first) when a series is created or changed, and moved on by the
daily ``meetings.extend_series`` task; ``(series_id, original_start)`` is unique, so generating twice
adds nothing.

Services that depend on the time take ``now`` so callers (and tests) decide what time it is.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from partnership_hub.accounts.models import User
from partnership_hub.actions.models import ActionItem
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import Level, visible
from partnership_hub.context import WorkspaceContext, context_for
from partnership_hub.db import scoped, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import is_web_address, max_length
from partnership_hub.meetings import queries, recurrence
from partnership_hub.meetings.models import (
    KIND_LABELS,
    AgendaItem,
    Decision,
    InviteScope,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    MinutesRevision,
)
from partnership_hub.pagination import COUNT_CAP, Page, paginate
from partnership_hub.parsing import parse_date, parse_id, parse_int
from partnership_hub.picking import Pick, pick_together
from partnership_hub.policies import can
from partnership_hub.workspaces.models import Membership, Partnership, Role
from partnership_hub.workspaces.services import MEMBER_ORDER, people_spec, pickable_people

log = logging.getLogger(__name__)

PAGE_SIZE = 20
TITLE_MAX = max_length(Meeting.__table__.c.title)
LOCATION_MAX = max_length(Meeting.__table__.c.location)
URL_MAX = max_length(Meeting.__table__.c.online_url)
MAX_DURATION_MINUTES = 24 * 60

AHEAD_DAYS = 366  # occurrences exist about a year ahead...
AHEAD_COUNT = 24  # ...or this many upcoming ones, whichever comes first
BATCH = 100  # at most this many occurrences are added to one series in one go

SUGGESTIONS = 3  # people suggested to facilitate
SUGGESTION_POOL = 50  # coordinators and planning team members considered, by name
RECENT_MEETINGS = 100  # how far back "has facilitated recently" looks

STATUS_LABELS: dict[MeetingStatus, str] = {MeetingStatus.SCHEDULED: "Scheduled", MeetingStatus.CANCELLED: "Cancelled"}
SCOPES = ("one", "following")
REPEAT_FIELDS = ("repeat", "repeat_until", "repeat_count")
REMINDER_FIELDS = ("reminders_on", "reminder_offsets", "reminder_note", "remind_unanswered_only")
EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "kind",
    "date",
    "start_time",
    "end_time",
    "location",
    "online_url",
    "facilitator_membership_id",
    "note_taker_membership_id",
    "confidentiality",
    *REPEAT_FIELDS,
    *REMINDER_FIELDS,
)
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", re.ASCII)


# --- times ----------------------------------------------------------------------------------------


def zone_of(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def to_utc(local: datetime, zone: str) -> datetime:
    """A naive wall-clock time in ``zone`` as an aware UTC instant (a time the clocks skip or repeat
    resolves as ``zoneinfo`` does with fold=0: the offset before the change)."""
    return local.replace(tzinfo=zone_of(zone)).astimezone(UTC)


def to_local(instant: datetime, zone: str) -> datetime:
    """An aware instant as a naive wall-clock time in ``zone``."""
    return instant.astimezone(zone_of(zone)).replace(tzinfo=None)


@dataclass(frozen=True)
class When:
    """A meeting's times as one viewer reads them: in the viewer's zone, and in the meeting's own zone
    when that differs (``meeting_start`` and ``meeting_end`` are then set)."""

    start: datetime
    end: datetime
    zone: str
    meeting_zone: str
    meeting_start: datetime | None = None
    meeting_end: datetime | None = None

    @property
    def differs(self) -> bool:
        return self.meeting_start is not None


def when(meeting: Meeting, viewer_zone: str) -> When:
    """``meeting``'s start and end in ``viewer_zone`` (and in its own zone when that is another)."""
    start, end = meeting.starts_at.astimezone(zone_of(viewer_zone)), meeting.ends_at.astimezone(zone_of(viewer_zone))
    if meeting.time_zone == viewer_zone:
        return When(start, end, viewer_zone, meeting.time_zone)
    own = zone_of(meeting.time_zone)
    own_start, own_end = meeting.starts_at.astimezone(own), meeting.ends_at.astimezone(own)
    return When(start, end, viewer_zone, meeting.time_zone, own_start, own_end)


def viewer_zone(ctx: WorkspaceContext) -> str:
    """The zone times are shown in: the person's own (their account page) or else the partnership's
    (pages say which)."""
    own = ctx.user.time_zone if ctx.user is not None else None
    return own or ctx.partnership.time_zone


# --- who sees what and names -------------------------------------------------------------------


def person_name(viewer: Membership | None, membership: Membership | None, user: User | None) -> str:
    """A person's name, or who they are without it where the viewer may not see that person (survivor
    advisors' identities stay with coordinators and advisors; observers see no names)."""
    if membership is None:
        return ""
    if user is not None and can(viewer, "members.view", membership):
        return user.name
    return "A survivor advisor" if membership.role == Role.SURVIVOR_ADVISOR else "A partnership member"


def describe_series(series: MeetingSeries | None) -> str:
    """ "Monthly on the second Tuesday at 10:00", or "" for a one-off meeting."""
    if series is None:
        return ""
    try:
        return recurrence.describe(series.rule, series.first_start_local)
    except recurrence.RecurrenceError:  # a stored rule is validated; never let a page fail on one
        return "Repeats"


# --- the list ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFilters:
    kind: str = ""  # "" or a MeetingKind value

    @property
    def active(self) -> bool:
        return bool(self.kind)

    def query_args(self) -> dict[str, str]:
        return {"kind": self.kind} if self.kind else {}


@dataclass
class MeetingRow:
    meeting: Meeting
    series: MeetingSeries | None
    upcoming: bool

    @property
    def series_text(self) -> str:
        return describe_series(self.series)


def _listed(ctx: WorkspaceContext, stmt: Select[Any], filters: MeetingFilters) -> Select[Any]:
    stmt = stmt.where(visible(ctx, Meeting))
    if filters.kind:
        stmt = stmt.where(Meeting.kind == MeetingKind(filters.kind))
    return stmt


def meeting_list(
    ctx: WorkspaceContext, filters: MeetingFilters, now: datetime, page: int = 1, page_size: int = PAGE_SIZE
) -> Page[MeetingRow]:
    """One page of the meetings ``ctx``'s member may see: upcoming ones soonest first, then past ones
    latest first (cancelled ones included, marked), counted up to ``COUNT_CAP`` past the page. ONE
    statement reading a bounded number of rows: the upcoming and the past part are each a LIMIT walk
    of ``ix_meetings_partnership_id_starts_at_id`` (one forwards, one backwards), so the final sort sees
    at most twice the rows the page needs."""

    def top(rows: int) -> Select[Any]:
        base = _listed(ctx, select(Meeting.id, Meeting.starts_at), filters)
        upcoming = base.where(Meeting.starts_at >= now).order_by(Meeting.starts_at, Meeting.id).limit(rows).subquery()
        past = (
            base.where(Meeting.starts_at < now).order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(rows)
        ).subquery()
        keys = union_all(
            select(upcoming.c.id, literal(0).label("part")), select(past.c.id, literal(1).label("part"))
        ).subquery("page_keys")
        return (
            select(Meeting, MeetingSeries, keys.c.part)
            .join(keys, keys.c.id == Meeting.id)
            .outerjoin(MeetingSeries, MeetingSeries.id == Meeting.series_id)
            .order_by(
                keys.c.part,
                case((keys.c.part == 0, Meeting.starts_at)).asc(),
                Meeting.starts_at.desc(),
                Meeting.id,
            )
        )

    count = _listed(ctx, select(Meeting.id), filters)
    return paginate(
        top,
        page,
        page_size,
        row=lambda row: MeetingRow(row[0], row[1], row[2] == 0),
        cap=COUNT_CAP,
        count_from=scoped(count),
    )


def board_meetings(ctx: WorkspaceContext, now: datetime, page: int = 1, page_size: int = PAGE_SIZE) -> Page[MeetingRow]:
    """The survivor advisory board's meetings ``ctx``'s member may see, upcoming soonest first, then past
    ones latest first (the advisory area's restricted area lists them): ``meeting_list`` narrowed to the
    board's kind, ONE statement."""
    return meeting_list(ctx, MeetingFilters(kind=MeetingKind.ADVISORY_BOARD.value), now, page, page_size)


# --- the meeting page ----------------------------------------------------------------------------


@dataclass
class MeetingPage:
    """Everything the meeting page shows. The header's data is loaded here; each section (agenda,
    attendance, minutes, action items) is filled by its own loader in ``queries.py`` (ONE bounded
    statement each), named in ``SECTION_LOADERS``; a section left None shows its empty state."""

    meeting: Meeting
    series: MeetingSeries | None
    facilitator: str = ""
    note_taker: str = ""
    when: When | None = None
    agenda: Any = None
    attendance: Any = None
    minutes: Any = None
    actions: Any = None

    @property
    def series_text(self) -> str:
        return describe_series(self.series)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.meeting.kind]


# The sections of the meeting page, in the order they are loaded: each is ``(ctx, page) -> value``.
SECTION_LOADERS: dict[str, Callable[[WorkspaceContext, MeetingPage], Any]] = {
    "agenda": queries.load_agenda,
    "attendance": queries.load_attendance,
    "minutes": queries.load_minutes,
    "actions": queries.load_actions,
}

FacilitatorMembership = aliased(Membership, name="facilitator_membership")
FacilitatorUser = aliased(User, name="facilitator_user")
NoteTakerMembership = aliased(Membership, name="note_taker_membership")
NoteTakerUser = aliased(User, name="note_taker_user")


def _meeting_stmt(ctx: WorkspaceContext, meeting_id: Any) -> Select[Any]:
    record_id = parse_id(meeting_id)
    if record_id is None:
        raise NotFound("meeting (not an id)")
    return (
        select(Meeting, MeetingSeries)
        .outerjoin(MeetingSeries, MeetingSeries.id == Meeting.series_id)
        .where(Meeting.id == record_id, visible(ctx, Meeting))
    )


def get_meeting(ctx: WorkspaceContext, meeting_id: Any) -> tuple[Meeting, MeetingSeries | None]:
    """A meeting ``ctx``'s member may see, with its series (one query). ``NotFound`` otherwise — also
    for a meeting above their level."""
    row = db.session.execute(scoped(_meeting_stmt(ctx, meeting_id))).tuples().one_or_none()
    if row is None:
        raise NotFound(f"meeting {meeting_id}")
    return row[0], row[1]


def meeting_page(ctx: WorkspaceContext, meeting_id: Any) -> MeetingPage:
    """The meeting page's data: the meeting, its series and the facilitator's and note-taker's names
    (one query), then each section's loader (``SECTION_LOADERS``)."""
    stmt = (
        _meeting_stmt(ctx, meeting_id)
        .add_columns(FacilitatorMembership, FacilitatorUser, NoteTakerMembership, NoteTakerUser)
        .outerjoin(FacilitatorMembership, FacilitatorMembership.id == Meeting.facilitator_membership_id)
        .outerjoin(FacilitatorUser, FacilitatorUser.id == FacilitatorMembership.user_id)
        .outerjoin(NoteTakerMembership, NoteTakerMembership.id == Meeting.note_taker_membership_id)
        .outerjoin(NoteTakerUser, NoteTakerUser.id == NoteTakerMembership.user_id)
    )
    row = db.session.execute(scoped(stmt)).tuples().one_or_none()
    if row is None:
        raise NotFound(f"meeting {meeting_id}")
    meeting, series, facilitator, facilitator_user, note_taker, note_taker_user = row
    viewer = ctx.membership
    page = MeetingPage(
        meeting,
        series,
        facilitator=person_name(viewer, facilitator, facilitator_user),
        note_taker=person_name(viewer, note_taker, note_taker_user),
        when=when(meeting, viewer_zone(ctx)),
    )
    for name, load in SECTION_LOADERS.items():
        setattr(page, name, load(ctx, page))
    return page


# --- the form's pickers and the facilitator suggestion -----------------------------------------


def form_pickers(ctx: WorkspaceContext, values: dict[str, Any]) -> dict[str, Pick]:
    """The facilitator and note-taker pickers: each holds the chosen person and a page of matches, both
    filled in ONE statement (``picking.pick_together``)."""
    specs = {
        name: people_spec(ctx, [record_id] if (record_id := parse_id(values.get(name))) else [], blank="Nobody yet")
        for name in ("facilitator_membership_id", "note_taker_membership_id")
    }
    return pick_together(specs)


@dataclass(frozen=True)
class Suggestion:
    membership_id: int
    name: str
    last_facilitated: datetime | None  # within the recent meetings looked at; None: not among them


def facilitator_suggestions(ctx: WorkspaceContext, now: datetime, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Who might facilitate next (shared leadership): coordinators and planning team members (the first
    ``SUGGESTION_POOL`` by name, only people ``ctx``'s member may pick) who have not facilitated one of
    the last ``RECENT_MEETINGS`` meetings, then those who did longest ago. ONE bounded statement: a LIMIT
    walk of the meetings by start and one of the members by name."""
    recent = (
        select(Meeting.facilitator_membership_id.label("membership_id"), Meeting.starts_at)
        .where(
            Meeting.starts_at < now,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.facilitator_membership_id.is_not(None),
        )
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(RECENT_MEETINGS)
        .subquery()
    )
    last = (
        select(recent.c.membership_id, func.max(recent.c.starts_at).label("last"))
        .group_by(recent.c.membership_id)
        .subquery()
    )
    pool = (
        pickable_people(ctx)
        .add_columns(Membership.sort_name)
        .where(or_(Membership.role == Role.COORDINATOR, Membership.on_planning_team.is_(True)))
        .order_by(*MEMBER_ORDER)
        .limit(SUGGESTION_POOL)
        .subquery()
    )
    stmt = (
        select(pool.c.id, pool.c.name, last.c.last)
        .outerjoin(last, last.c.membership_id == pool.c.id)
        .order_by(last.c.last.is_not(None), last.c.last, pool.c.sort_name, pool.c.id)
        .limit(limit)
    )
    rows = db.session.execute(scoped(stmt)).tuples().all()
    return [
        Suggestion(membership_id, name, _aware(last_at) if last_at is not None else None)
        for membership_id, name, last_at in rows
    ]


def _aware(value: Any) -> datetime:
    """A datetime read through a subquery (SQLite hands back text or a naive value) as aware UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- validation ------------------------------------------------------------------------------------


@dataclass
class MeetingValues:
    """A meeting form's checked values."""

    title: str
    kind: MeetingKind
    local_start: datetime  # naive, in the meeting's time zone
    duration_minutes: int
    location: str
    online_url: str
    facilitator_membership_id: int | None
    note_taker_membership_id: int | None
    confidentiality: Level
    repeat: recurrence.RepeatChoice | None = None
    rule: str | None = None  # the repeat as a validated rule
    reminders: dict[str, Any] = field(default_factory=dict)  # the reminder settings (``reminders.clean_settings``)

    def occurrence_fields(self) -> dict[str, Any]:
        """What every occurrence made from these values carries (besides its times)."""
        return {
            "title": self.title,
            "kind": self.kind,
            "location": self.location,
            "online_url": self.online_url,
            "facilitator_membership_id": self.facilitator_membership_id,
            "note_taker_membership_id": self.note_taker_membership_id,
            "confidentiality": self.confidentiality,
        } | self.reminders


def _text(data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ServiceError("Enter text.", name)
    value = " ".join(value.split())
    if len(value) > limit:
        raise ServiceError(f"Use at most {limit} characters.", name)
    return value


def _parse_time(value: Any, name: str, what: str) -> time:
    if isinstance(value, time):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ServiceError(f"Enter the {what} time, e.g. 10:00.", name)
    match = _TIME.fullmatch(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59 or int(match[3] or 0) > 59:
        raise ServiceError(f"Enter the {what} time as hours and minutes, e.g. 10:00 or 14:30.", name)
    return time(int(match[1]), int(match[2]))


def _parse_day(value: Any, name: str, message: str) -> date:
    day = parse_date(value)
    if day is None:
        raise ServiceError(message, name)
    return day


def _people(ctx: WorkspaceContext, ids: Iterable[int]) -> dict[int, Membership]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {m.id: m for m in db.session.scalars(scoped(select(Membership).where(Membership.id.in_(wanted))))}


def _repeat(data: dict[str, Any], local_start: datetime) -> tuple[recurrence.RepeatChoice | None, str | None]:
    """The repeat the form chose (``recurrence.choice_from_key``) and its rule from ``local_start``."""
    key = data.get("repeat") or recurrence.NONE
    if not isinstance(key, str):
        raise ServiceError("Choose how the meeting repeats from the list.", "repeat")
    until = None
    if data.get("repeat_until") not in (None, ""):
        until = _parse_day(
            data.get("repeat_until"), "repeat_until", "Enter the last date as year-month-day, e.g. 2027-06-30."
        )
    count = None
    if data.get("repeat_count") not in (None, ""):
        count = parse_int(data.get("repeat_count"), low=1, high=recurrence.MAX_COUNT)
        if count is None:
            raise ServiceError(f"Enter a whole number of meetings from 1 to {recurrence.MAX_COUNT}.", "repeat_count")
    choice = recurrence.choice_from_key(key, until=until, count=count)  # RecurrenceError: at its field
    if not choice.repeats:
        return None, None
    return choice, recurrence.rule_from_choice(choice, local_start)


def clean_meeting_data(ctx: WorkspaceContext, data: dict[str, Any], *, repeat: bool = True) -> MeetingValues:
    """Checked values for a meeting; ServiceError (naming the field) for the first problem. People
    must be in this partnership and ones ``ctx``'s member may pick; ``repeat`` False ignores the
    repeat fields (editing one occurrence of a series)."""
    from partnership_hub.meetings import reminders

    title = _text(data, "title", TITLE_MAX)
    if not title:
        raise ServiceError("Enter the meeting's title.", "title")
    try:
        kind = MeetingKind(data.get("kind") or "")
    except ValueError:
        raise ServiceError("Choose the kind of meeting from the list.", "kind") from None
    day = _parse_day(data.get("date"), "date", "Enter the date as year-month-day, e.g. 2026-05-12.")
    start = _parse_time(data.get("start_time"), "start_time", "start")
    end = _parse_time(data.get("end_time"), "end_time", "end")
    if end <= start:
        raise ServiceError("The meeting must end after it starts (on the same day).", "end_time")
    local_start = datetime.combine(day, start)
    duration = int((datetime.combine(day, end) - local_start).total_seconds() // 60)

    location = _text(data, "location", LOCATION_MAX)
    online_url = _text(data, "online_url", URL_MAX)
    if online_url and not is_web_address(online_url):
        raise ServiceError("Enter the full address of the online meeting, starting with https://.", "online_url")

    confidentiality_value = data.get("confidentiality") or ""
    if confidentiality_value == "":
        confidentiality = Level.ADVISORY if kind == MeetingKind.ADVISORY_BOARD else Level.WORKSPACE
    else:
        try:
            confidentiality = Level(confidentiality_value)
        except ValueError:
            raise ServiceError("Choose who may see the meeting from the list.", "confidentiality") from None

    people: dict[str, int | None] = {}
    for name in ("facilitator_membership_id", "note_taker_membership_id"):
        value = data.get(name)
        people[name] = None if value in (None, "") else parse_id(value)
        if value not in (None, "") and people[name] is None:
            raise ServiceError("Choose someone from the partnership, or nobody.", name)
    found = _people(ctx, (i for i in people.values() if i is not None))
    for name, record_id in people.items():
        if record_id is None:
            continue
        member = found.get(record_id)
        if member is None or member.role == Role.OBSERVER or not can(ctx.membership, "members.view", member):
            raise ServiceError("Choose someone from the partnership, or nobody.", name)

    values = MeetingValues(
        title=title,
        kind=kind,
        local_start=local_start,
        duration_minutes=duration,
        location=location,
        online_url=online_url,
        facilitator_membership_id=people["facilitator_membership_id"],
        note_taker_membership_id=people["note_taker_membership_id"],
        confidentiality=confidentiality,
        reminders=reminders.clean_settings(data),
    )
    if repeat:
        values.repeat, values.rule = _repeat(data, local_start)
    return values


# --- generating occurrences ------------------------------------------------------------------------


def _first_start_utc(series: MeetingSeries) -> datetime:
    return to_utc(series.first_start_local, series.time_zone)


def _due(series: MeetingSeries, now: datetime) -> tuple[list[recurrence.Occurrence], datetime | None]:
    """The occurrences of ``series`` to add now and where ``generated_until`` goes: those after
    ``generated_until`` up to ``AHEAD_DAYS`` ahead, with at most ``AHEAD_COUNT`` upcoming ones in all
    and at most ``BATCH`` at once (the rest come with the next run)."""
    if series.ended_at is not None:
        return [], series.generated_until
    horizon = now + timedelta(days=AHEAD_DAYS)
    done = series.generated_until
    after = done if done is not None else _first_start_utc(series) - timedelta(days=2)
    if after >= horizon:
        return [], done

    def between(after_utc: datetime, before_utc: datetime, limit: int) -> list[recurrence.Occurrence]:
        rule, first, zone = series.rule, series.first_start_local, series.time_zone
        return recurrence.occurrences(rule, first, zone, after_utc=after_utc, before_utc=before_utc, limit=limit)

    found = [o for o in between(after, horizon, BATCH) if done is None or o.start_utc > done]
    ahead = 0
    if done is not None and done >= now:
        generated = between(now, done + timedelta(seconds=1), AHEAD_COUNT)
        ahead = sum(1 for o in generated if o.start_utc <= done)
    kept = []
    for occurrence in found:
        if occurrence.start_utc >= now:
            if ahead >= AHEAD_COUNT:
                break
            ahead += 1
        kept.append(occurrence)
    stopped = len(kept) < len(found) or len(found) >= BATCH
    if not stopped:
        return kept, horizon
    return kept, kept[-1].start_utc if kept else done


def _new_occurrence(series: MeetingSeries, occurrence: recurrence.Occurrence, fields: dict[str, Any]) -> Meeting:
    start = occurrence.start_utc.astimezone(UTC)
    return Meeting(
        **fields,
        series_id=series.id,
        original_start=start,
        starts_at=start,
        ends_at=start + timedelta(minutes=series.duration_minutes),
        time_zone=series.time_zone,
        status=MeetingStatus.SCHEDULED,
        sequence=0,
        version=1,
    )


def _template_fields(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title,
        "kind": meeting.kind,
        "location": meeting.location,
        "online_url": meeting.online_url,
        "facilitator_membership_id": meeting.facilitator_membership_id,
        "note_taker_membership_id": meeting.note_taker_membership_id,
        "confidentiality": meeting.confidentiality,
        "invite_scope": meeting.invite_scope,
        "author_membership_id": meeting.author_membership_id,
        "reminders_on": meeting.reminders_on,
        "reminder_offsets": meeting.reminder_offsets,
        "reminder_note": meeting.reminder_note,
        "remind_unanswered_only": meeting.remind_unanswered_only,
    }


def extend_series(ctx: WorkspaceContext, series: MeetingSeries, now: datetime | None = None) -> int:
    """Add the occurrences of ``series`` that are due (``_due``), copying the latest occurrence's
    details; returns how many were added. Idempotent: occurrences that exist are not added again."""
    now = now or utcnow()
    due, until = _due(series, now)
    if due:
        template = db.session.scalars(
            scoped(
                select(Meeting)
                .where(Meeting.series_id == series.id)
                .order_by(Meeting.original_start.desc().nulls_last(), Meeting.id.desc())
                .limit(1)
            )
        ).first()
        if template is None:  # every occurrence was removed: nothing to copy, nothing to add
            series.ended_at = series.ended_at or now
            return 0
        existing = set(
            db.session.scalars(
                scoped(
                    select(Meeting.original_start).where(
                        Meeting.series_id == series.id, Meeting.original_start >= due[0].start_utc
                    )
                )
            )
        )
        fields = _template_fields(template)
        added = [_new_occurrence(series, o, fields) for o in due if o.start_utc.astimezone(UTC) not in existing]
        db.session.add_all(added)
    else:
        added = []
    if until != series.generated_until:
        series.generated_until = until
    db.session.flush()
    return len(added)


def extend_all_series(ctx: WorkspaceContext, now: datetime | None = None) -> int:
    """Move every live series of ``ctx``'s partnership on (the daily task); how many occurrences were added."""
    now = now or utcnow()
    horizon = now + timedelta(days=AHEAD_DAYS)
    series_list = db.session.scalars(
        scoped(
            select(MeetingSeries)
            .where(
                MeetingSeries.ended_at.is_(None),
                or_(MeetingSeries.generated_until.is_(None), MeetingSeries.generated_until < horizon),
            )
            .order_by(MeetingSeries.id)
        )
    ).all()
    return sum(extend_series(ctx, series, now) for series in series_list)


def extend_every_partnership(now: datetime | None = None) -> int:
    """The daily beat task's work: each partnership in turn (bound explicitly, committed on its own, so
    one partnership's failure does not hold up the others). Returns how many occurrences were added."""
    now = now or utcnow()
    partnership_ids = db.session.scalars(select(Partnership.id).order_by(Partnership.id)).all()
    total = 0
    for partnership_id in partnership_ids:
        try:
            total += extend_all_series(context_for(partnership_id), now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("extending the meeting series of partnership %s failed", partnership_id)
    return total


# --- scheduling ----------------------------------------------------------------------------------


def _author(ctx: WorkspaceContext) -> int | None:
    return ctx.membership.id if ctx.membership else None


def schedule_meeting(ctx: WorkspaceContext, data: dict[str, Any], now: datetime | None = None) -> Meeting:
    """Schedule a meeting in the partnership's time zone: a one-off, or the first occurrence of a new
    series whose occurrences are generated ahead; reminders already due are queued at once
    (``reminders.after_schedule``). Returns the (first) meeting."""
    from partnership_hub.meetings import reminders

    now = now or utcnow()
    values = clean_meeting_data(ctx, data)
    zone = ctx.partnership.time_zone
    fields = values.occurrence_fields() | {"author_membership_id": _author(ctx), "invite_scope": InviteScope.ALL}
    if values.rule is None:
        start = to_utc(values.local_start, zone)
        meeting = Meeting(
            **fields, starts_at=start, ends_at=start + timedelta(minutes=values.duration_minutes), time_zone=zone
        )
        db.session.add(meeting)
        db.session.flush()
        audit.record(ctx, "meeting.scheduled", "meeting", meeting.id, kind=meeting.kind.value)
        reminders.after_schedule(ctx, meeting, now)
        return meeting
    series = MeetingSeries(
        rule=values.rule,
        first_start_local=values.local_start,
        duration_minutes=values.duration_minutes,
        time_zone=zone,
        created_by_membership_id=_author(ctx),
    )
    db.session.add(series)
    db.session.flush()
    first = _generate_from(series, fields, now)
    audit.record(ctx, "meeting.scheduled", "meeting", first.id, kind=first.kind.value, series_id=series.id)
    reminders.after_schedule(ctx, first, now)
    return first


def _generate_from(series: MeetingSeries, fields: dict[str, Any], now: datetime) -> Meeting:
    """A new series' first occurrences (``_due``), with ``fields``; returns the first. ServiceError when
    the rule gives no occurrence at all."""
    due, until = _due(series, now)
    if not due:
        raise ServiceError("These repeat settings give no meeting at all; check the last date.", "repeat")
    rows = [_new_occurrence(series, o, fields) for o in due]
    db.session.add_all(rows)
    series.generated_until = until
    db.session.flush()
    return rows[0]


def _calendar_changed(meeting: Meeting, changed: Iterable[str]) -> bool:
    return bool(set(changed) & {"title", "starts_at", "ends_at", "location", "online_url", "status"})


def _apply(meeting: Meeting, updates: dict[str, Any]) -> list[str]:
    """Set ``updates`` on ``meeting``; the names of the fields that changed (and the version and, for a
    change a calendar shows, the sequence raised once)."""
    changed = sorted(name for name, value in updates.items() if getattr(meeting, name) != value)
    for name in changed:
        setattr(meeting, name, updates[name])
    if changed:
        meeting.version += 1
        if _calendar_changed(meeting, changed):
            meeting.sequence += 1
    return changed


def _times(values: MeetingValues, zone: str) -> dict[str, datetime]:
    start = to_utc(values.local_start, zone)
    return {"starts_at": start, "ends_at": start + timedelta(minutes=values.duration_minutes)}


def update_meeting(
    ctx: WorkspaceContext,
    meeting: Meeting,
    series: MeetingSeries | None,
    data: dict[str, Any],
    scope: str = "one",
    now: datetime | None = None,
) -> Meeting:
    """Change a meeting. ``scope`` "one" changes this meeting only (an occurrence of a series keeps its
    place in the series; a one-off given a repeat becomes the first meeting of a new series);
    "following" changes this occurrence and every later one: the series is ended before it
    (``recurrence.rule_until_before``) and a new one, with the new details and repeat, starts here.
    The people invited are told what moved, and the reminders follow (``reminders.after_change``)."""
    from partnership_hub.meetings import reminders

    now = now or utcnow()
    following = scope == "following" and series is not None and meeting.original_start is not None
    watched = reminders.watch(
        ctx,
        _following(series, meeting) if following and series else [meeting],
        following=following,
        now=now,
        removals=following,  # a change to following meetings may remove some, and their invitations
    )
    updated = _update_meeting(ctx, meeting, series, data, scope, now)
    reminders.after_change(ctx, watched, updated, now)
    return updated


def _update_meeting(
    ctx: WorkspaceContext,
    meeting: Meeting,
    series: MeetingSeries | None,
    data: dict[str, Any],
    scope: str,
    now: datetime,
) -> Meeting:
    if scope not in SCOPES:
        raise ServiceError("Choose which meetings to change.", "scope")
    if meeting.cancelled:
        raise ServiceError("This meeting has been cancelled; it can no longer be changed.")
    if series is None or meeting.original_start is None:
        values = clean_meeting_data(ctx, data)
        changed = _apply(meeting, values.occurrence_fields() | _times(values, meeting.time_zone))
        if values.rule is not None:
            return _start_series_at(ctx, meeting, values, now)
        if changed:
            audit.record(ctx, "meeting.updated", "meeting", meeting.id, fields=changed)
        return meeting
    if scope == "one":
        values = clean_meeting_data(ctx, data, repeat=False)
        changed = _apply(meeting, values.occurrence_fields() | _times(values, meeting.time_zone))
        if changed:
            audit.record(ctx, "meeting.updated", "meeting", meeting.id, fields=changed, scope="one")
        return meeting
    values = clean_meeting_data(ctx, data)
    return _replace_following(ctx, meeting, series, values, now)


def _start_series_at(ctx: WorkspaceContext, meeting: Meeting, values: MeetingValues, now: datetime) -> Meeting:
    """Make the one-off ``meeting`` (already updated) the first occurrence of a new series."""
    assert values.rule is not None
    series = MeetingSeries(
        rule=values.rule,
        first_start_local=values.local_start,
        duration_minutes=values.duration_minutes,
        time_zone=meeting.time_zone,
        created_by_membership_id=_author(ctx),
    )
    db.session.add(series)
    db.session.flush()
    due, until = _due(series, now)
    if not due:
        raise ServiceError("These repeat settings give no meeting at all; check the last date.", "repeat")
    meeting.series_id, meeting.original_start = series.id, due[0].start_utc.astimezone(UTC)
    meeting.starts_at = meeting.original_start
    meeting.ends_at = meeting.starts_at + timedelta(minutes=series.duration_minutes)
    fields = _template_fields(meeting)
    db.session.add_all(_new_occurrence(series, o, fields) for o in due[1:])
    series.generated_until = until
    db.session.flush()
    audit.record(ctx, "meeting.updated", "meeting", meeting.id, fields=["repeat"], series_id=series.id)
    return meeting


def _following(series: MeetingSeries, meeting: Meeting) -> list[Meeting]:
    """``meeting`` and the later occurrences of its series, in order (at most a horizon's worth)."""
    stmt = (
        select(Meeting)
        .where(Meeting.series_id == series.id, Meeting.original_start >= meeting.original_start)
        .order_by(Meeting.original_start, Meeting.id)
    )
    return list(db.session.scalars(scoped(stmt)))


def _end_before(series: MeetingSeries, meeting: Meeting, now: datetime) -> bool:
    """End ``series`` before ``meeting``'s place in it; False when nothing of it would remain before."""
    assert meeting.original_start is not None
    remaining = recurrence.rule_until_before(
        series.rule, series.first_start_local, series.time_zone, meeting.original_start
    )
    if remaining is None:
        return False
    series.rule = remaining
    return True


def _drop(ctx: WorkspaceContext, meetings: Sequence[Meeting]) -> None:
    """Take occurrences a changed series no longer has out of the calendar: removed, unless something
    was recorded against them or points at them — decisions, action items, minutes, an approval of
    another meeting's minutes, agenda items carried over to another meeting (those are kept, cancelled)."""
    if not meetings:
        return
    ids = [m.id for m in meetings]
    carried_from = select(AgendaItem.carried_from_id).where(AgendaItem.carried_from_id.is_not(None))
    linked: Any = union_all(
        select(ActionItem.meeting_id).where(ActionItem.meeting_id.in_(ids)),
        select(Decision.meeting_id).where(Decision.meeting_id.in_(ids)),
        select(MinutesRevision.meeting_id).where(MinutesRevision.meeting_id.in_(ids)),
        select(Meeting.minutes_approved_in_meeting_id).where(Meeting.minutes_approved_in_meeting_id.in_(ids)),
        select(AgendaItem.meeting_id).where(AgendaItem.meeting_id.in_(ids), AgendaItem.id.in_(carried_from)),
    )
    keep = set(db.session.scalars(scoped(select(linked.subquery().c.meeting_id).distinct())))
    for meeting in meetings:
        if meeting.id in keep:
            _apply(meeting, {"status": MeetingStatus.CANCELLED})
        else:
            db.session.delete(meeting)


def _replace_following(
    ctx: WorkspaceContext, meeting: Meeting, series: MeetingSeries, values: MeetingValues, now: datetime
) -> Meeting:
    following = _following(series, meeting)
    kept_old = _end_before(series, meeting, now)
    if values.rule is None:
        # No repeat from here on: this meeting becomes a one-off, the later ones go.
        if not kept_old:
            series.ended_at = now
        _drop(ctx, following[1:])
        meeting.series_id, meeting.original_start = None, None
        changed = _apply(meeting, values.occurrence_fields() | _times(values, meeting.time_zone))
        db.session.flush()
        audit.record(ctx, "meeting.updated", "meeting", meeting.id, fields=[*changed, "repeat"], scope="following")
        return meeting
    if kept_old:
        target = MeetingSeries(created_by_membership_id=_author(ctx))
        db.session.add(target)
    else:
        target = series  # nothing of the old rule remains before this one: the series itself changes
    target.rule = values.rule
    target.first_start_local = values.local_start
    target.duration_minutes = values.duration_minutes
    target.time_zone = meeting.time_zone
    target.generated_until = None
    target.ended_at = None
    # Free the occurrences' places in their series first: the pairing below moves them around, and
    # (series_id, original_start) is unique at every step.
    for row in following:
        row.original_start = None
    db.session.flush()
    due, until = _due(target, now)
    if not due:
        raise ServiceError("These repeat settings give no meeting at all; check the last date.", "repeat")
    fields = values.occurrence_fields()
    # The k-th remaining occurrence becomes the k-th of the new rule (keeping its agenda, RSVPs...).
    for row, occurrence in zip(following, due, strict=False):
        start = occurrence.start_utc.astimezone(UTC)
        row.series_id = target.id
        row.original_start = start
        _apply(
            row,
            fields
            | {
                "starts_at": start,
                "ends_at": start + timedelta(minutes=target.duration_minutes),
                "status": MeetingStatus.SCHEDULED,
            },
        )
    _drop(ctx, following[len(due) :])
    template = fields | {"invite_scope": meeting.invite_scope, "author_membership_id": meeting.author_membership_id}
    db.session.add_all(_new_occurrence(target, o, template) for o in due[len(following) :])
    target.generated_until = until
    db.session.flush()
    audit.record(
        ctx, "meeting.updated", "meeting", meeting.id, fields=["following"], scope="following", series_id=target.id
    )
    return meeting


def cancel_meeting(
    ctx: WorkspaceContext,
    meeting: Meeting,
    series: MeetingSeries | None,
    scope: str = "one",
    now: datetime | None = None,
) -> int:
    """Cancel a meeting (``scope`` "one"), or it and every later occurrence of its series
    ("following": the series is ended before it, so no more are generated). Cancelled meetings stay
    listed, marked cancelled; their sequence is raised for calendars. The people invited are told, and
    reminders waiting are dropped (``reminders.after_cancel``). Returns how many were cancelled."""
    from partnership_hub.meetings import reminders

    now = now or utcnow()
    following = scope == "following" and series is not None and meeting.original_start is not None
    watched = reminders.watch(
        ctx, _following(series, meeting) if following and series else [meeting], following=following, now=now
    )
    cancelled = _cancel_meeting(ctx, meeting, series, scope, now)
    reminders.after_cancel(ctx, watched, now)
    return cancelled


def _cancel_meeting(
    ctx: WorkspaceContext, meeting: Meeting, series: MeetingSeries | None, scope: str, now: datetime
) -> int:
    if scope not in SCOPES:
        raise ServiceError("Choose which meetings to cancel.", "scope")
    if scope == "one" or series is None or meeting.original_start is None:
        if meeting.cancelled:
            raise ServiceError("This meeting is already cancelled.")
        _apply(meeting, {"status": MeetingStatus.CANCELLED})
        db.session.flush()
        audit.record(ctx, "meeting.cancelled", "meeting", meeting.id, scope="one")
        return 1
    if not _end_before(series, meeting, now):
        series.ended_at = now
    cancelled = 0
    for row in _following(series, meeting):
        if not row.cancelled:
            _apply(row, {"status": MeetingStatus.CANCELLED})
            cancelled += 1
    if not cancelled:
        raise ServiceError("These meetings are already cancelled.")
    db.session.flush()
    audit.record(ctx, "meeting.cancelled", "meeting", meeting.id, scope="following", count=cancelled)
    return cancelled


# --- the repeat form's choices --------------------------------------------------------------------

# The repeat select's options before a date is chosen (``recurrence.repeat_choices`` words them for
# the meeting's date once there is one).
GENERIC_REPEAT_CHOICES: tuple[tuple[str, str], ...] = (
    (recurrence.NONE, "Does not repeat"),
    ("weekly:1", "Every week"),
    ("weekly:2", "Every 2 weeks"),
    ("weekly:3", "Every 3 weeks"),
    ("weekly:4", "Every 4 weeks"),
    (recurrence.MONTHLY_BY_WEEKDAY, "Monthly on the same weekday (e.g. the second Tuesday)"),
    (recurrence.MONTHLY_BY_LAST_WEEKDAY, "Monthly on the last weekday of that kind (e.g. the last Friday)"),
    (recurrence.MONTHLY_BY_DATE, "Monthly on the same date"),
    (recurrence.YEARLY_CHOICE, "Yearly on the same date"),
)


def repeat_choices(day: Any, start_time: Any, current: str = "") -> list[tuple[str, str]]:
    """The repeat select's options, worded for the chosen date when there is one; a current value the
    wording leaves out (a stored series, a forged key) stays listed so the form can show it."""
    choices = list(GENERIC_REPEAT_CHOICES)
    when_day = parse_date(day)
    if when_day is not None:
        try:
            start = _parse_time(start_time, "start_time", "start")
        except ServiceError:
            start = time(10, 0)
        choices = recurrence.repeat_choices(datetime.combine(when_day, start))
    if current and current not in {key for key, _ in choices}:
        label = dict(GENERIC_REPEAT_CHOICES).get(current)
        if label:
            choices.append((current, label))
    return choices


def form_values(meeting: Meeting, series: MeetingSeries | None) -> dict[str, Any]:
    """A meeting's current values as the form shows them (in the meeting's own time zone); for an
    occurrence of a series, the repeat of the series from this occurrence on."""
    from partnership_hub.meetings import reminders

    start, end = to_local(meeting.starts_at, meeting.time_zone), to_local(meeting.ends_at, meeting.time_zone)
    values: dict[str, Any] = {
        "title": meeting.title,
        "kind": meeting.kind.value,
        "date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"),
        "location": meeting.location,
        "online_url": meeting.online_url,
        "facilitator_membership_id": str(meeting.facilitator_membership_id or ""),
        "note_taker_membership_id": str(meeting.note_taker_membership_id or ""),
        "confidentiality": meeting.confidentiality.value,
        "repeat": recurrence.NONE,
        "repeat_until": "",
        "repeat_count": "",
    } | reminders.form_values(meeting)
    if series is not None and meeting.original_start is not None:
        try:
            rule = recurrence.rule_for_remainder(
                series.rule, series.first_start_local, series.time_zone, meeting.original_start
            )
        except recurrence.RecurrenceError:
            rule = series.rule
        values.update(repeat_form_values(rule))
    return values


def repeat_form_values(rule: str) -> dict[str, str]:
    """The repeat fields for a stored rule (as ``rule_from_choice`` makes them), so "this and
    following" starts from the series' own repeat."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    freq, byday = parts.get("FREQ", ""), parts.get("BYDAY", "")
    key = recurrence.NONE
    if freq == "WEEKLY":
        key = f"weekly:{parts.get('INTERVAL', '1')}"
    elif freq == "MONTHLY" and byday.startswith("-1"):
        key = recurrence.MONTHLY_BY_LAST_WEEKDAY
    elif freq == "MONTHLY":
        key = recurrence.MONTHLY_BY_WEEKDAY if byday else recurrence.MONTHLY_BY_DATE
    elif freq == "YEARLY":
        key = recurrence.YEARLY_CHOICE
    until = parts.get("UNTIL", "")
    return {
        "repeat": key,
        "repeat_count": parts.get("COUNT", ""),
        "repeat_until": f"{until[:4]}-{until[4:6]}-{until[6:8]}" if len(until) >= 8 else "",
    }


# The setup guide's facts and the home's "Your next meetings" are in health.py.


# --- demo and test records -------------------------------------------------------------------------


@dataclass
class ScheduleRequest:
    """What ``schedule_meeting`` takes, for demo data and tests that build meetings in code."""

    title: str
    kind: MeetingKind
    day: date
    start: time
    end: time
    location: str = ""
    online_url: str = ""
    facilitator_membership_id: int | None = None
    note_taker_membership_id: int | None = None
    confidentiality: str = ""
    repeat: str = ""
    repeat_count: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "kind": self.kind.value,
            "date": self.day.isoformat(),
            "start_time": self.start.strftime("%H:%M"),
            "end_time": self.end.strftime("%H:%M"),
            "location": self.location,
            "online_url": self.online_url,
            "facilitator_membership_id": str(self.facilitator_membership_id or ""),
            "note_taker_membership_id": str(self.note_taker_membership_id or ""),
            "confidentiality": self.confidentiality,
            "repeat": self.repeat,
            "repeat_count": self.repeat_count,
        } | self.extra
