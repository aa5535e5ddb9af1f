"""The funding area's in-kind resources (issue #14, the toolkit's "What in-kind resources are available
to the partnership?"): offers of staff time, student placements, skills, space and goods, and needs —
short requests for something — which coordinators match to offers.

An offer says what (its kind, a title, a description), from whom (an organization of the partnership
and the person offering), how much (hours, and/or a quantity such as "2 rooms, Tuesdays"), when (from /
until), who uses it (an organization) and where it stands (available, matched, in use, used up,
withdrawn). A need says what is needed, of which kind, by when, and whether it is open, met or closed.

Offers and needs are workspace records: everyone in the partnership reads them. Everyone but observers
posts offers and needs and changes or withdraws their own; coordinators change any and match offers to
needs. Matching sets the offer to "matched" (when it was available) and the need to "met" unless the
coordinator says more is needed; removing the last match puts them back. Survivor advisors are named
only to the people who may know who they are (``members.view_survivor_advisors``); to others they are
"A survivor advisor", as everywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Index, Select, and_, case, exists, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from partnership_hub import toolkit
from partnership_hub.audit import services as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, select_scalars
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.funding.inkind_models import InkindMatch, InkindNeed, InkindOffer, NeedStatus, OfferStatus
from partnership_hub.members.models import Organization
from partnership_hub.pagination import COUNT_CAP, Page, paginate
from partnership_hub.parsing import date_error, form_text, parse_date, parse_id, query_choice, query_text
from partnership_hub.picking import Pick, PickSpec, contains, pick_together
from partnership_hub.workspaces.models import Membership, Role, User
from partnership_hub.workspaces.services import capped_count, chosen_contributor

TITLE_MAX = max_length(InkindOffer.__table__.c.title)
QUANTITY_MAX = max_length(InkindOffer.__table__.c.quantity)
TEXT_MAX = 4000  # an offer's description, a need's details
NOTE_MAX = 1000  # a match's note
HOURS_MAX = Decimal(10_000)
PAGE_SIZE = 25
MATCHES_SHOWN = 50  # on an offer's or a need's page
TAB_CAP = 100  # the tabs' counts stop here ("100+")
SEARCH_MAX = 100
ADVISOR_LABEL = "A survivor advisor"

KIND_LABELS: dict[str, str] = {choice.key: choice.label for choice in toolkit.IN_KIND_TYPES}
OFFER_STATUS_LABELS: dict[OfferStatus, str] = {
    OfferStatus.AVAILABLE: "Available",
    OfferStatus.MATCHED: "Matched to a need",
    OfferStatus.IN_USE: "In use",
    OfferStatus.USED_UP: "Used up",
    OfferStatus.WITHDRAWN: "Withdrawn",
}
NEED_STATUS_LABELS: dict[NeedStatus, str] = {
    NeedStatus.OPEN: "Open",
    NeedStatus.MET: "Met",
    NeedStatus.CLOSED: "Closed",
}
# Offers a coordinator may still match to a need (not withdrawn, not used up).
MATCHABLE = (OfferStatus.AVAILABLE, OfferStatus.MATCHED, OfferStatus.IN_USE)

_HOURS = re.compile(r"\d{1,5}(?:[.,]\d{1,2})?", re.ASCII)


# --- how things read ---------------------------------------------------------------------------------


def hours_label(hours: Decimal | None) -> str:
    """``7.50`` → "7.5 hours", ``1`` → "1 hour", None → ""."""
    if hours is None:
        return ""
    text = f"{hours.normalize():f}"
    return f"{text} hour" if hours == 1 else f"{text} hours"


def how_much(offer: InkindOffer) -> str:
    """The hours and the quantity, as one line ("120 hours · 2 rooms, Tuesdays")."""
    return " · ".join(part for part in (hours_label(offer.hours), offer.quantity) if part)


def _person_label(ctx: WorkspaceContext, membership: Any, user: Any) -> ColumnElement[Any]:
    """SQL: a person's name, or "A survivor advisor" for viewers who may not know who advisors are."""
    if ctx.can("members.view_survivor_advisors"):
        return user.name
    me = ctx.membership.id if ctx.membership else 0
    hidden = and_(membership.role == Role.SURVIVOR_ADVISOR, membership.id != me)
    return case((hidden, literal(ADVISOR_LABEL)), else_=user.name)


