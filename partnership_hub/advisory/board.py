"""The survivor advisory board: its roles, the seats people hold and their terms, the chair, who is
admitted to the board's restricted area, and the chair's review of who read what.

Admission is the confidentiality layer's: every open seat has a grant on ``confidentiality.BOARD``
(reason ``SEAT_REASON``, no end date) that the services here keep in step with the roster, and the
chair admits others with a grant that always has a reason and an end date. So an ``advisory`` record —
a board note, a thread, a board meeting — is visible to the board and the people it admitted, and to
nobody else: coordinators manage the roster here but read the restricted area only if they sit on the
board or hold a grant. ``admission(ctx)`` answers "am I admitted, am I the chair" once per context.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, select

from partnership_hub.advisory.board_models import AdvisoryRole, BoardSeat, BoardTerm
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import (
    BOARD,
    BOARD_RECORD_ID,
    AccessLogEntry,
    ConfidentialGrant,
    Level,
    admitted_to_board,
)
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import get_scoped, scoped
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.pagination import Page, paginate
from partnership_hub.parsing import form_text, parse_date, parse_id, parse_int
from partnership_hub.workspaces.models import Membership, Role, User

SEAT_REASON = "Sits on the board"
NAME_MAX = max_length(AdvisoryRole.__table__.c.name)
TEXT_MAX = 2000
REASON_MAX = 500
GRANT_DAYS_MAX = 366  # the chair's grants are for a stated, limited time
RENEWAL_NOTICE_DAYS = 60  # "renewal due" this long before a term ends
ACCESS_LOG_PAGE_SIZE = 50
DEFAULT_ROLES = (
    ("Chair", "Leads the board, admits others to its restricted area and reviews who read it.", 24),
    ("Advisor", "Advises the partnership from lived experience: reviews, talks, panels and meetings.", 12),
    ("Peer mentor", "Supports other survivors taking part in the partnership's work.", 12),
)


# --- admission ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Admission:
    admitted: bool  # a seat or the chair's unexpired grant
    seat_id: int | None  # the viewer's open seat
    is_chair: bool


def admission(ctx: WorkspaceContext) -> Admission:
    """Whether the acting person is admitted to the board's restricted area, and their seat (one query,
    once per context)."""
    found = ctx.memo.get("advisory.admission")
    if isinstance(found, Admission):
        return found
    result = Admission(False, None, False)
    if ctx.membership is not None and ctx.membership.role != Role.OBSERVER:
        seat = db.session.execute(
            scoped(
                select(BoardSeat.id, BoardSeat.is_chair).where(
                    BoardSeat.membership_id == ctx.membership.id, BoardSeat.left_on.is_(None)
                )
            )
        ).first()
        admitted = seat is not None or admitted_to_board(ctx.membership, ctx.today())
        result = Admission(admitted, seat.id if seat else None, bool(seat and seat.is_chair))
    ctx.memo["advisory.admission"] = result
    return result


def require_admitted(ctx: WorkspaceContext) -> Admission:
    """The restricted area's gate: anyone not admitted gets ``NotFound`` (404, nothing confirmed)."""
    found = admission(ctx)
    if not found.admitted:
        raise NotFound("the board's restricted area")
    return found


def require_chair(ctx: WorkspaceContext) -> None:
    """Only the board's chair admits others and reviews the access log (others: 404, as for the area)."""
    if not admission(ctx).is_chair:
        raise NotFound("the chair's page")


def _board_grants() -> Any:
    """SQL: the grants on the board itself (seats' and the chair's), as opposed to one record's."""
    return and_(ConfidentialGrant.record_kind == BOARD, ConfidentialGrant.record_id == BOARD_RECORD_ID)


def _board_grant_for(membership_id: int) -> ConfidentialGrant:
    """The person's grant on the board (a seat's or the chair's), or a new one to fill in (one per person:
    the table's unique key)."""
    existing = db.session.scalars(
        scoped(select(ConfidentialGrant).where(_board_grants(), ConfidentialGrant.membership_id == membership_id))
    ).one_or_none()
    return existing or ConfidentialGrant(record_kind=BOARD, record_id=BOARD_RECORD_ID, membership_id=membership_id)


