"""Member-directory rules: organizations, sectors, representatives, coverage, linked networks.

Every function takes the workspace context and plain values, checks the rules, flushes and writes
the audit entry; the request commits once. List functions run a fixed number of queries whatever
the size of the partnership (relationships are eager-loaded, never per row).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    CTE,
    CompoundSelect,
    Integer,
    Select,
    String,
    Subquery,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    union,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from partnership_hub import picking, toolkit
from partnership_hub.accounts.models import User
from partnership_hub.audit import services as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, select_scalars, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import is_web_address
from partnership_hub.members.models import (
    CustomSector,
    LinkedNetwork,
    Organization,
    OrganizationSector,
    Representative,
    name_key,
)
from partnership_hub.members.policies import may_see_representative
from partnership_hub.pagination import Page, paginate
from partnership_hub.streaming import Children, streams
from partnership_hub.workspaces import services as workspaces
from partnership_hub.workspaces.models import Membership, Role

SURVIVOR_SECTOR_KEYS = frozenset(sector.key for sector, _parent in toolkit.all_sectors() if sector.survivor)
SECTORS_BY_KEY: dict[str, tuple[toolkit.Sector, toolkit.Sector | None]] = {
    sector.key: (sector, parent) for sector, parent in toolkit.all_sectors()
}
TOP_LEVEL_SECTOR_KEYS = frozenset(sector.key for sector in toolkit.SECTORS)
P_KEYS = tuple(toolkit.keys(toolkit.PS))
# The Ps are booleans on Organization; "partnership" is mapped to the attribute partnership_p.
P_ATTRIBUTES = {"prevention": "prevention", "protection": "protection", "prosecution": "prosecution"}
P_ATTRIBUTES["partnership"] = "partnership_p"
NETWORK_KINDS = frozenset(toolkit.keys(toolkit.LINKED_NETWORK_KINDS))
PAGE_SIZE = 25
CUSTOM_PREFIX = "custom-"
_CUSTOM_VALUE = re.compile(r"custom-([0-9]{1,9})")


# --- small helpers ------------------------------------------------------------------------------


def custom_value(custom_sector_id: int) -> str:
    """How a custom sector is named in forms and filters (toolkit sectors use their key)."""
    return f"{CUSTOM_PREFIX}{custom_sector_id}"


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def clean_name(value: str | None) -> str:
    """A display name with runs of spaces collapsed (duplicates are compared with ``name_key``)."""
    return " ".join((value or "").split())


def clean_website(value: str | None, field_name: str = "website") -> str:
    """An http(s) address with a host name, or ServiceError. Empty stays empty."""
    value = clean_text(value)
    if not value:
        return ""
    if not is_web_address(value):
        raise ServiceError(
            "Enter a web address starting with http:// or https://, like https://example.org.", field_name
        )
    if len(value) > 300:
        raise ServiceError("Use a web address of at most 300 characters.", field_name)
    return value


def _flush_or_refuse(message: str, field_name: str) -> None:
    """Flush; a unique constraint hit by a concurrent request becomes a field error, not a 500."""
    try:
        db.session.flush()
    except IntegrityError:
        raise ServiceError(message, field_name) from None


def list_custom_sectors(ctx: WorkspaceContext) -> list[CustomSector]:
    """The partnership's own sectors, by name (one query)."""
    return list(db.session.scalars(scoped(select(CustomSector).order_by(CustomSector.name_key, CustomSector.id))))


@dataclass(frozen=True)
class SectorOption:
    value: str
    label: str
    parent_label: str | None = None


def sector_options(custom_sectors: Iterable[CustomSector]) -> list[SectorOption]:
    """Every sector an organization can be placed in: the toolkit's (with sub-areas), then custom ones."""
    options = [
        SectorOption(sector.key, sector.label, parent.label if parent else None)
        for sector, parent in toolkit.all_sectors()
    ]
    for custom in custom_sectors:
        parent = SECTORS_BY_KEY.get(custom.parent_key or "")
        options.append(SectorOption(custom_value(custom.id), custom.name, parent[0].label if parent else None))
    return options


def sector_labels(custom_sectors: Iterable[CustomSector]) -> dict[str, str]:
    labels = {key: sector.label for key, (sector, _parent) in SECTORS_BY_KEY.items()}
    labels.update({custom_value(c.id): c.name for c in custom_sectors})
    return labels


def link_value(link: OrganizationSector) -> str:
    if link.sector_key:
        return link.sector_key
    if link.custom_sector_id is None:  # the one_sector constraint rules this out
        raise ValueError("an organization's sector link names no sector")
    return custom_value(link.custom_sector_id)


# --- organizations ------------------------------------------------------------------------------


@dataclass
class OrganizationData:
    name: str
    sectors: Collection[str] = ()  # toolkit keys and "custom-<id>" values
    ps: Collection[str] = ()
    website: str = ""
    service_area: str = ""
    notes: str = ""


def _resolve_sectors(values: Iterable[str]) -> tuple[set[str], set[int]]:
    """Split form values into toolkit keys and custom sector ids of this partnership, or refuse."""
    keys: set[str] = set()
    custom_ids: set[int] = set()
    for value in values:
        match = _CUSTOM_VALUE.fullmatch(value or "")
        if value in SECTORS_BY_KEY:
            keys.add(value)
        elif match:
            custom_ids.add(int(match.group(1)))
        else:
            raise ServiceError("Choose sectors from the list.", "sectors")
    if custom_ids:
        found = set(db.session.scalars(scoped(select(CustomSector.id).where(CustomSector.id.in_(custom_ids)))))
        if found != custom_ids:
            raise ServiceError("Choose sectors from the list.", "sectors")
    return keys, custom_ids


def _check_organization_name(key: str, exclude_id: int | None = None) -> None:
    stmt = select(Organization.id).where(Organization.name_key == key)
    if exclude_id is not None:
        stmt = stmt.where(Organization.id != exclude_id)
    if db.session.scalars(scoped(stmt)).first() is not None:
        raise ServiceError("Another organization in this partnership already has this name.", "name")


