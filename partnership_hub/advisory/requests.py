"""Participation requests (issue #13): anyone who wants an advisor's time — a review, a talk, a panel, a
meeting — asks the board, and the board's members decide how much they take on.

A request is addressed to the board, never to a named advisor. Each person with an open seat sets how
many requests a month they take (``participation_limits``; ``DEFAULT_LIMIT`` without a row, 0 for "not
taking requests"). Filing delivers the request, in the same transaction, to every board member but the
requester who has received fewer than their limit this calendar month (the partnership's month, in its
time zone). The partnership's row lock serializes filings, so two at once cannot both take a member's
last place. When nobody has room, nothing is delivered and the request is kept ``at_capacity``.

Each delivery is answered once, accept or decline, with an optional note to the requester. Only an
acceptance shows the requester who answered (the advisor choosing to be contacted); a decline reaches
them without a name. Once as many advisors as wanted have accepted, the others' deliveries need no
answer. Coordinators see every request and each board member's load this month, in counts (names only
with ``advisory.roster``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, or_, select

from partnership_hub.advisory import board
from partnership_hub.advisory.board_models import BoardSeat
from partnership_hub.advisory.requests_models import (
    DeliveryStatus,
    ParticipationLimit,
    ParticipationRequest,
    RequestDelivery,
    RequestKind,
    RequestStatus,
)
from partnership_hub.areas import WORK_COUNT_CAP, WorkItem, WorkList, WorkQuery, WorkRow, work_columns
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import VIEWER_ID
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, select_scalars, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.money import DEFAULT_CURRENCY, format_money, parse_amount, parse_currency, stored_places
from partnership_hub.pagination import Page, paginate
from partnership_hub.parsing import date_error, form_text, parse_date, parse_id, parse_int
from partnership_hub.policies import can
from partnership_hub.workspaces.models import Membership, Partnership, Role, User

TITLE_MAX = max_length(ParticipationRequest.__table__.c.title)
ASK_MAX = 4000
NOTE_MAX = 1000
HOURS_MAX = Decimal(40)
ADVISORS_MAX = 5
DEFAULT_LIMIT = 2  # requests a month a board member takes until they say otherwise
LIMIT_MAX = 20
PAGE_SIZE = 20
INBOX_PAGE_SIZE = 10
RECENT_ANSWERS = 10
COUNT_CAP = 1000
AT_CAPACITY_MESSAGE = "The board is at capacity this month — try again next month, or talk to a coordinator."

KIND_LABELS = {
    RequestKind.REVIEW: "Review",
    RequestKind.TALK: "Talk",
    RequestKind.PANEL: "Panel",
    RequestKind.MEETING: "Meeting",
    RequestKind.OTHER: "Something else",
}
KIND_HINTS = {
    RequestKind.REVIEW: "Read and comment on a document, a training, materials.",
    RequestKind.TALK: "Speak to a group: a training, a conference, a staff meeting.",
    RequestKind.PANEL: "Take part in a panel discussion.",
    RequestKind.MEETING: "Advise in a meeting or a consultation.",
    RequestKind.OTHER: "Say what in the ask.",
}
STATUS_LABELS = {
    RequestStatus.OPEN: "Waiting for answers",
    RequestStatus.ACCEPTED: "Accepted",
    RequestStatus.DECLINED: "Declined",
    RequestStatus.AT_CAPACITY: "The board was at capacity",
}
DELIVERY_LABELS = {
    DeliveryStatus.PENDING: "Waiting for an answer",
    DeliveryStatus.ACCEPTED: "Accepted",
    DeliveryStatus.DECLINED: "Declined",
}
PAY_RATES = "rates"  # "per the board's rates": no amount stored
PAY_AMOUNT = "amount"
ANSWERS = {"accept": DeliveryStatus.ACCEPTED, "decline": DeliveryStatus.DECLINED}

_HOURS = re.compile(r"\d{1,3}(?:[.,]\d{1,2})?", re.ASCII)


# --- how things read ---------------------------------------------------------------------------------


def hours_label(hours: Decimal) -> str:
    """``1.50`` → "1.5 hours", ``1`` → "1 hour"."""
    text = f"{hours.normalize():f}"
    return f"{text} hour" if hours == 1 else f"{text} hours"


def pay_label(amount: Decimal | None, currency: str | None) -> str:
    if amount is None:
        return "Per the board's rates"
    if amount == 0:
        return "No pay offered"
    return format_money(amount, currency or DEFAULT_CURRENCY)


class _Described:
    """What request rows share: their labels."""

    kind: RequestKind
    status: RequestStatus
    hours: Decimal
    pay_amount: Decimal | None
    pay_currency: str | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[RequestKind(self.kind)]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[RequestStatus(self.status)]

    @property
    def hours_label(self) -> str:
        return hours_label(self.hours)

    @property
    def pay_label(self) -> str:
        return pay_label(self.pay_amount, self.pay_currency)


# --- filing ------------------------------------------------------------------------------------------


def _hours(raw: object) -> Decimal:
    text = "" if raw is None else str(raw).strip()
    if not text:
        raise ServiceError("Say how many hours it will take, for example 2 or 1.5.", "hours")
    if not _HOURS.fullmatch(text):
        raise ServiceError("Enter the hours as a number, for example 2 or 1.5 (two decimals at most).", "hours")
    hours = Decimal(text.replace(",", "."))
    if not 0 < hours <= HOURS_MAX:
        raise ServiceError(f"The time needed must be more than 0 and at most {HOURS_MAX} hours.", "hours")
    return hours


def _needed_on(raw: object, today: date) -> date:
    text = "" if raw is None else str(raw).strip()
    if not text:
        raise ServiceError("Give the date it is needed, like 2026-05-31.", "needed_on")
    needed = parse_date(text)
    if needed is None:
        raise ServiceError(date_error(text) or "Enter a date like 2026-05-31.", "needed_on")
    if needed < today:
        raise ServiceError("The date it is needed has passed; give today or a later date.", "needed_on")
    return needed


def _pay(data: dict[str, Any]) -> tuple[Decimal | None, str | None]:
    basis = data.get("pay_basis")
    if basis == PAY_RATES:
        return None, None
    if basis != PAY_AMOUNT:
        raise ServiceError("Choose what you offer: an amount, or the board's rates.", "pay_basis")
    currency = parse_currency(data.get("pay_currency"), "pay_currency", default=DEFAULT_CURRENCY)
    raw = data.get("pay_amount")
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise ServiceError("Enter the amount you offer, like 150 or 150.50, or choose the board's rates.", "pay_amount")
    return parse_amount(raw, "pay_amount", places=stored_places(currency)), currency


def _request_values(data: dict[str, Any], today: date) -> dict[str, Any]:
    """Every value of a request, checked (``ServiceError`` at the first field that is not right)."""
    raw_kind = data.get("kind")
    if raw_kind not in set(RequestKind):
        raise ServiceError("Choose what you are asking for.", "kind")
    title = form_text(data, "title", TITLE_MAX, "Give the request a short title, like “Panel for the awareness month”.")
    ask = form_text(data, "ask", ASK_MAX, "Describe what you are asking for: who, what, where, and why them.")
    hours = _hours(data.get("hours"))
    needed_on = _needed_on(data.get("needed_on"), today)
    amount, currency = _pay(data)
    wanted = parse_int(data.get("advisors_wanted"), low=1, high=ADVISORS_MAX)
    if wanted is None:
        raise ServiceError(f"Choose how many advisors you hope for, from 1 to {ADVISORS_MAX}.", "advisors_wanted")
    return {
        "kind": RequestKind(raw_kind),
        "title": title,
        "ask": ask,
        "hours": hours,
        "needed_on": needed_on,
        "pay_amount": amount,
        "pay_currency": currency,
        "advisors_wanted": wanted,
    }


def _lock_board(ctx: WorkspaceContext) -> None:
    """Serialize what reads and writes the board's load (filings, limits): the partnership's row lock on
    PostgreSQL (FOR NO KEY UPDATE, which rows referencing the partnership do not wait for). A second
    filing waits here and counts after the first has committed. SQLite runs one writer at a time."""
    db.session.execute(
        select(Partnership.id).where(Partnership.id == ctx.partnership.id).with_for_update(key_share=True)
    )


def month_start(ctx: WorkspaceContext, now: datetime) -> datetime:
    """The first instant (UTC) of the partnership's current calendar month, in its time zone."""
    today = ctx.today(now)
    return datetime(today.year, today.month, 1, tzinfo=ctx.zone).astimezone(UTC)


