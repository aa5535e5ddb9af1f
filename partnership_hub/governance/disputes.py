"""The dispute log: services and reads of the governance area's disputes section.

A dispute is confidential (``leadership``): coordinators see every dispute; the handler and the
member parties are admitted by grants the services keep in step with the dispute (reasons
``HANDLER_REASON`` / ``PARTY_REASON``); a coordinator may share one dispute with other named people
and revoke that. Every list, count and fact here filters with ``confidentiality.visible``, so a
number never tells anyone that a dispute they may not see exists; a single dispute is loaded with the
same clause (anything else is a 404). Reads are access-logged by the confidentiality layer; every
change writes an audit entry holding ids only, never the dispute's words.

The timeline is append-only: entries are added, never edited (a correction is a new entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, and_, case, exists, func, literal, select, union_all
from sqlalchemy.orm import aliased

from partnership_hub import confidentiality
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import ConfidentialGrant, Level, visible
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.governance.disputes_models import (
    ENDING,
    KIND_LABELS,
    STATUS_LABELS,
    Dispute,
    DisputeEntry,
    DisputeKind,
    DisputeMember,
    DisputeOrganization,
    DisputePath,
    DisputeStatus,
)
from partnership_hub.members.models import Organization
from partnership_hub.pagination import Page, paginate
from partnership_hub.parsing import form_ids, form_text
from partnership_hub.picking import contains
from partnership_hub.workspaces.models import Membership, Role, User

TITLE_MAX = max_length(Dispute.__table__.c.title)
TEXT_MAX = 4000
REASON_MAX = 500
PARTIES_MAX = 20  # organizations, and members, a dispute names (its page lists them all)
SHARES_MAX = 20  # people a coordinator shares one dispute with
LOG_PAGE_SIZE = 25
TIMELINE_PAGE_SIZE = 20
COUNT_CAP = 1000

HANDLER_REASON = "Handles this dispute"
PARTY_REASON = "Named as a party"
AUTOMATIC_REASONS = frozenset({HANDLER_REASON, PARTY_REASON})
ADVISOR_LABEL = "A survivor advisor"

ACTIVE = (DisputeStatus.OPEN, DisputeStatus.IN_PROGRESS, DisputeStatus.ESCALATED)


# --- who sees what ------------------------------------------------------------------------------


def may_see_any(ctx: WorkspaceContext) -> bool:
    """Without a query: whether ``ctx``'s member could ever see a dispute (observers never can)."""
    return ctx.membership is not None and ctx.membership.role != Role.OBSERVER


def get_visible_dispute(ctx: WorkspaceContext, dispute_id: int) -> Dispute:
    """The dispute, if it is this partnership's and the viewer may read it; else ``NotFound`` (404,
    the same answer as for a dispute that does not exist)."""
    stmt = select(Dispute).where(Dispute.id == dispute_id, visible(ctx, Dispute))
    dispute = db.session.scalars(scoped(stmt)).one_or_none() if may_see_any(ctx) else None
    if dispute is None:
        raise NotFound(f"dispute {dispute_id}")
    return dispute


def _person_label(ctx: WorkspaceContext) -> Any:
    """SQL: a person's name, or "A survivor advisor" for viewers who may not know who advisors are."""
    if ctx.can("members.view_survivor_advisors"):
        return User.name
    me = ctx.membership.id if ctx.membership else None
    hidden = and_(Membership.role == Role.SURVIVOR_ADVISOR, Membership.id != me)
    return case((hidden, literal(ADVISOR_LABEL)), else_=User.name)


# --- the log ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogFilters:
    status: str = ""
    q: str = ""

    def query_args(self) -> dict[str, str]:
        return {name: value for name, value in (("status", self.status), ("q", self.q)) if value}


@dataclass(frozen=True)
class LogRow:
    id: int
    title: str
    kind: DisputeKind
    status: DisputeStatus
    opened_on: date
    handler: str | None


