"""Digests: the coordinators' digest (daily or weekly, weekly by default) and the member digest of what
concerns a person (opt-in), built for every person due in a partnership TOGETHER, in a fixed number of
statements, and queued as one email each.

**Who is due** (``due_readers``, ONE statement; the notifications area's ``notice_planner`` is ``plan``,
run for every partnership by the planning beat every five minutes). Coordinators get the coordinators'
digest unless they chose ``off``: weekly by default, on the partnership's weekday and local hour
(``NotificationSettings``), or daily / weekly on a day and hour of their own (``NotificationPreference``).
Members and survivor advisors get the member digest only if they opted in (``digest`` daily or weekly, or
``member_digest`` with no frequency chosen: weekly). Observers get none (they have no work of their own).
A person's period is their local day ("2026-12-01") or ISO week ("2026-W49") in their time zone (chosen
here, else their account's, else the partnership's). They are due once the chosen hour of the chosen day
of the current period has passed and no digest went for that period (``digest_sent_for``; the outbox's
deduplication key ``digest:<period>:<membership id>`` holds even if two beats race). A beat that was down
catches up within the same period; a period that ended unsent is not sent late.

**The content** comes from the areas: every installed area's ``Area.digest``
(``"module:function(build) -> None"``) is called with one ``DigestBuild`` for all the people due, and
adds what it has in a FIXED number of statements of its own (never one per person or per record):

* ``build.section(key, title, order)`` declares a section (meetings 10, goals 20, ...);
* ``build.group(key, section, title=..., link=..., at=..., seen=..., concerns=..., ...)`` gets or makes a
  group — one meeting, one goal — under which lines of several areas gather (action items under their goal
  or meeting). ``key`` is shared (``("meeting", 12)``); any header value given replaces the one there;
* ``group.line(text, ...)`` / ``build.line(section, text, ...)`` (a section's lines outside any group);
* ``group.change(actor_user_id, phrase, at)``: a recent change ("changed the agenda"); the changes of the
  period come from the audit log, loaded once for every area (``build.changes()``). Changes one person made
  to one record in quick succession (``QUICK``) are merged: "Priya changed the agenda (4 changes)".

Every group and line says **whose it is** and **what it shows**: ``seen`` — the visibility facts of the
records it shows (``build.seen(Model, id, level, author)``: kind, id, level, author); the reader must be
admitted to all of them by ``confidentiality.may_see``, with their grants and board seat loaded once for
everyone due (``load_access``): the same rule as the SQL clause. ``masked`` (singular, plural): readers who
may not see it get a count without the title instead ("1 dispute waiting"). ``coordinators``: shown in
coordinators' digests; ``concerns``: the membership ids (or ``EVERYONE`` admitted) whose member digest it
belongs in — a coordinator also sees what concerns them. ``in_period``: only if ``at`` falls in the reader's
coming period (a day or a week) or ``on`` by its last day — a group's lines without a time of their own
(an agenda) go with it; ``recent``: only if ``at`` (when it happened) falls in the reader's past period.
``needs_you`` lines are counted in the subject, as are groups that ``counts_as_meeting``; ``person``: a
membership named in the text or ``detail`` as ``{person}``, as the reader may know them (survivor advisors'
names stay with coordinators and advisors; "you" for the reader; ``others_only``: not told to them).

**The email** (``digest.txt`` / ``digest.html``): the reader's sections, groups and lines, in their time
zone; empty sections are left out, and nobody gets a digest with nothing in it (the setup guide's progress
alone is not news: ``ambient``). Subject: "Weekly digest for <partnership>: 3 meetings, 5 items need you".
A signed one-click unsubscribe link and List-Unsubscribe / List-Unsubscribe-Post (RFC 8058) headers; safe
mode and "no email" apply in ``queue_email``. Digests are email only: a notification-centre entry per
digest would repeat what the centre already lists one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, ClassVar, Literal, cast

from flask import current_app
from sqlalchemy import and_, or_, select, true

from partnership_hub import areas
from partnership_hub.accounts.models import User
from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import (
    BOARD,
    Confidential,
    ConfidentialGrant,
    Level,
    board_clause,
    may_see,
)
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import insert_with_conflicts, scoped
from partnership_hub.extensions import db
from partnership_hub.notifications import notices
from partnership_hub.notifications.models import (
    DEFAULT_DIGEST_HOUR,
    DEFAULT_DIGEST_WEEKDAY,
    DIGEST_DAILY,
    DIGEST_OFF,
    DIGEST_WEEKLY,
    NotificationPreference,
    NotificationSettings,
)
from partnership_hub.notifications.services import queue_email
from partnership_hub.policies import can
from partnership_hub.workspaces.models import Membership, Role

KIND = "digest"  # the outbox kind, the unsubscribe token's kind
PERIOD_DAYS = {DIGEST_DAILY: 1, DIGEST_WEEKLY: 7}
QUICK = timedelta(minutes=30)  # changes by one person to one record this close together are one line
CHANGES_MAX = 2000  # audit entries read for a period (the newest), whatever the partnership did
CHANGES_PER_GROUP = 5  # merged change lines shown under one record
MARK_BATCH = 500  # rows per INSERT of ``digest_sent_for`` (SQLite's limit on bound values)
FORMER_MEMBER = "Someone who has left"
ADVISOR_LABEL = "A survivor advisor"
MEMBER_LABEL = "A partnership member"

EVERYONE: Literal["everyone"] = "everyone"
Concerns = Collection[int] | Literal["everyone"]


# --- periods -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A reader's current period: its key ("2026-12-01" or "2026-W49"), the instant its digest is due, and
    its length in days."""

    key: str
    due_at: datetime
    days: int


