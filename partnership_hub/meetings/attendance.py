"""Attendance: who is invited to a meeting, their answers (RSVP in the app, or from a signed link in an
email), who came, and attendance history per person and per organization.

Who is invited: with ``invite_scope`` "all", every member of the partnership except observers; with
"selected", the people who have a ``meeting_invitees`` row. Either way only people the confidentiality
layer admits to the meeting's level (``admitted_clause``: ``may_see`` turned around, one record and
every membership). ``invited_membership_ids_clause(meeting)`` is that set as a SELECT of membership
ids: other sections (the agenda's publish email) use it, and so do the minutes' notifications.

An invitee row exists for everyone invited by name, and for anyone who answered or whose attendance
was recorded (with "all", rows appear as people answer). ``attended`` None means "not recorded";
``organization_id`` is the organization the person represented when attendance was recorded, so the
history per organization outlives later changes to who represents whom.

RSVP links: ``rsvp_token(meeting, membership_id, answer)`` signs (itsdangerous, the app's secret key,
a salt of its own so no other signed value of the app is accepted here) the partnership, the meeting,
the person and ONE answer. The link needs no sign-in: ``open_rsvp_link`` checks the signature, binds
the session to the partnership the token names, and then loads the person and the meeting in it (a
meeting of another partnership is simply not found). It expires when the meeting ends and is refused
once the meeting is cancelled or the person is no longer invited or admitted; nothing is kept
server-side, so an answer can be given again from the same link (the last one counts). Accounts'
emailed tokens are random values stored hashed because they must be single-use; an RSVP answer is
idempotent, so a signature is enough and nothing needs storing.

Services that depend on the time take ``now``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, select, true
from sqlalchemy.exc import IntegrityError

from partnership_hub.accounts.models import User
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import admitted_memberships_clause, may_read, visible
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import bind_tenant, get_scoped, scoped, utcnow
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.meetings.models import InviteScope, Meeting, MeetingInvitee, Rsvp
from partnership_hub.members.models import Organization, Representative
from partnership_hub.pagination import COUNT_CAP, Page, paginate
from partnership_hub.parsing import parse_id, parse_ids
from partnership_hub.workspaces.models import Membership, Partnership, Role
from partnership_hub.workspaces.services import MEMBER_ORDER, pickable_people

log = logging.getLogger(__name__)

SECTION_ROWS = 30  # invitees shown on the meeting page; the attendance page has them all, by pages
ATTENDANCE_PAGE_SIZE = 50  # people per page of the attendance form
HISTORY_PAGE_SIZE = 25
MAX_ADDED = 200  # people added to the invitations in one go (an organization's representatives too)
RSVP_LINK_SALT = "partnership-hub.meetings.rsvp-link"
ANSWERS = (Rsvp.YES, Rsvp.NO, Rsvp.MAYBE)
RSVP_LABELS = {Rsvp.YES: "Yes", Rsvp.NO: "No", Rsvp.MAYBE: "Maybe", Rsvp.NONE: "No answer yet"}
RSVP_SENTENCES = {
    Rsvp.YES: "Yes, I'll be there",
    Rsvp.NO: "No, I can't come",
    Rsvp.MAYBE: "Maybe",
}
INVITE_SCOPE_LABELS = {
    InviteScope.ALL: "Everyone in the partnership (except observers)",
    InviteScope.SELECTED: "Only the people chosen below",
}


# --- who is invited -----------------------------------------------------------------------------


def admitted_clause(meeting: Meeting, today: date) -> ColumnElement[bool]:
    """SQL over ``Membership``: the people ``confidentiality.may_see`` admits to ``meeting`` (by role,
    the board, or an unexpired grant), never observers (they have no meetings of their own)."""
    return and_(Membership.role != Role.OBSERVER, admitted_memberships_clause(meeting, today))


def invited_membership_ids_clause(meeting: Meeting, today: date | None = None) -> Select[tuple[int]]:
    """A SELECT of the ids of the memberships invited to ``meeting`` and admitted to its level (see
    the module docstring). Use it as a subquery (``Membership.id.in_(...)``); tenant scoping applies
    as to any statement. ``today`` decides which grants have ended (default: today in UTC)."""
    today = today or utcnow().date()
    stmt = select(Membership.id).where(admitted_clause(meeting, today))
    if meeting.invite_scope == InviteScope.SELECTED:
        stmt = stmt.where(
            exists().where(MeetingInvitee.meeting_id == meeting.id, MeetingInvitee.membership_id == Membership.id)
        )
    return stmt


def is_invited(ctx: WorkspaceContext, meeting: Meeting, membership_id: int, now: datetime | None = None) -> bool:
    """Is ``membership_id`` invited to ``meeting`` (and admitted to its level)? One query."""
    stmt = invited_membership_ids_clause(meeting, ctx.today(now)).where(Membership.id == membership_id)
    return db.session.scalar(scoped(stmt)) is not None


# --- the meeting page's section -------------------------------------------------------------------


@dataclass
class InviteeRow:
    membership_id: int
    name: str
    rsvp: Rsvp
    attended: bool | None


@dataclass
class AttendanceSection:
    """The meeting page's attendance: the first ``SECTION_ROWS`` invitees, counts of the answers and
    of who came, and the viewer's own invitation."""

    rows: list[InviteeRow] = field(default_factory=list)
    invited: int = 0  # up to COUNT_CAP
    invited_exact: bool = True
    answers: dict[Rsvp, int] = field(default_factory=dict)
    attended: int = 0
    recorded: bool = False  # has attendance been recorded for anyone
    viewer_invited: bool = False
    viewer_rsvp: Rsvp = Rsvp.NONE

    @property
    def more(self) -> int:
        return max(0, self.invited - len(self.rows))

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(label, how many) for each answer, in the order yes, maybe, no."""
        return [(RSVP_LABELS[a], self.answers.get(a, 0)) for a in (Rsvp.YES, Rsvp.MAYBE, Rsvp.NO)]


def _people_rows(ctx: WorkspaceContext, meeting: Meeting, now: datetime | None = None) -> Select[Any]:
    """(Membership, User, MeetingInvitee | None) of everyone invited, by name."""
    invited = invited_membership_ids_clause(meeting, ctx.today(now)).subquery()
    return (
        select(Membership, User, MeetingInvitee)
        .join(invited, invited.c.id == Membership.id)
        .join(User, User.id == Membership.user_id)
        .outerjoin(
            MeetingInvitee,
            and_(MeetingInvitee.meeting_id == meeting.id, MeetingInvitee.membership_id == Membership.id),
        )
        .order_by(*MEMBER_ORDER)
    )


def load_section(ctx: WorkspaceContext, meeting: Meeting) -> AttendanceSection:
    """The attendance section in ONE statement: a LIMIT walk of the invitees by name, with the counts
    (each capped at ``COUNT_CAP``) and the viewer's own answer as scalar subqueries riding on a
    one-row select the people are outer-joined to (so the counts come back with no invitee too)."""
    from partnership_hub.meetings.services import person_name

    me = ctx.membership.id if ctx.membership else -1
    today = ctx.today()
    people = (
        _people_rows(ctx, meeting)
        .with_only_columns(Membership.id.label("membership_id"))
        .add_columns(MeetingInvitee.rsvp, MeetingInvitee.attended)
        .limit(SECTION_ROWS)
        .subquery()
    )
    invited_ids = invited_membership_ids_clause(meeting, today)
    answers = select(MeetingInvitee.rsvp, MeetingInvitee.attended).where(
        MeetingInvitee.meeting_id == meeting.id, MeetingInvitee.membership_id.in_(invited_ids)
    )
    answered = answers.limit(COUNT_CAP).subquery()

    def counted(where: ColumnElement[bool]) -> Any:
        return select(func.count()).select_from(answered).where(where).scalar_subquery()

    total = select(func.count()).select_from(invited_ids.limit(COUNT_CAP + 1).subquery()).scalar_subquery()
    mine = (
        select(MeetingInvitee.rsvp)
        .where(MeetingInvitee.meeting_id == meeting.id, MeetingInvitee.membership_id == me)
        .scalar_subquery()
    )
    me_invited = exists(invited_ids.where(Membership.id == me))
    anchor = select(literal(1).label("one")).subquery()
    stmt = (
        select(
            people.c.membership_id,
            people.c.rsvp,
            people.c.attended,
            total,
            counted(answered.c.rsvp == Rsvp.YES),
            counted(answered.c.rsvp == Rsvp.NO),
            counted(answered.c.rsvp == Rsvp.MAYBE),
            counted(answered.c.attended.is_(True)),
            counted(answered.c.attended.is_not(None)),
            mine,
            me_invited,
            Membership,
            User,
        )
        .select_from(anchor)
        .outerjoin(people, true())
        .outerjoin(Membership, Membership.id == people.c.membership_id)
        .outerjoin(User, User.id == Membership.user_id)
        .order_by(Membership.sort_name, Membership.id)
    )
    result = db.session.execute(scoped(stmt)).tuples().all()
    section = AttendanceSection()
    if not result:
        return section
    first = result[0]
    section.invited = min(first[3], COUNT_CAP)
    section.invited_exact = first[3] <= COUNT_CAP
    section.answers = {Rsvp.YES: first[4], Rsvp.NO: first[5], Rsvp.MAYBE: first[6]}
    section.attended = first[7]
    section.recorded = first[8] > 0
    section.viewer_rsvp = Rsvp(first[9]) if first[9] else Rsvp.NONE
    section.viewer_invited = bool(first[10])
    for membership_id, rsvp, attended, *_rest, membership, user in result:
        if membership_id is None:
            continue
        section.rows.append(
            InviteeRow(membership_id, person_name(ctx.membership, membership, user), Rsvp(rsvp or "none"), attended)
        )
    return section


# --- answering ---------------------------------------------------------------------------------------


def _answer(value: Any) -> Rsvp:
    try:
        answer = Rsvp(value if isinstance(value, str) else "")
    except ValueError:
        answer = Rsvp.NONE
    if answer not in ANSWERS:
        raise ServiceError("Choose yes, no or maybe.", "answer")
    return answer


def rsvp_closed_reason(meeting: Meeting, now: datetime) -> str | None:
    """Why ``meeting`` no longer takes answers, or None while it does."""
    if meeting.cancelled:
        return "This meeting was cancelled, so it no longer takes answers."
    if now >= meeting.ends_at:
        return "This meeting is over, so it no longer takes answers."
    return None


def _invitee_rows(meeting: Meeting, membership_ids: Iterable[int]) -> dict[int, MeetingInvitee]:
    wanted = sorted(set(membership_ids))
    if not wanted:
        return {}
    stmt = select(MeetingInvitee).where(
        MeetingInvitee.meeting_id == meeting.id, MeetingInvitee.membership_id.in_(wanted)
    )
    return {row.membership_id: row for row in db.session.scalars(scoped(stmt)) if row.membership_id is not None}


def _ensure_invitees(meeting: Meeting, membership_ids: Iterable[int]) -> dict[int, MeetingInvitee]:
    """The invitee rows of these people, adding the missing ones. Two requests adding the same row at
    once: the unique (meeting_id, membership_id) refuses the second one's, which then reads the first's."""
    wanted = sorted(set(membership_ids))
    rows = _invitee_rows(meeting, wanted)
    missing = [MeetingInvitee(meeting_id=meeting.id, membership_id=i) for i in wanted if i not in rows]
    if missing:
        try:
            with db.session.begin_nested():
                db.session.add_all(missing)
        except IntegrityError:
            rows = _invitee_rows(meeting, wanted)
            missing = [MeetingInvitee(meeting_id=meeting.id, membership_id=i) for i in wanted if i not in rows]
            db.session.add_all(missing)
            db.session.flush()
        rows.update({row.membership_id: row for row in missing if row.membership_id is not None})
    return rows


def rsvp(ctx: WorkspaceContext, meeting: Meeting, answer: Any, now: datetime | None = None) -> MeetingInvitee:
    """``ctx``'s member answers the invitation to ``meeting`` (yes, no or maybe; the last answer counts).
    Refused on a cancelled or finished meeting and for someone not invited."""
    now = now or utcnow()
    chosen = _answer(answer)
    if (reason := rsvp_closed_reason(meeting, now)) is not None:
        raise ServiceError(reason, "answer")
    membership = ctx.membership
    if membership is None or not is_invited(ctx, meeting, membership.id, now):
        raise ServiceError("You are not invited to this meeting.", "answer")
    invitee = _ensure_invitees(meeting, [membership.id])[membership.id]
    invitee.rsvp, invitee.rsvp_at = chosen, now
    db.session.flush()
    audit.record(ctx, "meeting.rsvp", "meeting", meeting.id, answer=chosen.value)
    return invitee


# --- signed RSVP links ---------------------------------------------------------------------------


class LinkRefused(ServiceError):
    """An RSVP link that cannot be used: ``status`` 400 (not a link of ours, or not for anyone here) or
    410 (it was good, but is no longer: the meeting ended or was cancelled, the person left)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