def dispute_log(ctx: WorkspaceContext, filters: LogFilters, page: int) -> Page[LogRow]:
    """One page of the disputes the viewer may see, newest first (ONE statement; count capped)."""
    handler = aliased(Membership)
    label = _person_label(ctx)
    if not may_see_any(ctx):
        return Page([], 0, 1, LOG_PAGE_SIZE)
    where = [visible(ctx, Dispute)]
    if filters.status:
        where.append(Dispute.status == DisputeStatus(filters.status))
    if filters.q:
        where.append(contains((Dispute.title,), filters.q))
    name = (
        select(label)
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.id == handler.id)
        .scalar_subquery()
    )
    stmt = (
        select(Dispute.id, Dispute.title, Dispute.kind, Dispute.status, Dispute.opened_on, name.label("handler"))
        .outerjoin(handler, handler.id == Dispute.handler_membership_id)
        .where(*where)
        .order_by(Dispute.id.desc())
    )
    return paginate(
        scoped(stmt),
        page,
        LOG_PAGE_SIZE,
        row=lambda r: LogRow(*r),
        cap=COUNT_CAP,
        count_from=scoped(select(Dispute.id).where(*where)),
    )


def overview_card(ctx: WorkspaceContext) -> dict[str, Any] | None:
    """The governance overview's card: open / in progress / escalated counts over the disputes the
    viewer may see (ONE statement). None for people who may see none (no card, nothing revealed)."""
    if not may_see_any(ctx):
        return None

    def count(*where: Any) -> Any:
        stmt = select(Dispute.id).where(visible(ctx, Dispute), *where).limit(COUNT_CAP)
        return select(func.count()).select_from(stmt.subquery()).scalar_subquery()

    row = db.session.execute(
        select(
            count(Dispute.status == DisputeStatus.OPEN).label("open"),
            count(Dispute.status == DisputeStatus.IN_PROGRESS).label("in_progress"),
            count(Dispute.status == DisputeStatus.ESCALATED).label("escalated"),
            exists(select(Dispute.id).where(visible(ctx, Dispute))).label("any"),
        )
    ).one()
    coordinator = ctx.membership is not None and ctx.membership.role == Role.COORDINATOR
    if not (row.any or coordinator):
        return None
    return {"open": row.open, "in_progress": row.in_progress, "escalated": row.escalated, "cap": COUNT_CAP}


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """The setup guide's conflict question: disputes with a handler, over what the viewer may see."""
    if not may_see_any(ctx):
        return {"disputes_handled": 0}
    stmt = select(Dispute.id).where(visible(ctx, Dispute), Dispute.handler_membership_id.is_not(None))
    return {"disputes_handled": select(func.count()).select_from(stmt.limit(COUNT_CAP).subquery()).scalar_subquery()}


# --- one dispute --------------------------------------------------------------------------------


@dataclass
class People:
    """The named people and organizations of a dispute, as the viewer may read them."""

    organizations: list[tuple[int, str]] = field(default_factory=list)
    members: list[tuple[int, str]] = field(default_factory=list)
    handler: tuple[int, str] | None = None
    shared: list[tuple[int, str, str, date | None]] = field(default_factory=list)  # id, name, reason, ends_on


def dispute_people(ctx: WorkspaceContext, dispute: Dispute) -> People:
    """The dispute's parties, handler and (for coordinators) the people it is shared with, in ONE
    statement. Bounded: a dispute names at most ``PARTIES_MAX`` of each and ``SHARES_MAX`` shares."""
    label = _person_label(ctx)
    none = literal(None, Date)

    def people(kind: str, *where: Any) -> Any:
        return (
            select(literal(kind), Membership.id, label, literal(""), none)
            .join(User, User.id == Membership.user_id)
            .where(*where)
        )

    members = select(DisputeMember.membership_id).where(DisputeMember.dispute_id == dispute.id)
    organizations = select(DisputeOrganization.organization_id).where(DisputeOrganization.dispute_id == dispute.id)
    parts = [
        select(literal("organization"), Organization.id, Organization.name, literal(""), none).where(
            Organization.id.in_(organizations)
        ),
        people("member", Membership.id.in_(members)),
    ]
    if dispute.handler_membership_id is not None:
        parts.append(people("handler", Membership.id == dispute.handler_membership_id))
    if ctx.can("disputes.manage"):
        parts.append(
            select(literal("shared"), Membership.id, label, ConfidentialGrant.reason, ConfidentialGrant.ends_on)
            .join(User, User.id == Membership.user_id)
            .join(ConfidentialGrant, ConfidentialGrant.membership_id == Membership.id)
            .where(
                ConfidentialGrant.record_kind == Dispute.confidential_kind,
                ConfidentialGrant.record_id == dispute.id,
                ConfidentialGrant.reason.notin_(sorted(AUTOMATIC_REASONS)),
            )
        )
    found = People()
    for kind, record_id, name, reason, ends in db.session.execute(union_all(*parts)).all():
        if kind == "organization":
            found.organizations.append((record_id, name))
        elif kind == "member":
            found.members.append((record_id, name))
        elif kind == "handler":
            found.handler = (record_id, name)
        else:
            found.shared.append((record_id, name, reason, ends))
    for items in (found.organizations, found.members, found.shared):
        items.sort(key=lambda item: (item[1].lower(), item[0]))
    return found