def _with_person(stmt: Select[Any], ctx: WorkspaceContext, membership_id: Any) -> tuple[Select[Any], Any]:
    """``stmt`` outer-joined to the person ``membership_id`` points at, and the SQL of their name."""
    membership, user = aliased(Membership), aliased(User)
    stmt = stmt.outerjoin(membership, membership.id == membership_id).outerjoin(user, user.id == membership.user_id)
    return stmt, _person_label(ctx, membership, user)


# --- the lists ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to. Empty values mean "any"."""

    kind: str = ""
    status: str = ""
    q: str = ""  # title contains

    @property
    def active(self) -> bool:
        return bool(self.kind or self.status or self.q)

    def query_args(self) -> dict[str, str]:
        return {name: value for name, value in (("kind", self.kind), ("status", self.status), ("q", self.q)) if value}


def parse_offer_filters(args: Mapping[str, str]) -> Filters:
    """The offers list's filters from a query string; unknown values mean "any"."""
    return Filters(
        query_choice(args, "kind", KIND_LABELS),
        query_choice(args, "status", [s.value for s in OfferStatus]),
        query_text(args, "q", limit=SEARCH_MAX),
    )


def parse_need_filters(args: Mapping[str, str]) -> Filters:
    """The needs list's filters from a query string; unknown values mean "any"."""
    return Filters(
        query_choice(args, "kind", KIND_LABELS),
        query_choice(args, "status", [s.value for s in NeedStatus]),
        query_text(args, "q", limit=SEARCH_MAX),
    )


def _narrowed(stmt: Select[Any], model: type[InkindOffer] | type[InkindNeed], filters: Filters) -> Select[Any]:
    if filters.kind:
        stmt = stmt.where(model.kind == filters.kind)
    if filters.status:
        stmt = stmt.where(model.status == filters.status)
    if filters.q:
        stmt = stmt.where(contains((model.title,), filters.q))
    return stmt


@dataclass
class OfferRow:
    """An offer with the names its list and its page show."""

    offer: InkindOffer
    organization: str | None
    offered_by: str | None
    used_by: str | None = None
    author: str | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.offer.kind, "Something else")

    @property
    def status_label(self) -> str:
        return OFFER_STATUS_LABELS[OfferStatus(self.offer.status)]

    @property
    def how_much(self) -> str:
        return how_much(self.offer)

    @property
    def source(self) -> str:
        """Who offers it, in a few words: the organization, else the person."""
        return self.organization or self.offered_by or "Not said"


@dataclass
class NeedRow:
    """A need with the names and the number of offers matched to it."""

    need: InkindNeed
    posted_by: str | None
    matches: int = 0

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.need.kind or "", "Any kind")

    @property
    def status_label(self) -> str:
        return NEED_STATUS_LABELS[NeedStatus(self.need.status)]


def search_offers(ctx: WorkspaceContext, filters: Filters, page: int = 1) -> Page[OfferRow]:
    """One page of offers (newest first) matching ``filters``, with who offers each, and the total counted
    up to ``COUNT_CAP`` past the page: one statement at any size."""
    organization = aliased(Organization)
    stmt = select(InkindOffer, organization.name).outerjoin(
        organization, organization.id == InkindOffer.organization_id
    )
    stmt, person = _with_person(stmt, ctx, InkindOffer.offered_by_membership_id)
    stmt = _narrowed(stmt.add_columns(person), InkindOffer, filters).order_by(InkindOffer.id.desc())
    count_from = _narrowed(select(InkindOffer.id), InkindOffer, filters)
    found = paginate(scoped(stmt), page, PAGE_SIZE, cap=COUNT_CAP, count_from=scoped(count_from))
    rows = [OfferRow(offer, organization_name, offered_by) for offer, organization_name, offered_by in found.items]
    return Page(rows, found.total, found.page, found.page_size, found.exact)


def search_needs(ctx: WorkspaceContext, filters: Filters, page: int = 1) -> Page[NeedRow]:
    """One page of needs (newest first) matching ``filters``, with who posted each and how many offers are
    matched to it (an index probe per row of the page), counted up to ``COUNT_CAP``: one statement."""
    matched = (
        select(func.count(InkindMatch.id))
        .where(InkindMatch.need_id == InkindNeed.id)
        .correlate(InkindNeed)
        .scalar_subquery()
    )
    stmt, person = _with_person(select(InkindNeed), ctx, InkindNeed.posted_by_membership_id)
    stmt = _narrowed(stmt.add_columns(person, matched), InkindNeed, filters).order_by(InkindNeed.id.desc())
    count_from = _narrowed(select(InkindNeed.id), InkindNeed, filters)
    found = paginate(scoped(stmt), page, PAGE_SIZE, cap=COUNT_CAP, count_from=scoped(count_from))
    rows = [NeedRow(need, posted_by, matches or 0) for need, posted_by, matches in found.items]
    return Page(rows, found.total, found.page, found.page_size, found.exact)


