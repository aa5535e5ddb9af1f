"""Meeting health, the home's "Your next meetings" and the setup guide's meeting facts (issue #11, point 8).

Meeting health answers the toolkit's meeting questions from the data, over the meetings the viewer may
see (the confidentiality layer) and always within a bound:

- how often the partnership actually met (held meetings: scheduled, not cancelled, already started, in
  the last ``HEALTH_MONTHS`` months) against how often it means to (``Partnership.meetings_every_weeks``);
- attendance at the last ``RECENT_MEETINGS`` held meetings where it was recorded;
- organizations and toolkit sectors with nobody at the held meetings of the last ``ABSENT_MONTHS``
  months (at most ``ABSENT_MEETINGS`` of them);
- whether survivor advisors were invited to meetings that concern them: survivor advisory board
  meetings and meetings with an agenda item that mentions survivors (``SURVIVOR_WORDS``), the last
  ``CONCERN_MEETINGS`` of them and the next ones. Invited means the meeting invites everyone (advisors
  included) or names at least one survivor advisor.

The page runs a fixed number of statements (the numbers in one, then one per list), whatever the size of
the partnership.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select, true, union_all

from partnership_hub import toolkit
from partnership_hub.areas import WORK_COUNT_CAP, WorkItem, WorkList, WorkQuery, WorkRow, work_columns
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import (
    VIEWER_NOW,
    VIEWER_TODAY,
    Shape,
    permission_shape,
    shared_viewer,
    viewer_parameter,
    visibility_clause,
    visible,
)
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import UTCDateTime, scoped, select_scalars, utcnow
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.meetings.models import (
    AgendaItem,
    InviteScope,
    Meeting,
    MeetingInvitee,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Rsvp,
)
from partnership_hub.members.models import Organization, OrganizationSector
from partnership_hub.parsing import is_ascii_digits, parse_int
from partnership_hub.workspaces.models import Membership, Role
from partnership_hub.workspaces.services import capped_count

HEALTH_MONTHS = 12  # how far back the actual frequency looks
RECENT_MEETINGS = 12  # average attendance over the last N held meetings
ABSENT_MONTHS = 6  # "has not attended in the last N months"
ABSENT_MEETINGS = 50  # ...looking at no more than this many held meetings
CONCERN_MEETINGS = 10  # past meetings that concern survivors, shown (and as many upcoming)
CONCERN_SCAN = 50  # ...found among the last (and next) this many meetings
NAMES_SHOWN = 10  # organizations listed by name; the rest are counted
COUNT_CAP = 100  # "100+ organizations"
HELD_CAP = 1000  # held meetings in a year, counted up to here
SURVIVOR_WORDS = ("survivor",)  # an agenda item mentioning these concerns survivor advisors
FREQUENCY_MIN, FREQUENCY_MAX = 1, 52
ON_TRACK_SLACK = 1.25  # meeting up to a quarter less often than intended still counts as on track

UPCOMING_DAYS = 14  # the home's "Your next meetings"
SETUP_RECENT_DAYS = 90  # the setup guide: "meetings held in the last 90 days"
RECENT_SINCE = viewer_parameter(
    "meetings_recent_since", UTCDateTime(), lambda ctx: ctx.now() - timedelta(days=SETUP_RECENT_DAYS)
)

RSVP_LABELS = {Rsvp.YES: "You're going", Rsvp.NO: "You're not going", Rsvp.MAYBE: "You might go"}


def _held(now: datetime) -> Any:
    return and_(Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at < now)


def _advisors_invited() -> Any:
    """The meeting invites everyone (so every survivor advisor) or names a survivor advisor."""
    named = (
        select(MeetingInvitee.id)
        .join(Membership, Membership.id == MeetingInvitee.membership_id)
        .where(MeetingInvitee.meeting_id == Meeting.id, Membership.role == Role.SURVIVOR_ADVISOR)
        .exists()
    )
    return or_(Meeting.invite_scope == InviteScope.ALL, named)


def _concerns_survivors() -> Any:
    """An advisory board meeting, or one with an agenda item whose title or notes mention survivors."""
    mentions = or_(
        *(
            column.ilike(f"%{word}%")
            for word in SURVIVOR_WORDS
            for column in (AgendaItem.title, AgendaItem.notes, AgendaItem.minutes_md)
        )
    )
    on_agenda = select(AgendaItem.id).where(AgendaItem.meeting_id == Meeting.id, mentions).exists()
    return or_(Meeting.kind == MeetingKind.ADVISORY_BOARD, on_agenda)


# --- the home's "Your next meetings" ------------------------------------------------------------


def _invited(membership: Membership) -> Any:
    named = exists().where(MeetingInvitee.meeting_id == Meeting.id, MeetingInvitee.membership_id == membership.id)
    return or_(Meeting.invite_scope == InviteScope.ALL, named)


# "Your next meetings": from now (VIEWER_NOW) to UPCOMING_DAYS ahead
WINDOW_UNTIL = viewer_parameter(
    "meetings_window_until", Meeting.starts_at.type, lambda ctx: ctx.now() + timedelta(days=UPCOMING_DAYS)
)


@lru_cache(maxsize=32)
def _your_next_meetings(shape: Shape, limit: int) -> Select[Any]:
    """``your_next_meetings``' SELECT for a person of ``shape`` (their id, day and window are parameters)."""
    viewer = shared_viewer(shape)
    assert viewer is not None
    mine = and_(
        Meeting.starts_at >= VIEWER_NOW,
        Meeting.starts_at < WINDOW_UNTIL.bind,
        Meeting.status == MeetingStatus.SCHEDULED,
        visibility_clause(Meeting, viewer, VIEWER_TODAY),
        _invited(viewer),
    )
    soonest = (Meeting.starts_at, Meeting.id)
    answer = (
        select(MeetingInvitee.rsvp)
        .where(MeetingInvitee.meeting_id == Meeting.id, MeetingInvitee.membership_id == viewer.id)
        .scalar_subquery()
    )
    counted = select(Meeting.id).where(mine).order_by(*soonest).limit(WORK_COUNT_CAP + 1).subquery()
    found = select(func.count()).select_from(counted).scalar_subquery()
    columns = work_columns(
        record_id=Meeting.id,
        title=Meeting.title,
        at=Meeting.starts_at,
        label=func.coalesce(answer, Rsvp.NONE.value),
        found=found,
    )
    return select(*columns).where(mine).order_by(*soonest).limit(limit)