def _apply_organization(organization: Organization, data: OrganizationData) -> tuple[set[str], set[int]]:
    current_links = list(organization.sectors)  # loaded before any change, so no early autoflush
    name = clean_name(data.name)
    if not name:
        raise ServiceError("Enter the organization's name.", "name")
    if len(name) > 160:
        raise ServiceError("Use at most 160 characters.", "name")
    unknown_ps = set(data.ps) - set(P_KEYS)
    if unknown_ps:
        raise ServiceError("Choose from the four Ps.", "ps")
    website = clean_website(data.website)
    service_area = clean_text(data.service_area)
    if len(service_area) > 200:
        raise ServiceError("Use at most 200 characters.", "service_area")
    keys, custom_ids = _resolve_sectors(data.sectors)
    _check_organization_name(name_key(name), organization.id)

    organization.name = name
    organization.name_key = name_key(name)
    organization.website = website
    organization.service_area = service_area
    organization.notes = clean_text(data.notes)
    for p, attribute in P_ATTRIBUTES.items():
        setattr(organization, attribute, p in data.ps)

    # Change only what changed: the unit of work inserts before it deletes, so re-adding a link
    # that is also being removed would trip the (organization, sector) unique constraint.
    wanted = {("key", k) for k in keys} | {("custom", i) for i in custom_ids}
    existing = {}
    for link in current_links:
        ident = ("key", link.sector_key) if link.sector_key else ("custom", link.custom_sector_id)
        if ident in wanted and ident not in existing:
            existing[ident] = link
        else:
            organization.sectors.remove(link)
    for kind, value in sorted(wanted - existing.keys(), key=str):
        if kind == "key":
            organization.sectors.append(OrganizationSector(sector_key=value))
        else:
            organization.sectors.append(OrganizationSector(custom_sector_id=value))
    return keys, custom_ids


def _organization_details(keys: set[str], custom_ids: set[int], organization: Organization) -> dict:
    return {"sectors": sorted(keys), "custom_sector_ids": sorted(custom_ids), "ps": organization.ps}


def create_organization(ctx: WorkspaceContext, data: OrganizationData) -> Organization:
    """Add a member organization. Names are unique in the partnership (case and spacing ignored)."""
    organization = Organization()
    keys, custom_ids = _apply_organization(organization, data)
    db.session.add(organization)
    _flush_or_refuse("Another organization in this partnership already has this name.", "name")
    audit.record(
        ctx,
        "organization.created",
        "organization",
        organization.id,
        **_organization_details(keys, custom_ids, organization),
    )
    return organization


def update_organization(ctx: WorkspaceContext, organization: Organization, data: OrganizationData) -> Organization:
    """Change an organization's name, sectors, Ps and details."""
    keys, custom_ids = _apply_organization(organization, data)
    _flush_or_refuse("Another organization in this partnership already has this name.", "name")
    audit.record(
        ctx,
        "organization.updated",
        "organization",
        organization.id,
        **_organization_details(keys, custom_ids, organization),
    )
    return organization


def archive_organization(ctx: WorkspaceContext, organization: Organization) -> Organization:
    """Take an organization out of the active directory and coverage (it can be restored)."""
    if organization.archived_at is None:
        organization.archived_at = utcnow()
        audit.record(ctx, "organization.archived", "organization", organization.id)
    return organization


def restore_organization(ctx: WorkspaceContext, organization: Organization) -> Organization:
    """Bring an archived organization back."""
    if organization.archived_at is not None:
        organization.archived_at = None
        audit.record(ctx, "organization.restored", "organization", organization.id)
    return organization


def load_organization(ctx: WorkspaceContext, organization_id: int) -> Organization:
    """One organization with its sectors and representatives (a fixed number of queries), or NotFound."""
    stmt = (
        select(Organization)
        .where(Organization.id == organization_id)
        .options(
            joinedload(Organization.sectors).joinedload(OrganizationSector.custom_sector),
            selectinload(Organization.representatives)
            .joinedload(Representative.membership)
            .joinedload(Membership.user),
        )
    )
    organization = db.session.scalars(scoped(stmt)).unique().one_or_none()
    if organization is None:
        raise NotFound(f"Organization {organization_id}")
    return organization


def organization_sector_labels(organization: Organization) -> list[str]:
    """The names of the sectors an organization is placed in, sorted (uses the loaded links)."""
    labels = []
    for link in organization.sectors:
        if link.sector_key:
            labels.append(
                SECTORS_BY_KEY[link.sector_key][0].label if link.sector_key in SECTORS_BY_KEY else link.sector_key
            )
        elif link.custom_sector is not None:
            labels.append(link.custom_sector.name)
    return sorted(labels, key=str.casefold)


@dataclass
class OrganizationFilter:
    q: str = ""
    sector: str = ""  # a toolkit key or "custom-<id>"
    p: str = ""
    archived: bool = False  # include archived organizations

    @property
    def active(self) -> bool:
        return bool(self.q or self.sector or self.p or self.archived)

    def query_args(self) -> dict[str, str]:
        args = {"q": self.q, "sector": self.sector, "p": self.p, "archived": "1" if self.archived else ""}
        return {k: v for k, v in args.items() if v}


def parse_filter(args, custom_sectors: Iterable[CustomSector]) -> OrganizationFilter:
    """Read filters from a query string; values that name nothing are dropped, never an error."""
    q = clean_name(args.get("q", ""))[:160]
    sector = args.get("sector", "")
    if sector not in SECTORS_BY_KEY and sector not in {custom_value(c.id) for c in custom_sectors}:
        sector = ""
    p = args.get("p", "")
    if p not in P_KEYS:
        p = ""
    return OrganizationFilter(q=q, sector=sector, p=p, archived=args.get("archived") in ("1", "on", "true", "y"))


