"""Community resource map rules: listing with search, filters and pages; adding, editing, removing;
the CSV export. Every write records an audit entry in the same transaction."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from partnership_hub import toolkit
from partnership_hub.audit import services as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import is_web_address, max_length
from partnership_hub.pagination import Page, paginate
from partnership_hub.resources.models import CommunityResource
from partnership_hub.workspaces import services as workspaces

PAGE_SIZE = 25
NOTES_MAX = 4000  # the column is TEXT; a directory note longer than this is a document, not a note

SERVICE_TYPE_LABELS: dict[str, str] = {choice.key: choice.label for choice in toolkit.SERVICE_TYPES}

# The text columns people fill in, with the longest value each takes (from the schema).
TEXT_FIELDS: tuple[str, ...] = ("organization_name", "area_served", "languages", "hours", "contact", "website")
MAX_LENGTHS: dict[str, int] = {
    **{name: max_length(CommunityResource.__table__.c[name]) for name in TEXT_FIELDS},
    "notes": NOTES_MAX,
}
EDITABLE_FIELDS: tuple[str, ...] = (*TEXT_FIELDS, "service_type", "trafficking_specific", "notes")


@dataclass(frozen=True)
class ResourceFilters:
    """What the list is narrowed to. Empty values mean "any"."""

    q: str = ""
    service_type: str = ""
    language: str = ""
    trafficking_only: bool = False

    @property
    def active(self) -> bool:
        return bool(self.q or self.service_type or self.language or self.trafficking_only)

    def query_args(self) -> dict[str, str]:
        """The filters as URL query arguments (for pagination links and the CSV link)."""
        args = {"q": self.q, "service_type": self.service_type, "language": self.language}
        if self.trafficking_only:
            args["trafficking"] = "1"
        return {key: value for key, value in args.items() if value}


def _contains(column, needle: str):
    return func.lower(column).contains(needle.lower(), autoescape=True)


def _filtered(stmt, filters: ResourceFilters):
    if filters.q:
        matches = [
            _contains(getattr(CommunityResource, name), filters.q)
            for name in ("organization_name", "area_served", "languages", "contact", "notes")
        ]
        # The service type is stored as a key: match the words people read.
        types = [key for key, label in SERVICE_TYPE_LABELS.items() if filters.q.lower() in label.lower()]
        if types:
            matches.append(CommunityResource.service_type.in_(types))
        stmt = stmt.where(or_(*matches))
    if filters.service_type:
        stmt = stmt.where(CommunityResource.service_type == filters.service_type)
    if filters.language:
        stmt = stmt.where(_contains(CommunityResource.languages, filters.language))
    if filters.trafficking_only:
        stmt = stmt.where(CommunityResource.trafficking_specific.is_(True))
    return stmt


def _ordered(stmt):
    return stmt.order_by(func.lower(CommunityResource.organization_name), CommunityResource.id)


def search_resources(
    ctx: WorkspaceContext, filters: ResourceFilters, page: int = 1, page_size: int = PAGE_SIZE
) -> Page[CommunityResource]:
    """One page of the partnership's resources matching ``filters``, by name (one query; a page past
    the end shows the last page)."""
    return paginate(scoped(_ordered(_filtered(select(CommunityResource), filters))), page, page_size)


# --- validation and writes ----------------------------------------------------------------------


def clean_resource_data(data: dict[str, Any]) -> dict[str, Any]:
    """Trimmed, checked values for a resource; ServiceError (naming the field) for the first problem."""
    cleaned: dict[str, Any] = {}
    for name in (*TEXT_FIELDS, "notes"):
        value = data.get(name) or ""
        if not isinstance(value, str):
            raise ServiceError("Enter text.", name)
        value = value.strip()
        if len(value) > MAX_LENGTHS[name]:
            raise ServiceError(f"Use at most {MAX_LENGTHS[name]} characters.", name)
        cleaned[name] = value
    if not cleaned["organization_name"]:
        raise ServiceError("Enter the organization's name.", "organization_name")
    if cleaned["website"] and not is_web_address(cleaned["website"]):
        raise ServiceError("Enter a web address that starts with http:// or https://.", "website")
    service_type = data.get("service_type") or ""
    if service_type not in SERVICE_TYPE_LABELS:
        raise ServiceError("Choose a type of service from the list.", "service_type")
    cleaned["service_type"] = service_type
    cleaned["trafficking_specific"] = bool(data.get("trafficking_specific"))
    return cleaned


def create_resource(ctx: WorkspaceContext, data: dict[str, Any]) -> CommunityResource:
    """Add a service to the partnership's resource map."""
    resource = CommunityResource(**clean_resource_data(data))
    db.session.add(resource)
    db.session.flush()
    audit.record(ctx, "resource.created", "community_resource", resource.id, service_type=resource.service_type)
    return resource