def your_next_meetings(ctx: WorkspaceContext, limit: int) -> WorkQuery | None:
    """The home's "Your next meetings", RSVPs waiting folded in: scheduled meetings in the next
    ``UPCOMING_DAYS`` days that ``ctx``'s member may see and is invited to (by name, or as everyone),
    soonest first, at most ``limit``, each with their answer (or "RSVP waiting" and a link to answer),
    and how many more (up to ``WORK_COUNT_CAP``). A LIMIT walk of
    ``ix_meetings_partnership_id_starts_at_id`` over the window with a probe of the invitation; the home
    runs it with the other kinds in one statement. The SELECT is kept per permission shape (``WorkQuery``)."""
    membership = ctx.membership
    if membership is None:
        return None
    now = utcnow()
    stmt = _your_next_meetings(permission_shape(membership), limit)
    zone = ctx.zone

    def build(rows: Sequence[WorkRow]) -> WorkList:
        items = []
        for row in sorted(rows, key=lambda row: (row.at or now, row.id)):
            answered = RSVP_LABELS.get(Rsvp(row.label)) if row.label in Rsvp._value2member_map_ else None
            starts = row.at.astimezone(zone).strftime("%a %d %b, %H:%M") if row.at else ""
            args = {"meeting_id": row.id}
            items.append(
                WorkItem(
                    row.title,
                    "meetings.detail",
                    args,
                    note=f"{starts} · {answered or 'RSVP waiting'}",
                    action="Change your answer" if answered else "Answer",
                    action_endpoint="meetings.detail",
                    action_args=args | {"_anchor": "attendance"},
                )
            )
        total = rows[0].found if rows else 0
        return WorkList.counted(items, total, more_endpoint="meetings.index")

    return WorkQuery(stmt, build)


# --- the setup guide ------------------------------------------------------------------------------