@dataclass(frozen=True)
class TabCounts:
    """Offers available and needs open, for the tabs (each stopping at ``TAB_CAP``)."""

    available: int
    open: int

    @staticmethod
    def label(value: int) -> str:
        return f"{TAB_CAP}+" if value > TAB_CAP else f"{value:,}"

    @property
    def available_label(self) -> str:
        return self.label(self.available)

    @property
    def open_label(self) -> str:
        return self.label(self.open)


def tab_counts(ctx: WorkspaceContext) -> TabCounts:
    """Available offers and open needs, each counted up to ``TAB_CAP`` (ONE statement, index ranges)."""
    values = select_scalars(
        db.session,
        {
            "available": capped_count(
                select(InkindOffer.id).where(InkindOffer.status == OfferStatus.AVAILABLE), TAB_CAP + 1
            ),
            "open": capped_count(select(InkindNeed.id).where(InkindNeed.status == NeedStatus.OPEN), TAB_CAP + 1),
        },
    )
    return TabCounts(values["available"] or 0, values["open"] or 0)


# --- one offer, one need -----------------------------------------------------------------------------


def _id(raw: object, what: str) -> int:
    record_id = parse_id(raw)
    if record_id is None:
        raise NotFound(f"{what} (not an id)")
    return record_id


def get_offer(ctx: WorkspaceContext, inkind_offer_id: object) -> InkindOffer:
    """The offer, if it is this partnership's; else ``NotFound``."""
    record_id = _id(inkind_offer_id, "in-kind offer")
    found = db.session.scalars(scoped(select(InkindOffer).where(InkindOffer.id == record_id))).one_or_none()
    if found is None:
        raise NotFound(f"in-kind offer {record_id}")
    return found


def get_need(ctx: WorkspaceContext, inkind_need_id: object) -> InkindNeed:
    """The need, if it is this partnership's; else ``NotFound``."""
    record_id = _id(inkind_need_id, "in-kind need")
    found = db.session.scalars(scoped(select(InkindNeed).where(InkindNeed.id == record_id))).one_or_none()
    if found is None:
        raise NotFound(f"in-kind need {record_id}")
    return found


def get_match(ctx: WorkspaceContext, inkind_match_id: object) -> InkindMatch:
    """The match, if it is this partnership's; else ``NotFound``."""
    record_id = _id(inkind_match_id, "in-kind match")
    found = db.session.scalars(scoped(select(InkindMatch).where(InkindMatch.id == record_id))).one_or_none()
    if found is None:
        raise NotFound(f"in-kind match {record_id}")
    return found


@dataclass
class MatchRow:
    """A match as an offer's or a need's page lists it: the other side, the note, who and when."""

    id: int
    other_id: int
    other_title: str
    other_status: str
    organization: str | None
    note: str
    matched_by: str | None
    matched_at: datetime


@dataclass
class OfferPage:
    row: OfferRow
    matches: list[MatchRow]
    more_matches: bool
    ended: bool  # available until a day that has passed


@dataclass
class NeedPage:
    row: NeedRow
    matches: list[MatchRow]
    more_matches: bool
    overdue: bool  # still open after the day it was needed by