def _seat_grant(ctx: WorkspaceContext, membership_id: int) -> None:
    row = _board_grant_for(membership_id)
    row.reason, row.ends_on = SEAT_REASON, None
    row.granted_by_membership_id = ctx.membership.id if ctx.membership else None
    db.session.add(row)


def _drop_board_grant(membership_id: int) -> None:
    mine = ConfidentialGrant.membership_id == membership_id
    db.session.execute(delete(ConfidentialGrant).where(_board_grants(), mine))


# --- roles ------------------------------------------------------------------------------------------


def roles(ctx: WorkspaceContext) -> list[AdvisoryRole]:
    """The board's roles by name (a board has a handful)."""
    return list(db.session.scalars(scoped(select(AdvisoryRole).order_by(AdvisoryRole.name, AdvisoryRole.id))))


def get_role(ctx: WorkspaceContext, advisory_role_id: int) -> AdvisoryRole:
    return get_scoped(db.session, AdvisoryRole, advisory_role_id)


def _role_values(ctx: WorkspaceContext, data: dict[str, Any], role: AdvisoryRole | None) -> tuple[str, str, int | None]:
    name = form_text(data, "name", NAME_MAX, "Give the role a name, for example “Advisor”.")
    description = form_text(data, "description", TEXT_MAX)
    raw_term = str(data.get("term_months") or "").strip()
    term = parse_int(raw_term) if raw_term else None
    if raw_term and (term is None or not 1 <= term <= 120):
        raise ServiceError(
            "Enter the usual term as a number of months from 1 to 120, or leave it empty.", "term_months"
        )
    clash = select(AdvisoryRole.id).where(func.lower(AdvisoryRole.name) == name.lower())
    if role is not None:
        clash = clash.where(AdvisoryRole.id != role.id)
    if db.session.scalars(scoped(clash).limit(1)).first() is not None:
        raise ServiceError("The board already has a role with this name.", "name")
    return name, description, term


def create_role(ctx: WorkspaceContext, data: dict[str, Any]) -> AdvisoryRole:
    """Add a role to the board."""
    name, description, term = _role_values(ctx, data, None)
    role = AdvisoryRole(name=name, description=description, term_months=term)
    db.session.add(role)
    db.session.flush()
    audit.record(ctx, "advisory_role.created", "advisory_role", role.id)
    return role


def update_role(ctx: WorkspaceContext, role: AdvisoryRole, data: dict[str, Any]) -> AdvisoryRole:
    """Rename or redescribe a role."""
    role.name, role.description, role.term_months = _role_values(ctx, data, role)
    db.session.flush()
    audit.record(ctx, "advisory_role.updated", "advisory_role", role.id)
    return role


def delete_role(ctx: WorkspaceContext, role: AdvisoryRole) -> None:
    """Remove a role nobody has ever held (seats keep their history, so a used role stays)."""
    used = db.session.scalars(scoped(select(BoardSeat.id).where(BoardSeat.role_id == role.id)).limit(1)).first()
    if used is not None:
        raise ServiceError("Someone has held this role, so it stays on record; rename it instead.", "role")
    audit.record(ctx, "advisory_role.deleted", "advisory_role", role.id)
    db.session.delete(role)
    db.session.flush()


def ensure_default_roles(ctx: WorkspaceContext) -> int:
    """The toolkit's usual roles, for a board with none yet; how many were added (0: it had roles)."""
    if db.session.scalars(scoped(select(AdvisoryRole.id)).limit(1)).first() is not None:
        return 0
    for name, description, months in DEFAULT_ROLES:
        db.session.add(AdvisoryRole(name=name, description=description, term_months=months))
    db.session.flush()
    return len(DEFAULT_ROLES)


# --- seats and terms ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    seat_id: int
    membership_id: int
    name: str
    role_name: str
    is_chair: bool
    joined_on: date
    term_starts_on: date | None
    term_ends_on: date | None
    is_advisor: bool  # holds the survivor_advisor role in the partnership

    def term_state(self, today: date) -> str:
        """'' | 'renewal due' | 'term ended' — a term ending does not end the seat: a coordinator does."""
        if self.term_ends_on is None:
            return ""
        if self.term_ends_on < today:
            return "term ended"
        if self.term_ends_on <= today + timedelta(days=RENEWAL_NOTICE_DAYS):
            return "renewal due"
        return ""


