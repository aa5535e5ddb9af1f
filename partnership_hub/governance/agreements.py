"""The governance area's agreements section: information-sharing agreements between member
organizations (the toolkit's "Are information-sharing agreements in place between members?").

An agreement has two or more parties (organizations of this partnership), a scope (what is shared
and what is not), its legal basis and notes, when and by whom it was signed, review and expiry
dates, document links and a status. The stored status is draft, active or withdrawn; "expired" is
derived when read: an active agreement whose expiry date is before the partnership's today
(``effective_status``, one SQL expression beside its Python twin ``status_on``), so every list,
count and filter agrees and nothing flips rows at midnight. Active agreements expiring within
``EXPIRING_DAYS`` are "expiring soon".

Everyone in the partnership reads agreements (they are workspace records, not confidential).
Coordinators record and change any agreement; other contributors those with a party they represent.
Services that depend on the date take ``today`` so callers (and tests) decide what day it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, exists, literal, select
from sqlalchemy.orm import aliased

from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import SqlDate, viewer_parameter
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, select_scalars, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import is_web_address, max_length
from partnership_hub.governance.agreements_models import (
    STORED_STATUSES,
    AgreementStatus,
    SharingAgreement,
    SharingAgreementParty,
)
from partnership_hub.members import services as members
from partnership_hub.members.models import Organization, Representative, name_key
from partnership_hub.pagination import COUNT_CAP, Page, paginate
from partnership_hub.parsing import date_error, form_text, parse_date, parse_id, parse_ids
from partnership_hub.picking import Pick, chosen_ids, pick_together
from partnership_hub.workspaces.models import Role
from partnership_hub.workspaces.services import capped_count

PAGE_SIZE = 25
EXPIRING_DAYS = 60  # "expiring soon": active and expiring within this many days
EXPIRING_UNTIL = viewer_parameter(
    "agreements_expiring_until", Date(), lambda ctx: ctx.today() + timedelta(days=EXPIRING_DAYS)
)
ATTENTION_CAP = 100  # the overview card's and the home's counts stop here ("100+")
TITLE_MAX = max_length(SharingAgreement.__table__.c.title)
TEXT_MAX = 4000  # each long text field
LINKS_MAX = 10  # document links per agreement
LINK_MAX = 500  # characters per link
SIGNATORIES_MAX = 30  # lines
PARTIES_MAX = 50

STATUS_LABELS: dict[AgreementStatus, str] = {
    AgreementStatus.DRAFT: "Draft",
    AgreementStatus.ACTIVE: "Active",
    AgreementStatus.EXPIRED: "Expired",
    AgreementStatus.WITHDRAWN: "Withdrawn",
}
# What the list filters on: every status, plus "expiring soon" (active, expiring within EXPIRING_DAYS).
EXPIRING = "expiring"
FILTER_LABELS: dict[str, str] = {
    "": "Any status",
    EXPIRING: f"Expiring within {EXPIRING_DAYS} days",
    **{status.value: label for status, label in STATUS_LABELS.items()},
}
EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "organization_ids",
    "shared_scope",
    "not_shared",
    "legal_basis",
    "notes",
    "signed_on",
    "signatories",
    "review_on",
    "expires_on",
    "status",
    "document_links",
)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- status over time ---------------------------------------------------------------------------


def effective_status(today: date) -> ColumnElement[str]:
    """SQL: the status as of ``today`` — the stored one, except "expired" for an active agreement
    whose expiry date has passed (``status_on`` is its Python twin)."""
    return case(
        (
            and_(SharingAgreement.status == AgreementStatus.ACTIVE, SharingAgreement.expires_on < today),
            literal(AgreementStatus.EXPIRED.value),
        ),
        else_=SharingAgreement.status,
    )


def status_on(agreement: SharingAgreement, today: date) -> AgreementStatus:
    """The agreement's status as of ``today`` (``effective_status`` in Python)."""
    if agreement.status == AgreementStatus.ACTIVE and agreement.expires_on and agreement.expires_on < today:
        return AgreementStatus.EXPIRED
    return AgreementStatus(agreement.status)