def _filtered(stmt, filters: OrganizationFilter, custom_sectors: Iterable[CustomSector]):
    if not filters.archived:
        stmt = stmt.where(Organization.archived_at.is_(None))
    if filters.q:
        term = filters.q.casefold()
        stmt = stmt.where(
            or_(
                Organization.name_key.contains(term, autoescape=True),
                func.lower(Organization.service_area).contains(term, autoescape=True),
            )
        )
    if filters.p:
        stmt = stmt.where(getattr(Organization, P_ATTRIBUTES[filters.p]).is_(True))
    if filters.sector:
        match = _CUSTOM_VALUE.fullmatch(filters.sector)
        if match:
            condition = OrganizationSector.custom_sector_id == int(match.group(1))
        else:
            # A sector includes its sub-areas and the partnership's own sectors placed under it.
            sector, _parent = SECTORS_BY_KEY[filters.sector]
            keys = [sector.key, *(child.key for child in sector.children)]
            under = [c.id for c in custom_sectors if c.parent_key == sector.key]
            condition = OrganizationSector.sector_key.in_(keys)
            if under:
                condition = or_(condition, OrganizationSector.custom_sector_id.in_(under))
        stmt = stmt.where(Organization.sectors.any(condition))
    return stmt


def list_organizations(
    ctx: WorkspaceContext,
    filters: OrganizationFilter,
    custom_sectors: list[CustomSector],
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> Page[Organization]:
    """One page of organizations matching ``filters``, by name, with their sectors (two queries)."""
    stmt = (
        _filtered(select(Organization), filters, custom_sectors)
        .options(selectinload(Organization.sectors))
        .order_by(Organization.name_key, Organization.id)
    )
    return paginate(scoped(stmt), page, page_size)


def pickable_organizations() -> Select[tuple[int, str]]:
    """(id, name) of the partnership's active organizations: what an organization picker offers."""
    return select(Organization.id, Organization.name).where(Organization.archived_at.is_(None))


# Organizations by name: their stored ``name_key`` (case and spacing folded, unique in a partnership),
# so a picker's first page is an index walk of ``(partnership_id, name_key)``, not a sort of them all.
ORGANIZATION_ORDER = (Organization.name_key, Organization.id)


def pick_organizations(
    ctx: WorkspaceContext, query: str = "", chosen: list[int] | None = None, *, blank: str | None = None
) -> picking.Pick:
    """Active organizations to pick (a goal's lead organizations...): by name, at most a page of
    matches (two bounded queries)."""
    return picking.search(
        scoped(pickable_organizations()),
        id_column=Organization.id,
        label_column=Organization.name,
        search_columns=(Organization.name,),
        query=query,
        chosen=chosen or [],
        blank=blank,
        sort_columns=ORGANIZATION_ORDER,
    )


def organizations_spec(
    chosen: list[int], blank: str | None = None, query: str = "", *, archived_too: bool = False
) -> picking.PickSpec:
    """An organization picker (as ``pick_organizations``; ``archived_too`` for a filter over old
    records), to fill with ``picking.pick_together``."""
    stmt = select(Organization.id, Organization.name) if archived_too else pickable_organizations()
    return picking.PickSpec(
        stmt, Organization.id, Organization.name, query, chosen, blank, sort_columns=ORGANIZATION_ORDER
    )


def representative_name(rep: Representative) -> str:
    if rep.membership is not None:
        return rep.membership.user.name
    return rep.name


def representative_email(rep: Representative, not_shared: frozenset[int] = frozenset()) -> str:
    """``not_shared``: members who allow no email (``emails_not_shared``), listed without an address."""
    if rep.membership is not None:
        return "" if rep.membership_id in not_shared else rep.membership.user.email
    return rep.email


def emails_not_shared(ctx: WorkspaceContext) -> frozenset[int]:
    """The members whose email address others are not shown: the advisory area's contact preferences
    (issue #13; one small query, bounded by the people who keep preferences)."""
    from partnership_hub.advisory.safety import emails_not_shared as not_shared

    return not_shared(ctx)


def visible_representatives(ctx: WorkspaceContext, organization: Organization) -> list[Representative]:
    """The organization's representatives this person may see listed."""
    viewer = ctx.membership
    if viewer is None:
        raise ValueError("who may see a representative depends on the viewer; this context has no membership")
    return [rep for rep in organization.representatives if may_see_representative(viewer, rep)]


CSV_HEADER = ["Name", "Status", "Sectors", "Ps", "Website", "Service area", "Representatives", "Notes"]


def export_rows(
    ctx: WorkspaceContext, filters: OrganizationFilter, custom_sectors: list[CustomSector], *, with_contacts: bool
) -> Iterator[list[str]]:
    """Every organization matching ``filters`` as CSV rows under ``CSV_HEADER``, read as the download
    streams (``csv_response`` binds a fresh session): three statements whatever the size of the
    directory — the organizations, their sectors, their representatives with the members' names and
    addresses — each its own cursor, merged per organization as they stream (``streaming``). Memory
    holds a batch of each."""
    viewer = ctx.membership
    if viewer is None:
        raise ValueError("who may see a representative depends on the viewer; this context has no membership")
    labels = sector_labels(custom_sectors)

    def matching(stmt: Select[Any]) -> Select[Any]:
        # The organizations matching ``filters``, in the file's order: a statement of their children
        # (joined to them) comes grouped by organization in the organizations' order.
        return _filtered(stmt, filters, custom_sectors).order_by(*ORGANIZATION_ORDER)

    organizations = matching(select(*_EXPORTED_COLUMNS))
    sectors = matching(
        select(
            OrganizationSector.organization_id, OrganizationSector.sector_key, OrganizationSector.custom_sector_id
        ).join(Organization, Organization.id == OrganizationSector.organization_id)
    )
    representatives = matching(
        select(*_REPRESENTATIVE_COLUMNS)
        .join(Organization, Organization.id == Representative.organization_id)
        .outerjoin(Membership, Membership.id == Representative.membership_id)
        .outerjoin(User, User.id == Membership.user_id)
    ).order_by(Representative.id)
    # Read inside the request, where the viewer's preferences are at hand: one small statement.
    not_shared = emails_not_shared(ctx) if with_contacts else frozenset()

    def rows() -> Iterator[list[str]]:
        with streams(scoped(organizations), scoped(sectors), scoped(representatives)) as (found, links, people):
            sectors_of = Children(links, "organization_id")
            representatives_of = Children(people, "organization_id")
            organization: Any
            for organization in found:
                listed = [_Listed.of(row) for row in representatives_of.of(organization.id)]
                reps = [rep for rep in listed if may_see_representative(viewer, rep)]
                yield _csv_row(organization, sectors_of.of(organization.id), reps, labels, with_contacts, not_shared)
            sectors_of.finish()
            representatives_of.finish()

    return rows()


# What the export reads of an organization, each column named as the model's attribute.
_EXPORTED_COLUMNS = (
    Organization.id,
    Organization.name,
    Organization.archived_at,
    Organization.website,
    Organization.service_area,
    Organization.notes,
    *(getattr(Organization, attribute) for attribute in P_ATTRIBUTES.values()),
)
_REPRESENTATIVE_COLUMNS = (
    Representative.organization_id,
    Representative.membership_id,
    Representative.name,
    Representative.title,
    Representative.email,
    Representative.phone,
    Membership.user_id,
    Membership.role,
    User.name.label("user_name"),
    User.email.label("user_email"),
)


@dataclass(frozen=True)
class _Account:
    name: str
    email: str


@dataclass(frozen=True)
class _Member:
    user_id: int
    role: Role
    user: _Account


@dataclass(frozen=True)
class _Listed:
    """A representative read as columns (``_REPRESENTATIVE_COLUMNS``), shaped as the model where
    ``may_see_representative``, ``representative_name`` and ``representative_email`` read it."""

    membership_id: int | None
    membership: _Member | None  # the member's membership and account (None for a plain contact)
    name: str
    title: str
    email: str
    phone: str

    @classmethod
    def of(cls, row: Any) -> _Listed:
        member = None
        if row.user_id is not None:  # the membership was found (its user_id is never NULL)
            member = _Member(row.user_id, row.role, _Account(row.user_name, row.user_email))
        return cls(row.membership_id, member, row.name, row.title, row.email, row.phone)


def _csv_row(
    organization: Any,
    sectors: Iterable[Any],
    representatives: Iterable[Any],
    labels: dict[str, str],
    with_contacts: bool,
    not_shared: frozenset[int] = frozenset(),
) -> list[str]:
    """One organization's row: ``organization`` and its ``sectors`` read as columns named as the models'
    attributes, ``representatives`` those the viewer may see."""
    reps = []
    for rep in representatives:
        parts = [representative_name(rep)]
        if rep.title:
            parts.append(rep.title)
        if with_contacts:
            parts.extend(x for x in (representative_email(rep, not_shared), rep.phone) if x)
        reps.append(", ".join(parts))
    return [
        organization.name,
        "Archived" if organization.archived_at else "Active",
        "; ".join(sorted(labels.get(link_value(link), link_value(link)) for link in sectors)),
        "; ".join(p.label for p in toolkit.PS if getattr(organization, P_ATTRIBUTES[p.key])),
        organization.website,
        organization.service_area,
        "; ".join(reps),
        organization.notes,
    ]


# --- representatives ----------------------------------------------------------------------------


@dataclass
class RepresentativeData:
    membership_id: int | None = None  # a workspace member, or None for a plain contact
    name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""


def representative_candidates(ctx: WorkspaceContext) -> list[Membership]:
    """Every workspace member who may be named as a representative (those this person may see).
    The whole list: for the demo data. Pages offer them through ``pick_representatives``."""
    return workspaces.list_members(ctx).visible


def pick_representatives(
    ctx: WorkspaceContext, query: str = "", chosen: list[int] | None = None, *, blank: str | None = None
) -> picking.Pick:
    """Workspace members to name as a representative, any role (observers too): by name, bounded."""
    return workspaces.pick_people(ctx, query, chosen, blank=blank, roles=tuple(Role))


def _representative_candidate(ctx: WorkspaceContext, membership_id: int) -> Membership:
    """The member named as a representative, if this person may see them (one query); otherwise
    the refusal at the field (someone hidden is answered as if absent)."""
    try:
        return workspaces.get_member(ctx, membership_id)
    except NotFound:
        raise ServiceError("Choose a member of the partnership.", "membership_id") from None


def add_representative(ctx: WorkspaceContext, organization: Organization, data: RepresentativeData) -> Representative:
    """Name a workspace member or a contact (no account) as one of the organization's representatives."""
    title = clean_text(data.title)
    if len(title) > 120:
        raise ServiceError("Use at most 120 characters.", "title")
    if data.membership_id is not None:
        _representative_candidate(ctx, data.membership_id)
        if any(rep.membership_id == data.membership_id for rep in organization.representatives):
            raise ServiceError("This member already represents the organization.", "membership_id")
        rep = Representative(membership_id=data.membership_id, title=title)
    else:
        name = clean_name(data.name)
        email = clean_text(data.email).lower()
        phone = clean_text(data.phone)
        if not name:
            raise ServiceError("Enter the contact's name.", "name")
        for value, limit, field_name in ((name, 120, "name"), (email, 254, "email"), (phone, 40, "phone")):
            if len(value) > limit:
                raise ServiceError(f"Use at most {limit} characters.", field_name)
        rep = Representative(name=name, title=title, email=email, phone=phone)
    organization.representatives.append(rep)
    db.session.flush()
    audit.record(
        ctx,
        "representative.added",
        "representative",
        rep.id,
        organization_id=organization.id,
        membership_id=rep.membership_id,
    )
    return rep


def remove_representative(ctx: WorkspaceContext, rep: Representative) -> None:
    """Take a representative off an organization."""
    audit.record(
        ctx,
        "representative.removed",
        "representative",
        rep.id,
        organization_id=rep.organization_id,
        membership_id=rep.membership_id,
    )
    db.session.delete(rep)


# --- custom sectors -----------------------------------------------------------------------------


@dataclass
class CustomSectorData:
    name: str
    parent_key: str | None = None
    description: str = ""


_TOOLKIT_NAME_KEYS = {name_key(sector.label): sector for sector, _parent in toolkit.all_sectors()}


def _apply_custom_sector(custom: CustomSector, data: CustomSectorData) -> None:
    name = clean_name(data.name)
    if not name:
        raise ServiceError("Name the sector.", "name")
    if len(name) > 120:
        raise ServiceError("Use at most 120 characters.", "name")
    parent_key = data.parent_key or None
    if parent_key is not None and parent_key not in TOP_LEVEL_SECTOR_KEYS:
        raise ServiceError("Choose a toolkit sector from the list, or none.", "parent_key")
    key = name_key(name)
    if key in _TOOLKIT_NAME_KEYS:
        raise ServiceError("The toolkit already has a sector with this name: use it instead.", "name")
    stmt = select(CustomSector.id).where(CustomSector.name_key == key)
    if custom.id is not None:
        stmt = stmt.where(CustomSector.id != custom.id)
    if db.session.scalars(scoped(stmt)).first() is not None:
        raise ServiceError("Your partnership already has a sector with this name.", "name")
    custom.name = name
    custom.name_key = key
    custom.parent_key = parent_key
    custom.description = clean_text(data.description)


def create_custom_sector(ctx: WorkspaceContext, data: CustomSectorData) -> CustomSector:
    """Add a sector of the partnership's own (optionally under a toolkit sector)."""
    custom = CustomSector()
    _apply_custom_sector(custom, data)
    db.session.add(custom)
    _flush_or_refuse("Your partnership already has a sector with this name.", "name")
    audit.record(ctx, "custom_sector.created", "custom_sector", custom.id, parent_key=custom.parent_key)
    return custom


def update_custom_sector(ctx: WorkspaceContext, custom: CustomSector, data: CustomSectorData) -> CustomSector:
    """Rename or move a custom sector."""
    _apply_custom_sector(custom, data)
    _flush_or_refuse("Your partnership already has a sector with this name.", "name")
    audit.record(ctx, "custom_sector.updated", "custom_sector", custom.id, parent_key=custom.parent_key)
    return custom


def custom_sector_usage(ctx: WorkspaceContext, custom: CustomSector) -> int:
    """How many organizations (archived included) are placed in this custom sector."""
    return db.session.execute(
        scoped(select(func.count(OrganizationSector.id)).where(OrganizationSector.custom_sector_id == custom.id))
    ).scalar_one()


def delete_custom_sector(ctx: WorkspaceContext, custom: CustomSector) -> None:
    """Delete a custom sector; organizations placed in it lose that sector (the database cascades)."""
    links = custom_sector_usage(ctx, custom)
    audit.record(ctx, "custom_sector.deleted", "custom_sector", custom.id, organization_links=links)
    db.session.delete(custom)
    db.session.flush()
    # Links cascaded in the database: forget any loaded copies.
    db.session.expire_all()


# --- the sector taxonomy and coverage -----------------------------------------------------------


@dataclass(frozen=True)
class CustomSectorRef:
    id: int
    name: str
    parent_key: str | None = None


def custom_sector_refs(custom_sectors: Iterable[CustomSector]) -> list[CustomSectorRef]:
    return [CustomSectorRef(c.id, c.name, c.parent_key) for c in custom_sectors]


NAMES_SHOWN = 5  # organizations named per sector on the coverage page; the rest are "and N more"

# A tally counts the active organizations of one group and names the first few:
#   (SECTOR, key)  placed in the toolkit sector ``key`` itself, or in a custom sector under it;
#   (WITHIN, key)  ... or in any sub-area of ``key``, a top-level sector with sub-areas;
#   (CUSTOM, "id") placed in the custom sector ``id``.
SECTOR, WITHIN, CUSTOM = "sector", "within", "custom"
TallyKey = tuple[str, str]


@dataclass(frozen=True)
class Named:
    """How many active organizations a group has, and the first few of them by name."""

    names: tuple[str, ...] = ()
    count: int = 0

    @property
    def more(self) -> int:
        return self.count - len(self.names)

    def __bool__(self) -> bool:
        return self.count > 0


# Toolkit sectors with sub-areas: every key of the family (the parent's and each sub-area's) with the
# parent's. A sector without sub-areas needs no WITHIN group: it would equal its SECTOR group.
FAMILIES = tuple(
    (member.key, sector.key) for sector in toolkit.SECTORS if sector.children for member in (sector, *sector.children)
)


def _families() -> CTE:
    """``FAMILIES`` as a small literal table (key, top), once per statement: a join on it is cheaper than a
    CASE over every link. (Not ``values()``: a statement holding one is compiled again at every call.)"""

    rows = (select(_written(key).label("key"), _written(top).label("top")) for key, top in FAMILIES)
    return union_all(*rows).cte("families")


def _written(key: str) -> Any:
    """A toolkit key written into the statement: the fixed lists read no parameters."""
    return literal_column(f"'{key}'", String)


def _active_links() -> Select[Any]:
    """(key, custom_sector_id, organization_id, name_key): every link of an active organization, where
    ``key`` is the toolkit sector of the link, or the one its custom sector is placed under."""
    return (
        select(
            func.coalesce(OrganizationSector.sector_key, CustomSector.parent_key).label("key"),
            OrganizationSector.custom_sector_id,
            OrganizationSector.organization_id,
            OrganizationSector.organization_name_key.label("name_key"),
        )
        .outerjoin(CustomSector, CustomSector.id == OrganizationSector.custom_sector_id)
        .where(OrganizationSector.organization_active)
    )


def _first_links(limit: int, postgres: bool) -> Select[Any] | CompoundSelect:
    """``_active_links``' columns for the first ``limit`` active organizations (by name_key, id) of each
    toolkit sector and each custom sector: enough to name any group's first ``limit``, as a group's first
    few are among the first few of the sectors it gathers. On PostgreSQL a LIMIT walk of the active
    links' name-order indexes per sector (the fixed toolkit list and the partnership's custom sectors;
    a link to a key the toolkit does not have, which no form accepts, is counted but not named); SQLite,
    which has no LATERAL, ranks every active link (the embedded default's directories are small)."""
    if not postgres:
        return _active_links()
    walk = (OrganizationSector.organization_name_key, OrganizationSector.organization_id)
    columns = (OrganizationSector.organization_id, OrganizationSector.organization_name_key.label("name_key"))
    toolkit_keys = (
        func.unnest(literal(list(SECTORS_BY_KEY), postgresql.ARRAY(String)))
        .table_valued("key")
        .render_derived("toolkit_keys")
    )
    by_key = (
        select(*columns)
        .where(OrganizationSector.organization_active, OrganizationSector.sector_key == toolkit_keys.c.key)
        .order_by(*walk)
        .limit(limit)
        .lateral("firsts_by_key")
    )
    by_custom = (
        select(*columns)
        .where(OrganizationSector.organization_active, OrganizationSector.custom_sector_id == CustomSector.id)
        .order_by(*walk)
        .limit(limit)
        .lateral("firsts_by_custom")
    )
    no_custom = literal(None, Integer).label("custom_sector_id")
    return union_all(
        select(toolkit_keys.c.key, no_custom, by_key.c.organization_id, by_key.c.name_key).join_from(
            toolkit_keys, by_key, true()
        ),
        select(CustomSector.parent_key, CustomSector.id, by_custom.c.organization_id, by_custom.c.name_key).join_from(
            CustomSector, by_custom, true()
        ),
    )


def _sector_groups(links: CTE, family: CTE) -> Subquery:
    """(kind, key, organization_id, name_key): each organization of ``links`` (``_active_links``' columns)
    once per group it belongs to (see ``TallyKey``); ``family`` is ``_families()``."""
    columns = (links.c.organization_id, links.c.name_key)
    return union(  # UNION, not UNION ALL: an organization counts once per group
        select(literal(SECTOR).label("kind"), links.c.key.label("key"), *columns).where(links.c.key.is_not(None)),
        select(literal(WITHIN), family.c.top, *columns).join_from(links, family, family.c.key == links.c.key),
        select(literal(CUSTOM), cast(links.c.custom_sector_id, String), *columns).where(
            links.c.custom_sector_id.is_not(None)
        ),
    ).subquery("groups")


def _group_counts(family: CTE) -> CompoundSelect:
    """(kind, key, total): every group's count of active organizations, a row per group.

    A toolkit sector's links (one per organization: a unique constraint) and a custom sector's are
    counted by a grouped scan of the active links' index. Only the groups that gather several sectors
    (a family's WITHIN, a toolkit sector with custom sectors under it) read their organizations to
    count each once: the links of the families' sectors and of the custom sectors, not every link."""
    active = OrganizationSector.organization_active
    parents = select(CustomSector.parent_key).where(CustomSector.parent_key.is_not(None))
    shared = (
        select(OrganizationSector.sector_key.label("key"), OrganizationSector.organization_id)
        .where(active, OrganizationSector.sector_key.in_([_written(key) for key, _top in FAMILIES]))
        .union_all(
            select(OrganizationSector.sector_key, OrganizationSector.organization_id).where(
                active, OrganizationSector.sector_key.in_(parents)
            ),
            select(CustomSector.parent_key, OrganizationSector.organization_id)
            .join(CustomSector, CustomSector.id == OrganizationSector.custom_sector_id)
            .where(active),
        )
        .cte("shared_links")
    )
    gathered = union(  # UNION: an organization counts once per group
        select(literal(SECTOR).label("kind"), shared.c.key.label("key"), shared.c.organization_id).where(
            shared.c.key.in_(parents)
        ),
        select(literal(WITHIN), family.c.top, shared.c.organization_id).join_from(
            shared, family, family.c.key == shared.c.key
        ),
    ).subquery("gathered")
    return union_all(
        select(literal(SECTOR).label("kind"), OrganizationSector.sector_key.label("key"), func.count().label("total"))
        .where(active, OrganizationSector.sector_key.is_not(None), OrganizationSector.sector_key.not_in(parents))
        .group_by(OrganizationSector.sector_key),
        select(literal(CUSTOM), cast(OrganizationSector.custom_sector_id, String), func.count())
        .where(active, OrganizationSector.custom_sector_id.is_not(None))
        .group_by(OrganizationSector.custom_sector_id),
        select(gathered.c.kind, gathered.c.key, func.count()).group_by(gathered.c.kind, gathered.c.key),
    )


@cache
def _counts_statement() -> CompoundSelect:
    """``_group_counts`` built once: the tenant filter is added at execution (``db.scoped``)."""
    return _group_counts(_families())


@cache
def _tallies_statement(postgres: bool, limit: int) -> Select[Any]:
    """``sector_tallies``' statement, built once per database kind and ``limit`` (building it cost more
    than running it on a small partnership); the tenant filter is added at execution."""
    family = _families()
    groups = _sector_groups(_first_links(limit, postgres).cte("first_links"), family)
    group = (groups.c.kind, groups.c.key)
    ranked = select(
        *group,
        groups.c.organization_id,
        func.row_number()
        .over(partition_by=group, order_by=(groups.c.name_key, groups.c.organization_id))
        .label("rank"),
    ).subquery("ranked")
    counts = _group_counts(family).subquery("counts")
    name = select(Organization.name).where(Organization.id == ranked.c.organization_id).scalar_subquery()
    return (
        select(ranked.c.kind, ranked.c.key, name.label("name"), counts.c.total)
        .join_from(ranked, counts, and_(counts.c.kind == ranked.c.kind, counts.c.key == ranked.c.key))
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.kind, ranked.c.key, ranked.c.rank)
    )


