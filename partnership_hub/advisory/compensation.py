"""The advisory area's compensation section (issue #13): what people are paid for their work with the
partnership, and a log of what is owed and what was paid.

**Who can be paid**: someone with an open seat on the survivor advisory board or the survivor advisor
role — never observers (``payable_clause``). **Rates** are set by coordinators for a role on the board
or for one person (hourly, per meeting, a stipend per month, quarter or year, a gift card, or something
in kind, described); a person's own rate takes the place of their role's, and a change is a new rate
from a later day, so the history stays. **Payments** are recorded by coordinators (for what, the day of
the work, amount and currency, method), owed until marked paid. Coordinators see the board's totals per
person and per month, quarter or year, and export the log for bookkeeping; everyone who can be paid sees
their own record (``viewer``), nobody else's. The payments log and its export are the one place besides
the advisor's own safety record where a legal name appears (``safety.legal_names``), and only to
coordinators, who pay.

Every page costs a fixed number of statements: the numbers (totals per period and per person) in ONE
``UNION ALL``, the people with their rate in effect in one, the log one page at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    cast,
    exists,
    extract,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from partnership_hub import money
from partnership_hub.advisory import board, safety
from partnership_hub.advisory.board_models import AdvisoryRole, BoardSeat
from partnership_hub.advisory.compensation_models import (
    METHOD_LABELS,
    PERIOD_LABELS,
    RATE_KIND_LABELS,
    STATUS_LABELS,
    AdvisorPayment,
    AdvisoryRate,
    PaymentMethod,
    PaymentStatus,
    RateKind,
    RatePeriod,
)
from partnership_hub.audit import services as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import get_scoped, scoped
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.pagination import COUNT_CAP, Page, paginate
from partnership_hub.parsing import DATE_MAX, DATE_MIN, date_error, form_text, parse_date, parse_id, parse_int
from partnership_hub.picking import Pick, PickSpec, pick_together
from partnership_hub.policies import can
from partnership_hub.workspaces.models import Membership, Role, User
from partnership_hub.workspaces.services import MEMBER_ORDER, capped_count, pickable_people

PAGE_SIZE = 25
RATES_PAGE_SIZE = 50
PEOPLE_LIMIT = 100  # people shown with their rate and totals (a board has a handful; the export has all)
PERSON_SUMS_MAX = PEOPLE_LIMIT * 4  # their sums: a row per person, status and currency
MY_RATES_LIMIT = 20  # the rates shown to an advisor: their own and their role's, newest first
FOR_WHAT_MAX = max_length(AdvisorPayment.__table__.c.for_what)
REFERENCE_MAX = max_length(AdvisorPayment.__table__.c.reference)
DESCRIPTION_MAX = 500
WORK_AHEAD_DAYS = 366  # a payment may be owed for work up to a year ahead (a stipend), not further
BY_CHOICES = {"month": "By month", "quarter": "By quarter", "year": "By year"}
STATUS_FILTERS = {"": "Owed or paid", "owed": "Owed", "paid": "Paid"}
ALL_YEARS = "all"
FORMER_PAYEES = "People who have left the partnership"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

Totals = dict[str, Decimal]  # currency code -> amount (amounts in different currencies are never added)


# --- who can be paid, who is looking ------------------------------------------------------------


def payable_clause() -> Any:
    """SQL over ``Membership``: who can be paid — an open seat on the board or the survivor advisor role,
    and never an observer."""
    seated = exists().where(BoardSeat.membership_id == Membership.id, BoardSeat.left_on.is_(None))
    return and_(Membership.role != Role.OBSERVER, or_(Membership.role == Role.SURVIVOR_ADVISOR, seated))


@dataclass(frozen=True)
class Viewer:
    """Who is looking at compensation: a coordinator (``manages``: the board's rates, totals and
    payments) or someone who can be paid (their own record; ``role_id`` is their seat's role)."""

    manages: bool
    membership_id: int
    role_id: int | None = None


def viewer(ctx: WorkspaceContext) -> Viewer | None:
    """The acting person as a viewer of compensation, or None when they are neither a coordinator nor
    someone who can be paid (one statement for anyone but coordinators)."""
    membership = ctx.membership
    if membership is None or membership.role == Role.OBSERVER:
        return None
    if ctx.can("compensation.manage"):
        return Viewer(True, membership.id)
    seat_role = db.session.scalars(
        scoped(select(BoardSeat.role_id).where(BoardSeat.membership_id == membership.id, BoardSeat.left_on.is_(None)))
    ).first()
    if seat_role is None and membership.role != Role.SURVIVOR_ADVISOR:
        return None
    return Viewer(False, membership.id, seat_role)


# --- rates --------------------------------------------------------------------------------------


def describe_rate(rate: AdvisoryRate | None) -> str:
    """A rate in words: "USD 50.00 an hour", "USD 300.00 stipend a month", "In kind: a meal"."""
    if rate is None:
        return "No rate set"
    kind = RateKind(rate.kind)
    if kind == RateKind.IN_KIND:
        return f"In kind: {rate.description}" if rate.description else "In kind"
    amount = money.format_money(rate.amount, rate.currency or money.DEFAULT_CURRENCY)
    if kind == RateKind.HOURLY:
        return f"{amount} an hour"
    if kind == RateKind.PER_MEETING:
        return f"{amount} a meeting"
    if kind == RateKind.STIPEND:
        period = PERIOD_LABELS[RatePeriod(rate.period)] if rate.period else ""
        return f"{amount} stipend {period}".strip()
    return f"{amount} gift card"


@dataclass
class PersonRow:
    """Someone who can be paid (or was), with the rate in effect today and the chosen period's totals."""

    membership_id: int | None
    name: str
    role_name: str | None
    rate: AdvisoryRate | None
    own_rate: bool  # the rate is their own, not their role's
    owed: Totals = field(default_factory=dict)
    paid: Totals = field(default_factory=dict)
    payable: bool = True  # can be paid now (not someone paid before who has since left the board)

    @property
    def rate_text(self) -> str:
        return describe_rate(self.rate)


def _rate_in_effect(today: date, membership_id: Any, role_id: Any) -> tuple[Any, Any]:
    """Scalar subqueries: the id of the person's (``membership_id``, a column of the enclosing query) own
    rate in effect on ``today`` and of their seat's role's (``role_id``; each the latest that has started;
    an index probe)."""
    own = (
        select(AdvisoryRate.id)
        .where(AdvisoryRate.membership_id == membership_id, AdvisoryRate.effective_from <= today)
        .order_by(AdvisoryRate.effective_from.desc())
        .limit(1)
        .scalar_subquery()
    )
    by_role = (
        select(AdvisoryRate.id)
        .where(AdvisoryRate.role_id == role_id, AdvisoryRate.effective_from <= today)
        .order_by(AdvisoryRate.effective_from.desc())
        .limit(1)
        .scalar_subquery()
    )
    return own, by_role


def _payable_first(limit: int, person: int | None = None) -> Any:
    """A subquery of the first ``limit`` people who can be paid (or just ``person``), by name — their
    membership's ``id``, ``user_id``, ``sort_name`` — : the survivor advisors walked down ``(partnership_id,
    role, sort_name, id)`` and the others with an open seat (a board's handful), each at most ``limit``,
    merged. Never a walk of every member looking for them, which at a large partnership with a small
    board reads nearly all of its members."""
    columns = (Membership.id, Membership.user_id, Membership.sort_name)
    advisors = select(*columns).where(Membership.role == Role.SURVIVOR_ADVISOR)
    seated = (
        select(*columns)
        .join(BoardSeat, and_(BoardSeat.membership_id == Membership.id, BoardSeat.left_on.is_(None)))
        .where(Membership.role.not_in((Role.OBSERVER, Role.SURVIVOR_ADVISOR)))
    )
    if person is not None:
        advisors, seated = advisors.where(Membership.id == person), seated.where(Membership.id == person)
    # Each piece wrapped in a subquery: SQLite takes no ORDER BY / LIMIT inside a UNION.
    pieces = [select(piece.order_by(*MEMBER_ORDER).limit(limit).subquery()) for piece in (advisors, seated)]
    return union_all(*pieces).subquery("payable")


def people(ctx: WorkspaceContext, today: date, person: int | None = None) -> tuple[list[PersonRow], bool]:
    """Everyone who can be paid (or just ``person``), by name, with their seat's role and the rate in
    effect on ``today`` — their own, else their role's (ONE statement, at most ``PEOPLE_LIMIT`` people,
    read as a page of them: ``_payable_first``); and whether there were more."""
    payable = _payable_first(PEOPLE_LIMIT + 1, person)
    own, by_role = _rate_in_effect(today, payable.c.id, BoardSeat.role_id)
    rate = aliased(AdvisoryRate)
    stmt = (
        select(payable.c.id, User.name, AdvisoryRole.name, rate, own.is_not(None))
        .select_from(payable)
        .join(User, User.id == payable.c.user_id)
        .outerjoin(BoardSeat, and_(BoardSeat.membership_id == payable.c.id, BoardSeat.left_on.is_(None)))
        .outerjoin(AdvisoryRole, AdvisoryRole.id == BoardSeat.role_id)
        .outerjoin(rate, rate.id == func.coalesce(own, by_role))
        .order_by(payable.c.sort_name, payable.c.id)
        .limit(PEOPLE_LIMIT + 1)
    )
    rows = [PersonRow(*row) for row in db.session.execute(scoped(stmt))]
    return rows[:PEOPLE_LIMIT], len(rows) > PEOPLE_LIMIT


@dataclass
class MyRate:
    rate: AdvisoryRate
    role_name: str | None  # the role it is set for; None: set for the person
    in_effect: bool
    upcoming: bool

    @property
    def text(self) -> str:
        return describe_rate(self.rate)


def my_rates(ctx: WorkspaceContext, me: Viewer, today: date) -> list[MyRate]:
    """The rates that apply to ``me``: my own and my seat's role's, newest first, the one in effect
    today marked (ONE statement, at most ``MY_RATES_LIMIT``)."""
    mine = AdvisoryRate.membership_id == me.membership_id
    subject = or_(mine, AdvisoryRate.role_id == me.role_id) if me.role_id is not None else mine
    stmt = (
        select(AdvisoryRate, AdvisoryRole.name)
        .outerjoin(AdvisoryRole, AdvisoryRole.id == AdvisoryRate.role_id)
        .where(subject)
        .order_by(AdvisoryRate.effective_from.desc(), AdvisoryRate.id.desc())
        .limit(MY_RATES_LIMIT)
    )
    found = [
        MyRate(rate, role_name, False, rate.effective_from > today)
        for rate, role_name in db.session.execute(scoped(stmt))
    ]
    started = [row for row in found if not row.upcoming]
    current = next((row for row in started if row.role_name is None), None) or next(iter(started), None)
    if current is not None:
        current.in_effect = True
    return found


@dataclass
class RateRow:
    rate: AdvisoryRate
    subject: str  # the role's or the person's name
    for_role: bool

    @property
    def text(self) -> str:
        return describe_rate(self.rate)


def rates_page(ctx: WorkspaceContext, page: int) -> Page[RateRow]:
    """Every rate, the roles' first, then by role or person and newest first (ONE statement, paginated)."""
    subject = func.coalesce(AdvisoryRole.name, User.name)
    stmt = (
        select(AdvisoryRate, subject, AdvisoryRate.role_id.is_not(None))
        .outerjoin(AdvisoryRole, AdvisoryRole.id == AdvisoryRate.role_id)
        .outerjoin(Membership, Membership.id == AdvisoryRate.membership_id)
        .outerjoin(User, User.id == Membership.user_id)
        .order_by(
            AdvisoryRate.role_id.is_(None),
            func.lower(subject),
            AdvisoryRate.role_id,
            AdvisoryRate.membership_id,
            AdvisoryRate.effective_from.desc(),
        )
    )
    return paginate(scoped(stmt), page, RATES_PAGE_SIZE, row=lambda r: RateRow(*r), cap=COUNT_CAP)


def get_rate(ctx: WorkspaceContext, advisory_rate_id: int) -> AdvisoryRate:
    return get_scoped(db.session, AdvisoryRate, advisory_rate_id)


def rate_subject(ctx: WorkspaceContext, rate: AdvisoryRate) -> str:
    """The name of the role or person a rate is for (one statement)."""
    if rate.role_id is not None:
        stmt = select(AdvisoryRole.name).where(AdvisoryRole.id == rate.role_id)
    else:
        stmt = select(User.name).join(Membership, Membership.user_id == User.id)
        stmt = stmt.where(Membership.id == rate.membership_id)
    return db.session.scalars(scoped(stmt)).one()


def _payable_person(membership_id: int | None, field_name: str, message: str) -> tuple[int, str]:
    """(membership id, name) of someone who can be paid, or ``ServiceError(message)`` at ``field_name``."""
    if membership_id is None:
        raise ServiceError(message, field_name)
    stmt = (
        select(Membership.id, User.name)
        .join(User, User.id == Membership.user_id)
        .where(Membership.id == membership_id, payable_clause())
    )
    row = db.session.execute(scoped(stmt)).first()
    if row is None:
        raise ServiceError(message, field_name)
    return row.id, row.name


def _date_field(data: Mapping[str, Any], name: str, message: str, default: date | None) -> date | None:
    raw = data.get(name)
    if raw in (None, ""):
        return default
    found = parse_date(raw)
    if found is None:
        raise ServiceError(date_error(raw) or message, name)
    return found


def _rate_values(ctx: WorkspaceContext, data: Mapping[str, Any], rate: AdvisoryRate | None) -> dict[str, Any]:
    """Checked values for a rate; ``ServiceError`` naming the field for the first problem."""
    values: dict[str, Any] = {}
    if rate is None:
        raw_role, raw_person = data.get("role_id") or "", data.get("membership_id") or ""
        if not raw_role and not raw_person:
            raise ServiceError("Choose the role or the person this rate is for.", "role_id")
        if raw_role and raw_person:
            raise ServiceError(
                "Choose a role or a person, not both: a person's own rate takes the place of their role's.",
                "membership_id",
            )
        if raw_role:
            role_id = parse_id(raw_role)
            found = db.session.scalars(scoped(select(AdvisoryRole.id).where(AdvisoryRole.id == role_id))).first()
            if found is None:
                raise ServiceError("Choose one of the board's roles.", "role_id")
            values["role_id"], values["membership_id"] = found, None
        else:
            message = "Choose someone on the board or a survivor advisor: only they can be paid."
            values["membership_id"] = _payable_person(parse_id(raw_person), "membership_id", message)[0]
            values["role_id"] = None
    try:
        kind = RateKind(data.get("kind") or "")
    except ValueError:
        raise ServiceError("Choose how the rate is paid.", "kind") from None
    values["kind"] = kind
    values["period"] = None
    if kind == RateKind.STIPEND:
        try:
            values["period"] = RatePeriod(data.get("period") or "")
        except ValueError:
            raise ServiceError(
                "Choose how often the stipend is paid: a month, a quarter or a year.", "period"
            ) from None
    values["description"] = form_text(data, "description", DESCRIPTION_MAX)
    if kind == RateKind.IN_KIND:
        if not values["description"]:
            raise ServiceError("Say what is given in kind, for example “a meal and travel costs”.", "description")
        values["amount"] = values["currency"] = None
    else:
        currency = money.parse_currency(data.get("currency"), "currency", default=money.DEFAULT_CURRENCY)
        places = money.stored_places(currency)
        values["amount"] = money.parse_amount(data.get("amount"), "amount", allow_zero=False, places=places)
        values["currency"] = currency
    message = "Enter the first day the rate applies, like 2026-03-01, or leave it empty for today."
    values["effective_from"] = _date_field(data, "effective_from", message, ctx.today())
    role_id = values["role_id"] if rate is None else rate.role_id
    membership_id = values["membership_id"] if rate is None else rate.membership_id
    subject = AdvisoryRate.role_id == role_id if role_id is not None else AdvisoryRate.membership_id == membership_id
    clash = select(AdvisoryRate.id).where(subject, AdvisoryRate.effective_from == values["effective_from"])
    if rate is not None:
        clash = clash.where(AdvisoryRate.id != rate.id)
    if db.session.scalars(scoped(clash.limit(1))).first() is not None:
        raise ServiceError(
            "There is already a rate from that day for this role or person; change that one or choose another day.",
            "effective_from",
        )
    return values


def create_rate(ctx: WorkspaceContext, data: Mapping[str, Any]) -> AdvisoryRate:
    """Set a rate for a role on the board or for one person, from a day (today by default)."""
    values = _rate_values(ctx, data, None)
    rate = AdvisoryRate(**values, recorded_by_membership_id=_me(ctx))
    db.session.add(rate)
    db.session.flush()
    audit.record(ctx, "advisory_rate.created", "advisory_rate", rate.id, kind=rate.kind.value)
    return rate


def update_rate(ctx: WorkspaceContext, rate: AdvisoryRate, data: Mapping[str, Any]) -> AdvisoryRate:
    """Correct a rate (its role or person stays); the audit entry names the fields that changed."""
    values = _rate_values(ctx, data, rate)
    changed = sorted(name for name, value in values.items() if getattr(rate, name) != value)
    for name in changed:
        setattr(rate, name, values[name])
    if changed:
        db.session.flush()
        audit.record(ctx, "advisory_rate.updated", "advisory_rate", rate.id, fields=changed)
    return rate


def delete_rate(ctx: WorkspaceContext, rate: AdvisoryRate) -> None:
    """Remove a rate set by mistake (payments keep their own amounts, so none changes)."""
    audit.record(ctx, "advisory_rate.deleted", "advisory_rate", rate.id)
    db.session.delete(rate)
    db.session.flush()


# --- the page's filters -------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the page shows: one person (or everyone), owed or paid (or both), a year (None: every year)
    and how the totals are split (by month, quarter or year)."""

    person: int | None = None
    status: str = ""
    year: int | None = None
    by: str = "month"
    current_year: int = 0
    own: bool = False  # someone's own record: ``person`` is always them and never in a link

    @property
    def active(self) -> bool:
        return bool((self.person and not self.own) or self.status or self.year != self.current_year)

    @property
    def year_value(self) -> str:
        return str(self.year) if self.year is not None else ALL_YEARS

    def for_person(self, membership_id: int) -> dict[str, str]:
        """The query of this page narrowed to one person."""
        return self.query_args(with_by=False) | {"person": str(membership_id)}

    def query_args(self, *, with_by: bool = True) -> dict[str, str]:
        person = "" if self.own or self.person is None else str(self.person)
        args = {"person": person, "status": self.status, "year": self.year_value}
        if with_by and self.by != "month":
            args["by"] = self.by
        return {key: value for key, value in args.items() if value}


def parse_filters(args: Mapping[str, str], today: date, me: Viewer) -> Filters:
    """The page's filters from a query string; an unusable value means the default (everyone, any
    status, this year, by month). Someone who is not a coordinator always sees their own record."""
    raw_year = (args.get("year") or "").strip()
    year: int | None = today.year
    if raw_year == ALL_YEARS:
        year = None
    elif raw_year:
        year = parse_int(raw_year, low=DATE_MIN.year, high=DATE_MAX.year) or today.year
    status = args.get("status") or ""
    by = args.get("by") or "month"
    person = parse_id(args.get("person")) if me.manages else me.membership_id
    return Filters(
        person=person,
        status=status if status in STATUS_FILTERS else "",
        year=year,
        by=by if by in BY_CHOICES else "month",
        current_year=today.year,
        own=not me.manages,
    )


def _year_range(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _narrowed(stmt: Select[Any], filters: Filters, *, status: bool = True, year: bool = True) -> Select[Any]:
    if filters.person is not None:
        stmt = stmt.where(AdvisorPayment.membership_id == filters.person)
    if status and filters.status:
        stmt = stmt.where(AdvisorPayment.status == PaymentStatus(filters.status))
    if year and filters.year is not None:
        stmt = stmt.where(AdvisorPayment.work_date.between(*_year_range(filters.year)))
    return stmt


# --- the numbers: totals per period and per person ----------------------------------------------


@dataclass
class PeriodRow:
    label: str
    owed: Totals = field(default_factory=dict)
    paid: Totals = field(default_factory=dict)
    count: int = 0


@dataclass
class PersonSums:
    name: str  # their name now (people who have left the partnership: one row, FORMER_PAYEES)
    owed: Totals = field(default_factory=dict)
    paid: Totals = field(default_factory=dict)


@dataclass
class Numbers:
    """The totals a page shows: per period of the chosen year (every year for "by year" or all years),
    the chosen year's (or all years') owed and paid, what is owed today whatever the year, the years
    that have payments (for the year picker), and, for coordinators, per person."""

    by: str
    periods: list[PeriodRow]
    owed: Totals
    paid: Totals
    owed_now: Totals
    years: list[int]
    people: dict[int | None, PersonSums] = field(default_factory=dict)
    people_capped: bool = False


def _sums(kind: str, stmt: Select[Any], keys: tuple[Any, ...], name: Any = None) -> Select[Any]:
    """Sums of ``stmt``'s payments grouped by ``keys`` (one or two), ``name``, status and currency, in the
    UNION's common shape: (part, key1, key2, name, status, currency, amount, count)."""
    padded = [*keys, *([cast(null(), Integer)] * (2 - len(keys)))]
    grouped = [*keys, *([name] if name is not None else [])]
    return stmt.with_only_columns(
        literal(kind, String).label("part"),
        *(cast(key, Integer).label(f"key{n}") for n, key in enumerate(padded, 1)),
        (name if name is not None else cast(null(), String)).label("name"),
        cast(AdvisorPayment.status, String).label("status"),
        AdvisorPayment.currency,
        func.sum(AdvisorPayment.amount).label("amount"),
        func.count(AdvisorPayment.id).label("count"),
    ).group_by(*grouped, AdvisorPayment.status, AdvisorPayment.currency)