def offer_page(ctx: WorkspaceContext, inkind_offer_id: object) -> OfferPage:
    """An offer with its organizations and people named (one statement) and the needs it is matched to
    (one statement, at most ``MATCHES_SHOWN``); ``NotFound`` when there is none in this partnership."""
    record_id = _id(inkind_offer_id, "in-kind offer")
    organization, used_by = aliased(Organization), aliased(Organization)
    stmt = (
        select(InkindOffer, organization.name, used_by.name)
        .outerjoin(organization, organization.id == InkindOffer.organization_id)
        .outerjoin(used_by, used_by.id == InkindOffer.used_by_organization_id)
    )
    stmt, offered_by = _with_person(stmt, ctx, InkindOffer.offered_by_membership_id)
    stmt, author = _with_person(stmt, ctx, InkindOffer.author_membership_id)
    found = db.session.execute(
        scoped(stmt.add_columns(offered_by, author).where(InkindOffer.id == record_id))
    ).one_or_none()
    if found is None:
        raise NotFound(f"in-kind offer {record_id}")
    offer, organization_name, used_by_name, offered_by_name, author_name = found
    matches_stmt, matcher = _with_person(
        select(InkindMatch.id, InkindNeed.id, InkindNeed.title, InkindNeed.status, literal(None), InkindMatch.note)
        .join(InkindNeed, InkindNeed.id == InkindMatch.need_id)
        .where(InkindMatch.offer_id == record_id),
        ctx,
        InkindMatch.matched_by_membership_id,
    )
    matches, more = _match_rows(matches_stmt.add_columns(matcher, InkindMatch.created_at))
    today = ctx.today()
    ended = (
        offer.available_until is not None
        and offer.available_until < today
        and offer.status in (OfferStatus.AVAILABLE, OfferStatus.MATCHED)
    )
    return OfferPage(
        OfferRow(offer, organization_name, offered_by_name, used_by_name, author_name), matches, more, ended
    )


def need_page(ctx: WorkspaceContext, inkind_need_id: object) -> NeedPage:
    """A need with who posted it (one statement) and the offers matched to it with each offer's
    organization (one statement, at most ``MATCHES_SHOWN``); ``NotFound`` when there is none here."""
    record_id = _id(inkind_need_id, "in-kind need")
    stmt, posted_by = _with_person(select(InkindNeed), ctx, InkindNeed.posted_by_membership_id)
    found = db.session.execute(scoped(stmt.add_columns(posted_by).where(InkindNeed.id == record_id))).one_or_none()
    if found is None:
        raise NotFound(f"in-kind need {record_id}")
    need, posted_by_name = found
    organization = aliased(Organization)
    matches_stmt, matcher = _with_person(
        select(
            InkindMatch.id,
            InkindOffer.id,
            InkindOffer.title,
            InkindOffer.status,
            organization.name,
            InkindMatch.note,
        )
        .join(InkindOffer, InkindOffer.id == InkindMatch.offer_id)
        .outerjoin(organization, organization.id == InkindOffer.organization_id)
        .where(InkindMatch.need_id == record_id),
        ctx,
        InkindMatch.matched_by_membership_id,
    )
    matches, more = _match_rows(matches_stmt.add_columns(matcher, InkindMatch.created_at))
    overdue = need.status == NeedStatus.OPEN and need.needed_by is not None and need.needed_by < ctx.today()
    return NeedPage(NeedRow(need, posted_by_name, len(matches)), matches, more, overdue)


def _match_rows(stmt: Select[Any]) -> tuple[list[MatchRow], bool]:
    rows = db.session.execute(scoped(stmt.order_by(InkindMatch.id).limit(MATCHES_SHOWN + 1))).all()
    return [MatchRow(*row) for row in rows[:MATCHES_SHOWN]], len(rows) > MATCHES_SHOWN


# --- pickers -----------------------------------------------------------------------------------------


# The offer picker lists offers by (lower(title), id) (``picking``'s order): this index makes its first
# page a LIMIT walk instead of a sort of every offer of the partnership. Declared with the picker that
# needs it, as the goals' title index is with the action plan. PostgreSQL only: SQLite cannot reflect an
# expression index (the migration test compares schemas), and the embedded default's partnerships are small.
Index(
    "ix_inkind_offers_partnership_id_lower_title",
    InkindOffer.partnership_id,
    func.lower(InkindOffer.title),
    InkindOffer.id,
).ddl_if(dialect="postgresql")


def pickable_offers(need_id: int | None = None) -> Select[tuple[int, str]]:
    """(id, title) of the offers a coordinator may match: not withdrawn or used up, and not matched to
    ``need_id`` already."""
    stmt = select(InkindOffer.id, InkindOffer.title).where(InkindOffer.status.in_(MATCHABLE))
    if need_id is not None:
        stmt = stmt.where(~exists().where(InkindMatch.offer_id == InkindOffer.id, InkindMatch.need_id == need_id))
    return stmt


def offer_spec(need_id: int | None, chosen: list[int], query: str = "") -> PickSpec:
    """The match form's offer picker (as ``pick_offers``), to fill with ``picking.pick_together``."""
    return PickSpec(scoped(pickable_offers(need_id)), InkindOffer.id, InkindOffer.title, query, chosen)