def sector_counts() -> dict[TallyKey, int]:
    """Every group's count of active organizations (one statement, a row per group: grouped scans of the
    active links' indexes, see ``_group_counts``)."""
    return {(kind, key): total for kind, key, total in db.session.execute(scoped(_counts_statement())).tuples()}


def sector_tallies(limit: int = NAMES_SHOWN) -> dict[TallyKey, Named]:
    """Every group's count of active organizations and its first ``limit`` (1 or more) names, in ONE
    statement: the counts of ``sector_counts``, the names from at most ``limit`` links per sector
    (``_first_links``), whatever the size of the directory."""
    postgres = db.session.get_bind().dialect.name == "postgresql"
    names: dict[TallyKey, list[str]] = {}
    totals: dict[TallyKey, int] = {}
    for kind, key, organization_name, total in db.session.execute(scoped(_tallies_statement(postgres, limit))).tuples():
        names.setdefault((kind, key), []).append(organization_name)
        totals[(kind, key)] = total
    return {group_key: Named(tuple(names[group_key]), totals[group_key]) for group_key in names}


@dataclass(frozen=True)
class OrganizationTotals:
    """How many active organizations there are, and how many work on each P."""

    active: int = 0
    ps: dict[str, int] = field(default_factory=dict)


def _organization_totals() -> Select[Any]:
    """How many active organizations there are and work on each P (one scan, columns named ``active``
    and each P's key)."""
    ps = (
        func.count(case((getattr(Organization, attribute).is_(True), 1))).label(key)
        for key, attribute in P_ATTRIBUTES.items()
    )
    return select(func.count(Organization.id).label("active"), *ps).where(Organization.archived_at.is_(None))