def numbers(ctx: WorkspaceContext, me: Viewer, filters: Filters) -> Numbers:
    """The page's totals in ONE statement (a ``UNION ALL`` of grouped sums), whatever the number of
    payments: by year and month over every year (the periods, the chosen year's totals, the years with
    payments and what is owed now), and, for coordinators, per person over the chosen year (their name
    now; people who have left the partnership together)."""
    base = _narrowed(select(AdvisorPayment), filters, status=False, year=False)
    year = extract("year", AdvisorPayment.work_date)
    month = extract("month", AdvisorPayment.work_date)
    parts = [_sums("period", base, (year, month))]
    if me.manages:
        payees = (
            _narrowed(select(AdvisorPayment), filters, status=False)
            .outerjoin(Membership, Membership.id == AdvisorPayment.membership_id)
            .outerjoin(User, User.id == Membership.user_id)
        )
        per_person = _sums("person", payees, (AdvisorPayment.membership_id,), User.name)
        # A board has a handful of people; the cap keeps a very large one bounded (the export has all).
        limited = per_person.order_by(AdvisorPayment.membership_id).limit(PERSON_SUMS_MAX + 1).subquery()
        parts.append(select(*limited.c))
    stmt = union_all(*[select(part.subquery()) for part in parts]) if len(parts) > 1 else parts[0]
    rows = db.session.execute(scoped(stmt)).all()

    by = "year" if filters.year is None else filters.by
    periods: dict[Any, PeriodRow] = {}
    owed: Totals = defaultdict(Decimal)
    paid: Totals = defaultdict(Decimal)
    owed_now: Totals = defaultdict(Decimal)
    years = {filters.current_year}
    people: dict[int | None, PersonSums] = {}
    person_rows = 0
    for part, key1, key2, name, status, currency, amount, count in rows:
        amount = Decimal(amount or 0)
        is_owed = status == PaymentStatus.OWED
        if part == "person":
            person_rows += 1
            sums = people.setdefault(key1, PersonSums(name or FORMER_PAYEES))
            target = sums.owed if is_owed else sums.paid
            target[currency] = target.get(currency, Decimal(0)) + amount
            continue
        years.add(key1)
        if is_owed:
            owed_now[currency] += amount
        if filters.year is not None and key1 != filters.year:
            continue
        (owed if is_owed else paid)[currency] += amount
        key = _period_key(by, key1, key2)
        row = periods.setdefault(key, PeriodRow(_period_label(by, key)))
        target = row.owed if is_owed else row.paid
        target[currency] = target.get(currency, Decimal(0)) + amount
        row.count += count
    ordered = [periods[key] for key in sorted(periods, reverse=(by == "year"))]
    return Numbers(
        by=by,
        periods=ordered,
        owed=dict(owed),
        paid=dict(paid),
        owed_now=dict(owed_now),
        years=sorted(years, reverse=True),
        people=people,
        people_capped=person_rows > PERSON_SUMS_MAX,
    )


