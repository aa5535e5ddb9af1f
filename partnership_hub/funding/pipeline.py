"""The funding pipeline: opportunities by type and status, the goals each would fund, a board by status,
totals by type and year, the CSV export, and "your funding deadlines".

Every read filters with the confidentiality layer (``visible(ctx, FundingOpportunity)``): a list, a
count, a total or an export never includes what the viewer may not see. Coordinators manage the
pipeline; everyone else reads it. An award larger than the ask, or an application deadline already
past, is accepted and shown as a warning (``warnings_for``): both happen (a funder adds to a grant; a
late application is recorded after the fact).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Date, Select, and_, case, delete, func, literal, or_, select, union_all

from partnership_hub import money, picking, toolkit
from partnership_hub.areas import WorkItem, WorkList, WorkQuery, WorkRow, work_columns
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import (
    VIEWER_TODAY,
    ConfidentialGrant,
    Level,
    Shape,
    note_reads_of,
    permission_shape,
    set_named_people,
    shared_viewer,
    viewer_parameter,
    visibility_clause,
    visible,
)
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.funding.pipeline_models import (
    STATUS_LABELS,
    FundingOpportunity,
    FundingOpportunityGoal,
    FundingStatus,
)
from partnership_hub.goals.models import Goal
from partnership_hub.members.models import Organization
from partnership_hub.pagination import Page, paginate
from partnership_hub.parsing import form_ids, form_text, parse_date, parse_id, parse_int
from partnership_hub.picking import Pick, contains
from partnership_hub.workspaces.models import Membership, User
from partnership_hub.workspaces.services import chosen_contributor

TITLE_MAX = max_length(FundingOpportunity.__table__.c.title)
FUNDER_MAX = max_length(FundingOpportunity.__table__.c.funder)
NOTES_MAX = 4000
GOALS_MAX = 10
COLUMN_CARDS = 12  # cards shown per status on the board ("and N more" links to the filtered list)
COUNT_CAP = 1000
LIST_PAGE_SIZE = 25
TOTAL_YEARS = 6  # the totals' chart: this year and the five before
DEADLINE_DAYS = 30  # "your funding deadlines": due within this many days
TYPE_LABELS = {choice.key: choice.label for choice in toolkit.FUNDING_TYPES}
OPEN = (FundingStatus.IDEA, FundingStatus.RESEARCHING, FundingStatus.APPLYING)  # the application is ahead
FUNDED = (FundingStatus.AWARDED, FundingStatus.REPORTING)  # a report may be due


def may_see_any(ctx: WorkspaceContext) -> bool:
    return ctx.membership is not None


def get_opportunity(ctx: WorkspaceContext, funding_opportunity_id: int) -> FundingOpportunity:
    """The opportunity if the viewer may see it; else ``NotFound`` (the same answer as for none)."""
    stmt = select(FundingOpportunity).where(
        FundingOpportunity.id == funding_opportunity_id, visible(ctx, FundingOpportunity)
    )
    found = db.session.scalars(scoped(stmt)).one_or_none()
    if found is None:
        raise NotFound(f"funding opportunity {funding_opportunity_id}")
    return found


# --- writing -----------------------------------------------------------------------------------------


def _optional_amount(data: dict[str, Any], name: str, currency: str) -> Decimal | None:
    raw = data.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return money.parse_amount(raw, name, places=money.stored_places(currency))


def _optional_date(data: dict[str, Any], name: str, what: str) -> date | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    value = parse_date(raw)
    if value is None:
        raise ServiceError(f"Enter the {what} like 2027-03-31, or leave it empty.", name)
    return value


def _member(data: dict[str, Any], name: str) -> int | None:
    message = "Choose someone from this partnership (not an observer), or nobody."
    return chosen_contributor(data.get(name), name, message)


def _organization(data: dict[str, Any]) -> int | None:
    raw = data.get("lead_organization_id")
    if raw in (None, ""):
        return None
    found = db.session.scalars(scoped(select(Organization.id).where(Organization.id == parse_id(raw)))).first()
    if found is None:
        raise ServiceError("Choose one of the partnership's organizations, or none.", "lead_organization_id")
    return found


def _goals(ctx: WorkspaceContext, data: dict[str, Any]) -> list[int]:
    wanted = sorted(form_ids(data.get("goal_ids"), "goal_ids", "Choose goals from the list."))
    if len(wanted) > GOALS_MAX:
        raise ServiceError(f"Choose at most {GOALS_MAX} goals.", "goal_ids")
    if not wanted:
        return []
    found = set(db.session.scalars(scoped(select(Goal.id).where(Goal.id.in_(wanted), visible(ctx, Goal)))))
    if found != set(wanted):
        raise ServiceError("Choose goals of this partnership.", "goal_ids")
    return wanted


def _named_people(data: dict[str, Any], level: Level) -> list[int]:
    """The people named on a record above ``workspace`` (none at ``workspace``: everyone sees it). Each
    is checked when granted (``confidentiality.grant``: of this partnership, not an observer)."""
    wanted = form_ids(data.get("access"), "access", "Choose people from the list.")
    return sorted(wanted) if level != Level.WORKSPACE else []


def _values(ctx: WorkspaceContext, data: dict[str, Any]) -> dict[str, Any]:
    title = form_text(data, "title", TITLE_MAX, "Give the opportunity a name, e.g. “2027 state victim services grant”.")
    source_type = str(data.get("source_type") or "")
    if source_type not in TYPE_LABELS:
        raise ServiceError("Choose the type of funding.", "source_type")
    raw_status = str(data.get("status") or FundingStatus.IDEA.value)
    if raw_status not in FundingStatus.__members__.values():
        raise ServiceError("Choose a status from the list.", "status")
    currency = money.parse_currency(data.get("currency"), "currency", default=money.DEFAULT_CURRENCY)
    raw_level = str(data.get("confidentiality") or Level.WORKSPACE.value)
    if raw_level not in Level.__members__.values():
        raise ServiceError("Choose who may see it.", "confidentiality")
    raw_year = str(data.get("fiscal_year") or "").strip()
    fiscal_year = parse_int(raw_year, low=2000, high=2200) if raw_year else None
    if raw_year and fiscal_year is None:
        raise ServiceError("Enter the year it counts in, like 2027, or leave it empty.", "fiscal_year")
    application = _optional_date(data, "application_deadline", "application deadline")
    report = _optional_date(data, "report_deadline", "report deadline")
    return {
        "title": title,
        "funder": form_text(data, "funder", FUNDER_MAX),
        "source_type": source_type,
        "status": FundingStatus(raw_status),
        "currency": currency,
        "amount_asked": _optional_amount(data, "amount_asked", currency),
        "amount_awarded": _optional_amount(data, "amount_awarded", currency),
        "application_deadline": application,
        "report_deadline": report,
        "fiscal_year": fiscal_year or (application or ctx.today()).year,
        "lead_organization_id": _organization(data),
        "owner_membership_id": _member(data, "owner_membership_id"),
        "confidentiality": Level(raw_level),
        "notes": form_text(data, "notes", NOTES_MAX),
    }


def _set_goals(opportunity: FundingOpportunity, goal_ids: list[int]) -> None:
    db.session.execute(delete(FundingOpportunityGoal).where(FundingOpportunityGoal.opportunity_id == opportunity.id))
    db.session.add_all(FundingOpportunityGoal(opportunity_id=opportunity.id, goal_id=goal_id) for goal_id in goal_ids)


def _next_position(status: FundingStatus) -> int:
    stmt = select(func.coalesce(func.max(FundingOpportunity.position), 0)).where(FundingOpportunity.status == status)
    return int(db.session.scalar(scoped(stmt)) or 0) + 1


def create_opportunity(ctx: WorkspaceContext, data: dict[str, Any]) -> FundingOpportunity:
    """Record an opportunity (at the end of its status column), with the goals it would fund."""
    values = _values(ctx, data)
    goal_ids = _goals(ctx, data)
    named = _named_people(data, values["confidentiality"])
    opportunity = FundingOpportunity(
        **values,
        position=_next_position(values["status"]),
        author_membership_id=ctx.membership.id if ctx.membership else None,
    )
    db.session.add(opportunity)
    db.session.flush()
    _set_goals(opportunity, goal_ids)
    set_named_people(ctx, opportunity, named, field="access")
    db.session.flush()
    audit.record(
        ctx, "funding_opportunity.created", "funding_opportunity", opportunity.id, status=opportunity.status.value
    )
    return opportunity


def update_opportunity(
    ctx: WorkspaceContext, opportunity: FundingOpportunity, data: dict[str, Any]
) -> FundingOpportunity:
    """Change an opportunity; the audit entry names the fields that changed (never amounts or names)."""
    values = _values(ctx, data)
    goal_ids = _goals(ctx, data)
    named = _named_people(data, values["confidentiality"])
    changed = sorted(name for name, value in values.items() if getattr(opportunity, name) != value)
    if values["status"] != opportunity.status:
        opportunity.position = _next_position(values["status"])
    for name in changed:
        setattr(opportunity, name, values[name])
    _set_goals(opportunity, goal_ids)
    set_named_people(ctx, opportunity, named, field="access")
    db.session.flush()
    audit.record(ctx, "funding_opportunity.updated", "funding_opportunity", opportunity.id, fields=changed)
    return opportunity


def move_opportunity(
    ctx: WorkspaceContext, opportunity: FundingOpportunity, data: dict[str, Any]
) -> FundingOpportunity:
    """Move a card to another status (the board's drag and drop, or its keyboard control): it goes to the
    end of that column. Moving to where it is changes nothing."""
    raw = str(data.get("status") or "")
    if raw not in FundingStatus.__members__.values():
        raise ServiceError("Choose a status from the list.", "status")
    status = FundingStatus(raw)
    if status == opportunity.status:
        return opportunity
    before = opportunity.status
    opportunity.status, opportunity.position = status, _next_position(status)
    db.session.flush()
    audit.record(
        ctx, "funding_opportunity.moved", "funding_opportunity", opportunity.id, before=before.value, after=status.value
    )
    return opportunity


def delete_opportunity(ctx: WorkspaceContext, opportunity: FundingOpportunity) -> None:
    """Remove an opportunity recorded by mistake (closing one keeps it on record)."""
    from partnership_hub.awareness import campaigns  # a campaign plan may link it: unlink it first

    campaigns.unlink_opportunity(ctx, opportunity.id)
    set_named_people(ctx, opportunity, [])
    audit.record(ctx, "funding_opportunity.deleted", "funding_opportunity", opportunity.id)
    db.session.delete(opportunity)
    db.session.flush()


# --- warnings, shown where the opportunity is ----------------------------------------------------------


def warnings_for(opportunity: FundingOpportunity, today: date) -> list[str]:
    """What is accepted but worth a second look."""
    found = []
    asked, awarded = opportunity.amount_asked, opportunity.amount_awarded
    if asked is not None and awarded is not None and awarded > asked:
        found.append("The award is larger than the ask. If that is right (the funder added to it), nothing to do.")
    deadline = opportunity.application_deadline
    if deadline is not None and deadline < today and opportunity.status in OPEN:
        status = STATUS_LABELS[opportunity.status]
        found.append(f"The application deadline ({deadline:%-d %b %Y}) has passed, and it is still “{status}”.")
    return found


# --- reads: the board, the list, the page ----------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    id: int
    title: str
    funder: str
    source_type: str
    status: FundingStatus
    amount_asked: Decimal | None
    amount_awarded: Decimal | None
    currency: str
    application_deadline: date | None
    confidentiality: Level

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.source_type, self.source_type)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Column:
    status: FundingStatus
    cards: list[Card] = field(default_factory=list)
    count: int = 0

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.cards))

    @property
    def count_label(self) -> str:
        return f"{COUNT_CAP:,}+" if self.count > COUNT_CAP else f"{self.count:,}"

    @property
    def more_label(self) -> str:
        """ "and 3 more", or "and 988+ more" when the count stopped at its cap."""
        return f"{COUNT_CAP - len(self.cards):,}+" if self.count > COUNT_CAP else f"{self.more:,}"


_CARD_COLUMNS = (
    FundingOpportunity.id,
    FundingOpportunity.title,
    FundingOpportunity.funder,
    FundingOpportunity.source_type,
    FundingOpportunity.status,
    FundingOpportunity.amount_asked,
    FundingOpportunity.amount_awarded,
    FundingOpportunity.currency,
    FundingOpportunity.application_deadline,
    FundingOpportunity.confidentiality,
)


def board(ctx: WorkspaceContext) -> list[Column]:
    """Every status column with its first ``COLUMN_CARDS`` cards (in the column's order) and its capped
    count, in ONE statement: a bounded index walk per status, whatever the size of the pipeline."""
    where = visible(ctx, FundingOpportunity)
    parts = []
    for status in FundingStatus:
        count = (
            select(func.count())
            .select_from(
                scoped(
                    select(FundingOpportunity.id).where(FundingOpportunity.status == status, where).limit(COUNT_CAP + 1)
                ).subquery()
            )
            .scalar_subquery()
        )
        first_cards = scoped(
            select(*_CARD_COLUMNS, FundingOpportunity.position, count.label("total"))
            .where(FundingOpportunity.status == status, where)
            .order_by(FundingOpportunity.position, FundingOpportunity.id)
            .limit(COLUMN_CARDS)
        )
        parts.append(first_cards)
    columns = {status: Column(status) for status in FundingStatus}
    placed: dict[FundingStatus, list[tuple[int, Card]]] = defaultdict(list)
    for row in db.session.execute(union_all(*(part.subquery().select() for part in parts))):
        status = FundingStatus(row.status)
        placed[status].append((row.position, Card(*row[: len(_CARD_COLUMNS)])))
        columns[status].count = row.total
    for status, cards in placed.items():  # a UNION promises no order: each column by its position
        columns[status].cards = [card for _, card in sorted(cards, key=lambda pair: (pair[0], pair[1].id))]
    return list(columns.values())


@dataclass(frozen=True)
class ListFilters:
    status: str = ""
    source_type: str = ""
    year: int | None = None
    q: str = ""
    mine: bool = False  # only the opportunities the viewer owns ("your work"'s "and N more")

    def query_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {
            "status": self.status,
            "type": self.source_type,
            "year": self.year,
            "q": self.q,
            "owner": "me" if self.mine else "",
        }
        return {name: value for name, value in args.items() if value}


def _filtered(ctx: WorkspaceContext, stmt: Select[Any], filters: ListFilters) -> Select[Any]:
    stmt = stmt.where(visible(ctx, FundingOpportunity))
    if filters.status:
        stmt = stmt.where(FundingOpportunity.status == FundingStatus(filters.status))
    if filters.source_type:
        stmt = stmt.where(FundingOpportunity.source_type == filters.source_type)
    if filters.year is not None:
        stmt = stmt.where(FundingOpportunity.fiscal_year == filters.year)
    if filters.q:
        stmt = stmt.where(contains((FundingOpportunity.title, FundingOpportunity.funder), filters.q))
    if filters.mine:
        owner = ctx.membership.id if ctx.membership else None
        stmt = stmt.where(FundingOpportunity.owner_membership_id == owner)
    return stmt


def opportunities_page(ctx: WorkspaceContext, filters: ListFilters, page: int) -> Page[Card]:
    """One page of the pipeline as a table, soonest application deadline first (ONE statement, count capped)."""
    stmt = _filtered(ctx, select(*_CARD_COLUMNS), filters).order_by(
        FundingOpportunity.application_deadline.is_(None),
        FundingOpportunity.application_deadline.desc(),
        FundingOpportunity.id.desc(),
    )
    return paginate(scoped(stmt), page, LIST_PAGE_SIZE, row=lambda r: Card(*r), cap=COUNT_CAP)


@dataclass(frozen=True)
class OpportunityPage:
    opportunity: FundingOpportunity
    lead_organization: str | None
    owner: str | None
    goals: list[tuple[int, str]]
    named: list[str]  # the people named on it (above ``workspace``), by name


NAMED_SHOWN = 50  # people named on one opportunity that its page lists


def opportunity_page(ctx: WorkspaceContext, opportunity: FundingOpportunity) -> OpportunityPage:
    """The names around one opportunity (ONE statement) and, in ONE more, the goals it would fund that the
    viewer may see (at most ``GOALS_MAX``) with the people named on it."""
    organization = select(Organization.name).where(Organization.id == opportunity.lead_organization_id)
    owner = (
        select(User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.id == opportunity.owner_membership_id)
    )
    names = db.session.execute(
        select(organization.scalar_subquery().label("organization"), owner.scalar_subquery().label("owner"))
    ).one()
    goals = (
        select(literal("goal").label("kind"), Goal.id.label("id"), Goal.title.label("name"))
        .join(FundingOpportunityGoal, FundingOpportunityGoal.goal_id == Goal.id)
        .where(FundingOpportunityGoal.opportunity_id == opportunity.id, visible(ctx, Goal))
        .limit(GOALS_MAX)
    )
    people = (
        select(literal("person").label("kind"), Membership.id.label("id"), User.name.label("name"))
        .join(User, User.id == Membership.user_id)
        .join(ConfidentialGrant, ConfidentialGrant.membership_id == Membership.id)
        .where(
            ConfidentialGrant.record_kind == FundingOpportunity.confidential_kind,
            ConfidentialGrant.record_id == opportunity.id,
        )
        .limit(NAMED_SHOWN)
    )
    # Each part in a subquery: SQLite takes no LIMIT inside a UNION.
    rows = db.session.execute(union_all(select(goals.subquery()), select(people.subquery()))).all()
    goal_rows = sorted(((row.id, row.name) for row in rows if row.kind == "goal"), key=lambda g: (g[1].lower(), g[0]))
    named = sorted((row.name for row in rows if row.kind == "person"), key=str.lower)
    shown = named if opportunity.confidentiality != Level.WORKSPACE else []
    return OpportunityPage(opportunity, names.organization, names.owner, goal_rows, shown)


def form_links(opportunity: FundingOpportunity) -> tuple[list[int], list[int]]:
    """What the edit form starts with: the ids of the goals it would fund and of the people named on it
    (none at ``workspace``), in ONE statement."""
    goals = select(literal("goal").label("kind"), FundingOpportunityGoal.goal_id.label("id")).where(
        FundingOpportunityGoal.opportunity_id == opportunity.id
    )
    named = select(literal("person").label("kind"), ConfidentialGrant.membership_id.label("id")).where(
        ConfidentialGrant.record_kind == FundingOpportunity.confidential_kind,
        ConfidentialGrant.record_id == opportunity.id,
    )
    rows = db.session.execute(union_all(goals, named)).all()
    people = sorted(row.id for row in rows if row.kind == "person")
    return sorted(row.id for row in rows if row.kind == "goal"), (
        people if opportunity.confidentiality != Level.WORKSPACE else []
    )


# --- totals ------------------------------------------------------------------------------------------


@dataclass
class Totals:
    year: int
    currency: str
    currencies: list[str]  # the currencies the pipeline uses (the page offers a choice when several)
    by_type: list[tuple[str, Decimal, Decimal]]  # (type label, asked, awarded) in ``year``
    by_year: list[tuple[int, Decimal, Decimal]]  # the last TOTAL_YEARS years, oldest first
    asked: Decimal = Decimal(0)
    awarded: Decimal = Decimal(0)


def totals(ctx: WorkspaceContext, year: int, currency: str | None) -> Totals:
    """Asked and awarded, by type for ``year`` and by year for the last ``TOTAL_YEARS``, in one currency
    (amounts in different currencies are never added together). ONE statement, grouped in the database
    over the years shown (an index range on ``(partnership_id, fiscal_year)``): a few rows per year, type
    and currency come back."""
    first = year - TOTAL_YEARS + 1
    awarded_amount = case(
        (FundingOpportunity.status.in_([*FUNDED, FundingStatus.CLOSED]), FundingOpportunity.amount_awarded), else_=None
    )
    stmt = (
        select(
            FundingOpportunity.fiscal_year,
            FundingOpportunity.source_type,
            FundingOpportunity.currency,
            func.coalesce(func.sum(FundingOpportunity.amount_asked), 0),
            func.coalesce(func.sum(awarded_amount), 0),
        )
        .where(visible(ctx, FundingOpportunity), FundingOpportunity.fiscal_year.between(first, year))
        .group_by(FundingOpportunity.fiscal_year, FundingOpportunity.source_type, FundingOpportunity.currency)
    )
    rows = db.session.execute(scoped(stmt)).all()
    used = sorted({row[2] for row in rows}, key=lambda code: (code != money.DEFAULT_CURRENCY, code))
    chosen: str = (
        currency if currency is not None and currency in used else (used[0] if used else money.DEFAULT_CURRENCY)
    )
    by_type: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    by_year: dict[int, list[Decimal]] = {y: [Decimal(0), Decimal(0)] for y in range(first, year + 1)}
    for fiscal_year, source_type, code, asked, awarded in rows:
        if code != chosen:
            continue
        by_year[fiscal_year][0] += Decimal(asked)
        by_year[fiscal_year][1] += Decimal(awarded)
        if fiscal_year == year:
            by_type[source_type][0] += Decimal(asked)
            by_type[source_type][1] += Decimal(awarded)
    types = [
        (choice.label, by_type[choice.key][0], by_type[choice.key][1])
        for choice in toolkit.FUNDING_TYPES
        if choice.key in by_type
    ]
    result = Totals(year, chosen, used, types, [(y, a, w) for y, (a, w) in by_year.items()])
    result.asked = sum((a for _, a, _ in result.by_type), Decimal(0))
    result.awarded = sum((w for _, _, w in result.by_type), Decimal(0))
    return result


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[tuple[int, Bar, Bar]]  # per year: asked, awarded
    ticks: list[tuple[float, str]]  # (y, label) of the value axis
    baseline: float


def chart(result: Totals) -> Chart:
    """Bars for asked and awarded per year (geometry here, drawing in the template), scaled to the top."""
    width, height, left, bottom, top = 640, 260, 72, 28, 12
    plot_h = height - bottom - top
    peak = max([max(a, w) for _, a, w in result.by_year] + [Decimal(1)])
    step = (width - left - 8) / max(len(result.by_year), 1)
    bar_w = step * 0.34
    bars = []
    for i, (year, asked, awarded) in enumerate(result.by_year):
        x = left + i * step + step * 0.14
        h_a = float(asked / peak) * plot_h
        h_w = float(awarded / peak) * plot_h
        bars.append(
            (
                year,
                Bar(x, top + plot_h - h_a, bar_w, h_a, money.format_money(asked, result.currency)),
                Bar(x + bar_w + 2, top + plot_h - h_w, bar_w, h_w, money.format_money(awarded, result.currency)),
            )
        )
    ticks = [(top + plot_h - plot_h * k / 4, money.format_amount(peak * k / 4, 0)) for k in range(5)]
    return Chart(width, height, bars, ticks, top + plot_h)


# --- the export ----------------------------------------------------------------------------------------

EXPORT_HEADER = (
    "Title",
    "Funder",
    "Type",
    "Status",
    "Amount asked",
    "Amount awarded",
    "Currency",
    "Application deadline",
    "Report deadline",
    "Year",
    "Lead organization",
    "Owner",
    "Who may see it",
)


def export_rows(ctx: WorkspaceContext, filters: ListFilters) -> Any:
    """The filtered pipeline as CSV rows, streamed in pages of the same statement (the layer notes the
    export of every row above ``workspace`` in the access log)."""
    organization = (
        select(Organization.name)
        .where(Organization.id == FundingOpportunity.lead_organization_id)
        .correlate(FundingOpportunity)
        .scalar_subquery()
    )
    owner = (
        select(User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.id == FundingOpportunity.owner_membership_id)
        .correlate(FundingOpportunity)
        .scalar_subquery()
    )
    stmt = _filtered(
        ctx,
        select(
            FundingOpportunity.title,
            FundingOpportunity.funder,
            FundingOpportunity.source_type,
            FundingOpportunity.status,
            FundingOpportunity.amount_asked,
            FundingOpportunity.amount_awarded,
            FundingOpportunity.currency,
            FundingOpportunity.application_deadline,
            FundingOpportunity.report_deadline,
            FundingOpportunity.fiscal_year,
            organization,
            owner,
            FundingOpportunity.confidentiality,
            FundingOpportunity.id,
        ),
        filters,
    ).order_by(FundingOpportunity.id)
    stmt = scoped(stmt)
    note_reads_of(FundingOpportunity, stmt)

    def rows() -> Any:
        for row in db.session.execute(stmt.execution_options(yield_per=500)):
            yield (
                row[0],
                row[1],
                TYPE_LABELS.get(row[2], row[2]),
                STATUS_LABELS[FundingStatus(row[3])],
                "" if row[4] is None else money.format_amount(row[4]),
                "" if row[5] is None else money.format_amount(row[5]),
                row[6],
                row[7].isoformat() if row[7] else "",
                row[8].isoformat() if row[8] else "",
                row[9] or "",
                row[10] or "",
                row[11] or "",
                Level(row[12]).label,
            )

    return rows()


# --- pickers -------------------------------------------------------------------------------------------


def goal_spec(ctx: WorkspaceContext, chosen: list[int]) -> picking.PickSpec:
    """The form's goal picker (the goals the viewer may see), to fill with the form's other pickers in ONE
    statement (``picking.pick_together``)."""
    stmt = scoped(select(Goal.id, Goal.title).where(visible(ctx, Goal)))
    return picking.PickSpec(stmt, Goal.id, Goal.title, chosen=chosen)


def pick_goals(ctx: WorkspaceContext, query: str, chosen: list[int]) -> Pick:
    """The goal picker's options for what was typed."""
    stmt = select(Goal.id, Goal.title).where(visible(ctx, Goal))
    return picking.search(
        scoped(stmt),
        id_column=Goal.id,
        label_column=Goal.title,
        search_columns=(Goal.title,),
        query=query,
        chosen=chosen,
    )


# --- your work, facts, seeds ----------------------------------------------------------------------------


# the last day "Your funding deadlines" looks at
DUE_BY = viewer_parameter("funding_due_by", Date(), lambda ctx: ctx.today() + timedelta(days=DEADLINE_DAYS))


@lru_cache(maxsize=32)
def _your_work_deadlines(shape: Shape, limit: int) -> Select[Any]:
    """``your_work_deadlines``' SELECT for a person of ``shape`` (their id, day and horizon are parameters)."""
    viewer = shared_viewer(shape)
    assert viewer is not None
    application_due = and_(FundingOpportunity.status.in_(OPEN), FundingOpportunity.application_deadline <= DUE_BY.bind)
    report_due = and_(FundingOpportunity.status.in_(FUNDED), FundingOpportunity.report_deadline <= DUE_BY.bind)
    due = case((application_due, FundingOpportunity.application_deadline), else_=FundingOpportunity.report_deadline)
    mine = and_(
        FundingOpportunity.owner_membership_id == viewer.id,
        or_(application_due, report_due),
        visibility_clause(FundingOpportunity, viewer, VIEWER_TODAY),
    )
    found = (
        select(func.count())
        .select_from(select(FundingOpportunity.id).where(mine).limit(101).subquery())
        .scalar_subquery()
    )
    label = case((application_due, literal("Application due")), else_=literal("Report due"))
    return (
        select(
            *work_columns(
                record_id=FundingOpportunity.id, title=FundingOpportunity.title, due=due, label=label, found=found
            )
        )
        .where(mine)
        .order_by(due, FundingOpportunity.id)
        .limit(limit)
    )


def your_work_deadlines(ctx: WorkspaceContext, limit: int) -> WorkQuery | None:
    """ "Your funding deadlines": opportunities you own with an application deadline (still to apply) or a
    report deadline (awarded) within ``DEADLINE_DAYS`` or past, soonest first. The SELECT is kept per
    permission shape (``WorkQuery``)."""
    membership = ctx.membership
    if membership is None:
        return None
    today = ctx.today()
    stmt = _your_work_deadlines(permission_shape(membership), limit)

    def build(rows: Sequence[WorkRow]) -> WorkList:
        items = [
            WorkItem(
                row.title,
                "funding.opportunity",
                {"funding_opportunity_id": row.id},
                due=row.due,
                overdue=row.due is not None and row.due < today,
                note=row.label,
            )
            for row in sorted(rows, key=lambda r: (r.due or today, r.id))
        ]
        return WorkList.counted(
            items, rows[0].found if rows else 0, more_endpoint="funding.opportunities", more_args={"owner": "me"}
        )

    return WorkQuery(stmt, build)


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The guide's funding question: opportunities the viewer may see (capped)."""
    seen = select(FundingOpportunity.id).where(visible(ctx, FundingOpportunity)).limit(100).subquery()
    return {"funding_opportunities": select(func.count()).select_from(seen).scalar_subquery()}


def _first_ids(model: Any, count: int) -> list[int]:
    return list(db.session.scalars(scoped(select(model.id).order_by(model.id).limit(count))))


def _membership_of(people: dict, local: str) -> str:
    stmt = select(Membership.id).where(Membership.user_id == people[local].id)
    return str(db.session.scalars(scoped(stmt)).one())


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """A pipeline across the statuses: a state grant being written (due soon, the coordinator's), an
    awarded federal grant with a report due (Luis's), a foundation grant submitted, a corporate sponsor
    declined, the GivingTuesday appeal closed, and a leadership-only lead that is still an idea."""
    today = ctx.today()
    goals = [str(i) for i in _first_ids(Goal, 2)]
    organizations = [str(i) for i in _first_ids(Organization, 2)]
    dana, luis = _membership_of(people, "coordinator"), _membership_of(people, "luis.ortega")
    demo = (
        {
            "title": "State victim services grant",
            "funder": "State Division of Criminal Justice",
            "source_type": "government_grant",
            "status": "applying",
            "amount_asked": "85000",
            "application_deadline": (today + timedelta(days=12)).isoformat(),
            "owner_membership_id": dana,
            "goal_ids": goals[:1],
            "lead_organization_id": organizations[0] if organizations else "",
        },
        {
            "title": "Federal anti-trafficking task force award",
            "funder": "Office for Victims of Crime",
            "source_type": "government_grant",
            "status": "reporting",
            "amount_asked": "450000",
            "amount_awarded": "420000",
            "application_deadline": (today - timedelta(days=300)).isoformat(),
            "report_deadline": (today + timedelta(days=20)).isoformat(),
            "fiscal_year": str(today.year),
            "owner_membership_id": luis,
            "goal_ids": goals,
        },
        {
            "title": "Community foundation: survivor housing",
            "funder": "Front Range Community Foundation",
            "source_type": "private_grant",
            "status": "submitted",
            "amount_asked": "40000",
            "application_deadline": (today - timedelta(days=15)).isoformat(),
            "owner_membership_id": luis,
        },
        {
            "title": "Regional bank sponsorship",
            "funder": "Mountain Regional Bank",
            "source_type": "corporate_grant",
            "status": "declined",
            "amount_asked": "10000",
            "application_deadline": (today - timedelta(days=60)).isoformat(),
        },
        {
            "title": f"GivingTuesday appeal {today.year}",
            "source_type": "individual_giving",
            "status": "closed",
            "amount_asked": "15000",
            "amount_awarded": "16320",
            "fiscal_year": str(today.year),
            "owner_membership_id": luis,
        },
        {
            "title": "Family foundation lead (confidential)",
            "funder": "A family foundation",
            "source_type": "private_grant",
            "status": "idea",
            "confidentiality": "leadership",
            "notes": "Introduced through a board member; do not contact before the spring.",
        },
    )
    for data in demo:
        create_opportunity(ctx, dict(data))


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """One opportunity (``funding_opportunity_id``) linked to the first goal."""
    goals = [str(i) for i in _first_ids(Goal, 1)]
    create_opportunity(
        ctx,
        {"title": "Seeded opportunity", "source_type": "government_grant", "status": "applying", "goal_ids": goals},
    )