@dataclass
class SectorCoverage:
    """A toolkit sector and the active organizations that cover it."""

    sector: toolkit.Sector
    organizations: Named = Named()  # placed in the sector itself (or a custom sector under it)
    everyone: Named = Named()  # ... or in any of its sub-areas: what covers it
    via_custom: list[str] = field(default_factory=list)  # names of custom sectors under it that are covered
    children: list[SectorCoverage] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.everyone)

    @property
    def filter_value(self) -> str:
        """The organization list's ``sector`` filter that lists ``everyone``."""
        return self.sector.key

    @property
    def missing_children(self) -> list[SectorCoverage]:
        return [child for child in self.children if not child.covered]


@dataclass
class PBalance:
    key: str
    label: str
    count: int
    percent: int  # of active organizations

    @property
    def step(self) -> int:
        """The percentage rounded to a multiple of ten (the bar's width class)."""
        return int(round(self.percent / 10)) * 10


@dataclass
class CustomCoverage:
    sector: CustomSectorRef
    organizations: Named

    @property
    def filter_value(self) -> str:
        return custom_value(self.sector.id)


@dataclass
class Coverage:
    sectors: list[SectorCoverage]  # the toolkit's top-level sectors, with their sub-areas
    custom: list[CustomCoverage]  # the partnership's sectors not placed under a toolkit sector
    p_balance: list[PBalance]
    organization_count: int
    survivor_advisors: int

    @property
    def covered(self) -> list[SectorCoverage]:
        return [s for s in self.sectors if s.covered]

    @property
    def missing(self) -> list[SectorCoverage]:
        return [s for s in self.sectors if not s.covered]

    @property
    def percent(self) -> int:
        return round(100 * len(self.covered) / len(self.sectors)) if self.sectors else 0

    @property
    def step(self) -> int:
        return int(round(self.percent / 10)) * 10

    @property
    def survivor_sectors(self) -> list[SectorCoverage]:
        flat = [s for s in self.sectors] + [c for s in self.sectors for c in s.children]
        return [s for s in flat if s.sector.survivor]

    @property
    def survivor_led_represented(self) -> bool:
        return any(s.covered for s in self.survivor_sectors)

    @property
    def survivors_represented(self) -> bool:
        """Survivors take part: a survivor or survivor-led organization, or survivor advisors."""
        return self.survivor_led_represented or self.survivor_advisors > 0