def pick_offers(ctx: WorkspaceContext, query: str = "", chosen: list[int] | None = None, need_id: Any = None) -> Pick:
    """Offers to match to a need, by title: the chosen ones and at most a page of matches (ONE statement)."""
    return pick_together({"offer": offer_spec(parse_id(need_id), chosen or [], query)})["offer"]


# --- checking what a form sends ----------------------------------------------------------------------


def _is_coordinator(ctx: WorkspaceContext) -> bool:
    return ctx.role == Role.COORDINATOR


def _kind(data: Mapping[str, Any], *, required: bool) -> str | None:
    raw = data.get("kind") or ""
    if not raw and not required:
        return None
    if raw not in KIND_LABELS:
        raise ServiceError("Choose what kind of resource it is.", "kind")
    return str(raw)


def _hours(raw: object) -> Decimal | None:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    if not _HOURS.fullmatch(text):
        raise ServiceError("Enter the hours as a number, for example 40 or 7.5 (two decimals at most).", "hours")
    hours = Decimal(text.replace(",", "."))
    if hours > HOURS_MAX:
        raise ServiceError(f"Enter at most {HOURS_MAX:,} hours; say more in the description.", "hours")
    return hours


def _date(data: Mapping[str, Any], name: str) -> date | None:
    raw = data.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = parse_date(raw)
    if value is None:
        raise ServiceError(date_error(raw) or "Enter a date like 2026-05-31.", name)
    return value


def _organization(data: Mapping[str, Any], name: str) -> int | None:
    """An organization of this partnership (or none); another partnership's id is simply not found here."""
    raw = data.get(name)
    if raw in (None, ""):
        return None
    organization_id = parse_id(raw)
    if (
        organization_id is None
        or db.session.scalar(scoped(select(Organization.id).where(Organization.id == organization_id))) is None
    ):
        raise ServiceError("Choose an organization from the list.", name)
    return organization_id


def _person(data: Mapping[str, Any], name: str) -> int | None:
    """A member of this partnership who may offer something (not an observer), or none."""
    return chosen_contributor(data.get(name), name, "Choose a person from the list.")


def _offered_by(ctx: WorkspaceContext, data: Mapping[str, Any], current: int | None, new: bool) -> int | None:
    """Coordinators name anyone (or nobody); others offer on their own behalf: their own offer, or the
    person already named when they change one."""
    if _is_coordinator(ctx):
        return _person(data, "offered_by_membership_id")
    me = ctx.membership.id if ctx.membership else None
    keep = me if new else current
    raw = data.get("offered_by_membership_id")
    if raw not in (None, "") and parse_id(raw) != keep:
        # Above the form: the field is shown to coordinators only, so only a tampered post gets here.
        raise ServiceError("You can offer on your own behalf; a coordinator can record an offer for someone else.")
    return keep


def _has_matches(offer_id: int) -> bool:
    stmt = select(InkindMatch.id).where(InkindMatch.offer_id == offer_id).limit(1)
    return db.session.scalar(scoped(stmt)) is not None


def clean_offer(ctx: WorkspaceContext, data: Mapping[str, Any], offer: InkindOffer | None = None) -> dict[str, Any]:
    """Checked values of an offer (``offer``: the one being changed); ``ServiceError`` at the first field
    that is not right. How much is the hours or a quantity (or both); the availability ends on or after
    it starts; "matched" is set by matching, so it is chosen only for an offer that has a match."""
    cleaned: dict[str, Any] = {"kind": _kind(data, required=True)}
    cleaned["title"] = form_text(data, "title", TITLE_MAX, "Give the offer a short title, like “Pro bono legal hours”.")
    cleaned["description"] = form_text(data, "description", TEXT_MAX)
    cleaned["organization_id"] = _organization(data, "organization_id")
    cleaned["offered_by_membership_id"] = _offered_by(
        ctx, data, offer.offered_by_membership_id if offer else None, offer is None
    )
    cleaned["hours"] = _hours(data.get("hours"))
    cleaned["quantity"] = form_text(data, "quantity", QUANTITY_MAX)
    if cleaned["hours"] is None and not cleaned["quantity"]:
        raise ServiceError("Say how much: the hours, or a quantity like “2 rooms, Tuesdays” (or both).", "hours")
    cleaned["available_from"] = _date(data, "available_from")
    cleaned["available_until"] = _date(data, "available_until")
    start, end = cleaned["available_from"], cleaned["available_until"]
    if start and end and end < start:
        raise ServiceError("The last day must be on or after the first day it is available.", "available_until")
    cleaned["used_by_organization_id"] = _organization(data, "used_by_organization_id")
    raw_status = data.get("status")
    if offer is None or raw_status in (None, ""):
        cleaned["status"] = offer.status if offer else OfferStatus.AVAILABLE
    else:
        if raw_status not in {s.value for s in OfferStatus}:
            raise ServiceError("Choose a status from the list.", "status")
        status = OfferStatus(raw_status)
        if status == OfferStatus.MATCHED and offer.status != OfferStatus.MATCHED and not _has_matches(offer.id):
            raise ServiceError(
                "“Matched” is set when a coordinator matches the offer to a need: choose another status.", "status"
            )
        cleaned["status"] = status
    return cleaned