NOT_A_LINK = "This link is not a valid answer link. Check that you copied the whole link from the email."


@dataclass(frozen=True)
class RsvpClaim:
    partnership_id: int
    meeting_id: int
    membership_id: int
    answer: Rsvp


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=RSVP_LINK_SALT)


def rsvp_token(meeting: Meeting, membership_id: int, answer: Rsvp) -> str:
    """The signed value of a link that answers ``answer`` for ``membership_id`` to ``meeting``."""
    if answer not in ANSWERS:
        raise ValueError("an RSVP link answers yes, no or maybe")
    return _serializer().dumps([meeting.partnership_id, meeting.id, membership_id, answer.value])


def rsvp_links(meeting: Meeting, membership_id: int) -> dict[Rsvp, str]:
    """Absolute links (for an email) answering yes, no and maybe for ``membership_id``."""
    from partnership_hub.notifications.services import absolute_url

    return {
        answer: absolute_url("meeting_links.rsvp_link", token=rsvp_token(meeting, membership_id, answer))
        for answer in ANSWERS
    }


def read_rsvp_token(token: str) -> RsvpClaim:
    """What a link claims, once its signature is checked. ``LinkRefused`` (400) otherwise."""
    try:
        value = _serializer().loads(token)
    except BadData:
        raise LinkRefused(NOT_A_LINK) from None
    if not (isinstance(value, list) and len(value) == 4):
        raise LinkRefused(NOT_A_LINK)
    ids = [parse_id(v) if isinstance(v, int) and not isinstance(v, bool) else None for v in value[:3]]
    if any(i is None for i in ids) or value[3] not in {a.value for a in ANSWERS}:
        raise LinkRefused(NOT_A_LINK)
    partnership_id, meeting_id, membership_id = (int(i) for i in ids if i is not None)
    return RsvpClaim(partnership_id, meeting_id, membership_id, Rsvp(value[3]))


