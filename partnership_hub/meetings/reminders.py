"""Meeting reminders, and the notices of a meeting moved or cancelled (issue #15).

**Reminders.** A meeting with ``reminders_on`` reminds the people invited to it and admitted to its level
(``attendance.invited_membership_ids_clause``), except those who said they can't come (and, with
``remind_unanswered_only``, everyone who answered), at each of its offsets: ``meeting.reminder_offsets`` or
the partnership's (``notices.settings``; minutes before the start). An offset of whole days means the same
wall-clock time that many days earlier in the meeting's time zone (a day before a 10:00 meeting is 10:00
the day before, 23 or 25 hours across a DST change); any other offset is that many minutes.

The planning beat (``plan_reminders``, the area's ``notice_planner``, every five minutes) queues each
reminder whose instant falls before ``now + PLAN_AHEAD`` with ``send_at`` at that instant, so the sweep
sends it on time. Catch-up: of the offsets already past (the beat was down, or the meeting was scheduled
or moved late) only the latest is queued, at once, and none when another offset falls due within
``PLAN_AHEAD``; never any for a meeting that has started. Scheduling or moving a meeting plans it at once,
in the same transaction (``after_schedule`` / ``after_change``).

Each reminder has the deduplication key ``meeting_reminder:<meeting id>:<start, UTC>:<offset>:<member>``
and ``valid_while = "meeting:<id>:<sequence>"``: ``still_valid`` (the area's mail check) supersedes it when
the meeting is gone, cancelled, changed for calendars (its ``sequence`` moved on), started, or has
reminders turned off. A reminder superseded by a change that kept the start (a new title or place) is
queued again under ``...:<offset>:<sequence>`` while its instant is still ahead; one whose instant has
passed is never queued twice. What was queued is read back in one statement (the outbox, opened for the
beat's transaction only, and the notification centre), so a run with nothing new costs the same few
statements however many meetings and people there are.

**Moves and cancellations.** A change to a meeting's time or place tells the people invited to it
(``meeting_changed``, with the updated .ics: METHOD:REQUEST, the new SEQUENCE); a cancellation tells
them too (``meeting_cancelled``, METHOD:CANCEL). A change to "this and all following" meetings of a series
sends ONE message per person, listing the meetings it moved, cancelled or removed. Both drop the meeting's
reminders still waiting in the notification centre (their emails are superseded when their time comes).

Statements per plan: the settings, the meetings (ONE bounded read of ``ix_meetings_partnership_id_starts_at_id``),
their invitees (ONE statement per ``INVITEES_CHUNK`` meetings with a reminder due), the people's choices
(ONE), what was queued (ONE, two on PostgreSQL), the agendas (ONE), then ``notices.notify``'s writes: one
statement per meeting with a reminder to queue, and the outbox's per message.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from icalendar import Calendar
from sqlalchemy import CompoundSelect, Integer, Select, String, and_, delete, func, literal, or_, select, union_all
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import aliased

from partnership_hub.accounts.models import User
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.meetings import ics
from partnership_hub.meetings.attendance import RSVP_LABELS, invited_membership_ids_clause, rsvp_links
from partnership_hub.meetings.models import AgendaItem, AgendaItemStatus, Meeting, MeetingInvitee, MeetingStatus, Rsvp
from partnership_hub.notifications import notices
from partnership_hub.notifications.models import Notification, OutboxMessage, OutboxStatus
from partnership_hub.notifications.services import absolute_url, open_outbox
from partnership_hub.parsing import TRUE_WORDS
from partnership_hub.workspaces.models import Membership

log = logging.getLogger(__name__)

REMINDER, CHANGED, CANCELLED = "meeting_reminder", "meeting_changed", "meeting_cancelled"
CHECK_PREFIX = "meeting"  # valid_while "meeting:<id>:<sequence>" (``Area.mail_checks``)

PLAN_AHEAD = timedelta(minutes=15)  # the beat runs every 5 minutes: queue what falls due before its next runs
DST_SLACK = timedelta(hours=2)  # a day-based offset is up to an hour off its minutes across a DST change
MAX_MEETINGS = 500  # meetings read per plan, soonest first (the rest wait for a later run)
INVITEES_CHUNK = 100  # meetings per statement of invitees (SQLite allows 500 SELECTs in a compound one)
TOLD_CHUNK = 5000  # keys per statement reading back what was queued
AGENDA_SHOWN = 12  # agenda items in a reminder; "and N more" after
LISTED = 10  # meetings listed in a "following" change or cancellation; "and N more" after
NOTE_MAX = 1000
DAY = 24 * 60

# The per-meeting choices on the meeting form (minutes before the start), largest first.
OFFSET_CHOICES: tuple[tuple[int, str], ...] = (
    (7 * DAY, "1 week before"),
    (DAY, "1 day before"),
    (120, "2 hours before"),
    (60, "1 hour before"),
    (15, "15 minutes before"),
)
_FALSE = ("", "n", "no", "off", "false", "0")


# --- the meeting form's settings ----------------------------------------------------------------------


def _flag(data: Mapping[str, Any], name: str, default: bool, message: str) -> bool:
    value = data.get(name, default)
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in TRUE_WORDS + _FALSE:
        return value.strip().lower() in TRUE_WORDS
    raise ServiceError(message, name)


def clean_settings(data: Mapping[str, Any]) -> dict[str, Any]:
    """The meeting form's reminder settings, checked (``ServiceError`` at the field), as the meeting's columns.
    Left out of ``data`` (a meeting scheduled in code): reminders on, at the partnership's times."""
    on = _flag(data, "reminders_on", True, "Choose whether to send reminders for this meeting.")
    only_unanswered = _flag(
        data, "remind_unanswered_only", False, "Choose whether to remind only the people who have not answered."
    )
    raw = data.get("reminder_offsets")
    if raw is None or raw == "":
        parts: list[Any] = []
    elif isinstance(raw, str):
        parts = raw.split()
    elif isinstance(raw, list | tuple | set | frozenset):
        parts = list(raw)
    else:
        raise ServiceError("Choose when to remind people from the list.", "reminder_offsets")
    allowed = {minutes for minutes, _ in OFFSET_CHOICES}
    offsets: set[int] = set()
    for part in parts:
        text = str(part).strip() if isinstance(part, str | int) and not isinstance(part, bool) else ""
        if not text.isdigit() or int(text) not in allowed:
            raise ServiceError("Choose when to remind people from the list.", "reminder_offsets")
        offsets.add(int(text))
    note = data.get("reminder_note") or ""
    if not isinstance(note, str):
        raise ServiceError("Enter the extra message as text.", "reminder_note")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ServiceError(f"Keep the extra message to {NOTE_MAX} characters or fewer.", "reminder_note")
    return {
        "reminders_on": on,
        "reminder_offsets": " ".join(str(o) for o in sorted(offsets, reverse=True)) or None,
        "reminder_note": note,
        "remind_unanswered_only": only_unanswered,
    }