def setup_fact_queries(ctx: WorkspaceContext) -> dict[str, Any]:
    """The meetings' setup facts, over the meetings the viewer may see, as capped counts (scalar
    subqueries) and plain values: meetings held in the last ``SETUP_RECENT_DAYS`` days, recurring series
    still going, the intended frequency — only what the area's checks read (every home page computes
    them)."""
    seen = visible(ctx, Meeting) if ctx.membership else true()
    recent = and_(seen, _held(ctx.now()), Meeting.starts_at >= ctx.value(RECENT_SINCE))
    return {
        "meetings_held_recently": capped_count(select(Meeting.id).where(recent)),
        "meeting_series": capped_count(select(MeetingSeries.id).where(MeetingSeries.ended_at.is_(None))),
    }


def setup_values(ctx: WorkspaceContext) -> dict[str, Any]:
    """The meetings' setup value read from the partnership's row: whether a frequency is set."""
    return {"meetings_frequency_set": ctx.partnership.meetings_every_weeks is not None}


# --- the health page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Frequency:
    held: int  # held meetings in the last HEALTH_MONTHS months (up to HELD_CAP)
    first: datetime | None
    last: datetime | None
    next_start: datetime | None
    intended_weeks: int | None
    now: datetime

    @property
    def held_label(self) -> str:
        return f"{HELD_CAP:,}+" if self.held >= HELD_CAP else f"{self.held:,}"

    @property
    def every_weeks(self) -> float | None:
        """The average gap between held meetings, in weeks (None with fewer than two)."""
        if self.held < 2 or self.first is None or self.last is None:
            return None
        return (self.last - self.first).total_seconds() / (7 * 86400) / (self.held - 1)

    @property
    def weeks_since_last(self) -> float | None:
        return None if self.last is None else (self.now - self.last).total_seconds() / (7 * 86400)

    @property
    def on_track(self) -> bool | None:
        """Meeting about as often as intended (None when nothing is intended or too little was held)."""
        if self.intended_weeks is None or self.every_weeks is None:
            return None
        since = self.weeks_since_last or 0
        limit = self.intended_weeks * ON_TRACK_SLACK
        return self.every_weeks <= limit and since <= limit


@dataclass(frozen=True)
class AttendanceRow:
    meeting: Meeting
    recorded: int  # invitees whose attendance was recorded
    attended: int

    @property
    def percent(self) -> int:
        return round(100 * self.attended / self.recorded) if self.recorded else 0

    @property
    def step(self) -> int:
        return round(self.percent, -1)


@dataclass(frozen=True)
class SectorRow:
    key: str
    label: str
    attended: bool


@dataclass(frozen=True)
class ConcernRow:
    meeting: Meeting
    advisors_invited: bool
    upcoming: bool


@dataclass(frozen=True)
class Health:
    frequency: Frequency
    attendance: list[AttendanceRow]
    absent_organizations: list[str]
    absent_organizations_total: int  # up to COUNT_CAP + 1
    sectors: list[SectorRow]  # toolkit sectors the partnership's organizations cover
    concerns: list[ConcernRow]

    @property
    def recorded_meetings(self) -> list[AttendanceRow]:
        return [row for row in self.attendance if row.recorded]

    @property
    def average_attendance(self) -> float | None:
        """Average people present per held meeting with attendance recorded."""
        rows = self.recorded_meetings
        return sum(row.attended for row in rows) / len(rows) if rows else None

    @property
    def attendance_rate(self) -> int | None:
        rows = self.recorded_meetings
        recorded = sum(row.recorded for row in rows)
        return round(100 * sum(row.attended for row in rows) / recorded) if recorded else None

    @property
    def absent_sectors(self) -> list[SectorRow]:
        return [row for row in self.sectors if not row.attended]

    @property
    def absent_organizations_label(self) -> str:
        total = self.absent_organizations_total
        return f"{COUNT_CAP:,}+" if total > COUNT_CAP else f"{total:,}"

    @property
    def concerns_without_advisors(self) -> list[ConcernRow]:
        return [row for row in self.concerns if not row.advisors_invited]