def timeline(dispute: Dispute, page: int) -> Page[DisputeEntry]:
    """One page of the dispute's timeline, latest first (ONE statement)."""
    stmt = (
        select(DisputeEntry)
        .where(DisputeEntry.dispute_id == dispute.id)
        .order_by(DisputeEntry.happened_on.desc(), DisputeEntry.id.desc())
    )
    return paginate(scoped(stmt), page, TIMELINE_PAGE_SIZE, cap=COUNT_CAP)


def party_ids(dispute: Dispute) -> tuple[list[int], list[int]]:
    """(organization ids, member ids) named as parties (ONE statement, bounded by ``PARTIES_MAX``)."""
    rows = db.session.execute(
        union_all(
            select(literal("o"), DisputeOrganization.organization_id).where(
                DisputeOrganization.dispute_id == dispute.id
            ),
            select(literal("m"), DisputeMember.membership_id).where(DisputeMember.dispute_id == dispute.id),
        )
    ).all()
    return sorted(i for k, i in rows if k == "o"), sorted(i for k, i in rows if k == "m")


# --- checks on what people type -----------------------------------------------------------------


def _ids(raw: Any, name: str, message: str) -> set[int]:
    ids = form_ids(raw, name, message)
    if len(ids) > PARTIES_MAX:
        raise ServiceError(f"Name at most {PARTIES_MAX}.", name)
    return ids


def _past_or_today(ctx: WorkspaceContext, value: Any, name: str, what: str) -> date:
    if not isinstance(value, date):
        raise ServiceError("Enter a date like 2026-03-31.", name)
    if value > ctx.today():
        raise ServiceError(f"{what} cannot be in the future.", name)
    return value


def _people(ctx: WorkspaceContext, ids: set[int], name: str) -> None:
    """``ids`` are members of this partnership who may be named (not observers: they can only ever
    see what everyone sees). One query with IN, bounded by what the form sent."""
    if not ids:
        return
    stmt = select(Membership.id, Membership.role).where(Membership.id.in_(ids))
    rows: dict[int, Role] = dict(db.session.execute(scoped(stmt)).tuples().all())
    if set(rows) != ids:
        raise ServiceError("Choose people of this partnership.", name)
    if Role.OBSERVER in rows.values():
        raise ServiceError("Observers only see what everyone in the workspace sees; choose someone else.", name)


def _organizations(ids: set[int]) -> None:
    if not ids:
        return
    found = set(
        db.session.scalars(
            scoped(select(Organization.id).where(Organization.id.in_(ids), Organization.archived_at.is_(None)))
        )
    )
    if found != ids:
        raise ServiceError("Choose organizations of this partnership.", "organization_ids")