def roster(ctx: WorkspaceContext) -> list[RosterRow]:
    """Everyone on the board now, the chair first, with their current term (ONE statement; a board is
    small, and seats are bounded by the partnership's members)."""
    latest = (
        select(BoardTerm.starts_on, BoardTerm.ends_on)
        .where(BoardTerm.seat_id == BoardSeat.id)
        .order_by(BoardTerm.starts_on.desc(), BoardTerm.id.desc())
        .limit(1)
        .correlate(BoardSeat)
    )
    starts = latest.with_only_columns(BoardTerm.starts_on).scalar_subquery()
    ends = latest.with_only_columns(BoardTerm.ends_on).scalar_subquery()
    stmt = (
        select(
            BoardSeat.id,
            BoardSeat.membership_id,
            User.name,
            AdvisoryRole.name.label("role_name"),
            BoardSeat.is_chair,
            BoardSeat.joined_on,
            starts.label("term_starts_on"),
            ends.label("term_ends_on"),
            (Membership.role == Role.SURVIVOR_ADVISOR).label("is_advisor"),
        )
        .join(Membership, Membership.id == BoardSeat.membership_id)
        .join(User, User.id == Membership.user_id)
        .join(AdvisoryRole, AdvisoryRole.id == BoardSeat.role_id)
        .where(BoardSeat.left_on.is_(None))
        .order_by(BoardSeat.is_chair.desc(), Membership.sort_name, BoardSeat.id)
    )
    return [RosterRow(*row) for row in db.session.execute(scoped(stmt))]


def board_size(ctx: WorkspaceContext) -> int:
    return int(db.session.scalar(scoped(select(func.count(BoardSeat.id)).where(BoardSeat.left_on.is_(None)))) or 0)


def get_seat(ctx: WorkspaceContext, board_seat_id: int) -> BoardSeat:
    return get_scoped(db.session, BoardSeat, board_seat_id)


def seat_terms(ctx: WorkspaceContext, seat: BoardSeat) -> list[BoardTerm]:
    """A seat's terms, newest first (a handful)."""
    stmt = (
        select(BoardTerm).where(BoardTerm.seat_id == seat.id).order_by(BoardTerm.starts_on.desc(), BoardTerm.id.desc())
    )
    return list(db.session.scalars(scoped(stmt)))