def clean_need(ctx: WorkspaceContext, data: Mapping[str, Any], need: InkindNeed | None = None) -> dict[str, Any]:
    """Checked values of a need (``need``: the one being changed); ``ServiceError`` at the first field that
    is not right. A new "needed by" date is today or later (one already stored may have passed)."""
    cleaned: dict[str, Any] = {
        "title": form_text(data, "title", TITLE_MAX, "Give the need a short title, like “A room for our meetings”."),
        "details": form_text(data, "details", TEXT_MAX, "Say what is needed: what, how much, when and where."),
        "kind": _kind(data, required=False),
    }
    needed_by = _date(data, "needed_by")
    if needed_by is not None and needed_by < ctx.today() and (need is None or need.needed_by != needed_by):
        raise ServiceError("That day has passed; give today or a later date, or leave it empty.", "needed_by")
    cleaned["needed_by"] = needed_by
    raw_status = data.get("status")
    if need is None or raw_status in (None, ""):
        cleaned["status"] = need.status if need else NeedStatus.OPEN
    elif raw_status in {s.value for s in NeedStatus}:
        cleaned["status"] = NeedStatus(raw_status)
    else:
        raise ServiceError("Choose a status from the list.", "status")
    return cleaned


# --- writing -----------------------------------------------------------------------------------------


def _changed(record: Any, cleaned: dict[str, Any]) -> list[str]:
    return sorted(name for name, value in cleaned.items() if getattr(record, name) != value)


def create_offer(ctx: WorkspaceContext, data: Mapping[str, Any]) -> InkindOffer:
    """Post an in-kind offer (by ``ctx``'s member; coordinators may name someone else as offering it)."""
    cleaned = clean_offer(ctx, data)
    offer = InkindOffer(**cleaned, author_membership_id=ctx.membership.id if ctx.membership else None)
    db.session.add(offer)
    db.session.flush()
    audit.record(ctx, "inkind_offer.created", "inkind_offer", offer.id, kind=offer.kind)
    return offer


def update_offer(ctx: WorkspaceContext, offer: InkindOffer, data: Mapping[str, Any]) -> InkindOffer:
    """Change an offer; the audit entry names the fields that changed (not their values)."""
    cleaned = clean_offer(ctx, data, offer)
    changed = _changed(offer, cleaned)
    for name in changed:
        setattr(offer, name, cleaned[name])
    if changed:
        db.session.flush()
        audit.record(ctx, "inkind_offer.updated", "inkind_offer", offer.id, fields=changed)
    return offer


def withdraw_offer(ctx: WorkspaceContext, offer: InkindOffer) -> bool:
    """Withdraw an offer (it stays on record, its matches too); False when it was withdrawn already."""
    if offer.status == OfferStatus.WITHDRAWN:
        return False
    previous = offer.status
    offer.status = OfferStatus.WITHDRAWN
    db.session.flush()
    audit.record(ctx, "inkind_offer.withdrawn", "inkind_offer", offer.id, old=OfferStatus(previous).value)
    return True


def create_need(ctx: WorkspaceContext, data: Mapping[str, Any]) -> InkindNeed:
    """Post an in-kind need (by ``ctx``'s member)."""
    cleaned = clean_need(ctx, data)
    need = InkindNeed(**cleaned, posted_by_membership_id=ctx.membership.id if ctx.membership else None)
    db.session.add(need)
    db.session.flush()
    audit.record(ctx, "inkind_need.created", "inkind_need", need.id)
    return need