def clean_dispute_data(ctx: WorkspaceContext, data: dict[str, Any]) -> dict[str, Any]:
    """Checked values for a dispute; ServiceError (naming the field) for the first problem."""
    title = form_text(data, "title", TITLE_MAX, "Give the dispute a short, neutral title.")
    kind = data.get("kind") or ""
    if kind not in KIND_LABELS:
        raise ServiceError("Choose the kind of conflict: personality-driven or priority-driven.", "kind")
    path = data.get("path") or None
    if path is not None and path not in {p.value for p in DisputePath}:
        raise ServiceError("Choose a path from the list.", "path")
    cleaned: dict[str, Any] = {
        "title": title,
        "kind": DisputeKind(kind),
        "path": DisputePath(path) if path else None,
        "opened_on": _past_or_today(ctx, data.get("opened_on") or ctx.today(), "opened_on", "The date it began"),
    }
    handler = _ids([data.get("handler_membership_id")], "handler_membership_id", "Choose a person from the list.")
    _people(ctx, handler, "handler_membership_id")
    cleaned["handler_membership_id"] = min(handler) if handler else None
    organizations = _ids(data.get("organization_ids"), "organization_ids", "Choose organizations from the list.")
    members = _ids(data.get("member_ids"), "member_ids", "Choose people from the list.")
    if not organizations and not members:
        raise ServiceError("Name at least one party: an organization or a member.", "organization_ids")
    _organizations(organizations)
    _people(ctx, members, "member_ids")
    cleaned["organization_ids"], cleaned["member_ids"] = organizations, members
    return cleaned


# --- writes -------------------------------------------------------------------------------------


def _acting(ctx: WorkspaceContext) -> int | None:
    return ctx.membership.id if ctx.membership else None


def _sync_parties(dispute: Dispute, organizations: set[int], members: set[int]) -> None:
    for model, column, wanted in (
        (DisputeOrganization, "organization_id", organizations),
        (DisputeMember, "membership_id", members),
    ):
        existing = {
            getattr(link, column): link
            for link in db.session.scalars(scoped(select(model).where(model.dispute_id == dispute.id)))
        }
        for key in set(existing) - wanted:
            db.session.delete(existing[key])
        for key in sorted(wanted - set(existing)):
            db.session.add(model(dispute_id=dispute.id, **{column: key}))


def _sync_grants(ctx: WorkspaceContext, dispute: Dispute, members: set[int]) -> None:
    """Admit the handler and the member parties by grants; drop the automatic grants of people who
    are no longer either. Grants a coordinator made by sharing stay until revoked."""
    wanted = {m: PARTY_REASON for m in members}
    if dispute.handler_membership_id is not None:
        wanted[dispute.handler_membership_id] = HANDLER_REASON
    for row in confidentiality.grants_for(dispute):
        if row.membership_id in wanted:
            if row.reason in AUTOMATIC_REASONS:
                row.reason = wanted[row.membership_id]
            del wanted[row.membership_id]
        elif row.reason in AUTOMATIC_REASONS:
            db.session.delete(row)
    for membership_id, reason in sorted(wanted.items()):
        field_name = "handler_membership_id" if reason == HANDLER_REASON else "member_ids"
        confidentiality.grant(ctx, dispute, membership_id, reason=reason, field=field_name)


def create_dispute(ctx: WorkspaceContext, data: dict[str, Any]) -> Dispute:
    """Log a dispute (``leadership``): its parties, handler and their grants."""
    cleaned = clean_dispute_data(ctx, data)
    organizations, members = cleaned.pop("organization_ids"), cleaned.pop("member_ids")
    dispute = Dispute(
        **cleaned,
        confidentiality=Level.LEADERSHIP,
        status=DisputeStatus.OPEN,
        author_membership_id=_acting(ctx),
        created_at=utcnow(),
    )
    db.session.add(dispute)
    db.session.flush()
    _sync_parties(dispute, organizations, members)
    _sync_grants(ctx, dispute, members)
    db.session.flush()
    audit.record(ctx, "dispute.created", "dispute", dispute.id, kind=dispute.kind.value)
    return dispute


def update_dispute(ctx: WorkspaceContext, dispute: Dispute, data: dict[str, Any]) -> Dispute:
    """Change a dispute's details and parties; the audit entry names the fields, never their values."""
    cleaned = clean_dispute_data(ctx, data)
    organizations, members = cleaned.pop("organization_ids"), cleaned.pop("member_ids")
    changed = sorted(name for name, value in cleaned.items() if getattr(dispute, name) != value)
    before = party_ids(dispute)
    for name in changed:
        setattr(dispute, name, cleaned[name])
    if (sorted(organizations), sorted(members)) != before:
        changed.append("parties")
    _sync_parties(dispute, organizations, members)
    _sync_grants(ctx, dispute, members)
    db.session.flush()
    audit.record(ctx, "dispute.updated", "dispute", dispute.id, fields=changed)
    return dispute