def form_values(meeting: Meeting) -> dict[str, Any]:
    """A meeting's reminder settings as the meeting form shows them."""
    return {
        "reminders_on": meeting.reminders_on,
        "reminder_offsets": [str(o) for o in notices.parse_offsets(meeting.reminder_offsets)],
        "reminder_note": meeting.reminder_note,
        "remind_unanswered_only": meeting.remind_unanswered_only,
    }


# --- when reminders fall due --------------------------------------------------------------------------


def offsets_of(meeting: Meeting, default: Sequence[int]) -> list[int]:
    """The meeting's own offsets (minutes, largest first), else the partnership's."""
    return notices.parse_offsets(meeting.reminder_offsets) or list(default)


def due_at(meeting: Meeting, offset: int) -> datetime:
    """The instant (UTC) of the reminder ``offset`` minutes before ``meeting``: for whole days, the same
    wall-clock time that many days earlier in the meeting's time zone (a time the clocks skip resolves as
    ``zoneinfo`` does, fold=0); otherwise exactly that many minutes."""
    start = meeting.starts_at.astimezone(UTC)
    if offset <= 0 or offset % DAY:
        return start - timedelta(minutes=offset)
    zone = notices.zone_info(meeting.time_zone)
    local = start.astimezone(zone).replace(tzinfo=None) - timedelta(days=offset // DAY)
    return local.replace(tzinfo=zone).astimezone(UTC)


class Due(NamedTuple):
    offset: int
    at: datetime
    ahead: bool  # its instant is still to come (queued with send_at); False: caught up now


def due_reminders(meeting: Meeting, offsets: Iterable[int], now: datetime) -> list[Due]:
    """The reminders of ``meeting`` to queue at ``now``: those falling due within ``PLAN_AHEAD``; when none
    does, the latest of those already past (catch-up); none once the meeting has started."""
    if meeting.starts_at <= now:
        return []
    window = [(o, at) for o in offsets if (at := due_at(meeting, o)) <= now + PLAN_AHEAD]
    ahead = [Due(o, at, True) for o, at in window if at > now]
    if ahead or not window:
        return ahead
    offset, at = max(window, key=lambda pair: (pair[1], -pair[0]))
    return [Due(offset, at, False)]


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def reminder_key(meeting: Meeting, offset: int, again: bool = False) -> str:
    """``notify``'s key for a reminder: the meeting, its start (UTC) and the offset — and its sequence for
    a reminder queued again after a change that kept the start."""
    key = f"{meeting.id}:{_iso(meeting.starts_at)}:{offset}"
    return f"{key}:{meeting.sequence}" if again else key


def _valid_while(meeting: Meeting) -> str:
    return f"{CHECK_PREFIX}:{meeting.id}:{meeting.sequence}"


def still_valid(ref: str, now: datetime) -> bool:
    """The area's mail check for "meeting:<id>:<sequence>": is a reminder still true to its meeting? False
    when the meeting is gone, cancelled, has changed for calendars since, has started, or has reminders off."""
    meeting_id, _, sequence = ref.partition(":")
    if not meeting_id.isdigit() or not sequence.isdigit():
        return False
    row = db.session.execute(
        scoped(
            select(Meeting.status, Meeting.sequence, Meeting.starts_at, Meeting.reminders_on).where(
                Meeting.id == int(meeting_id)
            )
        )
    ).first()
    if row is None:
        return False
    status, current, starts_at, on = row
    return status == MeetingStatus.SCHEDULED and current == int(sequence) and starts_at > now and bool(on)


# --- planning ---------------------------------------------------------------------------------------


def _default_offsets(ctx: WorkspaceContext) -> list[int]:
    return notices.parse_offsets(notices.settings(ctx).reminder_offsets)


def horizon(default: Sequence[int]) -> timedelta:
    """How far ahead a meeting may start and still have a reminder due within ``PLAN_AHEAD``."""
    largest = max([*default, *(minutes for minutes, _ in OFFSET_CHOICES)])
    return timedelta(minutes=largest) + PLAN_AHEAD + DST_SLACK


def _upcoming(now: datetime, until: datetime) -> Select[tuple[Meeting]]:
    return (
        select(Meeting)
        .where(
            Meeting.starts_at > now,
            Meeting.starts_at <= until,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.reminders_on.is_(True),
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(MAX_MEETINGS)
    )


def plan_reminders(ctx: WorkspaceContext, now: datetime) -> int:
    """The area's ``notice_planner``: queue the reminders of ``ctx``'s partnership that fall due before
    ``now + PLAN_AHEAD`` (see the module docstring). Idempotent. Returns how many people were told."""
    default = _default_offsets(ctx)
    meetings = list(db.session.scalars(scoped(_upcoming(now, now + horizon(default)))))
    if len(meetings) == MAX_MEETINGS:
        log.warning(
            "reminders: partnership %s has %s meetings ahead or more; the later ones wait",
            ctx.partnership.id,
            MAX_MEETINGS,
        )
    return _plan(ctx, meetings, now, default, mode="beat")


@dataclass
class _Planned:
    meeting: Meeting
    due: Due
    again: bool
    people: list[notices.Recipient] = field(default_factory=list)
    answers: dict[int, Rsvp | None] = field(default_factory=dict)  # membership id -> their answer so far


def _plan(ctx: WorkspaceContext, meetings: Sequence[Meeting], now: datetime, default: Sequence[int], mode: str) -> int:
    """Queue the reminders of ``meetings`` due at ``now``. ``mode`` "beat": read back what was queued and
    queue the rest; "fresh" (a meeting just scheduled or moved): queue under the plain key; "again" (a
    change that kept the start): queue the reminders still ahead under the key with the sequence."""
    dues = [
        (meeting, due)
        for meeting in meetings
        if meeting.reminders_on and not meeting.cancelled
        for due in due_reminders(meeting, offsets_of(meeting, default), now)
        if mode != "again" or due.ahead
    ]
    if not dues:
        return 0
    due_meetings = list({meeting.id: meeting for meeting, _ in dues}.values())
    invited = invitees(ctx, due_meetings, now)
    member_ids = sorted({m_id for answers in invited.values() for m_id in answers})
    people = {p.membership_id: p for p in notices.recipients(ctx, REMINDER, member_ids)} if member_ids else {}
    candidates: list[tuple[Meeting, Due, notices.Recipient]] = []
    answers: dict[tuple[int, int], Rsvp | None] = {}
    for meeting, due in dues:
        for membership_id, answer in invited.get(meeting.id, {}).items():
            person = people.get(membership_id)
            if person is None or answer == Rsvp.NO:
                continue
            if meeting.remind_unanswered_only and answer not in (None, Rsvp.NONE):
                continue
            candidates.append((meeting, due, person))
            answers[meeting.id, membership_id] = answer
    planned: dict[tuple[int, int, bool], _Planned] = {}
    told = _told(candidates) if mode == "beat" else None
    for meeting, due, person in candidates:
        again = mode == "again" if told is None else _again(told, meeting, due, person)
        if again is None:
            continue
        entry = planned.setdefault((meeting.id, due.offset, again), _Planned(meeting, due, again))
        entry.people.append(person)
        entry.answers[person.membership_id] = answers[meeting.id, person.membership_id]
    if not planned:
        return 0
    agendas = agenda_summaries(sorted({entry.meeting.id for entry in planned.values()}))
    total = 0
    for entry in planned.values():
        total += _send_reminder(ctx, entry, agendas.get(entry.meeting.id, _Agenda()), now)
    return total


class _Told(NamedTuple):
    mail: dict[str, tuple[str, str | None]]  # dedup key -> (status, valid_while)
    entries: set[str]  # dedup keys in the notification centre


def _told(candidates: Sequence[tuple[Meeting, Due, notices.Recipient]]) -> _Told:
    """What was queued already for ``candidates``, under either key: ONE statement per ``TOLD_CHUNK`` keys.
    The outbox is opened for this transaction (the planning beat's, never a request's): on PostgreSQL only
    delivery work may read it."""
    keys = sorted(
        {
            notices.full_key(REMINDER, reminder_key(meeting, due.offset, again), person.membership_id)
            for meeting, due, person in candidates
            for again in (False, True)
        }
    )
    told = _Told({}, set())
    if not keys:
        return told
    open_outbox()
    for start in range(0, len(keys), TOLD_CHUNK):
        chunk = keys[start : start + TOLD_CHUNK]
        stmt: CompoundSelect = union_all(
            select(OutboxMessage.dedup_key, OutboxMessage.status, OutboxMessage.valid_while).where(
                OutboxMessage.dedup_key.in_(chunk)
            ),
            select(Notification.dedup_key, literal(None, String), literal(None, String)).where(
                Notification.dedup_key.in_(chunk)
            ),
        )
        for key, status, valid_while in db.session.execute(scoped(select(stmt.subquery()))):
            if status is None:
                told.entries.add(key)
            else:
                told.mail[key] = (status, valid_while)
    return told


def _again(told: _Told, meeting: Meeting, due: Due, person: notices.Recipient) -> bool | None:
    """Which key to queue ``person``'s reminder under (False: the plain one; True: the one with the
    sequence), or None when it was queued already. A plain one superseded or made stale by a change is
    queued again only while its instant is still ahead: one already past was due in its old form."""
    plain = notices.full_key(REMINDER, reminder_key(meeting, due.offset), person.membership_id)
    again = notices.full_key(REMINDER, reminder_key(meeting, due.offset, again=True), person.membership_id)
    if again in told.mail or again in told.entries:
        return None
    row = told.mail.get(plain)
    if row is None:
        return None if plain in told.entries else False
    status, valid_while = row
    if not due.ahead:
        return None
    if status != OutboxStatus.SUPERSEDED and valid_while in (None, _valid_while(meeting)):
        return None
    return True


def invitees(ctx: WorkspaceContext, meetings: Sequence[Meeting], now: datetime) -> dict[int, dict[int, Rsvp | None]]:
    """meeting id -> {membership id: their answer (None: no row)} for the people invited to each of
    ``meetings`` and admitted to its level: ONE statement per ``INVITEES_CHUNK`` meetings (each meeting's
    ``invited_membership_ids_clause``, in one UNION ALL, joined to the answers)."""
    today = ctx.today(now)
    found: dict[int, dict[int, Rsvp | None]] = {meeting.id: {} for meeting in meetings}
    for start in range(0, len(meetings), INVITEES_CHUNK):
        parts = [
            invited_membership_ids_clause(meeting, today).add_columns(literal(meeting.id, Integer).label("meeting_id"))
            for meeting in meetings[start : start + INVITEES_CHUNK]
        ]
        invited = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("invited")
        stmt: Select[Any] = select(invited.c.meeting_id, invited.c.id, MeetingInvitee.rsvp).outerjoin(
            MeetingInvitee,
            and_(MeetingInvitee.meeting_id == invited.c.meeting_id, MeetingInvitee.membership_id == invited.c.id),
        )
        for meeting_id, membership_id, answer in db.session.execute(scoped(stmt)):
            found[meeting_id][membership_id] = Rsvp(answer) if answer is not None else None
    return found


# --- what a reminder says ---------------------------------------------------------------------------


@dataclass
class _Agenda:
    rows: list[tuple[AgendaItem, Membership | None, User | None]] = field(default_factory=list)
    total: int = 0  # accepted items
    minutes: int = 0


Presenter = aliased(Membership, name="presenter")
PresenterUser = aliased(User, name="presenter_user")


def agenda_summaries(meeting_ids: Sequence[int]) -> dict[int, _Agenda]:
    """The first ``AGENDA_SHOWN`` accepted agenda items of each meeting, with their presenters, how many
    there are and the time allotted: ONE statement (a window over the meetings' items by position)."""
    if not meeting_ids:
        return {}
    of_meetings = (AgendaItem.meeting_id.in_(meeting_ids), AgendaItem.status == AgendaItemStatus.ACCEPTED)
    by_meeting = AgendaItem.meeting_id
    ranked = (
        select(
            AgendaItem.id,
            func.row_number()
            .over(partition_by=by_meeting, order_by=(AgendaItem.position, AgendaItem.id))
            .label("rank"),
            func.count().over(partition_by=by_meeting).label("total"),
            func.coalesce(func.sum(AgendaItem.minutes_allotted).over(partition_by=by_meeting), 0).label("minutes"),
        )
        .where(*of_meetings)
        .subquery("ranked")
    )
    stmt = (
        select(AgendaItem, Presenter, PresenterUser, ranked.c.total, ranked.c.minutes)
        .join(ranked, ranked.c.id == AgendaItem.id)
        .outerjoin(Presenter, Presenter.id == AgendaItem.presenter_membership_id)
        .outerjoin(PresenterUser, PresenterUser.id == Presenter.user_id)
        .where(ranked.c.rank <= AGENDA_SHOWN)
        .order_by(AgendaItem.meeting_id, AgendaItem.position, AgendaItem.id)
    )
    found: dict[int, _Agenda] = {}
    for item, presenter, presenter_user, total, minutes in db.session.execute(scoped(stmt)).tuples():
        agenda = found.setdefault(item.meeting_id, _Agenda(total=int(total or 0), minutes=int(minutes or 0)))
        agenda.rows.append((item, presenter, presenter_user))
    return found


def _viewer(person: notices.Recipient) -> Membership:
    """The recipient as the membership the name rules ask about (never added to the session)."""
    return Membership(id=person.membership_id, user_id=person.user_id, role=person.role)


def when_text(meeting: Meeting, zone: str) -> str:
    """ "Mon 15 Mar, 10:00 MDT": the start as a subject line says it, in ``zone``."""
    start = meeting.starts_at.astimezone(notices.zone_info(zone))
    return f"{start:%a} {start.day} {start:%b}, {start:%H:%M} {start:%Z}".strip()


def meeting_link(ctx: WorkspaceContext, meeting: Meeting) -> str:
    return absolute_url("meetings.detail", slug=ctx.partnership.slug, meeting_id=meeting.id)


def calendar_file(ctx: WorkspaceContext, meetings: Sequence[Meeting], method: str, now: datetime) -> dict[str, str]:
    """An email attachment: ``meetings`` (each as ``ics.meeting_calendar`` makes it: its UID, SEQUENCE and,
    for an occurrence, RECURRENCE-ID) in one calendar whose METHOD is ``method`` (REQUEST, CANCEL)."""
    domain = ics.uid_domain()
    calendar: Calendar | None = None
    for meeting in meetings:
        one = Calendar.from_ical(ics.meeting_calendar(meeting, meeting_link(ctx, meeting), domain, now))
        if calendar is None:
            calendar = one
            continue
        for event in one.walk("VEVENT"):
            calendar.add_component(event)
    assert calendar is not None, "a calendar file needs a meeting"
    calendar.pop("METHOD", None)
    calendar.add("method", method)
    name = f"meeting-{meetings[0].id}.ics" if len(meetings) == 1 else "meetings.ics"
    return {"filename": name, "content_type": "text/calendar", "content": calendar.to_ical().decode(), "method": method}


def _send_reminder(ctx: WorkspaceContext, entry: _Planned, agenda: _Agenda, now: datetime) -> int:
    from partnership_hub.meetings.services import person_name, when

    meeting, due = entry.meeting, entry.due
    attachment = calendar_file(ctx, [meeting], "REQUEST", now)

    def per_person(person: notices.Recipient) -> dict[str, Any]:
        viewer = _viewer(person)
        items = [
            {
                "title": item.title,
                "minutes": item.minutes_allotted,
                # Named as this person may see them (survivor advisors stay unnamed to most).
                "presenter": person_name(viewer, presenter, presenter_user),
            }
            for item, presenter, presenter_user in agenda.rows
        ]
        links = rsvp_links(meeting, person.membership_id)
        return {
            "subject": f"Reminder: {meeting.title} starts {when_text(meeting, person.tz.key)}",
            "when": when(meeting, person.tz.key),
            "items": items,
            "rsvp": {answer.value: link for answer, link in links.items()},
            "answer_label": RSVP_LABELS[entry.answers.get(person.membership_id) or Rsvp.NONE],
        }

    return notices.notify(
        ctx,
        REMINDER,
        entry.people,
        key=reminder_key(meeting, due.offset, entry.again),
        subject=f"Reminder: {meeting.title} starts {when_text(meeting, meeting.time_zone)}",
        title=f"Reminder: {meeting.title} starts {when_text(meeting, meeting.time_zone)}",
        endpoint="meetings.detail",
        args={"meeting_id": meeting.id},
        template=REMINDER,
        send_at=max(due.at, now),
        valid_while=_valid_while(meeting),
        attachments=lambda person: [attachment],
        per_recipient=per_person,
        meeting=meeting,
        note=meeting.reminder_note,
        more_items=max(0, agenda.total - len(agenda.rows)),
        total_minutes=agenda.minutes,
        agenda_final=meeting.agenda_published_at is not None,
    )


# --- scheduling, moving and cancelling ----------------------------------------------------------------


class _State(NamedTuple):
    starts_at: datetime
    ends_at: datetime
    location: str
    online_url: str
    sequence: int
    status: MeetingStatus


def _state(meeting: Meeting) -> _State:
    return _State(
        meeting.starts_at, meeting.ends_at, meeting.location, meeting.online_url, meeting.sequence, meeting.status
    )


@dataclass
class Watched:
    """Meetings as they were before a change (``watch``), to tell afterwards what moved (``after_change``)."""

    meetings: list[Meeting]
    before: dict[int, _State]
    series_id: int | None
    following: bool
    # Who was invited to each, before: the people to tell about a meeting the change removes.
    invited: dict[int, dict[int, Rsvp | None]] = field(default_factory=dict)


def watch(
    ctx: WorkspaceContext, meetings: Sequence[Meeting], *, following: bool, now: datetime, removals: bool = False
) -> Watched:
    """Note ``meetings`` (the one changed, or it and the later occurrences of its series) before a change.
    ``removals``: the change may remove some of them, and their invitations with them: note who is invited
    to each too (ONE statement)."""
    first = meetings[0]
    invited = invitees(ctx, [m for m in meetings if m.starts_at > now], now) if removals else {}
    return Watched(list(meetings), {m.id: _state(m) for m in meetings}, first.series_id, following, invited)


def _gone(meeting: Meeting) -> bool:
    state = sa_inspect(meeting)
    return bool(state.deleted or state.was_deleted)


def after_schedule(ctx: WorkspaceContext, meeting: Meeting, now: datetime) -> int:
    """A meeting (or a series' first occurrences) just scheduled: its reminders already due, queued at once
    in the same transaction. Returns how many people were told."""
    default = _default_offsets(ctx)
    if meeting.series_id is None:
        meetings = [meeting]
    else:
        meetings = list(
            db.session.scalars(
                scoped(_upcoming(now, now + horizon(default)).where(Meeting.series_id == meeting.series_id))
            )
        )
    return _plan(ctx, meetings, now, default, mode="fresh")


_TIME_AND_PLACE = ("starts_at", "ends_at", "location", "online_url")


def after_change(ctx: WorkspaceContext, watched: Watched, meeting: Meeting, now: datetime) -> None:
    """After ``update_meeting``: tell the people invited what moved (time or place) or was removed, in ONE
    message per person; drop the changed meetings' reminders waiting in the notification centre; plan the
    reminders now due of meetings moved (or added to a series), and again those of meetings changed at the
    same start."""
    moved: list[Meeting] = []
    removed: list[Meeting] = []
    fresh: list[Meeting] = []
    again: list[Meeting] = []
    for row in watched.meetings:
        before = watched.before[row.id]
        if _gone(row) or (row.cancelled and before.status == MeetingStatus.SCHEDULED):
            removed.append(row)
            continue
        if row.sequence == before.sequence:
            continue
        if any(getattr(row, name) != getattr(before, name) for name in _TIME_AND_PLACE):
            moved.append(row)
        (fresh if row.starts_at != before.starts_at else again).append(row)
    forget_reminders([row.id for row in [*removed, *fresh, *again]], now)
    grown = meeting.series_id is not None and (watched.following or meeting.series_id != watched.series_id)
    if fresh or again or grown:
        default = _default_offsets(ctx)
        if grown:  # occurrences the change added to a series
            added = db.session.scalars(
                scoped(_upcoming(now, now + horizon(default)).where(Meeting.series_id == meeting.series_id))
            )
            fresh += [row for row in added if row.id not in watched.before]
        _plan(ctx, fresh, now, default, mode="fresh")
        _plan(ctx, again, now, default, mode="again")
    moved = [row for row in moved if row.starts_at > now and not row.cancelled]
    removed = [row for row in removed if watched.before[row.id].starts_at > now]
    if moved or removed:
        _tell_changed(ctx, moved, removed, watched, now)


def after_cancel(ctx: WorkspaceContext, watched: Watched, now: datetime) -> None:
    """After ``cancel_meeting``: tell the people invited to the meetings it cancelled that are still to
    come, in ONE message per person (METHOD:CANCEL), and drop their reminders waiting in the centre."""
    cancelled = [
        row for row in watched.meetings if row.cancelled and watched.before[row.id].status == MeetingStatus.SCHEDULED
    ]
    forget_reminders([row.id for row in cancelled], now)
    upcoming = [row for row in cancelled if row.starts_at > now]
    if not upcoming:
        return
    invited = invitees(ctx, upcoming, now)
    key = _action_key(upcoming, following=watched.following)
    _tell(ctx, CANCELLED, upcoming, [], invited, key, now)


def forget_reminders(meeting_ids: Sequence[int], now: datetime) -> None:
    """Remove the reminders of ``meeting_ids`` still waiting in the notification centre (queued ahead, not
    shown yet): ONE statement. Their emails are superseded when their time comes (``still_valid``)."""
    if not meeting_ids:
        return
    db.session.execute(
        delete(Notification)
        .where(
            Notification.kind == REMINDER,
            Notification.created_at > now,
            or_(*(Notification.dedup_key.startswith(f"{REMINDER}:{i}:", autoescape=True) for i in meeting_ids)),
        )
        .execution_options(synchronize_session=False)
    )


def _action_key(meetings: Sequence[Meeting], *, following: bool, removed: Sequence[Meeting] = ()) -> str:
    """``notify``'s key for one change or cancellation: the meeting and its sequence, or for several the
    first one and a digest of every meeting's id and sequence (the same action never tells twice)."""
    everything = sorted([*meetings, *removed], key=lambda m: (m.id, m.sequence))
    if len(everything) == 1 and not following:
        return f"{everything[0].id}:{everything[0].sequence}"
    digest = hashlib.sha256(",".join(f"{m.id}.{m.sequence}" for m in everything).encode()).hexdigest()[:16]
    return f"{everything[0].id}:following:{digest}"


def _tell_changed(
    ctx: WorkspaceContext, moved: Sequence[Meeting], removed: Sequence[Meeting], watched: Watched, now: datetime
) -> None:
    invited = invitees(ctx, moved, now) if moved else {}
    for row in removed:  # their invitations may have gone with them: who was invited before the change
        invited[row.id] = watched.invited.get(row.id, {})
    key = _action_key(moved, following=watched.following, removed=removed)
    _tell(ctx, CHANGED, moved, removed, invited, key, now)


def _tell(
    ctx: WorkspaceContext,
    kind: str,
    meetings: Sequence[Meeting],
    removed: Sequence[Meeting],
    invited: Mapping[int, Mapping[int, Rsvp | None]],
    key: str,
    now: datetime,
) -> int:
    """ONE message per person about ``meetings`` (moved, or cancelled) and ``removed``: each lists the ones
    they are invited to, with a calendar file of those (REQUEST, or CANCEL)."""
    from partnership_hub.meetings.services import when

    everything = sorted([*meetings, *removed], key=lambda m: (m.starts_at, m.id))
    theirs: dict[int, list[Meeting]] = defaultdict(list)
    for row in everything:
        for membership_id in invited.get(row.id, {}):
            theirs[membership_id].append(row)
    if not theirs:
        return 0
    people = [p for p in notices.recipients(ctx, kind, sorted(theirs)) if theirs.get(p.membership_id)]
    method = "CANCEL" if kind == CANCELLED else "REQUEST"
    files: dict[tuple[int, ...], dict[str, str]] = {}
    gone = {row.id for row in removed}

    def attachments(person: notices.Recipient) -> list[dict[str, str]]:
        listed = [row for row in theirs[person.membership_id] if row.id not in gone]
        ids = tuple(row.id for row in listed)
        if not ids:
            return []
        if ids not in files:
            files[ids] = calendar_file(ctx, listed, method, now)
        return [files[ids]]

    def per_person(person: notices.Recipient) -> dict[str, Any]:
        rows = theirs[person.membership_id]
        first = rows[0]
        lines = [
            {
                "meeting": row,
                "when": when(row, person.tz.key),
                "removed": row.id in gone,
                "link": None if _gone(row) else meeting_link(ctx, row),
            }
            for row in rows
        ]
        single = len(rows) == 1 and not removed
        links = rsvp_links(first, person.membership_id) if kind == CHANGED and single and first.id not in gone else {}
        return {
            "subject": _subject(kind, rows, person.tz.key, single),
            "changes": lines[:LISTED],
            "more": max(0, len(lines) - LISTED),
            "single": single,
            "rsvp": {answer.value: link for answer, link in links.items()},
        }

    first = everything[0]
    title = _subject(kind, everything, first.time_zone, len(everything) == 1 and not removed)
    target = next((row for row in everything if not _gone(row)), None)
    return notices.notify(
        ctx,
        kind,
        people,
        key=key,
        subject=title,
        title=title,
        endpoint="meetings.detail" if target is not None else "meetings.index",
        args={"meeting_id": target.id} if target is not None else {},
        template=kind,
        attachments=attachments,
        per_recipient=per_person,
        meeting=first,
    )


def _subject(kind: str, rows: Sequence[Meeting], zone: str, single: bool) -> str:
    """ "Changed: <title>, now <when>", "Cancelled: 3 meetings of <title>, from <when>" (in ``zone``)."""
    first = rows[0]
    verb = "Cancelled" if kind == CANCELLED else "Changed"
    if single:
        return f"{verb}: {first.title}, {'' if kind == CANCELLED else 'now '}{when_text(first, zone)}"
    count = f"{len(rows)} meetings" if len(rows) > 1 else "a meeting"
    return f"{verb}: {count} of {first.title}, from {when_text(first, zone)}"