def update_need(ctx: WorkspaceContext, need: InkindNeed, data: Mapping[str, Any]) -> InkindNeed:
    """Change a need; the audit entry names the fields that changed (not their values)."""
    cleaned = clean_need(ctx, data, need)
    changed = _changed(need, cleaned)
    for name in changed:
        setattr(need, name, cleaned[name])
    if changed:
        db.session.flush()
        audit.record(ctx, "inkind_need.updated", "inkind_need", need.id, fields=changed)
    return need


def close_need(ctx: WorkspaceContext, need: InkindNeed) -> bool:
    """Close a need that is no longer needed (it stays on record); False when it was closed already."""
    if need.status == NeedStatus.CLOSED:
        return False
    previous = need.status
    need.status = NeedStatus.CLOSED
    db.session.flush()
    audit.record(ctx, "inkind_need.closed", "inkind_need", need.id, old=NeedStatus(previous).value)
    return True


def match_offer(ctx: WorkspaceContext, need: InkindNeed, data: Mapping[str, Any]) -> InkindMatch:
    """Match an offer to ``need`` (coordinators). The offer becomes "matched" when it was available; the
    need becomes "met" unless ``more_needed``. A closed need, a withdrawn or used-up offer and a pair
    matched already are refused at the field."""
    if need.status == NeedStatus.CLOSED:
        raise ServiceError("This need is closed. Reopen it (edit its status) before matching an offer.")
    offer_id = parse_id(data.get("offer_id"))
    if offer_id is None:
        raise ServiceError("Choose the offer that meets this need.", "offer_id")
    offer = db.session.scalars(scoped(select(InkindOffer).where(InkindOffer.id == offer_id))).one_or_none()
    if offer is None:
        raise ServiceError("Choose an offer from the list.", "offer_id")
    if offer.status not in MATCHABLE:
        state = "was withdrawn" if offer.status == OfferStatus.WITHDRAWN else "is used up"
        raise ServiceError(f"That offer {state}: choose another.", "offer_id")
    note = form_text(data, "note", NOTE_MAX)
    duplicate = "That offer is matched to this need already."
    if db.session.scalar(
        scoped(select(InkindMatch.id).where(InkindMatch.offer_id == offer.id, InkindMatch.need_id == need.id))
    ):
        raise ServiceError(duplicate, "offer_id")
    match = InkindMatch(
        offer_id=offer.id,
        need_id=need.id,
        note=note,
        matched_by_membership_id=ctx.membership.id if ctx.membership else None,
    )
    try:
        with db.session.begin_nested():  # two coordinators matching the same pair at once
            db.session.add(match)
            db.session.flush()
    except IntegrityError:
        raise ServiceError(duplicate, "offer_id") from None
    if offer.status == OfferStatus.AVAILABLE:
        offer.status = OfferStatus.MATCHED
    more_needed = bool(data.get("more_needed"))
    if not more_needed and need.status == NeedStatus.OPEN:
        need.status = NeedStatus.MET
    db.session.flush()
    audit.record(
        ctx,
        "inkind_match.created",
        "inkind_need",
        need.id,
        offer_id=offer.id,
        match_id=match.id,
        more_needed=more_needed,
    )
    return match


@dataclass
class Unmatched:
    """What removing a match did: the offer back to available, the need reopened."""

    need_id: int
    offer_available: bool = False
    need_reopened: bool = False


def unmatch(ctx: WorkspaceContext, match: InkindMatch) -> Unmatched:
    """Remove a match (coordinators). An offer left "matched" with no other match is available again; a
    need left "met" with no other match is open again."""
    offer = db.session.scalars(scoped(select(InkindOffer).where(InkindOffer.id == match.offer_id))).one()
    need = db.session.scalars(scoped(select(InkindNeed).where(InkindNeed.id == match.need_id))).one()
    done = Unmatched(need.id)
    match_id = match.id
    db.session.delete(match)
    db.session.flush()
    if offer.status == OfferStatus.MATCHED and not _has_matches(offer.id):
        offer.status = OfferStatus.AVAILABLE
        done.offer_available = True
    others = select(InkindMatch.id).where(InkindMatch.need_id == need.id).limit(1)
    if need.status == NeedStatus.MET and db.session.scalar(scoped(others)) is None:
        need.status = NeedStatus.OPEN
        done.need_reopened = True
    db.session.flush()
    audit.record(ctx, "inkind_match.removed", "inkind_need", need.id, offer_id=offer.id, match_id=match_id)
    return done