def add_entry(ctx: WorkspaceContext, dispute: Dispute, data: dict[str, Any]) -> DisputeEntry:
    """Add a dated entry to the timeline (what happened, what was agreed). Entries are never edited."""
    entry = DisputeEntry(
        dispute_id=dispute.id,
        happened_on=_past_or_today(ctx, data.get("happened_on") or ctx.today(), "happened_on", "An entry's date"),
        what_happened=form_text(data, "what_happened", TEXT_MAX, "Say what happened."),
        agreed=form_text(data, "agreed", TEXT_MAX),
        author_membership_id=_acting(ctx),
        created_at=utcnow(),
    )
    db.session.add(entry)
    dispute.updated_at = utcnow()
    db.session.flush()
    audit.record(ctx, "dispute.entry_added", "dispute", dispute.id, entry_id=entry.id)
    return entry


def change_status(ctx: WorkspaceContext, dispute: Dispute, data: dict[str, Any]) -> Dispute:
    """Move a dispute to another status. Resolving or closing asks for resolution notes; closing
    records the date. The change is also a timeline entry, so the history keeps every resolution."""
    try:
        new = DisputeStatus(data.get("status") or "")
    except ValueError:
        raise ServiceError("Choose a status from the list.", "status") from None
    if new == dispute.status:
        raise ServiceError(f"The dispute is already {STATUS_LABELS[new].lower()}.", "status")
    note = form_text(data, "note", TEXT_MAX)
    notes = form_text(data, "resolution_notes", TEXT_MAX)
    if new in ENDING and not notes:
        raise ServiceError("Say how the dispute was resolved: what was agreed, and by whom.", "resolution_notes")
    on = ctx.today()
    if new == DisputeStatus.CLOSED:
        on = _past_or_today(ctx, data.get("closed_on") or ctx.today(), "closed_on", "The date closed")
        if on < dispute.opened_on:
            raise ServiceError("The date closed cannot be before the dispute began.", "closed_on")
    dispute.status = new
    dispute.closed_on = on if new == DisputeStatus.CLOSED else None
    if new in ENDING:
        dispute.resolution_notes = notes
    entry = DisputeEntry(
        dispute_id=dispute.id,
        happened_on=on,
        what_happened=note or f"Status changed to {STATUS_LABELS[new].lower()}.",
        agreed=notes if new in ENDING else "",
        status=new,
        author_membership_id=_acting(ctx),
        created_at=utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(ctx, "dispute.status_changed", "dispute", dispute.id, status=new.value, entry_id=entry.id)
    return dispute


def share_dispute(ctx: WorkspaceContext, dispute: Dispute, data: dict[str, Any]) -> int:
    """Share one dispute with a named person, with a reason (and an optional end date)."""
    ids = _ids([data.get("membership_id")], "membership_id", "Choose a person from the list.")
    if not ids:
        raise ServiceError("Choose the person to share it with.", "membership_id")
    (membership_id,) = ids
    _people(ctx, ids, "membership_id")
    existing = {row.membership_id: row for row in confidentiality.grants_for(dispute)}
    if membership_id in existing:
        raise ServiceError("This person can already see the dispute.", "membership_id")
    if sum(row.reason not in AUTOMATIC_REASONS for row in existing.values()) >= SHARES_MAX:
        raise ServiceError(f"A dispute can be shared with at most {SHARES_MAX} people.", "membership_id")
    reason = form_text(data, "reason", REASON_MAX, "Say why this person needs to see the dispute.")
    if reason in AUTOMATIC_REASONS:
        reason = f"{reason}."
    confidentiality.grant(
        ctx, dispute, membership_id, reason=reason, ends_on=data.get("ends_on"), field="membership_id"
    )
    db.session.flush()
    audit.record(ctx, "dispute.shared", "dispute", dispute.id, membership_id=membership_id)
    return membership_id


def revoke_share(ctx: WorkspaceContext, dispute: Dispute, raw_membership_id: Any) -> int:
    """Stop sharing a dispute with someone a coordinator shared it with. The handler and the parties
    keep their access while they are named."""
    ids = _ids([raw_membership_id], "membership_id", "Choose a person from the list.")
    row = next((r for r in confidentiality.grants_for(dispute) if r.membership_id in ids), None)
    if row is None:
        raise ServiceError("This person was not given access by sharing.", "membership_id")
    if row.reason in AUTOMATIC_REASONS:
        raise ServiceError("Remove them as handler or party instead.", "membership_id")
    db.session.delete(row)
    db.session.flush()
    audit.record(ctx, "dispute.unshared", "dispute", dispute.id, membership_id=row.membership_id)
    return row.membership_id


# --- demo and test data -------------------------------------------------------------------------


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """One dispute between the first organization and the partnership's members, handled by the
    coordinator, with a timeline entry, for the route walk (its ``dispute_id``)."""
    organization_id = db.session.scalars(select(Organization.id).order_by(Organization.id)).first()
    me = _acting(ctx)
    # The member and the survivor advisor are named parties, so the walk reaches its pages as them too.
    parties = db.session.scalars(
        scoped(select(Membership.id).where(Membership.role.in_([Role.MEMBER, Role.SURVIVOR_ADVISOR])))
    ).all()
    data: dict[str, Any] = {
        "title": "Seeded dispute",
        "kind": "priority",
        "path": "informal",
        "handler_membership_id": me,
        "organization_ids": [organization_id] if organization_id else [],
        "member_ids": list(parties[:PARTIES_MAX]) or ([me] if me and not organization_id else []),
    }
    dispute = create_dispute(ctx, data)
    add_entry(ctx, dispute, {"what_happened": "First conversation held.", "agreed": "Meet again."})


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """One open priority-driven dispute between two demo organizations with a short timeline, and a
    resolved one."""
    organizations = list(db.session.scalars(select(Organization.id).order_by(Organization.id).limit(3)))
    if len(organizations) < 2:
        return
    today = ctx.today()
    handler = _demo_membership(people, "luis.ortega")
    party = _demo_membership(people, "priya.raman")
    open_dispute = create_dispute(
        ctx,
        {
            "title": "Which organization leads survivor intake referrals",
            "kind": "priority",
            "path": "facilitated",
            "handler_membership_id": handler,
            "organization_ids": organizations[:2],
            "member_ids": [party] if party else [],
            "opened_on": today - timedelta(days=20),
        },
    )
    for days, happened, agreed in (
        (20, "Both organizations raised at the partnership meeting that each expected to lead intake.", ""),
        (12, "Coordinator met each organization's representative separately to hear their priorities.", ""),
        (
            5,
            "Facilitated discussion with both organizations.",
            "Draft a shared intake protocol; each organization names one contact.",
        ),
    ):
        add_entry(
            ctx,
            open_dispute,
            {"happened_on": today - timedelta(days=days), "what_happened": happened, "agreed": agreed},
        )
    change_status(ctx, open_dispute, {"status": "in_progress", "note": "Working towards a shared protocol."})
    resolved = create_dispute(
        ctx,
        {
            "title": "Tension over speaking time at meetings",
            "kind": "personality",
            "path": "informal",
            "organization_ids": organizations[1:3],
            "opened_on": today - timedelta(days=60),
        },
    )
    add_entry(
        ctx,
        resolved,
        {"happened_on": today - timedelta(days=55), "what_happened": "Informal conversation over coffee."},
    )
    change_status(
        ctx,
        resolved,
        {
            "status": "resolved",
            "resolution_notes": "Agreed to use a speakers' list and rotate who chairs the meetings.",
        },
    )


def _demo_membership(people: dict, local: str) -> int | None:
    """The demo person's membership id (``people`` maps email local parts to users)."""
    user = people.get(local)
    if user is None:
        return None
    return db.session.scalars(scoped(select(Membership.id).where(Membership.user_id == user.id))).first()