@dataclass
class LinkLanding:
    """An RSVP link that may be used: who, which meeting, what it answers, what they answered so far."""

    ctx: WorkspaceContext
    meeting: Meeting
    claim: RsvpClaim
    current: Rsvp

    def other_tokens(self) -> dict[Rsvp, str]:
        """Links for the other answers, so the page can offer a change of mind."""
        return {
            answer: rsvp_token(self.meeting, self.claim.membership_id, answer)
            for answer in ANSWERS
            if answer != self.claim.answer
        }


def open_rsvp_link(token: str, now: datetime | None = None) -> LinkLanding:
    """Check an RSVP link and bind the session to its partnership; ``LinkRefused`` when it can't be used.
    Nothing is written."""
    now = now or utcnow()
    claim = read_rsvp_token(token)
    partnership = db.session.get(Partnership, claim.partnership_id)
    if partnership is None:
        raise LinkRefused(NOT_A_LINK)
    bind_tenant(db.session, partnership.id)
    found = db.session.execute(
        scoped(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.id == claim.membership_id)
        )
    ).one_or_none()
    if found is None:
        raise LinkRefused("This link was for someone who is no longer in the partnership.", 410)
    membership, user = found[0], found[1]
    bind_tenant(db.session, partnership.id, user.id)
    ctx = WorkspaceContext(partnership, membership, user)
    meeting = db.session.scalars(scoped(select(Meeting).where(Meeting.id == claim.meeting_id))).one_or_none()
    if meeting is None:
        raise LinkRefused(NOT_A_LINK)  # a meeting of another partnership, or one removed since
    if not may_read(ctx, meeting) or not is_invited(ctx, meeting, membership.id, now):
        raise LinkRefused("You are no longer invited to this meeting, so this link no longer works.", 410)
    if meeting.cancelled:
        raise LinkRefused("This meeting was cancelled, so it no longer takes answers.", 410)
    if now >= meeting.ends_at:
        raise LinkRefused("This meeting is over, so this link has expired.", 410)
    current = _invitee_rows(meeting, [membership.id]).get(membership.id)
    return LinkLanding(ctx, meeting, claim, current.rsvp if current else Rsvp.NONE)