# --- the setup guide ---------------------------------------------------------------------------------


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The guide's ``in_kind`` fact: offers on record that were not withdrawn, counted up to a few."""
    return {"inkind_offers": capped_count(select(InkindOffer.id).where(InkindOffer.status != OfferStatus.WITHDRAWN))}


# --- demo data and the route walk's seed -------------------------------------------------------------


def _first_organization() -> int | None:
    return db.session.scalar(scoped(select(Organization.id).order_by(Organization.id).limit(1)))


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """An offer, a need and a match between them (the route walk's ``inkind_offer_id``,
    ``inkind_need_id`` and ``inkind_match_id``)."""
    organization = _first_organization()
    offer = create_offer(
        ctx,
        {
            "kind": "skills",
            "title": "Seeded pro bono legal hours",
            "description": "Help with T-visa applications.",
            "organization_id": organization,
            "hours": "20",
            "available_until": ctx.today() + timedelta(days=90),
        },
    )
    need = create_need(ctx, {"title": "Seeded need for interpreters", "details": "Two interpreters.", "kind": "skills"})
    match_offer(ctx, need, {"offer_id": offer.id, "note": "Seeded match"})


def _demo_membership(people: dict, local: str) -> int | None:
    """The demo person's membership id (``people`` maps email local parts to users)."""
    user = people.get(local)
    if user is None:
        return None
    return db.session.scalar(scoped(select(Membership.id).where(Membership.user_id == user.id)))


DEMO_ORGANIZATIONS = (
    ("Metropolitan State University – School of Social Work", ()),
    ("Baker & Lindqvist LLP", ("legal_assistance",)),
    ("St. Mark's Community Church", ("dvs_faith_based",)),
)


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """Three offers (a university's student placements, a law firm's pro bono hours, a church's meeting
    space) from three organizations that join the directory, and two needs (interpreters for survivor
    interviews; a room for the advisory board's meetings), the second met by the church's space."""
    from partnership_hub.members import services as members

    organizations = [
        members.create_organization(ctx, members.OrganizationData(name=name, sectors=sectors)).id
        for name, sectors in DEMO_ORGANIZATIONS
    ]
    university, law_firm, church = organizations
    today = ctx.today()
    create_offer(
        ctx,
        {
            "kind": "student_placement",
            "title": "Social work student placements",
            "description": "Two MSW students for the spring semester, supervised by faculty. Suited to case "
            "management support, outreach and resource mapping.",
            "organization_id": university,
            "offered_by_membership_id": _demo_membership(people, "marcus.bell"),
            "hours": "512",
            "quantity": "2 students, 16 hours a week each",
            "available_from": today + timedelta(days=30),
            "available_until": today + timedelta(days=150),
        },
    )
    create_offer(
        ctx,
        {
            "kind": "skills",
            "title": "Pro bono legal hours for T-visa applications",
            "description": "Attorneys experienced in immigration relief for survivors: T-visa and U-visa "
            "applications, and advice to advocates.",
            "organization_id": law_firm,
            "offered_by_membership_id": _demo_membership(people, "priya.raman"),
            "hours": "120",
            "available_until": today + timedelta(days=365),
        },
    )
    room = create_offer(
        ctx,
        {
            "kind": "space",
            "title": "Meeting room with a private entrance",
            "description": "A quiet, accessible room for up to 15 people, near the light rail, with a separate "
            "side entrance.",
            "organization_id": church,
            "offered_by_membership_id": _demo_membership(people, "luis.ortega"),
            "quantity": "1 room, Tuesday and Thursday evenings",
            "available_from": today,
        },
    )
    create_need(
        ctx,
        {
            "title": "Interpreters for survivor interviews",
            "details": "Spanish and Amharic interpreters, trained in trauma-informed interpreting, for intake "
            "interviews with survivors over the next three months.",
            "kind": "skills",
            "needed_by": today + timedelta(days=21),
        },
    )
    board_room = create_need(
        ctx,
        {
            "title": "A room for the advisory board's meetings",
            "details": "A private, accessible room for the survivor advisory board's monthly evening meetings, "
            "close to transit.",
            "kind": "space",
            "needed_by": today + timedelta(days=14),
        },
    )
    match_offer(
        ctx, board_room, {"offer_id": room.id, "note": "Tuesday evenings from next month; use the side entrance."}
    )