def status_clause(status: str, today: SqlDate, expiring_until: SqlDate | None = None) -> ColumnElement[bool]:
    """SQL: agreements whose status as of ``today`` is ``status`` (or "expiring": active, expiring
    by ``expiring_until``, ``EXPIRING_DAYS`` after ``today`` unless given). Written as ranges of
    ``ix_sharing_agreements_status_expires_on``."""
    active = SharingAgreement.status == AgreementStatus.ACTIVE
    if status == AgreementStatus.EXPIRED:
        return and_(active, SharingAgreement.expires_on < today)
    if status == AgreementStatus.ACTIVE:
        return and_(active, (SharingAgreement.expires_on >= today) | SharingAgreement.expires_on.is_(None))
    if status == EXPIRING:
        until = today + timedelta(days=EXPIRING_DAYS) if expiring_until is None else expiring_until
        return and_(active, SharingAgreement.expires_on.between(today, until))
    return SharingAgreement.status == AgreementStatus(status)


def is_expiring(agreement: SharingAgreement, today: date) -> bool:
    """Active and expiring within ``EXPIRING_DAYS`` (today included)."""
    expires = agreement.expires_on
    return (
        agreement.status == AgreementStatus.ACTIVE
        and expires is not None
        and today <= expires <= today + timedelta(days=EXPIRING_DAYS)
    )


# --- reading ------------------------------------------------------------------------------------


@dataclass
class AgreementEntry:
    """An agreement with what its pages show beside it, as of ``today``."""

    agreement: SharingAgreement
    parties: list[tuple[int, str]]  # (organization id, name), by name
    status: AgreementStatus
    expiring: bool
    days_left: int | None  # days until expiry (negative once expired), None without an expiry date
    # The viewer's membership id when they represent one of the parties (the edit rule reads it).
    represented_by: int | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def links(self) -> list[str]:
        return [line for line in self.agreement.document_links.splitlines() if line.strip()]

    @property
    def signatory_lines(self) -> list[str]:
        return [line for line in self.agreement.signatories.splitlines() if line.strip()]


def _entry(agreement: SharingAgreement, parties: list[tuple[int, str]], today: date, me: int | None = None):
    status = status_on(agreement, today)
    days_left = (agreement.expires_on - today).days if agreement.expires_on else None
    return AgreementEntry(agreement, parties, status, is_expiring(agreement, today), days_left, me)


@dataclass(frozen=True)
class AgreementFilters:
    """What the list is narrowed to. Empty values mean "any"."""

    status: str = ""  # "", "expiring" or an AgreementStatus value
    organization: str = ""  # "" or an organization id

    @property
    def active(self) -> bool:
        return bool(self.status or self.organization)

    def query_args(self) -> dict[str, str]:
        return {key: value for key, value in (("status", self.status), ("organization", self.organization)) if value}


def parse_filters(args: Any) -> AgreementFilters:
    """The list's filters from a query string; unknown or malformed values mean "any"."""
    status = args.get("status", "")
    organization = parse_id(args.get("organization", ""))
    return AgreementFilters(status if status in FILTER_LABELS else "", str(organization) if organization else "")


def _narrowed(stmt, filters: AgreementFilters, today: date):
    if filters.status:
        stmt = stmt.where(status_clause(filters.status, today))
    if filters.organization:
        stmt = stmt.where(
            exists().where(
                SharingAgreementParty.agreement_id == SharingAgreement.id,
                SharingAgreementParty.organization_id == int(filters.organization),
            )
        )
    return stmt