def current_period(frequency: str, weekday: int, hour: int, zone: Any, now: datetime) -> Period:
    """The period ``now`` falls in, for a digest sent ``frequency`` at ``hour`` (local, in ``zone``) on
    ``weekday`` (0 Monday; weekly only). A local hour that does not exist that day (a DST gap) is the
    same instant as the hour before it would have been, as ``zoneinfo`` reads it: a little later."""
    local = now.astimezone(zone)
    if frequency == DIGEST_DAILY:
        day = local.date()
        key = day.isoformat()
    else:
        monday = local.date() - timedelta(days=local.weekday())
        day = monday + timedelta(days=weekday)
        year, week, _ = monday.isocalendar()
        key = f"{year}-W{week:02d}"
    due_at = datetime.combine(day, time(hour), zone).astimezone(UTC)
    return Period(key, due_at, PERIOD_DAYS[frequency])


def frequency_of(role: Role, digest: str | None, member_digest: bool) -> str | None:
    """How often someone gets a digest: their choice; else weekly for coordinators and for members who
    asked for the member digest; never for observers."""
    if role == Role.OBSERVER or digest == DIGEST_OFF:
        return None
    if digest in PERIOD_DAYS:
        return digest
    return DIGEST_WEEKLY if role == Role.COORDINATOR or member_digest else None