def seat_person(ctx: WorkspaceContext, seat: BoardSeat) -> tuple[str, Role]:
    row = db.session.execute(
        scoped(
            select(User.name, Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(Membership.id == seat.membership_id)
        )
    ).one()
    return row.name, row.role


def _term_dates(data: dict[str, Any], today: date) -> tuple[date, date | None]:
    raw_start, raw_end = data.get("term_starts_on"), data.get("term_ends_on")
    starts = parse_date(raw_start) if raw_start else today
    if starts is None:
        raise ServiceError("Enter the term's first day like 2026-03-31.", "term_starts_on")
    ends = parse_date(raw_end) if raw_end else None
    if raw_end and ends is None:
        raise ServiceError("Enter the term's last day like 2027-03-31, or leave it empty.", "term_ends_on")
    if ends is not None and ends < starts:
        raise ServiceError("The term cannot end before it starts.", "term_ends_on")
    return starts, ends


def _role_for(data: dict[str, Any]) -> AdvisoryRole:
    role_id = parse_id(data.get("role_id"))
    role = db.session.scalars(scoped(select(AdvisoryRole).where(AdvisoryRole.id == role_id))).one_or_none()
    if role is None:
        raise ServiceError("Choose one of the board's roles.", "role_id")
    return role


def _clear_chair(except_seat_id: int | None) -> None:
    stmt = select(BoardSeat).where(BoardSeat.is_chair.is_(True), BoardSeat.left_on.is_(None))
    for seat in db.session.scalars(scoped(stmt)):
        if seat.id != except_seat_id:
            seat.is_chair = False
    db.session.flush()


def seat_member(ctx: WorkspaceContext, data: dict[str, Any]) -> BoardSeat:
    """Give someone a seat in a role with a first term; they are admitted to the restricted area.

    Survivor advisors, or anyone else a coordinator names — never observers, never twice at once."""
    membership_id = parse_id(data.get("membership_id"))
    member = db.session.scalars(scoped(select(Membership).where(Membership.id == membership_id))).one_or_none()
    if member is None:
        raise ServiceError("Choose someone from this partnership.", "membership_id")
    if member.role == Role.OBSERVER:
        raise ServiceError("Observers are guests and cannot sit on the board; choose someone else.", "membership_id")
    already = select(BoardSeat.id).where(BoardSeat.membership_id == member.id, BoardSeat.left_on.is_(None))
    if db.session.scalars(scoped(already)).first() is not None:
        raise ServiceError("They already sit on the board.", "membership_id")
    role = _role_for(data)
    today = ctx.today()
    starts, ends = _term_dates(data, today)
    if ends is None and role.term_months:
        ends = _add_months(starts, role.term_months) - timedelta(days=1)
    is_chair = bool(data.get("is_chair"))
    if is_chair:
        _clear_chair(None)
    seat = BoardSeat(membership_id=member.id, role_id=role.id, is_chair=is_chair, joined_on=min(starts, today))
    db.session.add(seat)
    db.session.flush()
    db.session.add(BoardTerm(seat_id=seat.id, starts_on=starts, ends_on=ends, recorded_by_membership_id=_me(ctx)))
    _seat_grant(ctx, member.id)
    db.session.flush()
    audit.record(ctx, "board_seat.created", "board_seat", seat.id, role_id=role.id, chair=is_chair)
    return seat


def update_seat(ctx: WorkspaceContext, seat: BoardSeat, data: dict[str, Any]) -> BoardSeat:
    """Change a seat's role or make its holder the chair."""
    _open(seat)
    role = _role_for(data)
    is_chair = bool(data.get("is_chair"))
    if is_chair and not seat.is_chair:
        _clear_chair(seat.id)
    seat.role_id, seat.is_chair = role.id, is_chair
    db.session.flush()
    audit.record(ctx, "board_seat.updated", "board_seat", seat.id, role_id=role.id, chair=is_chair)
    return seat


def renew_term(ctx: WorkspaceContext, seat: BoardSeat, data: dict[str, Any]) -> BoardTerm:
    """Record a renewal: a new term, starting after the one before began."""
    _open(seat)
    starts, ends = _term_dates(data, ctx.today())
    previous = seat_terms(ctx, seat)
    if previous and starts <= previous[0].starts_on:
        raise ServiceError("A renewal starts after the current term began.", "term_starts_on")
    role = get_scoped(db.session, AdvisoryRole, seat.role_id)
    if ends is None and role.term_months:  # as for a new seat: the role's usual term
        ends = _add_months(starts, role.term_months) - timedelta(days=1)
    note = form_text(data, "note", TEXT_MAX)
    term = BoardTerm(
        seat_id=seat.id, starts_on=starts, ends_on=ends, is_renewal=True, note=note, recorded_by_membership_id=_me(ctx)
    )
    db.session.add(term)
    db.session.flush()
    audit.record(ctx, "board_seat.renewed", "board_seat", seat.id)
    return term


def end_seat(ctx: WorkspaceContext, seat: BoardSeat, data: dict[str, Any]) -> BoardSeat:
    """End a seat (someone leaves the board): their admission ends with it."""
    _open(seat)
    raw = data.get("left_on")
    left_on = parse_date(raw) if raw else ctx.today()
    if left_on is None:
        raise ServiceError("Enter the last day like 2026-03-31, or leave it empty for today.", "left_on")
    if left_on < seat.joined_on:
        raise ServiceError("They cannot leave before they joined.", "left_on")
    if left_on > ctx.today():
        # Ending the seat ends their admission now: record it on their last day, not ahead of it.
        raise ServiceError("Record the end of a seat on or after their last day, not ahead of it.", "left_on")
    seat.left_on, seat.is_chair = left_on, False
    _drop_board_grant(seat.membership_id)
    db.session.flush()
    audit.record(ctx, "board_seat.ended", "board_seat", seat.id)
    return seat


def _open(seat: BoardSeat) -> None:
    if seat.left_on is not None:
        raise ServiceError("This seat has ended; give them a new seat instead.", "seat")


def _me(ctx: WorkspaceContext) -> int | None:
    return ctx.membership.id if ctx.membership else None


def _add_months(day: date, months: int) -> date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def seatable_people_clause() -> Any:
    """SQL over ``Membership``: who may be given a seat (not observers, not already seated)."""
    seated = exists().where(BoardSeat.membership_id == Membership.id, BoardSeat.left_on.is_(None))
    return and_(Membership.role != Role.OBSERVER, ~seated)


# --- the chair's grants -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessGrantRow:
    membership_id: int
    name: str
    reason: str
    ends_on: date | None
    granted_by: str | None

    def ended(self, today: date) -> bool:
        return self.ends_on is not None and self.ends_on < today


def access_grants(ctx: WorkspaceContext) -> list[AccessGrantRow]:
    """The chair's grants to people who do not sit on the board, ended ones included (the board sees
    its history), newest first (ONE statement; bounded by the partnership's members)."""
    granter = (
        select(User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.id == ConfidentialGrant.granted_by_membership_id)
        .scalar_subquery()
    )
    seated = exists().where(BoardSeat.membership_id == ConfidentialGrant.membership_id, BoardSeat.left_on.is_(None))
    stmt = (
        select(ConfidentialGrant.membership_id, User.name, ConfidentialGrant.reason, ConfidentialGrant.ends_on, granter)
        .join(Membership, Membership.id == ConfidentialGrant.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(_board_grants(), ~seated)
        .order_by(ConfidentialGrant.id.desc())
    )
    return [AccessGrantRow(*row) for row in db.session.execute(scoped(stmt))]


def grant_access(ctx: WorkspaceContext, data: dict[str, Any]) -> ConfidentialGrant:
    """The chair admits someone to the restricted area, for a reason, until an end date (both required)."""
    require_chair(ctx)
    membership_id = parse_id(data.get("membership_id"))
    member = db.session.scalars(scoped(select(Membership).where(Membership.id == membership_id))).one_or_none()
    if member is None:
        raise ServiceError("Choose someone from this partnership.", "membership_id")
    if member.role == Role.OBSERVER:
        raise ServiceError("Observers are guests and cannot be admitted; choose someone else.", "membership_id")
    seated = select(BoardSeat.id).where(BoardSeat.membership_id == member.id, BoardSeat.left_on.is_(None))
    if db.session.scalars(scoped(seated)).first() is not None:
        raise ServiceError("They sit on the board, so they are admitted already.", "membership_id")
    reason = form_text(data, "reason", REASON_MAX, "Say why they need the board's restricted area.")
    raw_end = data.get("ends_on")
    ends_on = parse_date(raw_end) if raw_end else None
    if ends_on is None:
        raise ServiceError("Give the last day of their access, like 2026-03-31.", "ends_on")
    today = ctx.today()
    if ends_on < today:
        raise ServiceError("The end date has already passed.", "ends_on")
    if ends_on > today + timedelta(days=GRANT_DAYS_MAX):
        raise ServiceError("Grant access for a year at most; the chair can renew it.", "ends_on")
    row = _board_grant_for(member.id)
    row.reason, row.ends_on, row.granted_by_membership_id = reason, ends_on, _me(ctx)
    db.session.add(row)
    db.session.flush()
    audit.record(ctx, "advisory_access.granted", "advisory_board", None, membership_id=member.id)
    return row


def revoke_access(ctx: WorkspaceContext, data: dict[str, Any]) -> None:
    """The chair ends someone's grant now (a seat's admission ends only with the seat)."""
    require_chair(ctx)
    membership_id = parse_id(data.get("membership_id"))
    seated = exists().where(BoardSeat.membership_id == ConfidentialGrant.membership_id, BoardSeat.left_on.is_(None))
    theirs = ConfidentialGrant.membership_id == membership_id
    row = db.session.scalars(scoped(select(ConfidentialGrant).where(_board_grants(), theirs, ~seated))).one_or_none()
    if row is None:
        raise ServiceError("That person holds no grant to the restricted area.", "membership_id")
    yesterday = ctx.today() - timedelta(days=1)
    if row.ends_on is not None and row.ends_on <= yesterday:
        # Ended already: moving its end date would rewrite when their access ended.
        raise ServiceError("Their access has already ended.", "membership_id")
    row.ends_on = yesterday  # kept, ended: the board sees who had access and until when
    db.session.flush()
    audit.record(ctx, "advisory_access.revoked", "advisory_board", None, membership_id=row.membership_id)


# --- the chair's review of reads ---------------------------------------------------------------------


@dataclass(frozen=True)
class AccessRead:
    at: Any
    name: str | None
    record_kind: str
    record_id: int
    how: str


def access_log(ctx: WorkspaceContext, page: int) -> Page[AccessRead]:
    """Every read of an ``advisory`` record, newest first, for the chair (ONE statement, count capped)."""
    require_chair(ctx)
    stmt = (
        select(
            AccessLogEntry.created_at,
            User.name,
            AccessLogEntry.record_kind,
            AccessLogEntry.record_id,
            AccessLogEntry.how,
        )
        .outerjoin(User, User.id == AccessLogEntry.user_id)
        .where(AccessLogEntry.level == Level.ADVISORY)
        .order_by(AccessLogEntry.created_at.desc(), AccessLogEntry.id.desc())
    )
    return paginate(scoped(stmt), page, ACCESS_LOG_PAGE_SIZE, row=lambda r: AccessRead(*r), cap=1000)


# --- facts, seeds ------------------------------------------------------------------------------------


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The guide's advisory board question: a board with a chair (two scalar subqueries, any size)."""
    open_seats = select(BoardSeat.id).where(BoardSeat.left_on.is_(None))
    return {
        "board_seats": select(func.count()).select_from(open_seats.limit(100).subquery()).scalar_subquery(),
        "board_chair": select(func.count())
        .select_from(open_seats.where(BoardSeat.is_chair.is_(True)).limit(1).subquery())
        .scalar_subquery(),
    }


def seed_board(ctx: WorkspaceContext, seats: list[tuple[int, str, bool]]) -> None:
    """Roles and seats for the demo and the tests: ``seats`` = (membership id, role name, chair)."""
    ensure_default_roles(ctx)
    by_name = {role.name: role.id for role in roles(ctx)}
    today = ctx.today()
    for membership_id, role_name, chair in seats:
        seat_member(
            ctx,
            {
                "membership_id": str(membership_id),
                "role_id": str(by_name[role_name]),
                "is_chair": chair,
                "term_starts_on": (today - timedelta(days=300)).isoformat(),
                "term_ends_on": (today + timedelta(days=45)).isoformat() if not chair else "",
            },
        )
    db.session.flush()


def _membership_id(user_id: int) -> int:
    return db.session.scalars(scoped(select(Membership.id).where(Membership.user_id == user_id))).one()


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The demo board: Amara Okafor chairs it, Jordan Reyes and Noor Haddad advise; the chair admitted
    Priya Raman to co-plan a training. The coordinators are not on it, so they see the roster only."""
    chair = _membership_id(people["amara.okafor"].id)
    seed_board(
        ctx,
        [
            (chair, "Chair", True),
            (_membership_id(people["jordan.reyes"].id), "Advisor", False),
            (_membership_id(people["noor.haddad"].id), "Advisor", False),
        ],
    )
    as_chair = WorkspaceContext(ctx.partnership, db.session.get(Membership, chair), people["amara.okafor"])
    priya = _membership_id(people["priya.raman"].id)
    grant_access(
        as_chair,
        {
            "membership_id": str(priya),
            "reason": "Co-planning the survivor-led training for first responders",
            "ends_on": (ctx.today() + timedelta(days=90)).isoformat(),
        },
    )


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """The route walk's board: the survivor advisor chairs it (so the chair's pages are walked as them),
    with the usual roles (its ``advisory_role_id``) and their seat (``board_seat_id``)."""
    chaired = select(BoardSeat.id).where(BoardSeat.is_chair.is_(True), BoardSeat.left_on.is_(None))
    if db.session.scalars(scoped(chaired)).first() is not None:
        return  # a board is there already (the demo's, when a test seeds on top of it)
    advisor = db.session.scalars(scoped(select(Membership.id).where(Membership.role == Role.SURVIVOR_ADVISOR))).first()
    if advisor is not None:
        seed_board(ctx, [(advisor, "Chair", True)])