def answer_by_link(token: str, now: datetime | None = None) -> LinkLanding:
    """Record the answer an RSVP link carries (``LinkRefused`` when it can't be used)."""
    now = now or utcnow()
    landing = open_rsvp_link(token, now)
    rsvp(landing.ctx, landing.meeting, landing.claim.answer, now)
    landing.current = landing.claim.answer
    return landing


# --- invitations ---------------------------------------------------------------------------------


def _organization_members(ctx: WorkspaceContext, organization_id: Any) -> list[int]:
    record_id = parse_id(organization_id)
    if record_id is None:
        raise ServiceError("Choose an organization from the list.", "organization_id")
    if db.session.scalar(scoped(select(Organization.id).where(Organization.id == record_id))) is None:
        raise ServiceError("Choose an organization from the list.", "organization_id")
    stmt = (
        select(Representative.membership_id)
        .where(Representative.organization_id == record_id, Representative.membership_id.is_not(None))
        .distinct()
        .limit(MAX_ADDED + 1)
    )
    return [i for i in db.session.scalars(scoped(stmt)) if i is not None]


def change_invitations(
    ctx: WorkspaceContext, meeting: Meeting, data: dict[str, Any], now: datetime | None = None
) -> int:
    """Set who is invited: ``invite_scope`` "all" or "selected", and (for "selected") add the people in
    ``membership_ids`` and the members representing ``organization_id``. Everyone added must be someone
    ``ctx``'s member may pick and admitted to the meeting's level. Returns how many were added."""
    now = now or utcnow()
    if meeting.cancelled or now >= meeting.ends_at:
        raise ServiceError("This meeting is over or cancelled; its invitations can no longer change.")
    try:
        scope = InviteScope(data.get("invite_scope") or "")
    except ValueError:
        raise ServiceError("Choose who is invited from the list.", "invite_scope") from None
    raw_people = data.get("membership_ids") or []
    people = parse_ids(raw_people if isinstance(raw_people, list) else [raw_people])
    if len(people) > MAX_ADDED:
        raise ServiceError(f"Add at most {MAX_ADDED} people at a time.", "membership_ids")
    wanted = list(people)
    if data.get("organization_id") not in (None, ""):
        from_organization = _organization_members(ctx, data.get("organization_id"))
        if len(from_organization) > MAX_ADDED:
            raise ServiceError(
                f"This organization has more than {MAX_ADDED} members; choose people instead.", "organization_id"
            )
        wanted += from_organization
    if scope == InviteScope.ALL and wanted:
        raise ServiceError(
            "Everyone is invited already; choose “only the people chosen” to name people.", "membership_ids"
        )
    added = 0
    if wanted:
        allowed = set(
            db.session.scalars(
                scoped(
                    pickable_people(ctx)
                    .with_only_columns(Membership.id)
                    .where(Membership.id.in_(sorted(set(wanted))), admitted_clause(meeting, ctx.today(now)))
                )
            )
        )
        refused = [i for i in people if i not in allowed]
        if refused:
            raise ServiceError(
                "Choose people from the partnership who may see this meeting "
                f"({meeting.confidentiality.label.lower()}).",
                "membership_ids",
            )
        new = [i for i in sorted(set(wanted)) if i in allowed]
        before = set(_invitee_rows(meeting, new))
        _ensure_invitees(meeting, new)
        added = len([i for i in new if i not in before])
    if scope != meeting.invite_scope:
        meeting.invite_scope = scope
    db.session.flush()
    audit.record(ctx, "meeting.invitations_changed", "meeting", meeting.id, scope=scope.value, added=added)
    return added