def _months_ago(now: datetime, months: int) -> datetime:
    return now - timedelta(days=round(months * 30.44))


def meeting_health(ctx: WorkspaceContext, now: datetime | None = None) -> Health:
    """Everything the meeting health page shows, in a fixed number of bounded statements."""
    now = now or utcnow()
    seen = visible(ctx, Meeting)
    year = and_(seen, _held(now), Meeting.starts_at >= _months_ago(now, HEALTH_MONTHS))
    by_start = (Meeting.starts_at, Meeting.id)

    # 1. The numbers: each an index range or a LIMIT walk of (partnership, starts_at, id).
    def first_start(where: Any, descending: bool = False) -> Any:
        order = [column.desc() for column in by_start] if descending else list(by_start)
        return select(Meeting.starts_at).where(where).order_by(*order).limit(1).scalar_subquery()

    upcoming = and_(seen, Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at >= now)
    # The published governance guidelines' meeting frequency, when they give one, wins over the setting
    # below (read in the same round trip).
    from partnership_hub.governance.guidelines import meeting_frequency_query

    values = select_scalars(
        db.session,
        {
            "held": capped_count(select(Meeting.id).where(year), HELD_CAP),
            "first": first_start(year),
            "last": first_start(year, descending=True),
            "next": first_start(upcoming),
            "guidelines_weeks": meeting_frequency_query(),
        },
    )
    frequency = Frequency(
        int(values["held"] or 0),
        _aware(values["first"]),
        _aware(values["last"]),
        _aware(values["next"]),
        values["guidelines_weeks"] or ctx.partnership.meetings_every_weeks,
        now,
    )

    # 2. Attendance at the last held meetings (each meeting's invitees by its unique (meeting, member) key).
    last_held = (
        select(Meeting.id)
        .where(seen, _held(now))
        .order_by(*(column.desc() for column in by_start))
        .limit(RECENT_MEETINGS)
        .subquery()
    )
    tally = (
        select(
            MeetingInvitee.meeting_id,
            func.count(MeetingInvitee.attended).label("recorded"),
            func.count(case((MeetingInvitee.attended.is_(True), 1))).label("attended"),
        )
        .where(MeetingInvitee.meeting_id.in_(select(last_held.c.id)))
        .group_by(MeetingInvitee.meeting_id)
        .subquery()
    )
    stmt = (
        select(Meeting, func.coalesce(tally.c.recorded, 0), func.coalesce(tally.c.attended, 0))
        .join(last_held, last_held.c.id == Meeting.id)
        .outerjoin(tally, tally.c.meeting_id == Meeting.id)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    attendance = [AttendanceRow(m, int(r), int(a)) for m, r, a in db.session.execute(scoped(stmt)).tuples()]

    # 3. Who came lately: organizations present at the held meetings of the last ABSENT_MONTHS months.
    window = (
        select(Meeting.id)
        .where(seen, _held(now), Meeting.starts_at >= _months_ago(now, ABSENT_MONTHS))
        .order_by(*(column.desc() for column in by_start))
        .limit(ABSENT_MEETINGS)
        .subquery()
    )
    present = (
        select(MeetingInvitee.organization_id)
        .where(
            MeetingInvitee.meeting_id.in_(select(window.c.id)),
            MeetingInvitee.attended.is_(True),
            MeetingInvitee.organization_id.is_not(None),
        )
        .distinct()
    )
    sectors = _sector_rows(present)
    absent = and_(Organization.archived_at.is_(None), Organization.id.not_in(present))
    counted = select(Organization.id).where(absent).limit(COUNT_CAP + 1).subquery()
    total = select(func.count()).select_from(counted).scalar_subquery()
    names_stmt = (
        select(Organization.name, total)
        .where(absent)
        .order_by(Organization.name_key, Organization.id)
        .limit(NAMES_SHOWN)
    )
    name_rows = db.session.execute(scoped(names_stmt)).tuples().all()

    # 4. Meetings that concern survivor advisors: among the last CONCERN_SCAN held and the next
    # CONCERN_SCAN (a LIMIT walk each), the few that concern them - so a partnership whose agendas
    # rarely mention survivors is not searched meeting by meeting back a whole year.
    candidates = and_(seen, Meeting.status == MeetingStatus.SCHEDULED)
    recent = (
        select(Meeting.id)
        .where(candidates, Meeting.starts_at < now, Meeting.starts_at >= _months_ago(now, HEALTH_MONTHS))
        .order_by(*(column.desc() for column in by_start))
        .limit(CONCERN_SCAN)
        .subquery()
    )
    coming = (
        select(Meeting.id).where(candidates, Meeting.starts_at >= now).order_by(*by_start).limit(CONCERN_SCAN)
    ).subquery()
    past = (
        select(Meeting.id)
        .where(Meeting.id.in_(select(recent.c.id)), _concerns_survivors())
        .order_by(*(column.desc() for column in by_start))
        .limit(CONCERN_MEETINGS)
        .subquery()
    )
    ahead = (
        select(Meeting.id)
        .where(Meeting.id.in_(select(coming.c.id)), _concerns_survivors())
        .order_by(*by_start)
        .limit(CONCERN_MEETINGS)
    )
    keys = union_all(select(past.c.id), select(ahead.subquery().c.id)).subquery()
    concern_stmt = (
        select(Meeting, _advisors_invited().label("invited"))
        .join(keys, keys.c.id == Meeting.id)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    concerns = [
        ConcernRow(meeting, bool(invited), meeting.starts_at >= now)
        for meeting, invited in db.session.execute(scoped(concern_stmt)).tuples()
    ]
    return Health(
        frequency,
        attendance,
        [name for name, _ in name_rows],
        int(name_rows[0][1]) if name_rows else 0,
        sectors,
        concerns,
    )


def _sector_rows(present: Any) -> list[SectorRow]:
    """For each top-level toolkit sector the partnership's active organizations cover (a sub-area counts
    for its sector), whether one of them came lately. ONE statement: an index probe per toolkit sector
    (``ix_organization_sectors_partnership_id_sector_key``; the fixed list of sectors bounds it) and the
    sectors of the organizations that came (a bounded set), each named once."""
    top = {key: sector.key for sector in toolkit.SECTORS for key in (sector.key, *(c.key for c in sector.children))}
    parts = []
    for sector in toolkit.SECTORS:
        family = [key for key, parent in top.items() if parent == sector.key]
        covered = (
            select(OrganizationSector.id)
            .join(Organization, Organization.id == OrganizationSector.organization_id)
            .where(OrganizationSector.sector_key.in_(family), Organization.archived_at.is_(None))
            .exists()
        )
        parts.append(select(literal("covered").label("what"), literal(sector.key).label("key")).where(covered))
    came = (
        select(literal("came").label("what"), OrganizationSector.sector_key.label("key"))
        .where(OrganizationSector.organization_id.in_(present), OrganizationSector.sector_key.is_not(None))
        .distinct()
    )
    rows: list[tuple[str, str]] = [(what, key) for what, key in db.session.execute(scoped(union_all(*parts, came)))]
    attended = {top.get(key) for what, key in rows if what == "came"}
    labels = {sector.key: sector.label for sector in toolkit.SECTORS}
    return [SectorRow(key, labels[key], key in attended) for what, key in rows if what == "covered"]


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# --- the intended frequency -------------------------------------------------------------------


def set_meeting_frequency(ctx: WorkspaceContext, raw: Any) -> int | None:
    """How often the partnership means to meet, in weeks; blank for "not decided"."""
    text = str(raw or "").strip()
    weeks = parse_int(text, low=FREQUENCY_MIN, high=FREQUENCY_MAX) if text else None
    if text and weeks is None:
        if not is_ascii_digits(text):
            raise ServiceError("Enter a whole number of weeks, like 4.", "meetings_every_weeks")
        raise ServiceError(f"Enter a number of weeks from {FREQUENCY_MIN} to {FREQUENCY_MAX}.", "meetings_every_weeks")
    if ctx.partnership.meetings_every_weeks != weeks:
        ctx.partnership.meetings_every_weeks = weeks
        db.session.flush()
        audit.record(ctx, "meetings.frequency_changed", "partnership", ctx.partnership.id, weeks=weeks)
    return weeks