def _period_key(by: str, year: int, month: int) -> tuple[int, int]:
    if by == "year":
        return (year, 0)
    if by == "quarter":
        return (year, (month - 1) // 3 + 1)
    return (year, month)


def _period_label(by: str, key: tuple[int, int]) -> str:
    year, part = key
    if by == "year":
        return str(year)
    if by == "quarter":
        first, last = MONTHS[(part - 1) * 3][:3], MONTHS[(part - 1) * 3 + 2][:3]
        return f"Q{part} ({first}–{last})"
    return MONTHS[part - 1]


def people_with_totals(rows: list[PersonRow], numbers: Numbers) -> list[PersonRow]:
    """The people who can be paid merged with everyone paid in the chosen period (people who have since
    left the board included; people who have left the partnership as one row), by name. No statement:
    both lists are loaded already."""
    found = {row.membership_id: row for row in rows}
    for membership_id, sums in numbers.people.items():
        row = found.setdefault(membership_id, PersonRow(membership_id, sums.name, None, None, False, payable=False))
        row.owed, row.paid = dict(sums.owed), dict(sums.paid)
    return sorted(found.values(), key=lambda row: (row.membership_id is None, row.name.lower(), row.membership_id or 0))


# --- the payments log ---------------------------------------------------------------------------


@dataclass
class PaymentRow:
    payment: AdvisorPayment
    name: str  # their name now, or as it was recorded once they have left the partnership
    former: bool  # no longer in the partnership
    legal_name: str | None = None  # only for coordinators, where the person recorded one

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[PaymentStatus(self.payment.status)]

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[PaymentMethod(self.payment.method)]


def _log_stmt(filters: Filters) -> Select[Any]:
    stmt = (
        select(AdvisorPayment, func.coalesce(User.name, AdvisorPayment.payee_name), User.id.is_(None))
        .outerjoin(Membership, Membership.id == AdvisorPayment.membership_id)
        .outerjoin(User, User.id == Membership.user_id)
    )
    return _narrowed(stmt, filters)


def payments_page(ctx: WorkspaceContext, me: Viewer, filters: Filters, page: int) -> Page[PaymentRow]:
    """One page of payments, the latest work first (ONE statement, counted up to ``COUNT_CAP``), with
    the legal names the payees recorded for coordinators (``safety.legal_names``, one more)."""
    stmt = _log_stmt(filters).order_by(AdvisorPayment.work_date.desc(), AdvisorPayment.id.desc())
    count_from = _narrowed(select(AdvisorPayment.id), filters)
    found = paginate(scoped(stmt), page, PAGE_SIZE, row=lambda r: PaymentRow(*r), cap=COUNT_CAP, count_from=count_from)
    if me.manages:
        legal = _legal_names(ctx, {row.payment.membership_id for row in found.items if row.payment.membership_id})
        for row in found.items:
            row.legal_name = legal.get(row.payment.membership_id) if row.payment.membership_id else None
    return found


def _legal_names(ctx: WorkspaceContext, membership_ids: set[int]) -> dict[int, str]:
    """The legal names these people recorded for the people who pay them (the safety section's; called
    only where a coordinator asked for the payments, which is the one place besides their own page)."""
    return safety.legal_names(ctx, sorted(membership_ids))


def get_payment(ctx: WorkspaceContext, advisor_payment_id: int) -> AdvisorPayment:
    return get_scoped(db.session, AdvisorPayment, advisor_payment_id)


def payment_entry(ctx: WorkspaceContext, payment: AdvisorPayment) -> PaymentRow:
    """A payment with its payee's name now (one statement)."""
    name = None
    if payment.membership_id is not None:
        stmt = select(User.name).join(Membership, Membership.user_id == User.id)
        name = db.session.scalars(scoped(stmt.where(Membership.id == payment.membership_id))).first()
    return PaymentRow(payment, name or payment.payee_name, name is None)


# --- recording payments -------------------------------------------------------------------------


def _payment_values(ctx: WorkspaceContext, data: Mapping[str, Any], payment: AdvisorPayment | None) -> dict[str, Any]:
    """Checked values for a payment; ``ServiceError`` naming the field for the first problem."""
    values: dict[str, Any] = {}
    membership_id = parse_id(data.get("membership_id"))
    keeps_person = payment is not None and (
        membership_id == payment.membership_id or (payment.membership_id is None and not data.get("membership_id"))
    )
    if not keeps_person:  # someone who has since left the board keeps the payments recorded for them
        message = "Choose someone on the board or a survivor advisor: only they can be paid."
        values["membership_id"], values["payee_name"] = _payable_person(membership_id, "membership_id", message)
    values["for_what"] = form_text(
        data, "for_what", FOR_WHAT_MAX, "Say what the payment is for, for example “Panel at the spring training”."
    )
    today = ctx.today()
    work_date = _date_field(data, "work_date", "Enter the day of the work, like 2026-03-14.", None)
    if work_date is None:
        raise ServiceError("Enter the day of the work, like 2026-03-14.", "work_date")
    if work_date > today + timedelta(days=WORK_AHEAD_DAYS):
        raise ServiceError("The day of the work can be at most a year ahead.", "work_date")
    values["work_date"] = work_date
    try:
        method = PaymentMethod(data.get("method") or "")
    except ValueError:
        raise ServiceError("Choose how it is paid.", "method") from None
    values["method"] = method
    currency = money.parse_currency(data.get("currency"), "currency", default=money.DEFAULT_CURRENCY)
    values["amount"] = money.parse_amount(
        data.get("amount"),
        "amount",
        allow_zero=method == PaymentMethod.IN_KIND,  # something given in kind may have no price
        places=money.stored_places(currency),
    )
    values["currency"] = currency
    try:
        status = PaymentStatus(data.get("status") or PaymentStatus.OWED)
    except ValueError:
        raise ServiceError("Choose whether it is owed or paid.", "status") from None
    values["status"] = status
    values["paid_on"] = _paid_on(data, today) if status == PaymentStatus.PAID else None
    values["reference"] = form_text(data, "reference", REFERENCE_MAX)
    return values


def _paid_on(data: Mapping[str, Any], today: date) -> date:
    paid_on = _date_field(
        data, "paid_on", "Enter the day it was paid, like 2026-03-20, or leave it empty for today.", today
    )
    assert paid_on is not None  # the default is today
    if paid_on > today:
        raise ServiceError("It cannot be paid in the future: leave it owed until it is paid.", "paid_on")
    return paid_on


def record_payment(ctx: WorkspaceContext, data: Mapping[str, Any]) -> AdvisorPayment:
    """Record a payment owed (or already paid) to someone who can be paid."""
    values = _payment_values(ctx, data, None)
    payment = AdvisorPayment(**values, recorded_by_membership_id=_me(ctx))
    db.session.add(payment)
    db.session.flush()
    audit.record(ctx, "advisor_payment.recorded", "advisor_payment", payment.id, status=payment.status.value)
    return payment


def update_payment(ctx: WorkspaceContext, payment: AdvisorPayment, data: Mapping[str, Any]) -> AdvisorPayment:
    """Correct a payment; the audit entry names the fields that changed, never their values."""
    values = _payment_values(ctx, data, payment)
    changed = sorted(name for name, value in values.items() if getattr(payment, name) != value)
    for name in changed:
        setattr(payment, name, values[name])
    if changed:
        db.session.flush()
        audit.record(ctx, "advisor_payment.updated", "advisor_payment", payment.id, fields=changed)
    return payment


def mark_paid(ctx: WorkspaceContext, payment: AdvisorPayment, data: Mapping[str, Any]) -> bool:
    """Mark an owed payment paid, today or on the day given; False when it was paid already (a second
    click changes nothing)."""
    if payment.status == PaymentStatus.PAID:
        return False
    payment.paid_on = _paid_on(data, ctx.today())
    payment.status = PaymentStatus.PAID
    db.session.flush()
    audit.record(ctx, "advisor_payment.paid", "advisor_payment", payment.id)
    return True


def delete_payment(ctx: WorkspaceContext, payment: AdvisorPayment) -> None:
    """Remove a payment recorded by mistake — only while it is owed: a paid one stays on the books."""
    if payment.status == PaymentStatus.PAID:
        raise ServiceError("A paid payment stays on the books; correct it instead if something is wrong.")
    audit.record(ctx, "advisor_payment.deleted", "advisor_payment", payment.id)
    db.session.delete(payment)
    db.session.flush()


def _me(ctx: WorkspaceContext) -> int | None:
    return ctx.membership.id if ctx.membership else None


# --- pickers ------------------------------------------------------------------------------------


def _payable_people(ctx: WorkspaceContext) -> Select[Any]:
    return pickable_people(ctx).where(payable_clause())


def _people_paid_or_payable(ctx: WorkspaceContext) -> Select[Any]:
    paid = exists().where(AdvisorPayment.membership_id == Membership.id)
    return pickable_people(ctx, (Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR, Role.OBSERVER)).where(
        or_(payable_clause(), paid)
    )


def person_spec(
    ctx: WorkspaceContext, field_name: str, chosen: list[int], query: str = "", *, also: int | None = None
) -> PickSpec:
    """A picker of the people who can be paid (the forms' ``membership_id``; ``also`` keeps a payment's
    payee who has since left the board) or, for the page's person filter (``person``), of them and anyone
    with a payment on record."""
    if field_name == "person":
        return PickSpec(_people_paid_or_payable(ctx), Membership.id, User.name, query, chosen, "Everyone", MEMBER_ORDER)
    stmt = _payable_people(ctx)
    if also is not None:
        stmt = pickable_people(ctx).where(or_(payable_clause(), Membership.id == also))
    return PickSpec(stmt, Membership.id, User.name, query, chosen, "Choose a person", MEMBER_ORDER)


def pick_person(
    ctx: WorkspaceContext, field_name: str, chosen: list[int], query: str = "", *, also: int | None = None
) -> Pick:
    """One picker's options for what has been typed (ONE statement)."""
    return pick_together({field_name: person_spec(ctx, field_name, chosen, query, also=also)})[field_name]


# --- the bookkeeping export ---------------------------------------------------------------------

CSV_HEADER = (
    "Date of the work",
    "Chosen name",
    "Legal name",
    "For what",
    "Amount",
    "Currency",
    "Method",
    "Status",
    "Paid on",
    "Reference",
)


def export_rows(ctx: WorkspaceContext, filters: Filters) -> Iterator[tuple[object, ...]]:
    """The payments matching ``filters`` as CSV rows (``CSV_HEADER``), oldest work first, for the
    bookkeeper. The legal names are read now (two statements: who is in the export, then their legal
    names, before the response streams); the payments stream 500 at a time in one more."""
    ids_stmt = _narrowed(select(AdvisorPayment.membership_id).distinct(), filters)
    ids = {mid for mid in db.session.scalars(scoped(ids_stmt)) if mid is not None}
    legal = _legal_names(ctx, ids)
    stmt = _log_stmt(filters).order_by(AdvisorPayment.work_date, AdvisorPayment.id)

    def rows() -> Iterator[tuple[object, ...]]:
        for payment, name, _former in db.session.execute(scoped(stmt.execution_options(yield_per=500))):
            places = money.stored_places(payment.currency)
            yield (
                payment.work_date.isoformat(),
                name,
                legal.get(payment.membership_id, "") if payment.membership_id else "",
                payment.for_what,
                f"{payment.amount:.{places}f}",
                payment.currency,
                METHOD_LABELS[PaymentMethod(payment.method)],
                STATUS_LABELS[PaymentStatus(payment.status)],
                payment.paid_on.isoformat() if payment.paid_on else "",
                payment.reference,
            )

    return rows()


def export_name(filters: Filters) -> str:
    """The download's name: ``advisor-payments-2026`` (``-all-years``, ``-owed``)."""
    parts = ["advisor-payments", filters.year_value if filters.year is not None else "all-years"]
    if filters.status:
        parts.append(filters.status)
    return "-".join(parts)


# --- the board's home, the setup guide ------------------------------------------------------------


def board_panel(ctx: WorkspaceContext) -> dict[str, Any] | None:
    """The board home's compensation card: a link to the board's totals for coordinators, to their own
    record for anyone who can be paid; nothing for others. No statement of its own (the board home has
    the viewer's admission already)."""
    if ctx.can("compensation.manage"):
        return {"manages": True}
    if not ctx.can("compensation.view"):
        return None
    if ctx.role == Role.SURVIVOR_ADVISOR or board.admission(ctx).seat_id is not None:
        return {"manages": False}
    return None


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The guide's "How will survivors be compensated?": a rate set for a role or a person."""
    return {"compensation_rates": capped_count(select(AdvisoryRate.id))}


# --- the activity feed ----------------------------------------------------------------------------


def feed_visible_payments(membership: Membership, today: Any = None) -> Select[Any] | None:
    """The payments whose activity ``membership`` sees in the feed (``FeedTarget.visible_ids``): every one
    for coordinators (removed ones too: None, no rule to check), their own for the person paid, none for
    anyone else. Never "the ids in the log's own payment entries" for coordinators: PostgreSQL would read
    every such entry of the log to hash them before the feed's first row."""
    if can(membership, "compensation.manage"):
        return None
    return select(AdvisorPayment.id).where(AdvisorPayment.membership_id == membership.id)


def feed_visible_rates(membership: Membership, today: Any = None) -> Select[Any] | None:
    """The rates whose changes ``membership`` sees in the feed: every one for coordinators (None), their own
    rate for the person it is set for."""
    if can(membership, "compensation.manage"):
        return None
    return select(AdvisoryRate.id).where(AdvisoryRate.membership_id == membership.id)


# --- demo data and the route walk's seed ----------------------------------------------------------


def _role_ids(ctx: WorkspaceContext) -> dict[str, int]:
    board.ensure_default_roles(ctx)
    return {role.name: role.id for role in board.roles(ctx)}


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """The route walk's records: the chair's role rate (``advisory_rate_id``) and an owed payment to the
    first person who can be paid (``advisor_payment_id``)."""
    roles = _role_ids(ctx)
    today = ctx.today()
    create_rate(
        ctx,
        {"role_id": str(roles["Chair"]), "kind": "stipend", "period": "month", "amount": "300", "currency": "USD"},
    )
    payee = db.session.scalars(scoped(select(Membership.id).where(payable_clause()).order_by(Membership.id))).first()
    if payee is not None:
        record_payment(
            ctx,
            {
                "membership_id": str(payee),
                "for_what": "Seeded panel at the spring training",
                "work_date": (today - timedelta(days=7)).isoformat(),
                "amount": "150.00",
                "currency": "USD",
                "method": "bank_transfer",
                "status": "owed",
            },
        )


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The demo's rates (advisors USD 50 an hour, the chair a USD 300 monthly stipend) and a few months
    of payments to Amara Okafor, Jordan Reyes and Noor Haddad, most paid, some owed."""
    from dateutil.relativedelta import relativedelta

    roles = _role_ids(ctx)
    today = ctx.today()
    start = (today - relativedelta(months=12)).replace(day=1).isoformat()
    create_rate(ctx, {"role_id": str(roles["Advisor"]), "kind": "hourly", "amount": "50", "effective_from": start})
    create_rate(
        ctx,
        {
            "role_id": str(roles["Chair"]),
            "kind": "stipend",
            "period": "month",
            "amount": "300",
            "effective_from": start,
        },
    )

    def member(key: str) -> str:
        user_id = people[key].id
        return str(db.session.scalars(scoped(select(Membership.id).where(Membership.user_id == user_id))).one())

    amara, jordan, noor = member("amara.okafor"), member("jordan.reyes"), member("noor.haddad")
    first_of_month = today.replace(day=1)
    payments: list[dict[str, Any]] = []
    for back in range(3, -1, -1):  # the chair's stipend: three months paid, this month owed
        month = first_of_month - relativedelta(months=back)
        paid = back > 0
        payments.append(
            {
                "membership_id": amara,
                "for_what": f"Chair's stipend, {MONTHS[month.month - 1]} {month.year}",
                "work_date": month,
                "amount": "300",
                "method": "bank_transfer",
                "status": "paid" if paid else "owed",
                "paid_on": min(month + timedelta(days=5), today) if paid else "",
            }
        )
    for days_ago, who, what, amount, method, paid in (
        (80, jordan, "Reviewed the outreach flyer (2 hours)", "100", "check", True),
        (55, noor, "Co-led the survivor-informed care session (4 hours)", "200", "bank_transfer", True),
        (40, noor, "Thank-you gift card for the listening session", "25", "gift_card", True),
        (20, jordan, "Panel at the first-responder training (3 hours)", "150", "bank_transfer", True),
        (6, noor, "Reviewed the partnership's intake questions (2 hours)", "100", "bank_transfer", False),
        (3, jordan, "Board meeting preparation (1.5 hours)", "75", "payroll", False),
    ):
        work_date = today - timedelta(days=days_ago)
        payments.append(
            {
                "membership_id": who,
                "for_what": what,
                "work_date": work_date,
                "amount": amount,
                "method": method,
                "status": "paid" if paid else "owed",
                "paid_on": min(work_date + timedelta(days=10), today) if paid else "",
                "reference": "Check 1042" if method == "check" else "",
            }
        )
    for data in payments:
        record_payment(ctx, {**data, "currency": "USD"})


# Labels for templates (one place, so pages and the export agree).
LABELS = {
    "kinds": RATE_KIND_LABELS,
    "periods": PERIOD_LABELS,
    "methods": METHOD_LABELS,
    "statuses": STATUS_LABELS,
}