def remove_invitee(ctx: WorkspaceContext, meeting: Meeting, membership_id: Any, now: datetime | None = None) -> None:
    """Take someone off a meeting's named invitations (not once their attendance is recorded)."""
    now = now or utcnow()
    if meeting.cancelled or now >= meeting.ends_at:
        raise ServiceError("This meeting is over or cancelled; its invitations can no longer change.")
    record_id = parse_id(membership_id)
    row = _invitee_rows(meeting, [record_id]).get(record_id) if record_id else None
    if row is None:
        raise ServiceError("This person is not on the list; reload the page.")
    if row.attended is not None:
        raise ServiceError("Their attendance is recorded, so they stay on the list.")
    db.session.delete(row)
    db.session.flush()
    audit.record(ctx, "meeting.invitations_changed", "meeting", meeting.id, removed=1)


def invitee_page(
    ctx: WorkspaceContext, meeting: Meeting, page: int, page_size: int = ATTENDANCE_PAGE_SIZE
) -> Page[InviteeRow]:
    """One page of everyone invited, by name, with their answer and attendance (count capped)."""
    from partnership_hub.meetings.services import person_name

    viewer = ctx.membership
    return paginate(
        _people_rows(ctx, meeting),
        page,
        page_size,
        row=lambda r: InviteeRow(
            r[0].id, person_name(viewer, r[0], r[1]), r[2].rsvp if r[2] else Rsvp.NONE, r[2].attended if r[2] else None
        ),
        cap=COUNT_CAP,
        count_from=invited_membership_ids_clause(meeting, ctx.today()),
    )