def _parties_of(agreement_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Each agreement's parties (id, name) by name, for a page of agreements (one query)."""
    # Run even for an empty page, so the page's statement count never depends on its data.
    found: dict[int, list[tuple[int, str]]] = {agreement_id: [] for agreement_id in agreement_ids}
    stmt = (
        select(SharingAgreementParty.agreement_id, Organization.id, Organization.name)
        .join(Organization, Organization.id == SharingAgreementParty.organization_id)
        .where(SharingAgreementParty.agreement_id.in_(agreement_ids))
        .order_by(Organization.name_key, Organization.id)
    )
    for agreement_id, organization_id, name in db.session.execute(scoped(stmt)):
        found[agreement_id].append((organization_id, name))
    return found


def search_agreements(
    ctx: WorkspaceContext, filters: AgreementFilters, today: date, page: int = 1, page_size: int = PAGE_SIZE
) -> Page[AgreementEntry]:
    """One page of agreements (newest first) matching ``filters`` as of ``today``, with the total
    counted up to ``COUNT_CAP`` past the page, and each one's parties: two queries at any size."""
    stmt = _narrowed(select(SharingAgreement, effective_status(today)), filters, today)
    found = paginate(scoped(stmt.order_by(SharingAgreement.id.desc())), page, page_size, cap=COUNT_CAP)
    parties = _parties_of([agreement.id for agreement, _status in found.items])
    entries = []
    for agreement, status in found.items:
        entry = _entry(agreement, parties[agreement.id], today)
        entry.status = AgreementStatus(status)  # the SQL's word (``status_on`` agrees: tests/governance)
        entries.append(entry)
    return Page(entries, found.total, found.page, found.page_size, found.exact)


def get_entry(ctx: WorkspaceContext, sharing_agreement_id: Any, today: date) -> AgreementEntry:
    """One agreement with its parties and whether the viewer represents one of them (one query);
    ``NotFound`` when there is none in this partnership."""
    agreement_id = parse_id(sharing_agreement_id)
    if agreement_id is None:
        raise NotFound("sharing agreement (not an id)")
    me = ctx.membership.id if ctx.membership else None
    represents = (
        exists().where(
            Representative.organization_id == SharingAgreementParty.organization_id,
            Representative.membership_id == me,
        )
        if me is not None
        else literal(False)
    )
    stmt = (
        select(SharingAgreement, Organization.id, Organization.name, represents)
        .outerjoin(SharingAgreementParty, SharingAgreementParty.agreement_id == SharingAgreement.id)
        .outerjoin(Organization, Organization.id == SharingAgreementParty.organization_id)
        .where(SharingAgreement.id == agreement_id)
        .order_by(Organization.name_key, Organization.id)
    )
    rows = db.session.execute(scoped(stmt)).all()
    if not rows:
        raise NotFound(f"sharing agreement {agreement_id}")
    parties = [(row[1], row[2]) for row in rows if row[1] is not None]
    represented = any(row[3] for row in rows if row[1] is not None)
    return _entry(rows[0][0], parties, today, me if represented else None)


# --- pickers ------------------------------------------------------------------------------------


def pick_parties(chosen: list[int], query: str = "") -> Pick:
    """The parties picker: the chosen organizations and a page of active ones (one statement)."""
    return pick_together({"parties": members.organizations_spec(chosen, query=query)})["parties"]


def pick_organization_filter(query: str, current: str) -> Pick:
    """The organization filter: the one filtered on now and a page of matches (one statement). Archived
    organizations stay pickable here: their old agreements are still listed."""
    spec = members.organizations_spec(chosen_ids([current]), query=query, archived_too=True)
    return pick_together({"organization": spec})["organization"]


# --- validation and writes ----------------------------------------------------------------------


def _date(data: dict, name: str, what: str) -> date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        checked = parse_date(value)
        if checked is None:
            raise ServiceError(date_error(value.isoformat()) or f"Enter the {what} as year-month-day.", name)
        return checked
    message = f"Enter the {what} as year-month-day, e.g. 2026-05-31."
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
        raise ServiceError(message, name)
    parsed = parse_date(value)
    if parsed is None:
        try:
            date.fromisoformat(value.strip())
        except ValueError:
            raise ServiceError(message, name) from None
        raise ServiceError(date_error(value) or message, name)
    return parsed


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _links(data: dict) -> str:
    lines = _lines(form_text(data, "document_links", LINKS_MAX * (LINK_MAX + 1)))
    if len(lines) > LINKS_MAX:
        raise ServiceError(f"Add at most {LINKS_MAX} links.", "document_links")
    for line in lines:
        if len(line) > LINK_MAX or not is_web_address(line):
            shown = line if len(line) <= 60 else line[:57] + "…"
            raise ServiceError(
                f"“{shown}” is not a web address. Put one address per line, starting with https:// or http://.",
                "document_links",
            )
    return "\n".join(lines)


def _party_ids(ctx: WorkspaceContext, data: dict) -> list[int]:
    raw = data.get("organization_ids") or []
    if isinstance(raw, str | int):
        raw = [raw]
    values = [str(value).strip() for value in raw if str(value).strip()]
    ids = parse_ids(values)
    message = "Choose organizations of this partnership from the list."
    if len(ids) != len(set(values)):
        raise ServiceError(message, "organization_ids")
    if len(ids) < 2:
        raise ServiceError(
            "Choose at least two organizations: an agreement is between two or more.", "organization_ids"
        )
    if len(ids) > PARTIES_MAX:
        raise ServiceError(f"Choose at most {PARTIES_MAX} organizations.", "organization_ids")
    # Only this partnership's organizations exist here (the tenancy filter); another partnership's
    # id is simply not found, and the composite keys would refuse it anyway.
    known = set(db.session.scalars(scoped(select(Organization.id).where(Organization.id.in_(ids)))))
    if known != set(ids):
        raise ServiceError(message, "organization_ids")
    return ids


def _represents_any(ctx: WorkspaceContext, organization_ids: list[int]) -> bool:
    if ctx.membership is None:
        return False
    stmt = select(Representative.id).where(
        Representative.membership_id == ctx.membership.id, Representative.organization_id.in_(organization_ids)
    )
    return db.session.scalar(scoped(stmt.limit(1))) is not None


def clean_agreement_data(ctx: WorkspaceContext, data: dict[str, Any]) -> dict[str, Any]:
    """Checked values for an agreement; ServiceError (naming the field) for the first problem.

    Two or more parties, all organizations of this partnership; a non-coordinator must represent one
    of them. Expiry on or after signature; a review date on or before expiry (a review after the
    agreement has ended reviews nothing, so it is refused, not warned about). An active agreement
    needs its signature date. Links are http(s) web addresses, one per line."""
    cleaned: dict[str, Any] = {"title": form_text(data, "title", TITLE_MAX)}
    if not cleaned["title"]:
        raise ServiceError("Enter the agreement's title.", "title")
    ids = _party_ids(ctx, data)
    if ctx.role != Role.COORDINATOR and not _represents_any(ctx, ids):
        raise ServiceError(
            "Include an organization you represent (coordinators may record any agreement).", "organization_ids"
        )
    cleaned["organization_ids"] = ids
    for name in ("shared_scope", "not_shared", "legal_basis", "notes"):
        cleaned[name] = form_text(data, name, TEXT_MAX)
    signatories = _lines(form_text(data, "signatories", TEXT_MAX))
    if len(signatories) > SIGNATORIES_MAX:
        raise ServiceError(f"List at most {SIGNATORIES_MAX} signatories.", "signatories")
    cleaned["signatories"] = "\n".join(signatories)
    cleaned["signed_on"] = _date(data, "signed_on", "date it was signed")
    cleaned["review_on"] = _date(data, "review_on", "review date")
    cleaned["expires_on"] = _date(data, "expires_on", "expiry date")
    status = data.get("status") or AgreementStatus.DRAFT
    try:
        cleaned["status"] = AgreementStatus(status)
    except ValueError:
        raise ServiceError("Choose a status from the list.", "status") from None
    if cleaned["status"] not in STORED_STATUSES:
        raise ServiceError("“Expired” follows from the expiry date: choose active and set the date instead.", "status")
    signed, review, expires = cleaned["signed_on"], cleaned["review_on"], cleaned["expires_on"]
    if signed and expires and expires < signed:
        raise ServiceError("The expiry date must be on or after the date it was signed.", "expires_on")
    if review and expires and review > expires:
        raise ServiceError("Set the review date on or before the expiry date.", "review_on")
    if cleaned["status"] == AgreementStatus.ACTIVE and signed is None:
        raise ServiceError("Enter the date it was signed: an active agreement has been signed.", "signed_on")
    cleaned["document_links"] = _links(data)
    return cleaned


def _set_parties(agreement: SharingAgreement, ids: list[int]) -> bool:
    current = set(
        db.session.scalars(
            scoped(
                select(SharingAgreementParty.organization_id).where(SharingAgreementParty.agreement_id == agreement.id)
            )
        )
    )
    wanted = set(ids)
    if current == wanted:
        return False
    if current - wanted:
        for party in db.session.scalars(
            scoped(
                select(SharingAgreementParty).where(
                    SharingAgreementParty.agreement_id == agreement.id,
                    SharingAgreementParty.organization_id.in_(current - wanted),
                )
            )
        ):
            db.session.delete(party)
    db.session.add_all(
        SharingAgreementParty(agreement_id=agreement.id, organization_id=organization_id)
        for organization_id in sorted(wanted - current)
    )
    return True


def _apply_status(agreement: SharingAgreement, status: AgreementStatus) -> None:
    if status == AgreementStatus.WITHDRAWN and agreement.status != AgreementStatus.WITHDRAWN:
        agreement.withdrawn_at = utcnow()
    elif status != AgreementStatus.WITHDRAWN:
        agreement.withdrawn_at = None
    agreement.status = status


def create_agreement(ctx: WorkspaceContext, data: dict[str, Any]) -> SharingAgreement:
    """Record an information-sharing agreement (by ``ctx``'s member)."""
    cleaned = clean_agreement_data(ctx, data)
    ids, status = cleaned.pop("organization_ids"), cleaned.pop("status")
    agreement = SharingAgreement(
        **cleaned, status=AgreementStatus.DRAFT, created_by_membership_id=ctx.membership.id if ctx.membership else None
    )
    _apply_status(agreement, status)
    db.session.add(agreement)
    db.session.flush()
    _set_parties(agreement, ids)
    db.session.flush()
    audit.record(
        ctx, "sharing_agreement.created", "sharing_agreement", agreement.id, status=status.value, organization_ids=ids
    )
    return agreement


def update_agreement(ctx: WorkspaceContext, agreement: SharingAgreement, data: dict[str, Any]) -> SharingAgreement:
    """Change an agreement; the audit entry names the fields that changed (not their values)."""
    cleaned = clean_agreement_data(ctx, data)
    ids = cleaned.pop("organization_ids")
    changed = sorted(name for name, value in cleaned.items() if getattr(agreement, name) != value)
    for name in changed:
        if name == "status":
            _apply_status(agreement, cleaned[name])
        else:
            setattr(agreement, name, cleaned[name])
    if _set_parties(agreement, ids):
        changed.append("parties")
    if changed:
        db.session.flush()
        audit.record(ctx, "sharing_agreement.updated", "sharing_agreement", agreement.id, fields=changed)
    return agreement


def withdraw_agreement(ctx: WorkspaceContext, agreement: SharingAgreement) -> bool:
    """Withdraw an agreement (it stays on record); False when it was withdrawn already."""
    if agreement.status == AgreementStatus.WITHDRAWN:
        return False
    previous = agreement.status
    _apply_status(agreement, AgreementStatus.WITHDRAWN)
    db.session.flush()
    audit.record(ctx, "sharing_agreement.withdrawn", "sharing_agreement", agreement.id, old=previous.value)
    return True


# --- counts: the overview card, the home, the setup guide ---------------------------------------


def _counts(today: SqlDate, expiring_until: SqlDate | None = None) -> dict[str, Any]:
    def counted(status: str) -> Any:
        rule = status_clause(status, today, expiring_until)
        return capped_count(select(SharingAgreement.id).where(rule), ATTENTION_CAP + 1)

    return {
        "agreements_active": counted(AgreementStatus.ACTIVE),
        "agreements_expiring": counted(EXPIRING),
        "agreements_expired": counted(AgreementStatus.EXPIRED),
    }


@dataclass(frozen=True)
class Count:
    value: int

    @property
    def label(self) -> str:
        return f"{ATTENTION_CAP}+" if self.value > ATTENTION_CAP else f"{self.value:,}"


def overview_card(ctx: WorkspaceContext, today: date | None = None) -> dict[str, Any]:
    """The governance overview's card: active, expiring-soon and expired agreements (ONE statement,
    each count stopping at ``ATTENTION_CAP``)."""
    values = select_scalars(db.session, _counts(today or ctx.today()))
    return {
        "active": Count(values["agreements_active"] or 0),
        "expiring": Count(values["agreements_expiring"] or 0),
        "expired": Count(values["agreements_expired"] or 0),
        "expiring_days": EXPIRING_DAYS,
        "may_create": ctx.can("agreements.create"),
    }


def home_attention_scalars(ctx: WorkspaceContext) -> dict[str, Any]:
    """The coordinators' home panel's numbers, evaluated with the home's other scalars (no round trip of its own)."""
    return _counts(ctx.today(), ctx.value(EXPIRING_UNTIL))


def home_attention_panel(ctx: WorkspaceContext, values: dict[str, Any]) -> dict[str, Any] | None:
    """Home panel for coordinators: agreements expiring soon or expired; None when there are none."""
    expiring, expired = values.get("agreements_expiring") or 0, values.get("agreements_expired") or 0
    if not (expiring or expired):
        return None
    return {"expiring": Count(expiring), "expired": Count(expired), "expiring_days": EXPIRING_DAYS}


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The setup guide's fact: active (unexpired) agreements, counted up to a few (any will do)."""
    return {"active_agreements": capped_count(select(SharingAgreement.id).where(status_clause("active", ctx.today())))}


# --- the CSV export -----------------------------------------------------------------------------

CSV_HEADER = (
    "Agreement",
    "Status",
    "Expiring soon",
    "Parties",
    "What is shared",
    "What is not shared",
    "Legal basis",
    "Signed",
    "Signatories",
    "Review",
    "Expires",
    "Document links",
    "Notes",
)


def export_rows(ctx: WorkspaceContext, filters: AgreementFilters, today: date) -> Iterator[tuple[object, ...]]:
    """The agreements matching ``filters`` as CSV rows (``CSV_HEADER``), newest first. Two queries run
    as the download streams (the agreements 500 at a time, and every matching agreement's parties
    once), whatever the count."""
    stmt = _narrowed(select(SharingAgreement), filters, today).order_by(SharingAgreement.id.desc())
    party = aliased(SharingAgreementParty)
    parties_stmt = (
        select(party.agreement_id, Organization.name)
        .join(Organization, Organization.id == party.organization_id)
        .where(party.agreement_id.in_(_narrowed(select(SharingAgreement.id), filters, today).scalar_subquery()))
        .order_by(Organization.name_key)
    )

    def rows() -> Iterator[tuple[object, ...]]:
        names: dict[int, list[str]] = {}
        for agreement_id, name in db.session.execute(scoped(parties_stmt)):
            names.setdefault(agreement_id, []).append(name)
        for agreement in db.session.scalars(scoped(stmt.execution_options(yield_per=500))):
            status = status_on(agreement, today)
            yield (
                agreement.title,
                STATUS_LABELS[status],
                "yes" if is_expiring(agreement, today) else "no",
                "; ".join(names.get(agreement.id, [])),
                agreement.shared_scope,
                agreement.not_shared,
                agreement.legal_basis,
                agreement.signed_on.isoformat() if agreement.signed_on else "",
                "; ".join(_lines(agreement.signatories)),
                agreement.review_on.isoformat() if agreement.review_on else "",
                agreement.expires_on.isoformat() if agreement.expires_on else "",
                " ".join(_lines(agreement.document_links)),
                agreement.notes,
            )

    return rows()


# --- demo data and the route walk's seed --------------------------------------------------------


def _two_organizations(ctx: WorkspaceContext) -> list[int]:
    ids = list(db.session.scalars(scoped(select(Organization.id).order_by(Organization.id).limit(3))))
    while len(ids) < 2:
        name = f"Seeded Partner Organization {len(ids) + 1}"
        organization = Organization(name=name, name_key=name_key(name))
        db.session.add(organization)
        db.session.flush()
        ids.append(organization.id)
    return ids


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """One active agreement between two organizations (for the route walk's ``sharing_agreement_id``)."""
    ids = _two_organizations(ctx)
    today = ctx.today()
    create_agreement(
        ctx,
        {
            "title": "Seeded information-sharing agreement",
            "organization_ids": ids[:2],
            "shared_scope": "Referral contact details",
            "signed_on": today - timedelta(days=30),
            "expires_on": today + timedelta(days=365),
            "status": "active",
            "document_links": "https://example.org/agreement.pdf",
        },
    )


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """Three agreements between the demo organizations: one active, one expiring in 30 days, one expired."""
    ids = _two_organizations(ctx)
    today = ctx.today()
    third = ids[2:3]
    demo = (
        {
            "title": "Referral data-sharing agreement",
            "organization_ids": ids[:2] + third,
            "shared_scope": "Referral contact details and the date and type of each referral, with consent.",
            "not_shared": "Case notes, immigration status, anything identifying a survivor without consent.",
            "legal_basis": "Written, informed consent of the person referred; each member's privacy policy.",
            "signed_on": today - timedelta(days=200),
            "signatories": "Executive Director, first party\nProgram Manager, second party",
            "review_on": today + timedelta(days=160),
            "expires_on": today + timedelta(days=530),
            "status": "active",
            "document_links": "https://example.org/agreements/referral-data-sharing.pdf",
        },
        {
            "title": "Aggregate statistics exchange",
            "organization_ids": ids[:2],
            "shared_scope": "Quarterly counts of cases served by service type, never below five per cell.",
            "not_shared": "Any row-level or identifying data.",
            "legal_basis": "Aggregate, de-identified data only.",
            "signed_on": today - timedelta(days=335),
            "signatories": "Data Officer, first party\nResearch Lead, second party",
            "review_on": today + timedelta(days=10),
            "expires_on": today + timedelta(days=30),
            "status": "active",
        },
        {
            "title": "Joint training attendance lists",
            "organization_ids": ids[:2],
            "shared_scope": "Names and agencies of staff attending joint trainings.",
            "not_shared": "Personal contact details beyond work email.",
            "signed_on": today - timedelta(days=500),
            "expires_on": today - timedelta(days=20),
            "status": "active",
        },
    )
    for data in demo:
        create_agreement(ctx, data)