def compute_coverage(
    tallies: Mapping[TallyKey, Named],
    custom_sectors: Iterable[CustomSectorRef] = (),
    totals: OrganizationTotals = OrganizationTotals(),
    survivor_advisors: int = 0,
) -> Coverage:
    """Which toolkit sectors the active organizations cover, which are missing, and the P balance.

    A parent sector counts as covered when it or any sub-area is; a custom sector placed under a
    toolkit sector counts for that sector (``sector_tallies`` groups them so). Pure: the tallies
    and totals in, a Coverage out."""
    customs = list(custom_sectors)
    none = Named()

    def _coverage(sector: toolkit.Sector) -> SectorCoverage:
        own = tallies.get((SECTOR, sector.key), none)
        return SectorCoverage(
            sector,
            organizations=own,
            everyone=tallies.get((WITHIN, sector.key), none) if sector.children else own,
            via_custom=sorted(
                (c.name for c in customs if c.parent_key == sector.key and tallies.get((CUSTOM, str(c.id)))),
                key=str.casefold,
            ),
            children=[_coverage(child) for child in sector.children],
        )

    total = totals.active
    balance = []
    for choice in toolkit.PS:
        count = totals.ps.get(choice.key, 0)
        balance.append(PBalance(choice.key, choice.label, count, round(100 * count / total) if total else 0))
    standalone = [
        CustomCoverage(c, tallies.get((CUSTOM, str(c.id)), none)) for c in customs if c.parent_key not in SECTORS_BY_KEY
    ]
    return Coverage(
        sectors=[_coverage(sector) for sector in toolkit.SECTORS],
        custom=standalone,
        p_balance=balance,
        organization_count=total,
        survivor_advisors=survivor_advisors,
    )