# --- recording attendance ----------------------------------------------------------------------------


def _organizations_of(membership_ids: Sequence[int]) -> dict[int, int]:
    """Each person's organization (the first by id where they represent several)."""
    if not membership_ids:
        return {}
    stmt = (
        select(Representative.membership_id, func.min(Representative.organization_id))
        .where(Representative.membership_id.in_(sorted(set(membership_ids))))
        .group_by(Representative.membership_id)
    )
    return {m: o for m, o in db.session.execute(scoped(stmt)).tuples() if m is not None}


def record_attendance(
    ctx: WorkspaceContext, meeting: Meeting, data: dict[str, Any], now: datetime | None = None
) -> int:
    """Record who came, for the people the form showed (``shown``; those of them in ``attended`` came,
    the others did not), with each one's organization as it is now. Returns how many came."""
    now = now or utcnow()
    if meeting.cancelled:
        raise ServiceError("This meeting was cancelled; there is no attendance to record.", "attended")
    if now < meeting.starts_at:
        raise ServiceError("Attendance can be recorded once the meeting has started.", "attended")
    shown = parse_ids(data.get("shown") or [])
    attended = parse_ids(data.get("attended") or [])
    if not shown or len(shown) > ATTENDANCE_PAGE_SIZE:
        raise ServiceError("Reload the page and tick the people who came.", "attended")
    if not set(attended) <= set(shown):
        raise ServiceError("Tick only people on this list.", "attended")
    invited = set(
        db.session.scalars(
            scoped(invited_membership_ids_clause(meeting, ctx.today(now)).where(Membership.id.in_(shown)))
        )
    )
    if set(shown) - invited:
        raise ServiceError("The list of people invited has changed; reload the page and try again.", "attended")
    organizations = _organizations_of(shown)
    rows = _ensure_invitees(meeting, shown)
    came = set(attended)
    for membership_id, row in rows.items():
        row.attended = membership_id in came
        row.organization_id = organizations.get(membership_id)
    db.session.flush()
    audit.record(ctx, "meeting.attendance_recorded", "meeting", meeting.id, people=len(shown), attended=len(came))
    return len(came)