@dataclass(frozen=True)
class LoadRow:
    """A board member's load this month: what they received, how many they take, what they did."""

    membership_id: int
    name: str | None  # None where the viewer may not know advisors' names
    monthly_limit: int
    received: int
    accepted: int
    pending: int

    @property
    def has_room(self) -> bool:
        return self.received < self.monthly_limit


def _load_statement(since: datetime, *extra: Any) -> Select[Any]:
    """Everyone with an open seat, with their limit and this month's deliveries (ONE statement; a board
    is small, each count an index range of ``ix_request_deliveries_member_created``)."""

    def delivered(*where: Any) -> Any:
        return (
            select(func.count(RequestDelivery.id))
            .where(
                RequestDelivery.membership_id == BoardSeat.membership_id, RequestDelivery.created_at >= since, *where
            )
            .correlate(BoardSeat)
            .scalar_subquery()
        )

    limit = (
        select(ParticipationLimit.monthly_limit)
        .where(ParticipationLimit.membership_id == BoardSeat.membership_id)
        .correlate(BoardSeat)
        .scalar_subquery()
    )
    return (
        select(
            BoardSeat.membership_id,
            User.name,
            func.coalesce(limit, DEFAULT_LIMIT).label("monthly_limit"),
            delivered().label("received"),
            delivered(RequestDelivery.status == DeliveryStatus.ACCEPTED).label("accepted"),
            delivered(RequestDelivery.status == DeliveryStatus.PENDING).label("pending"),
            *extra,
        )
        .join(Membership, Membership.id == BoardSeat.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(BoardSeat.left_on.is_(None))
        .order_by(Membership.sort_name, BoardSeat.membership_id)
    )


def board_load(ctx: WorkspaceContext, now: datetime | None = None) -> list[LoadRow]:
    """Each board member's load this month, for coordinators; names only for people who may know who the
    advisors are (``advisory.roster``)."""
    named = ctx.can("advisory.roster")
    rows = db.session.execute(scoped(_load_statement(month_start(ctx, now or utcnow())))).tuples()
    return [
        LoadRow(m_id, name if named else None, int(limit), int(received), int(accepted), int(pending))
        for m_id, name, limit, received, accepted, pending in rows
    ]


@dataclass(frozen=True)
class Room:
    """Whether a request filed now would reach anyone: the board's size and who has room (no names)."""

    board_size: int
    with_room: int


def board_room(ctx: WorkspaceContext, now: datetime | None = None) -> Room:
    """How many board members (not counting the asker) have room this month (ONE statement)."""
    me = ctx.membership.id if ctx.membership else 0
    stmt = _load_statement(month_start(ctx, now or utcnow())).where(BoardSeat.membership_id != me)
    rows = db.session.execute(scoped(stmt)).tuples().all()
    return Room(len(rows), sum(1 for row in rows if row[3] < row[2]))


def file_request(ctx: WorkspaceContext, data: dict[str, Any], now: datetime | None = None) -> ParticipationRequest:
    """File a request to the board and deliver it to every board member (not the requester) with room
    this month; with nobody it is kept ``at_capacity`` and reaches nobody. One transaction, under the
    partnership's lock."""
    now = now or utcnow()
    me = ctx.membership.id if ctx.membership else None
    values = _request_values(data, ctx.today(now))
    _lock_board(ctx)
    stmt = _load_statement(month_start(ctx, now))
    if me is not None:
        stmt = stmt.where(BoardSeat.membership_id != me)
    recipients = [row for row in db.session.execute(scoped(stmt)).tuples() if row[3] < row[2]]
    request = ParticipationRequest(
        **values,
        requested_by_membership_id=me,
        status=RequestStatus.OPEN if recipients else RequestStatus.AT_CAPACITY,
        created_at=now,
    )
    db.session.add(request)
    db.session.flush()
    db.session.add_all(
        RequestDelivery(request_id=request.id, membership_id=row[0], created_at=now) for row in recipients
    )
    db.session.flush()
    if recipients:
        _tell_delivered(ctx, request, [row[0] for row in recipients])
    audit.record(ctx, "participation_request.filed", "participation_request", request.id, delivered=len(recipients))
    return request


# --- answering ---------------------------------------------------------------------------------------


def get_delivery(ctx: WorkspaceContext, request_delivery_id: int) -> RequestDelivery:
    """One of the acting person's own deliveries, or ``NotFound`` (anyone else's is a 404)."""
    delivery_id = parse_id(request_delivery_id)
    me = ctx.membership.id if ctx.membership else None
    found = None
    if delivery_id is not None and me is not None:
        mine = select(RequestDelivery).where(RequestDelivery.id == delivery_id, RequestDelivery.membership_id == me)
        found = db.session.scalars(scoped(mine)).one_or_none()
    if found is None:
        raise NotFound(f"RequestDelivery {request_delivery_id}")
    return found


def answer_request(
    ctx: WorkspaceContext, delivery: RequestDelivery, data: dict[str, Any], now: datetime | None = None
) -> RequestDelivery:
    """Accept or decline a request that reached you, with an optional note to the requester. Under the
    request's row lock: the answer counts once, and once as many advisors as wanted accepted (or every
    answer is in) the request is settled."""
    answer = ANSWERS.get(str(data.get("answer") or ""))
    if answer is None:
        raise ServiceError("Choose Accept or Decline.", "answer")
    note = form_text(data, "note", NOTE_MAX)
    request = db.session.scalars(
        scoped(select(ParticipationRequest).where(ParticipationRequest.id == delivery.request_id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    current = db.session.scalars(
        scoped(select(RequestDelivery).where(RequestDelivery.id == delivery.id)).execution_options(
            populate_existing=True
        )
    ).one()
    if current.status != DeliveryStatus.PENDING:
        raise ServiceError("You have answered this request already.", "answer")
    if request.status != RequestStatus.OPEN:
        raise ServiceError("This request needs no more answers: enough advisors have accepted it.", "answer")
    current.status, current.answered_at, current.note = answer, now or utcnow(), note
    db.session.flush()
    accepted, pending = db.session.execute(
        scoped(
            select(
                func.count(RequestDelivery.id).filter(RequestDelivery.status == DeliveryStatus.ACCEPTED),
                func.count(RequestDelivery.id).filter(RequestDelivery.status == DeliveryStatus.PENDING),
            ).where(RequestDelivery.request_id == request.id)
        )
    ).one()
    if accepted >= request.advisors_wanted or pending == 0:
        request.status = RequestStatus.ACCEPTED if accepted else RequestStatus.DECLINED
    db.session.flush()
    _tell_answered(ctx, request, current)
    action = "participation_request.accepted" if answer == DeliveryStatus.ACCEPTED else "participation_request.declined"
    audit.record(ctx, action, "participation_request_answer", request.id, delivery_id=current.id)
    return current


# --- limits ------------------------------------------------------------------------------------------


def set_limit(ctx: WorkspaceContext, data: dict[str, Any]) -> ParticipationLimit:
    """A board member says how many requests a month they take (0: not taking requests)."""
    if board.admission(ctx).seat_id is None or ctx.membership is None:
        raise ServiceError("Only the people who sit on the board set how many requests they take.", "monthly_limit")
    value = parse_int(data.get("monthly_limit"), low=0, high=LIMIT_MAX)
    if value is None:
        raise ServiceError(f"Enter a whole number from 0 to {LIMIT_MAX} (0: not taking requests).", "monthly_limit")
    _lock_board(ctx)
    row = db.session.scalars(
        scoped(select(ParticipationLimit).where(ParticipationLimit.membership_id == ctx.membership.id))
    ).one_or_none()
    if row is None:
        row = ParticipationLimit(membership_id=ctx.membership.id, monthly_limit=value)
        db.session.add(row)
    row.monthly_limit = value
    db.session.flush()
    audit.record(ctx, "participation_limit.set", "participation_limit", row.id)
    return row


@dataclass(frozen=True)
class MyMonth:
    monthly_limit: int
    received: int
    custom: bool  # the person set it (else the default)

    @property
    def has_room(self) -> bool:
        return self.received < self.monthly_limit


def my_month(ctx: WorkspaceContext, now: datetime | None = None) -> MyMonth:
    """The acting person's limit and what they received this month (ONE statement)."""
    me = ctx.membership.id if ctx.membership else 0
    since = month_start(ctx, now or utcnow())
    values = select_scalars(
        db.session,
        {
            "limit": select(ParticipationLimit.monthly_limit)
            .where(ParticipationLimit.membership_id == me)
            .scalar_subquery(),
            "received": select(func.count(RequestDelivery.id))
            .where(RequestDelivery.membership_id == me, RequestDelivery.created_at >= since)
            .scalar_subquery(),
        },
    )
    limit = values["limit"]
    return MyMonth(DEFAULT_LIMIT if limit is None else int(limit), int(values["received"] or 0), limit is not None)


# --- lists -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRow(_Described):
    id: int
    title: str
    kind: RequestKind
    hours: Decimal
    needed_on: date
    pay_amount: Decimal | None
    pay_currency: str | None
    advisors_wanted: int
    status: RequestStatus
    created_at: datetime
    accepted: int
    pending: int
    requester: str | None  # the coordinators' list only


def _answers(status: DeliveryStatus) -> Any:
    return (
        select(func.count(RequestDelivery.id))
        .where(RequestDelivery.request_id == ParticipationRequest.id, RequestDelivery.status == status)
        .correlate(ParticipationRequest)
        .scalar_subquery()
    )


def _request_columns() -> list[Any]:
    return [
        ParticipationRequest.id,
        ParticipationRequest.title,
        ParticipationRequest.kind,
        ParticipationRequest.hours,
        ParticipationRequest.needed_on,
        ParticipationRequest.pay_amount,
        ParticipationRequest.pay_currency,
        ParticipationRequest.advisors_wanted,
        ParticipationRequest.status,
        ParticipationRequest.created_at,
        _answers(DeliveryStatus.ACCEPTED),
        _answers(DeliveryStatus.PENDING),
    ]


def my_requests(ctx: WorkspaceContext, page: int) -> Page[RequestRow]:
    """The acting person's requests, newest first, with how many accepted and are still to answer (ONE
    statement: a page of ``ix_participation_requests_requester``, its count capped)."""
    me = ctx.membership.id if ctx.membership else 0
    stmt = (
        select(*_request_columns(), literal(None).label("requester"))
        .where(ParticipationRequest.requested_by_membership_id == me)
        .order_by(ParticipationRequest.id.desc())
    )
    count = select(ParticipationRequest.id).where(ParticipationRequest.requested_by_membership_id == me)
    return paginate(scoped(stmt), page, PAGE_SIZE, row=lambda r: RequestRow(*r), cap=COUNT_CAP, count_from=count)


def all_requests(ctx: WorkspaceContext, status: str, page: int) -> Page[RequestRow]:
    """Every request, newest first (optionally of one status), with who asked, for coordinators (ONE
    statement, count capped)."""
    filters = [ParticipationRequest.status == RequestStatus(status)] if status in set(RequestStatus) else []
    stmt = (
        select(*_request_columns(), User.name)
        .outerjoin(Membership, Membership.id == ParticipationRequest.requested_by_membership_id)
        .outerjoin(User, User.id == Membership.user_id)
        .where(*filters)
        .order_by(ParticipationRequest.id.desc())
    )
    count = select(ParticipationRequest.id).where(*filters)
    return paginate(scoped(stmt), page, PAGE_SIZE, row=lambda r: RequestRow(*r), cap=COUNT_CAP, count_from=count)


@dataclass(frozen=True)
class InboxItem(_Described):
    delivery_id: int
    request_id: int
    title: str
    kind: RequestKind
    ask: str
    hours: Decimal
    needed_on: date
    pay_amount: Decimal | None
    pay_currency: str | None
    advisors_wanted: int
    status: RequestStatus
    requester: str | None
    delivered_at: datetime


def _inbox_columns() -> list[Any]:
    return [
        RequestDelivery.id,
        ParticipationRequest.id,
        ParticipationRequest.title,
        ParticipationRequest.kind,
        ParticipationRequest.ask,
        ParticipationRequest.hours,
        ParticipationRequest.needed_on,
        ParticipationRequest.pay_amount,
        ParticipationRequest.pay_currency,
        ParticipationRequest.advisors_wanted,
        ParticipationRequest.status,
        User.name,
        RequestDelivery.created_at,
    ]


def _waiting(membership_id: Any) -> Any:
    """SQL: the deliveries waiting for ``membership_id``'s answer (pending, on a request still open)."""
    return and_(
        RequestDelivery.membership_id == membership_id,
        RequestDelivery.status == DeliveryStatus.PENDING,
        ParticipationRequest.status == RequestStatus.OPEN,
    )


def _with_request(stmt: Select[Any]) -> Select[Any]:
    return (
        stmt.join(ParticipationRequest, ParticipationRequest.id == RequestDelivery.request_id)
        .outerjoin(Membership, Membership.id == ParticipationRequest.requested_by_membership_id)
        .outerjoin(User, User.id == Membership.user_id)
    )


def inbox(ctx: WorkspaceContext, page: int) -> Page[InboxItem]:
    """The requests waiting for the acting person's answer, the soonest needed first (ONE statement)."""
    me = ctx.membership.id if ctx.membership else 0
    stmt = _with_request(select(*_inbox_columns()).select_from(RequestDelivery)).where(_waiting(me))
    stmt = stmt.order_by(ParticipationRequest.needed_on, RequestDelivery.id)
    count = (
        select(RequestDelivery.id)
        .join(ParticipationRequest, ParticipationRequest.id == RequestDelivery.request_id)
        .where(_waiting(me))
    )
    return paginate(scoped(stmt), page, INBOX_PAGE_SIZE, row=lambda r: InboxItem(*r), cap=COUNT_CAP, count_from=count)


@dataclass(frozen=True)
class AnsweredRow:
    request_id: int
    title: str
    status: DeliveryStatus
    answered_at: datetime | None
    request_status: RequestStatus

    @property
    def label(self) -> str:
        return DELIVERY_LABELS[DeliveryStatus(self.status)]


def recent_answers(ctx: WorkspaceContext, limit: int = RECENT_ANSWERS) -> list[AnsweredRow]:
    """The acting person's latest answers and the requests that no longer need theirs (ONE statement)."""
    me = ctx.membership.id if ctx.membership else 0
    done_or_settled = or_(
        RequestDelivery.status != DeliveryStatus.PENDING, ParticipationRequest.status != RequestStatus.OPEN
    )
    stmt = (
        select(
            ParticipationRequest.id,
            ParticipationRequest.title,
            RequestDelivery.status,
            RequestDelivery.answered_at,
            ParticipationRequest.status,
        )
        .select_from(RequestDelivery)
        .join(ParticipationRequest, ParticipationRequest.id == RequestDelivery.request_id)
        .where(RequestDelivery.membership_id == me, done_or_settled)
        .order_by(RequestDelivery.id.desc())
        .limit(limit)
    )
    return [AnsweredRow(*row) for row in db.session.execute(scoped(stmt)).tuples()]


# --- one request -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerShown:
    """An answer as the viewer may see it: the name only where they may know it."""

    delivery_id: int
    membership_id: int
    name: str | None
    status: DeliveryStatus
    answered_at: datetime | None
    note: str  # only for the requester and the person who wrote it

    @property
    def label(self) -> str:
        return DELIVERY_LABELS[DeliveryStatus(self.status)]


@dataclass(frozen=True)
class RequestPage:
    request: ParticipationRequest
    requester: str | None
    viewer: str  # "requester" | "coordinator" | "recipient"
    answers: list[AnswerShown]  # what the viewer may see of each answer
    mine: AnswerShown | None  # the viewer's own delivery
    accepted: int
    pending: int

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.request.kind]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.request.status]

    @property
    def hours_label(self) -> str:
        return hours_label(self.request.hours)

    @property
    def pay_label(self) -> str:
        return pay_label(self.request.pay_amount, self.request.pay_currency)

    @property
    def may_answer(self) -> bool:
        return (
            self.mine is not None
            and self.mine.status == DeliveryStatus.PENDING
            and self.request.status == RequestStatus.OPEN
        )


def request_page(ctx: WorkspaceContext, participation_request_id: int) -> RequestPage:
    """A request as the viewer may see it: the requester (names of those who accepted, every note),
    coordinators (each answer, names with ``advisory.roster``, no notes) and the board members it reached
    (their own answer and the counts). Anyone else: ``NotFound``. Two statements."""
    request_id = parse_id(participation_request_id)
    found = db.session.execute(
        scoped(
            select(ParticipationRequest, User.name)
            .outerjoin(Membership, Membership.id == ParticipationRequest.requested_by_membership_id)
            .outerjoin(User, User.id == Membership.user_id)
            .where(ParticipationRequest.id == request_id)
        )
    ).one_or_none()
    me = ctx.membership.id if ctx.membership else None
    if request_id is None or found is None or me is None:
        raise NotFound(f"ParticipationRequest {participation_request_id}")
    request, requester = found
    rows = db.session.execute(
        scoped(
            select(
                RequestDelivery.id,
                RequestDelivery.membership_id,
                User.name,
                RequestDelivery.status,
                RequestDelivery.answered_at,
                RequestDelivery.note,
            )
            .join(Membership, Membership.id == RequestDelivery.membership_id)
            .join(User, User.id == Membership.user_id)
            .where(RequestDelivery.request_id == request.id)
            .order_by(Membership.sort_name, RequestDelivery.id)
        )
    ).tuples()
    deliveries = [AnswerShown(*row) for row in rows]
    own = next((row for row in deliveries if row.membership_id == me), None)
    if request.requested_by_membership_id == me:
        viewer = "requester"
        answers = [
            AnswerShown(
                row.delivery_id,
                row.membership_id,
                row.name if row.status == DeliveryStatus.ACCEPTED else None,
                row.status,
                row.answered_at,
                row.note,
            )
            for row in deliveries
            if row.status != DeliveryStatus.PENDING
        ]
    elif ctx.can("requests.oversee"):
        viewer = "coordinator"
        named = ctx.can("advisory.roster")
        answers = [
            AnswerShown(r.delivery_id, r.membership_id, r.name if named else None, r.status, r.answered_at, "")
            for r in deliveries
        ]
    elif own is not None:
        viewer, answers = "recipient", [own]
    else:
        raise NotFound(f"ParticipationRequest {participation_request_id}")
    accepted = sum(1 for row in deliveries if row.status == DeliveryStatus.ACCEPTED)
    pending = sum(1 for row in deliveries if row.status == DeliveryStatus.PENDING)
    return RequestPage(request, requester, viewer, answers, own, accepted, pending)


# --- telling people (``notices.notify``: by email through the mail rule, and in the notification centre) ---


def _tell_delivered(ctx: WorkspaceContext, request: ParticipationRequest, membership_ids: list[int]) -> None:
    """Tell the board members a request reached (``advisory_request``): what kind, how long, by when — never
    the ask's text or its title, in the email or the centre entry. Once per request and person."""
    from partnership_hub.notifications import notices

    kind = "advisory_request"
    notices.notify(
        ctx,
        kind,
        notices.recipients(ctx, kind, membership_ids),
        key=f"request-{request.id}",
        subject="A request for your time, through the advisory board",
        title="A request for your time reached you through the advisory board",
        endpoint="advisory.requests_inbox",
        template="advisory_request_delivered",
        per_recipient=lambda person: {"name": person.name},
        sender_id=ctx.user.id if ctx.user else None,
        kind_label=KIND_LABELS[request.kind].lower(),
        hours=hours_label(request.hours),
        needed_on=request.needed_on,
    )


def _tell_answered(ctx: WorkspaceContext, request: ParticipationRequest, delivery: RequestDelivery) -> None:
    """Tell the requester of an answer (``advisory_request_answered``): in the email who, if they accepted,
    no name if they declined; the centre entry names nobody and no title. Once per answer."""
    from partnership_hub.notifications import notices

    if request.requested_by_membership_id is None:
        return
    kind = "advisory_request_answered"
    accepted = delivery.status == DeliveryStatus.ACCEPTED
    said = "An advisor accepted your request to the board" if accepted else "An answer to your request to the board"
    notices.notify(
        ctx,
        kind,
        notices.recipients(ctx, kind, [request.requested_by_membership_id]),
        key=f"request-{request.id}:delivery-{delivery.id}",
        subject=said,
        title=said,
        endpoint="advisory.requests_detail",
        args={"participation_request_id": request.id},
        template="advisory_request_answered",
        per_recipient=lambda person: {"name": person.name},
        sender_id=ctx.user.id if ctx.user else None,
        accepted=accepted,
        advisor=ctx.user.name if (accepted and ctx.user) else None,
        request_title=request.title,
        note=delivery.note,
    )


# --- the home's "Your work", the board's home, the activity feed -----------------------------------------


@lru_cache(maxsize=8)
def _your_work_requests(limit: int) -> Select[Any]:
    """``your_work_requests``' SELECT; the person is the ``VIEWER_ID`` parameter."""
    waiting = _waiting(VIEWER_ID)
    counted = (
        select(RequestDelivery.id)
        .join(ParticipationRequest, ParticipationRequest.id == RequestDelivery.request_id)
        .where(waiting)
        .limit(WORK_COUNT_CAP + 1)
        .subquery()
    )
    found = select(func.count()).select_from(counted).scalar_subquery()
    label = case(*((ParticipationRequest.kind == kind, text) for kind, text in KIND_LABELS.items()), else_="")
    columns = work_columns(
        record_id=ParticipationRequest.id,
        title=ParticipationRequest.title,
        due=ParticipationRequest.needed_on,
        label=label,
        found=found,
    )
    return (
        select(*columns)
        .select_from(RequestDelivery)
        .join(ParticipationRequest, ParticipationRequest.id == RequestDelivery.request_id)
        .where(waiting)
        .order_by(ParticipationRequest.needed_on, RequestDelivery.id)
        .limit(limit)
    )


def your_work_requests(ctx: WorkspaceContext, limit: int) -> WorkQuery | None:
    """ "Requests waiting for your answer": the acting person's pending deliveries on open requests, the
    soonest needed first, with their capped count (a LIMIT read of ``ix_request_deliveries_member_status``).
    The SELECT is kept (``WorkQuery``)."""
    membership = ctx.membership
    if membership is None or membership.role == Role.OBSERVER:
        return None
    stmt = _your_work_requests(limit)
    today = ctx.today()

    def build(rows: Sequence[WorkRow]) -> WorkList:
        items = tuple(
            WorkItem(
                row.title,
                "advisory.requests_detail",
                {"participation_request_id": row.id},
                kind="Request to the board",
                due=row.due,
                overdue=row.due is not None and row.due < today,
                note=row.label,
                action="Answer",
                action_endpoint="advisory.requests_detail",
                action_args={"participation_request_id": row.id, "_anchor": "answer"},
            )
            for row in sorted(rows, key=lambda row: (row.due or date.max, row.id))
        )
        found = rows[0].found if rows else 0
        return WorkList.counted(items, found, more_endpoint="advisory.requests_inbox")

    return WorkQuery(stmt, build)


def board_panel(ctx: WorkspaceContext) -> dict | None:
    """The board home's card about requests (no statement: the home has the admission already)."""
    if not ctx.can("requests.file"):
        return None
    return {"on_board": board.admission(ctx).seat_id is not None, "oversee": ctx.can("requests.oversee")}


def feed_visible_requests(membership: Membership, today: Any = None) -> Select[Any]:
    """The requests whose activity ``membership`` may see in the feed: their own, those that reached
    them, and every one for coordinators."""
    if can(membership, "requests.oversee"):
        return select(ParticipationRequest.id)
    reached = exists().where(
        RequestDelivery.request_id == ParticipationRequest.id, RequestDelivery.membership_id == membership.id
    )
    return select(ParticipationRequest.id).where(
        or_(ParticipationRequest.requested_by_membership_id == membership.id, reached)
    )


def feed_visible_answers(membership: Membership, today: Any = None) -> Select[Any]:
    """The requests whose answers ``membership`` may see in the feed (who declined is never the
    requester's to know): those that reached them, and every one for coordinators."""
    if can(membership, "requests.oversee"):
        return select(ParticipationRequest.id)
    reached = exists().where(
        RequestDelivery.request_id == ParticipationRequest.id, RequestDelivery.membership_id == membership.id
    )
    return select(ParticipationRequest.id).where(reached)


def feed_visible_limits(membership: Membership, today: Any = None) -> Select[Any]:
    """Whose limit changes ``membership`` sees in the feed: their own, and everyone's for coordinators."""
    if can(membership, "requests.oversee"):
        return select(ParticipationLimit.id)
    return select(ParticipationLimit.id).where(ParticipationLimit.membership_id == membership.id)


# --- demo and test data ----------------------------------------------------------------------------------


def _as(ctx: WorkspaceContext, membership_id: int) -> WorkspaceContext:
    membership = db.session.get(Membership, membership_id)
    assert membership is not None
    return WorkspaceContext(ctx.partnership, membership, db.session.get(User, membership.user_id))


def _membership_of(user_id: int) -> int:
    return db.session.scalars(scoped(select(Membership.id).where(Membership.user_id == user_id))).one()


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The demo: Amara chairs the board and takes no requests this month; an earlier review request was
    accepted by Jordan; Dana's panel request for the awareness month waits for Jordan's and Noor's answers."""
    amara = _membership_of(people["amara.okafor"].id)
    jordan = _membership_of(people["jordan.reyes"].id)
    set_limit(_as(ctx, amara), {"monthly_limit": "0"})
    set_limit(_as(ctx, jordan), {"monthly_limit": "3"})
    earlier = utcnow() - timedelta(days=40)
    luis = _as(ctx, _membership_of(people["luis.ortega"].id))
    review = file_request(
        luis,
        {
            "kind": "review",
            "title": "Review of the shelter intake form",
            "ask": "We are rewriting the shelter's intake form. Would an advisor read the draft and tell us "
            "which questions feel intrusive or re-traumatizing, and what we should ask instead?",
            "hours": "2",
            "needed_on": (ctx.today(earlier) + timedelta(days=14)).isoformat(),
            "pay_basis": PAY_RATES,
            "advisors_wanted": "1",
        },
        now=earlier,
    )
    jordan_delivery = db.session.scalars(
        scoped(
            select(RequestDelivery).where(
                RequestDelivery.request_id == review.id, RequestDelivery.membership_id == jordan
            )
        )
    ).one()
    answer_request(
        _as(ctx, jordan),
        jordan_delivery,
        {"answer": "accept", "note": "Happy to. Send the draft through the coordinators and I'll reply within a week."},
        now=earlier + timedelta(days=2),
    )
    file_request(
        ctx,
        {
            "kind": "panel",
            "title": "Panel talk for the awareness month",
            "ask": "For January's awareness month we are holding a public panel at the central library on how "
            "communities can spot and respond to trafficking. We would love one or two advisors to speak "
            "from lived experience, for as much or as little as you choose to share.",
            "hours": "3",
            "needed_on": (ctx.today() + timedelta(days=30)).isoformat(),
            "pay_basis": PAY_AMOUNT,
            "pay_amount": "250",
            "pay_currency": DEFAULT_CURRENCY,
            "advisors_wanted": "2",
        },
    )


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """The route walk's request: filed by the coordinator, delivered to the board's chair (the test
    world's survivor advisor), so ``participation_request_id`` and ``request_delivery_id`` are walked."""
    file_request(
        ctx,
        {
            "kind": "talk",
            "title": "Talk at the staff training",
            "ask": "Twenty minutes on what helped you most, for new outreach staff.",
            "hours": "1.5",
            "needed_on": (ctx.today() + timedelta(days=10)).isoformat(),
            "pay_basis": PAY_AMOUNT,
            "pay_amount": "100",
            "pay_currency": DEFAULT_CURRENCY,
            "advisors_wanted": "1",
        },
    )