def coverage(ctx: WorkspaceContext) -> Coverage:
    """The partnership's coverage now (three queries, each returning a bounded number of rows: the
    totals with the survivor advisors, the custom sectors, the sector tallies)."""
    # Counted exactly (the setup facts stop at FACT_CAP): an index-only scan of the advisors only.
    advisors = select(func.count(Membership.id)).where(Membership.role == Role.SURVIVOR_ADVISOR)
    totals_and_advisors = _organization_totals().add_columns(advisors.scalar_subquery().label("advisors"))
    row = db.session.execute(scoped(totals_and_advisors)).one()._asdict()
    totals = OrganizationTotals(row["active"], {key: row[key] for key in P_ATTRIBUTES})
    customs = custom_sector_refs(list_custom_sectors(ctx))
    return compute_coverage(sector_tallies(), customs, totals, row["advisors"])


@dataclass
class SectorCount:
    sector: toolkit.Sector
    total: int  # organizations in this sector, any of its sub-areas or custom sectors under it
    children: list[SectorCount] = field(default_factory=list)
    custom: list[tuple[CustomSector, int]] = field(default_factory=list)


@dataclass
class SectorOverview:
    toolkit: list[SectorCount]
    custom: list[tuple[CustomSector, int]]  # every custom sector, by name, with its organization count