# --- history -----------------------------------------------------------------------------------------


@dataclass
class MemberHistoryRow:
    meeting_id: int
    title: str
    starts_at: datetime
    cancelled: bool
    rsvp: Rsvp
    attended: bool | None


def load_person(ctx: WorkspaceContext, membership_id: Any) -> tuple[Membership, str]:
    """The person whose history is asked for (404 outside the partnership) and their name as the
    viewer may see it."""
    from partnership_hub.meetings.services import person_name

    membership = get_scoped(db.session, Membership, membership_id)
    user = db.session.get(User, membership.user_id)
    return membership, person_name(ctx.membership, membership, user)


def member_history(ctx: WorkspaceContext, membership: Membership, page: int) -> Page[MemberHistoryRow]:
    """The meetings (the viewer may see) someone was invited to by name, answered or had attendance
    recorded for, latest first; counted up to ``COUNT_CAP``."""
    stmt = (
        select(
            Meeting.id, Meeting.title, Meeting.starts_at, Meeting.status, MeetingInvitee.rsvp, MeetingInvitee.attended
        )
        .join(MeetingInvitee, MeetingInvitee.meeting_id == Meeting.id)
        .where(MeetingInvitee.membership_id == membership.id, visible(ctx, Meeting))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    )
    return paginate(
        stmt,
        page,
        HISTORY_PAGE_SIZE,
        row=lambda r: MemberHistoryRow(r[0], r[1], r[2], r[3] == "cancelled", Rsvp(r[4]), r[5]),
        cap=COUNT_CAP,
    )


@dataclass
class OrganizationHistoryRow:
    meeting_id: int
    title: str
    starts_at: datetime
    attended: int  # people of the organization who came
    recorded: int  # people of the organization whose attendance was recorded


def load_organization(ctx: WorkspaceContext, organization_id: Any) -> Organization:
    return get_scoped(db.session, Organization, organization_id)


def organization_history(ctx: WorkspaceContext, organization: Organization, page: int) -> Page[OrganizationHistoryRow]:
    """The meetings (the viewer may see) where attendance was recorded for people of ``organization``
    (as they represented it then), latest first, with how many of them came."""
    came = func.sum(case((MeetingInvitee.attended.is_(True), 1), else_=0))
    stmt = (
        select(Meeting.id, Meeting.title, Meeting.starts_at, came, func.count(MeetingInvitee.id))
        .join(MeetingInvitee, MeetingInvitee.meeting_id == Meeting.id)
        .where(
            MeetingInvitee.organization_id == organization.id,
            MeetingInvitee.attended.is_not(None),
            visible(ctx, Meeting),
        )
        .group_by(Meeting.id, Meeting.title, Meeting.starts_at)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    )
    count = (
        select(MeetingInvitee.meeting_id)
        .join(Meeting, Meeting.id == MeetingInvitee.meeting_id)
        .where(
            MeetingInvitee.organization_id == organization.id,
            MeetingInvitee.attended.is_not(None),
            visible(ctx, Meeting),
        )
        .distinct()
    )
    return paginate(
        stmt,
        page,
        HISTORY_PAGE_SIZE,
        row=lambda r: OrganizationHistoryRow(r[0], r[1], r[2], int(r[3] or 0), int(r[4])),
        cap=COUNT_CAP,
        count_from=count,
    )