# --- who is due ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """Someone due a digest now: who they are, their period, and the window it covers — changes since
    ``since``, what comes before ``until`` (instants) or on ``last_day`` at the latest (dates)."""

    membership: Membership
    email: str
    name: str
    zone: str
    frequency: str
    period: Period
    since: datetime
    until: datetime
    last_day: date
    on_board: bool

    @property
    def membership_id(self) -> int:
        return self.membership.id

    @property
    def user_id(self) -> int:
        return self.membership.user_id

    @property
    def coordinator(self) -> bool:
        return self.membership.role == Role.COORDINATOR

    @property
    def tz(self) -> Any:
        return notices.zone_info(self.zone)


def due_readers(ctx: WorkspaceContext, now: datetime) -> list[Reader]:
    """Everyone in the bound partnership due a digest at ``now``: ONE statement (people, their choices,
    the partnership's defaults and their board seat), the rules in Python."""
    pref, defaults = NotificationPreference, NotificationSettings
    today = ctx.today(now)
    wants = or_(
        and_(Membership.role == Role.COORDINATOR, or_(pref.digest.is_(None), pref.digest != DIGEST_OFF)),
        pref.digest.in_(tuple(PERIOD_DAYS)),
        pref.member_digest.is_(True),
    )
    stmt = (
        select(
            Membership,
            User.email.label("email"),
            User.name.label("name"),
            User.time_zone.label("account_zone"),
            pref.digest.label("digest"),
            pref.member_digest.label("member_digest"),
            pref.digest_weekday.label("weekday"),
            pref.digest_hour.label("hour"),
            pref.time_zone.label("zone"),
            pref.digest_sent_for.label("sent_for"),
            defaults.digest_weekday.label("default_weekday"),
            defaults.digest_hour.label("default_hour"),
            board_clause(Membership.id, today).label("on_board"),
        )
        .join(User, User.id == Membership.user_id)
        .outerjoin(pref, pref.membership_id == Membership.id)
        .outerjoin(defaults, true())
        .where(Membership.role != Role.OBSERVER, wants)
        .order_by(Membership.id)
    )
    readers = []
    for row in db.session.execute(scoped(stmt)):
        membership: Membership = row[0]
        frequency = frequency_of(membership.role, row.digest, bool(row.member_digest))
        if frequency is None:
            continue
        zone_name = row.zone or row.account_zone or ctx.partnership.time_zone
        weekday = _first(row.weekday, row.default_weekday, DEFAULT_DIGEST_WEEKDAY)
        hour = _first(row.hour, row.default_hour, DEFAULT_DIGEST_HOUR)
        period = current_period(frequency, weekday, hour, notices.zone_info(zone_name), now)
        if now < period.due_at or row.sent_for == period.key:
            continue
        readers.append(
            Reader(
                membership=membership,
                email=row.email,
                name=row.name,
                zone=zone_name,
                frequency=frequency,
                period=period,
                since=period.due_at - timedelta(days=period.days),
                until=now + timedelta(days=period.days),
                last_day=today + timedelta(days=period.days - 1),
                on_board=bool(row.on_board),
            )
        )
    return readers


def _first(*values: int | None) -> int:
    """The first value that is set (a person's choice, then the partnership's, then the default)."""
    return next(value for value in values if value is not None)


# --- what the areas add ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    """What ``confidentiality.may_see`` needs of one record, without the record: its kind, id, level and
    author (``build.seen``)."""

    confidential_kind: str
    id: int
    confidentiality: Level
    author_membership_id: int | None = None
    confidential_author: ClassVar[str] = "author_membership_id"


@dataclass(frozen=True)
class Change:
    """One audit entry of the period (ids only, as the audit log holds them)."""

    action: str
    target_type: str
    target_id: int | None
    actor_user_id: int | None
    at: datetime
    details: Mapping[str, Any]


@dataclass
class Line:
    """One line of a digest: ``text`` (plain; the reader's name for ``person`` replaces "{person}" in it or
    in ``detail``), a link, a time (``at``, shown in the reader's zone) or a date (``on``), a short
    ``detail`` and a ``flag`` ("Overdue"). Who sees it: see the module docstring."""

    text: str
    link: str | None = None
    at: datetime | None = None
    on: date | None = None
    detail: str = ""
    flag: str = ""
    person: int | None = None
    seen: tuple[Seen, ...] = ()
    concerns: Concerns | None = None  # None: the group's
    coordinators: bool = True
    in_period: bool = False
    recent: bool = False  # ``at`` is when it happened: shown if in the reader's past period
    others_only: bool = False  # not shown to the ``person`` it names (someone joining is news to others)
    needs_you: bool = False
    masked: tuple[str, str] | None = None
    masked_link: str | None = None


@dataclass
class PendingChange:
    actor_user_id: int | None
    phrase: str
    at: datetime


@dataclass
class Group:
    """One record's block (a meeting, a goal) or a section's loose lines (``key`` None): its header, its
    lines and its recent changes."""

    key: Any
    section: str
    title: str = ""
    link: str | None = None
    at: datetime | None = None
    on: date | None = None
    detail: str = ""
    flag: str = ""
    person: int | None = None
    seen: tuple[Seen, ...] = ()
    concerns: Concerns = ()
    coordinators: bool = True
    in_period: bool = False
    counts_as_meeting: bool = False
    ambient: bool = False  # not news on its own (the setup guide's progress)
    lines: list[Line] = field(default_factory=list)
    changes: list[PendingChange] = field(default_factory=list)

    def line(self, text: str, **values: Any) -> Line:
        line = Line(text, **values)
        self.lines.append(line)
        return line

    def change(self, actor_user_id: int | None, phrase: str, at: datetime) -> None:
        """A change made to this group's record by ``actor_user_id`` at ``at`` ("changed the agenda")."""
        self.changes.append(PendingChange(actor_user_id, phrase, at))


@dataclass
class Section:
    key: str
    title: str
    order: int = 100


class DigestBuild:
    """Every digest due in one partnership at ``now``, built together (the areas' ``contribute(build)``).

    ``today`` is the partnership's; ``until`` / ``last_day`` the end of the longest period due, ``since``
    the start of the earliest: what an area loads covers every reader, and each reader is shown their own
    window. ``reader_ids`` / ``member_reader_ids`` (people due a member digest) narrow what an area loads
    for people personally."""

    def __init__(self, ctx: WorkspaceContext, now: datetime, readers: Sequence[Reader]) -> None:
        self.ctx = ctx
        self.now = now
        self.readers = list(readers)
        self.today = ctx.today(now)
        self.until = max((reader.until for reader in readers), default=now)
        self.since = min((reader.since for reader in readers), default=now)
        self.last_day = max((reader.last_day for reader in readers), default=self.today)
        self.sections: dict[str, Section] = {}
        self.groups: dict[Any, Group] = {}
        self._changes: list[Change] | None = None
        self._grants: dict[int, set[tuple[str, int]]] = defaultdict(set)
        self._people: dict[int, tuple[Membership, str]] = {}
        self._people_by_user: dict[int, tuple[Membership, str]] = {}

    # -- who is due ----------------------------------------------------------------------------------------

    @property
    def reader_ids(self) -> list[int]:
        return [reader.membership_id for reader in self.readers]

    @property
    def member_reader_ids(self) -> list[int]:
        return [reader.membership_id for reader in self.readers if not reader.coordinator]

    @property
    def any_coordinator(self) -> bool:
        return any(reader.coordinator for reader in self.readers)

    # -- building ---------------------------------------------------------------------------------------

    def link(self, endpoint: str, anchor: str | None = None, **args: Any) -> str:
        """An absolute link into the partnership's workspace (``slug`` is filled in)."""
        path = notices.path_for(endpoint, slug=self.ctx.partnership.slug, **args)
        return current_app.config["BASE_URL"] + path + (f"#{anchor}" if anchor else "")

    @staticmethod
    def seen(model: type[Confidential], record_id: int, level: Any, author: int | None) -> Seen:
        """The visibility facts of one ``model`` record (select its ``confidentiality`` and author column)."""
        return Seen(model.confidential_kind, record_id, Level(level), author)

    def section(self, key: str, title: str, order: int = 100) -> Section:
        section = self.sections.get(key)
        if section is None:
            section = self.sections[key] = Section(key, title, order)
        return section

    def group(self, key: Any, section: str, **header: Any) -> Group:
        """The group ``key`` (made in ``section`` if new); header values given replace those there."""
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = Group(key, section)
        for name, value in header.items():
            if value is not None:
                setattr(group, name, value)
        return group

    def line(self, section: str, text: str, **values: Any) -> Line:
        """A line of ``section`` outside any record's group."""
        return self.group(("section", section), section).line(text, **values)

    def changes(self) -> list[Change]:
        """The audit entries of the period (the newest ``CHANGES_MAX``), oldest first: ONE statement,
        the first time any area asks."""
        if self._changes is None:
            stmt = (
                select(
                    AuditEntry.action,
                    AuditEntry.target_type,
                    AuditEntry.target_id,
                    AuditEntry.actor_id,
                    AuditEntry.created_at,
                    AuditEntry.details,
                )
                .where(AuditEntry.created_at >= self.since, AuditEntry.created_at <= self.now)
                .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
                .limit(CHANGES_MAX)
            )
            rows = db.session.execute(scoped(stmt)).tuples().all()
            self._changes = [Change(a, t, i, u, at, d or {}) for a, t, i, u, at, d in reversed(rows)]
        return self._changes

    # -- who may see what, and names: two statements for everyone due -----------------------------------

    def load_access(self) -> None:
        """The readers' unexpired grants on the kinds of record the digests show, and the people they name:
        two statements, whatever the number of readers and records."""
        kinds = sorted({seen.confidential_kind for seen in self._all_seen()} - {BOARD})
        unexpired = or_(ConfidentialGrant.ends_on.is_(None), ConfidentialGrant.ends_on >= self.today)
        grants = select(
            ConfidentialGrant.record_kind, ConfidentialGrant.record_id, ConfidentialGrant.membership_id
        ).where(
            ConfidentialGrant.membership_id.in_(self.reader_ids), ConfidentialGrant.record_kind.in_(kinds), unexpired
        )
        for kind, record_id, membership_id in db.session.execute(scoped(grants)).tuples():
            self._grants[membership_id].add((kind, record_id))
        person_ids = sorted(self._person_ids())
        actor_ids = sorted({c.actor_user_id for g in self.groups.values() for c in g.changes if c.actor_user_id})
        people = (
            select(Membership, User.name)
            .join(User, User.id == Membership.user_id)
            .where(or_(Membership.id.in_(person_ids), Membership.user_id.in_(actor_ids)))
        )
        for membership, name in db.session.execute(scoped(people)).tuples():
            self._people[membership.id] = (membership, name)
            self._people_by_user[membership.user_id] = (membership, name)

    def _all_seen(self) -> Iterable[Seen]:
        for group in self.groups.values():
            yield from group.seen
            for line in group.lines:
                yield from line.seen

    def _person_ids(self) -> set[int]:
        ids = {group.person for group in self.groups.values() if group.person}
        ids |= {line.person for group in self.groups.values() for line in group.lines if line.person}
        return ids

    def admitted(self, reader: Reader, seen: Iterable[Seen]) -> bool:
        """``confidentiality.may_see`` for every record ``seen`` names, with the reader's grants (and, for
        ``advisory`` records, their board seat) as loaded by ``load_access``."""
        grants = self._grants.get(reader.membership_id, set())
        for record in seen:
            granted = (record.confidential_kind, record.id) in grants or (
                record.confidentiality == Level.ADVISORY and reader.on_board
            )
            if not may_see(reader.membership, cast(Confidential, record), granted=granted):
                return False
        return True

    def name_for(self, reader: Reader, membership_id: int | None) -> str:
        """A person's name as ``reader`` may know it (``members.view``: survivor advisors' names stay with
        coordinators and advisors)."""
        found = self._people.get(membership_id) if membership_id else None
        return _name(reader, found)

    def actor_for(self, reader: Reader, user_id: int | None) -> str:
        return _name(reader, self._people_by_user.get(user_id) if user_id else None)

    # -- one reader's digest ------------------------------------------------------------------------------

    def digest_for(self, reader: Reader) -> Digest | None:
        """``reader``'s digest, or None when nothing in it is news."""
        sections: dict[str, list[ShownGroup]] = defaultdict(list)
        news = meetings = needs_you = 0
        for group in sorted(self.groups.values(), key=_group_order):
            shown = self._show_group(reader, group)
            if shown is None:
                continue
            sections[group.section].append(shown)
            if not group.ambient:
                news += 1
            meetings += shown.counts_as_meeting
            needs_you += shown.needs_you
        if not news:
            return None
        known = sorted(self.sections.values(), key=lambda s: (s.order, s.title))
        known += [
            Section(key, key.replace("_", " ").capitalize(), 1000) for key in sections if key not in self.sections
        ]
        shown_sections = [ShownSection(s.title, sections[s.key]) for s in known if sections.get(s.key)]
        return Digest(self.ctx.partnership.name, reader, self.today, shown_sections, meetings, needs_you)

    def _show_group(self, reader: Reader, group: Group) -> ShownGroup | None:
        if not self.admitted(reader, group.seen):
            return None
        in_window = not group.in_period or _in_period(reader, group.at, group.on, self.now)
        header_for_reader = in_window and _for(reader, group.coordinators, group.concerns)
        lines: list[ShownLine] = []
        masked: dict[tuple[str, str], list[Line]] = defaultdict(list)
        needs_you = 0
        for line in group.lines:
            concerns = group.concerns if line.concerns is None else line.concerns
            if not _for(reader, line.coordinators, concerns):
                continue
            # A line with no time of its own (an agenda item) belongs to its group's period.
            if not (line.in_period or in_window) or (
                line.in_period and not _in_period(reader, line.at, line.on, self.now)
            ):
                continue
            if line.recent and line.at is not None and not reader.since <= line.at <= self.now:
                continue
            if line.others_only and line.person == reader.membership_id:
                continue
            if not self.admitted(reader, line.seen):
                if line.masked:
                    masked[line.masked].append(line)
                continue
            lines.append(self._shown_line(reader, line))
            needs_you += line.needs_you
        for (singular, plural), hidden in masked.items():
            count = len(hidden)
            lines.append(
                ShownLine(
                    f"{count} {singular if count == 1 else plural}", hidden[0].masked_link, detail="title not shown"
                )
            )
            needs_you += sum(line.needs_you for line in hidden)
        changes = self._changes_for(reader, group) if _for(reader, True, group.concerns) else []
        if not (lines or changes) and (not header_for_reader or not group.title):
            return None  # nothing for this reader (a list without a title of its own shows only its lines)
        return ShownGroup(
            title=group.title,
            link=group.link,
            when=_when(reader, group.at, group.on),
            detail=self._fill(reader, group.detail, group.person),
            flag=group.flag,
            lines=lines,
            changes=changes,
            counts_as_meeting=group.counts_as_meeting and header_for_reader,
            needs_you=needs_you,
        )

    def _shown_line(self, reader: Reader, line: Line) -> ShownLine:
        text = self._fill(reader, line.text, line.person if "{person}" in line.text else None)
        detail = self._fill(reader, line.detail, line.person if "{person}" not in line.text else None)
        return ShownLine(text, line.link, _when(reader, line.at, line.on), detail, line.flag)

    def _fill(self, reader: Reader, text: str, person: int | None) -> str:
        if person is None:
            return text.replace("{person}", "")
        name = "you" if person == reader.membership_id else self.name_for(reader, person)
        return text.replace("{person}", name) if "{person}" in text else (f"{text} · {name}" if text else name)

    def _changes_for(self, reader: Reader, group: Group) -> list[ShownLine]:
        """The group's changes in the reader's window by others, one line per run of changes by one person
        with one phrase, each within ``QUICK`` of the one before; the newest runs last, at most
        ``CHANGES_PER_GROUP``."""
        runs: list[list[Any]] = []  # [actor, phrase, count, last]
        open_runs: dict[tuple[int | None, str], list[Any]] = {}
        for change in sorted(group.changes, key=lambda c: c.at):
            if change.at < reader.since or change.at > self.now or change.actor_user_id == reader.user_id:
                continue
            key = (change.actor_user_id, change.phrase)
            run = open_runs.get(key)
            if run is not None and change.at - run[3] <= QUICK:
                run[2] += 1
                run[3] = change.at
                continue
            run = [change.actor_user_id, change.phrase, 1, change.at]
            runs.append(run)
            open_runs[key] = run
        shown = []
        for actor, phrase, count, last in sorted(runs, key=lambda run: run[3])[-CHANGES_PER_GROUP:]:
            suffix = f" ({count} changes)" if count > 1 else ""
            shown.append(ShownLine(f"{self.actor_for(reader, actor)} {phrase}{suffix}", when=_when(reader, last, None)))
        return shown


def _name(reader: Reader, found: tuple[Membership, str] | None) -> str:
    if found is None:
        return FORMER_MEMBER
    membership, name = found
    if can(reader.membership, "members.view", membership):
        return name
    return ADVISOR_LABEL if membership.role == Role.SURVIVOR_ADVISOR else MEMBER_LABEL


def _for(reader: Reader, coordinators: bool, concerns: Concerns) -> bool:
    """Is a line for ``reader``: a coordinators' line in a coordinator's digest, or one that concerns them."""
    if coordinators and reader.coordinator:
        return True
    return concerns == EVERYONE or reader.membership_id in concerns


def _in_period(reader: Reader, at: datetime | None, on: date | None, now: datetime) -> bool:
    """A time in the reader's coming period; a date on or before its last day (overdue ones included)."""
    if at is not None:
        return now <= at < reader.until
    if on is not None:
        return on <= reader.last_day
    return True


def _group_order(group: Group) -> tuple[Any, ...]:
    """Records by time, then date, then title; a section's loose lines after its records."""
    moment = group.at.timestamp() if group.at else None
    day = group.on.toordinal() if group.on else None
    return (group.key is not None and group.key[0] == "section", moment or 0.0, day or 0, group.title.lower())


def _when(reader: Reader, at: datetime | None, on: date | None) -> str:
    """A time in the reader's zone ("Tue 1 Dec, 10:00") or a date ("Tue 1 Dec"); the year when not this one's."""
    if at is not None:
        local = at.astimezone(reader.tz)
        year = f" {local.year}" if local.year != reader.until.astimezone(reader.tz).year else ""
        return f"{local:%a} {local.day} {local:%b}{year}, {local:%H:%M}"
    if on is not None:
        year = f" {on.year}" if on.year != reader.last_day.year else ""
        return f"{on:%a} {on.day} {on:%b}{year}"
    return ""


# --- what a reader is shown -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownLine:
    text: str
    link: str | None = None
    when: str = ""
    detail: str = ""
    flag: str = ""


@dataclass(frozen=True)
class ShownGroup:
    title: str
    link: str | None
    when: str
    detail: str
    flag: str
    lines: list[ShownLine]
    changes: list[ShownLine]
    counts_as_meeting: bool = False
    needs_you: int = 0


@dataclass(frozen=True)
class ShownSection:
    title: str
    groups: list[ShownGroup]


@dataclass(frozen=True)
class Digest:
    """One reader's digest, as the templates show it."""

    partnership_name: str
    reader: Reader
    today: date
    sections: list[ShownSection]
    meetings: int
    needs_you: int

    @property
    def weekly(self) -> bool:
        return self.reader.frequency == DIGEST_WEEKLY

    @property
    def heading(self) -> str:
        return "Weekly digest" if self.weekly else "Daily digest"

    @property
    def for_coordinators(self) -> bool:
        return self.reader.coordinator

    @property
    def period_label(self) -> str:
        first = self.reader.until.astimezone(self.reader.tz).date() - timedelta(days=self.reader.period.days)
        if not self.weekly:
            return f"{first:%A} {first.day} {first:%B %Y}"
        last = first + timedelta(days=6)
        start = f"{first.day} {first:%b}" + (f" {first.year}" if first.year != last.year else "")
        return f"{start} – {last.day} {last:%b %Y}"

    @property
    def summary(self) -> str:
        """ "3 meetings, 5 items need you" (either part left out when it is none)."""
        parts = []
        if self.meetings:
            parts.append(f"{self.meetings} meeting{'s' if self.meetings != 1 else ''}")
        if self.needs_you:
            parts.append(f"{self.needs_you} item{'s need' if self.needs_you != 1 else ' needs'} you")
        return ", ".join(parts)

    @property
    def subject(self) -> str:
        subject = f"{self.heading} for {self.partnership_name}"
        return f"{subject}: {self.summary}" if self.summary else subject


# --- the planner -----------------------------------------------------------------------------------------


def contributors() -> list[Any]:
    """Every installed area's ``digest`` function, in the registry's order."""
    return [areas.resolve(area.digest) for area in areas.installed() if area.digest]


def prepare(ctx: WorkspaceContext, now: datetime) -> list[Digest]:
    """Every digest due in the bound partnership at ``now``, built together, and their periods marked sent
    (``digest_sent_for``, in bulk): a fixed number of statements whatever the number of people due and the
    size of the partnership. Empty digests are marked sent too and never queued."""
    readers = due_readers(ctx, now)
    if not readers:
        return []
    build = DigestBuild(ctx, now, readers)
    for contribute in contributors():
        contribute(build)
    build.load_access()
    digests = [digest for reader in readers if (digest := build.digest_for(reader)) is not None]
    mark_sent(ctx, readers, now)
    return digests


def send(ctx: WorkspaceContext, digests: Sequence[Digest]) -> int:
    """Queue each digest (``services.queue_email``: safe mode and "no email" apply, one message per
    deduplication key). Returns how many were queued."""
    partnership = ctx.partnership
    preferences = notices.preferences_link(partnership.slug)
    queued = 0
    for digest in digests:
        reader = digest.reader
        message = queue_email(
            kind=KIND,
            dedup_key=notices.full_key(KIND, reader.period.key, reader.membership_id),
            to=reader.email,
            subject=digest.subject,
            template="digest",
            partnership_id=partnership.id,
            headers=notices.unsubscribe_headers(partnership.id, reader.membership_id, KIND),
            partnership=partnership,
            digest=digest,
            reader=reader,
            preferences_link=preferences,
            unsubscribe_link=notices.unsubscribe_url(partnership.id, reader.membership_id, KIND),
        )
        queued += message is not None
    return queued


def plan(ctx: WorkspaceContext, now: datetime) -> int:
    """The notifications area's ``notice_planner``: queue every digest due in the bound partnership."""
    return send(ctx, prepare(ctx, now))


def mark_sent(ctx: WorkspaceContext, readers: Sequence[Reader], now: datetime) -> None:
    """Record each reader's period as done (``digest_sent_for``): one INSERT … ON CONFLICT DO UPDATE per
    ``MARK_BATCH`` readers (people on the defaults get their preferences row here)."""
    rows = [
        {
            "partnership_id": ctx.partnership.id,
            "membership_id": reader.membership_id,
            "email_off": "",
            "app_off": "",
            "member_digest": False,
            "digest_sent_for": reader.period.key,
            "updated_at": now,
        }
        for reader in readers
    ]
    for start in range(0, len(rows), MARK_BATCH):
        stmt = insert_with_conflicts(db.session, NotificationPreference).values(rows[start : start + MARK_BATCH])
        stmt = stmt.on_conflict_do_update(
            index_elements=["membership_id"],
            set_={"digest_sent_for": stmt.excluded.digest_sent_for, "updated_at": stmt.excluded.updated_at},
        )
        db.session.execute(stmt)