def sector_overview(ctx: WorkspaceContext) -> SectorOverview:
    """The toolkit taxonomy with how many active organizations cover each sector, plus the
    partnership's own sectors (two queries: the custom sectors, and the counts grouped in SQL)."""
    custom_sectors = list_custom_sectors(ctx)
    counts = sector_counts()
    by_custom = {c.id: counts.get((CUSTOM, str(c.id)), 0) for c in custom_sectors}
    rows = []
    for sector in toolkit.SECTORS:
        children = [SectorCount(c, counts.get((SECTOR, c.key), 0)) for c in sector.children]
        custom = [(c, by_custom[c.id]) for c in custom_sectors if c.parent_key == sector.key]
        total = counts.get((WITHIN if sector.children else SECTOR, sector.key), 0)
        rows.append(SectorCount(sector, total, children, custom))
    return SectorOverview(rows, [(c, by_custom[c.id]) for c in custom_sectors])


# --- linked networks ----------------------------------------------------------------------------


@dataclass
class LinkedNetworkData:
    name: str
    kind: str
    contact_name: str = ""
    contact_email: str = ""
    website: str = ""
    relationship_notes: str = ""


def list_linked_networks(ctx: WorkspaceContext) -> list[LinkedNetwork]:
    """The networks the partnership links with, by name (one query)."""
    return list(db.session.scalars(scoped(select(LinkedNetwork).order_by(func.lower(LinkedNetwork.name)))))


def _apply_network(network: LinkedNetwork, data: LinkedNetworkData) -> None:
    name = clean_name(data.name)
    if not name:
        raise ServiceError("Name the network.", "name")
    if data.kind not in NETWORK_KINDS:
        raise ServiceError("Choose what kind of network this is.", "kind")
    contact_name = clean_name(data.contact_name)
    contact_email = clean_text(data.contact_email).lower()
    for value, limit, field_name in (
        (name, 160, "name"),
        (contact_name, 120, "contact_name"),
        (contact_email, 254, "contact_email"),
    ):
        if len(value) > limit:
            raise ServiceError(f"Use at most {limit} characters.", field_name)
    network.website = clean_website(data.website)
    network.name = name
    network.kind = data.kind
    network.contact_name = contact_name
    network.contact_email = contact_email
    network.relationship_notes = clean_text(data.relationship_notes)


def create_linked_network(ctx: WorkspaceContext, data: LinkedNetworkData) -> LinkedNetwork:
    """Record an existing partnership or network to link with."""
    network = LinkedNetwork()
    _apply_network(network, data)
    db.session.add(network)
    db.session.flush()
    audit.record(ctx, "linked_network.created", "linked_network", network.id, kind=network.kind)
    return network


def update_linked_network(ctx: WorkspaceContext, network: LinkedNetwork, data: LinkedNetworkData) -> LinkedNetwork:
    """Change a linked network's details."""
    _apply_network(network, data)
    db.session.flush()
    audit.record(ctx, "linked_network.updated", "linked_network", network.id, kind=network.kind)
    return network


def delete_linked_network(ctx: WorkspaceContext, network: LinkedNetwork) -> None:
    """Remove a linked network."""
    audit.record(ctx, "linked_network.deleted", "linked_network", network.id, kind=network.kind)
    db.session.delete(network)


# --- the setup guide ----------------------------------------------------------------------------


def setup_fact_queries(ctx: WorkspaceContext) -> dict[str, Any]:
    """What the setup guide needs to know about the directory, as scalar subqueries the guide
    evaluates together with other areas' facts in one query. Counts stop at ``workspaces.FACT_CAP``;
    the sectors covered are found by skipping from one sector key to the next (one index probe per
    sector the taxonomy has, however many organizations each holds; the links' own copy of their
    organization's active flag keeps each probe in ``ix_organization_sectors_active_sector_order``)."""
    active = Organization.archived_at.is_(None)
    covered = select(OrganizationSector.sector_key).where(
        OrganizationSector.organization_active, OrganizationSector.sector_key.is_not(None)
    )

    def first_key_after(key: Any = None) -> Any:
        after = covered if key is None else covered.where(OrganizationSector.sector_key > key)
        return after.order_by(OrganizationSector.sector_key).limit(1).scalar_subquery()

    keys = select(first_key_after().label("key")).cte("covered_sector_keys", recursive=True)
    keys = keys.union_all(select(first_key_after(keys.c.key)).where(keys.c.key.is_not(None)))
    return {
        "organizations": workspaces.capped_count(select(Organization.id).where(active)),
        "sectors_covered": select(func.count(keys.c.key)).scalar_subquery(),
        "survivor_sector_covered": exists(
            covered.where(OrganizationSector.sector_key.in_(sorted(SURVIVOR_SECTOR_KEYS)))
        ),
        "linked_networks": workspaces.capped_count(select(LinkedNetwork.id)),
    }


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """``setup_fact_queries`` evaluated (one query)."""
    facts = select_scalars(db.session, setup_fact_queries(ctx))
    facts["survivor_sector_covered"] = bool(facts["survivor_sector_covered"])
    return facts