def update_resource(ctx: WorkspaceContext, resource: CommunityResource, data: dict[str, Any]) -> CommunityResource:
    """Change a resource; the audit entry names the fields that changed (not their values)."""
    cleaned = clean_resource_data(data)
    changed = sorted(name for name, value in cleaned.items() if getattr(resource, name) != value)
    if not changed:
        return resource
    for name in changed:
        setattr(resource, name, cleaned[name])
    db.session.flush()
    audit.record(ctx, "resource.updated", "community_resource", resource.id, fields=changed)
    return resource


def delete_resource(ctx: WorkspaceContext, resource: CommunityResource) -> None:
    """Remove a resource from the map."""
    audit.record(ctx, "resource.deleted", "community_resource", resource.id, service_type=resource.service_type)
    db.session.delete(resource)
    db.session.flush()


# --- the setup guide ----------------------------------------------------------------------------


def setup_fact_queries(ctx: WorkspaceContext) -> dict[str, Any]:
    """What the setup guide needs to know about the resource map, as a scalar subquery (counted up
    to ``FACT_CAP``: the guide asks for one, then five)."""
    return {"community_resources": workspaces.capped_count(select(CommunityResource.id))}


# --- the CSV export -----------------------------------------------------------------------------

CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("organization_name", "Organization"),
    ("service_type", "Service type"),
    ("area_served", "Area served"),
    ("languages", "Languages"),
    ("hours", "Hours"),
    ("contact", "Contact"),
    ("website", "Website"),
    ("trafficking_specific", "Funded for trafficking survivors"),
    ("notes", "Notes"),
)


def csv_header(*, include_contacts: bool) -> list[str]:
    """The export's column titles; without ``include_contacts`` the contact column is left out."""
    return [title for _name, title in _csv_columns(include_contacts)]


def export_rows(ctx: WorkspaceContext, filters: ResourceFilters, *, include_contacts: bool) -> Iterator[list[Any]]:
    """The resources matching ``filters``, by name, as CSV rows under ``csv_header`` (one query).
    ``include_contacts`` False leaves the contact column out, for people who may not see contact
    details. The values are read now; the rows are made as the download streams."""
    columns = [name for name, _title in _csv_columns(include_contacts)]
    stmt = _ordered(_filtered(select(*(getattr(CommunityResource, name) for name in columns)), filters))
    # Read inside the request: a streamed body is sent after the request's session has closed.
    records = db.session.execute(scoped(stmt)).all()
    return (_csv_row(dict(zip(columns, record, strict=True))) for record in records)


def _csv_row(values: dict[str, Any]) -> list[Any]:
    values["service_type"] = SERVICE_TYPE_LABELS.get(values["service_type"], values["service_type"])
    values["trafficking_specific"] = "yes" if values["trafficking_specific"] else "no"
    return list(values.values())


def _csv_columns(include_contacts: bool) -> list[tuple[str, str]]:
    return [(name, title) for name, title in CSV_COLUMNS if include_contacts or name != "contact"]
