"""Reading the audit log: the activity feed and the access log.

The feed says what happened and links to it ("Priya Raman added the action item ‘Book the venue’").
Audit entries hold ids only, so the current titles are looked up when the feed is shown: one query
for every kind of record on the page together, never one per entry. Each area says, in its
``feed_targets``, how its records are named, linked and who may see them; an entry about a record
the viewer may not see is left out in SQL (so pages and counts stay right), while an entry whose
record is gone still shows, without a title. Reads of confidential records live in the access log,
never in the feed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Select,
    String,
    and_,
    bindparam,
    cast,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.sql.elements import ColumnElement

from partnership_hub import areas, picking
from partnership_hub.accounts.models import User
from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import (
    VIEWER_TODAY,
    AccessLogEntry,
    Confidential,
    Level,
    Shape,
    SqlDate,
    board_clause,
    confidential_models,
    permission_shape,
    shared_viewer,
    viewer_params,
    visibility_clause,
)
from partnership_hub.context import WorkspaceContext
from partnership_hub.extensions import db
from partnership_hub.parsing import parse_id
from partnership_hub.workspaces.models import Membership

T = TypeVar("T")

FEED_PAGE_SIZE = 50
ACCESS_LOG_PAGE_SIZE = 50
FORMER_MEMBER = "A former member"
RECENT_ENTRIES = 200  # the entries whose people the person filter offers before anything is typed


# --- what the areas declare, resolved once ------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """An area's ``FeedTarget`` with its model and visibility function imported."""

    declared: areas.FeedTarget
    model: Any | None
    visible_ids: Callable[[Membership, SqlDate], Any] | None  # a SELECT of ids, or None: sees every one

    @property
    def noun(self) -> str:
        return self.declared.noun


@cache
def targets() -> dict[str, Target]:
    """Every installed area's feed targets, keyed by audit ``target_type``."""
    return {
        target_type: Target(
            declared,
            areas.resolve(declared.model) if declared.model else None,
            areas.resolve(declared.visible_ids) if declared.visible_ids else None,
        )
        for target_type, declared in areas.feed_targets().items()
    }


def feed_areas() -> list[areas.Area]:
    """The areas the feed can be narrowed to: those whose records it names."""
    return [area for area in areas.installed() if area.feed_targets]


def _visible_records(target: Target, membership: Membership | None, today: SqlDate) -> Any | None:
    """SQL: the ids of the ``target`` records ``membership`` may see, for a kind without a model of
    its own (only ``visible_ids``); None when the kind is open to all, or open to ``membership``
    (an area's ``visible_ids`` answers None for someone who sees every record of the kind)."""
    if target.visible_ids is None:
        return None
    if membership is None:
        return select(AuditEntry.target_id).where(false())
    return target.visible_ids(membership, today)


def _hidden_record(
    target: Target, membership: Membership | None, today: SqlDate, outer: Any, outer_id: Any
) -> ColumnElement[bool] | None:
    """SQL: ``outer_id`` (a column of ``outer``, the enclosing query's table) names a ``target``
    record that exists and that ``membership`` may not see; None when every record of the kind is
    open to all. With nobody acting (no membership), no restricted record is visible.

    One correlated probe of that record by primary key, never ``id IN (every visible id)``, which
    makes PostgreSQL read every record of the kind before the first row. The OFFSET 0 keeps the
    planner from turning the probe back into a hash of every hidden record (it would, counting on
    checking every audit entry, where a page stops after ``page_size + 1``)."""
    model = target.model
    if model is None:
        visible = _visible_records(target, membership, today)
        return None if visible is None else and_(outer_id.is_not(None), outer_id.not_in(visible))
    rules = []
    if issubclass(model, Confidential):
        rules.append(visibility_clause(model, membership, today))
    if target.visible_ids is not None:
        if membership is None:
            rules.append(false())
        elif (visible := target.visible_ids(membership, today)) is not None:
            # the area's SELECT of visible ids, narrowed to this one record (None: it sees them all)
            rules.append(exists(visible.where(model.id == outer_id).correlate(outer)))
    if not rules:
        return None
    # IS NOT TRUE, never NOT: a rule that comes out NULL must hide the record, not show it.
    record = select(model.id).where(model.id == outer_id, and_(*rules).is_not(true())).offset(0)
    return exists(record.correlate(outer))


@lru_cache(maxsize=256)
def _entry_visible(shape: Shape, target_types: tuple[str, ...] | None = None) -> ColumnElement[bool]:
    """SQL: the audit entries a person of permission ``shape`` may see — every entry, except those
    about a record they may not see. An entry whose record no longer exists stays (it names no
    title). With ``target_types``, only the rules of those kinds (the entries are known to be of them).
    Built once per shape: the person's id and today are parameters (``viewer_params``).

    Checked entry by entry on its own record, so PostgreSQL walks the ``(partnership_id,
    created_at, id)`` index newest first and stops after the page: a page costs the same however
    large the partnership."""
    viewer = shared_viewer(shape)
    wanted = targets().keys() if target_types is None else target_types
    restricted = []
    for target_type in wanted:
        target = targets().get(target_type)
        if target is None:
            continue
        hidden = _hidden_record(target, viewer, VIEWER_TODAY, AuditEntry, AuditEntry.target_id)
        if hidden is not None:
            restricted.append((target_type, hidden))
    if not restricted:
        return true()
    return or_(
        AuditEntry.target_type.not_in([target_type for target_type, _ in restricted]),
        *(and_(AuditEntry.target_type == target_type, ~hidden) for target_type, hidden in restricted),
    )


def _titles(ctx: WorkspaceContext, wanted: Mapping[str, Iterable[int]], kinds: Mapping[str, Target]) -> dict:
    """``{(kind, id): title}`` for the records the acting person may see, in ONE statement whatever
    the page holds: a SELECT per kind of record present (made once per permission shape and kind, the
    ids a parameter), joined with UNION ALL."""
    shape = permission_shape(ctx.membership)
    parts, params = [], viewer_params(ctx)
    for kind, ids in wanted.items():
        target = kinds[kind]
        if not ids or target.model is None:
            continue
        parts.append(_title_read(shape, kind, target))
        params[f"titles_{kind}"] = sorted(set(ids))
    if not parts:
        return {}
    rows = db.session.execute(parts[0] if len(parts) == 1 else union_all(*parts), params).tuples()
    return {(kind, record_id): title for kind, record_id, title in rows}


@lru_cache(maxsize=512)
def _title_read(shape: Shape, kind: str, target: Target) -> Select[Any]:
    """The titles of the ``kind`` records named by the ``titles_<kind>`` parameter that a person of
    ``shape`` may see."""
    assert target.model is not None
    row = aliased(target.model)  # the record named; the visibility probe reads the model itself
    kind_column = cast(literal(kind), String).label("kind")  # typed: PostgreSQL must not guess a parameter
    title = cast(getattr(row, target.declared.title_attr), String).label("title")
    stmt = select(kind_column, row.id, title).where(row.id.in_(bindparam(f"titles_{kind}", expanding=True)))
    hidden = _hidden_record(target, shared_viewer(shape), VIEWER_TODAY, row, row.id)
    if hidden is not None:  # the entries passed this rule already; checked again so no title rides on that
        stmt = stmt.where(~hidden)
    return stmt


# --- keyset pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """A place in a log: the ``(created_at, id)`` of an entry, newest first."""

    created_at: datetime
    id: int

    @property
    def token(self) -> str:
        return f"{self.created_at.isoformat()}~{self.id}"

    @classmethod
    def parse(cls, raw: str | None) -> Cursor | None:
        """A cursor from its token; anything malformed is None (the newest page)."""
        stamp, _, number = (raw or "").strip().partition("~")
        record_id = parse_id(number)
        if record_id is None or len(stamp) > 40:
            return None
        try:
            return cls(datetime.fromisoformat(stamp), record_id)
        except ValueError:
            return None


@dataclass(frozen=True)
class Position:
    """Where a page starts: just older than ``before``, just newer than ``after``, or at the newest."""

    before: Cursor | None = None
    after: Cursor | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Position:
        """The position a query string asks for (``before`` wins over ``after``)."""
        before = Cursor.parse(args.get("before"))
        return cls(before=before) if before else cls(after=Cursor.parse(args.get("after")))

    def query_args(self) -> dict[str, str]:
        if self.before:
            return {"before": self.before.token}
        return {"after": self.after.token} if self.after else {}


@dataclass
class Slice(Generic[T]):
    """One keyset page: its items, newest first, and the cursors of the pages either side (None when
    there is none). No total, no page numbers: counting would cost as much as the whole log."""

    items: list[T]
    newer: Cursor | None
    older: Cursor | None
    at: Position

    def query_args(self) -> dict[str, str]:
        """Where this page is, as URL query arguments (for the pushed URL)."""
        return self.at.query_args()


@dataclass(frozen=True)
class Seek:
    """One read of a log by keyset: ``limit`` entries from ``cursor`` (exclusive; None: from the
    newest), older ones first or (``ascending``) newer ones first."""

    cursor: Cursor | None
    ascending: bool
    limit: int

    def apply(self, stmt: Select[Any], created: Any, ident: Any) -> Select[Any]:
        """``stmt`` narrowed to this read: past the cursor, in order, limited."""
        if self.cursor is not None:
            key, at = tuple_(created, ident), tuple_(literal(self.cursor.created_at), literal(self.cursor.id))
            stmt = stmt.where(key > at if self.ascending else key < at)
        order = (created.asc(), ident.asc()) if self.ascending else (created.desc(), ident.desc())
        return stmt.order_by(*order).limit(self.limit)


def seek_in(stmt: Select[Any], created: Any, ident: Any) -> Callable[[Seek], Select[Any]]:
    """The reads of ``stmt`` (unordered) by its ``(created, ident)`` key, for ``keyset``."""
    return lambda seek: seek.apply(stmt, created, ident)


def keyset(
    read: Callable[[Seek], Select[Any]],
    position: Position,
    page_size: int,
    key: Callable[[Any], Cursor],
    params: Mapping[str, Any] | None = None,
) -> tuple[list[Any], Cursor | None, Cursor | None, Position]:
    """One page of a log by keyset, in ONE statement (``read`` makes it for a ``Seek``, e.g.
    ``seek_in``; ``params`` are its bound parameters' values): ``page_size + 1`` rows from the cursor
    tell whether more lie beyond. A cursor past either end (an old link, a narrower filter) shows the
    newest page, at the cost of one more statement. Returns rows, newer, older, position."""
    rows: list[Any]
    newer = older = None
    if position.after is not None:
        found = db.session.execute(read(Seek(position.after, True, page_size + 1)), params).all()
        rows = list(reversed(found[:page_size]))
        if rows:
            newer = key(rows[0]) if len(found) > page_size else None
            older = key(rows[-1])  # the entry the link came from, at least
            return rows, newer, older, position
    else:
        found = db.session.execute(read(Seek(position.before, False, page_size + 1)), params).all()
        rows = list(found[:page_size])
        if rows or position.before is None:
            older = key(rows[-1]) if len(found) > page_size else None
            newer = key(rows[0]) if position.before is not None else None
            return rows, newer, older, position
    return keyset(read, Position(), page_size, key, params)


# --- the activity feed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedFilters:
    """What the feed is narrowed to: one area's records, one person's doings. Empty means "any"."""

    area: str = ""
    person: str = ""  # the acting user's id

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> FeedFilters:
        """The filters from a query string; unknown or malformed values mean "any"."""
        area = (args.get("area") or "").strip()
        person = (args.get("person") or "").strip()
        return cls(
            area=area if area in {a.name for a in feed_areas()} else "",
            person=str(parse_id(person) or ""),
        )

    @property
    def active(self) -> bool:
        return bool(self.area or self.person)

    def query_args(self) -> dict[str, str]:
        """The filters as URL query arguments (for pagination links)."""
        return {key: value for key, value in (("area", self.area), ("person", self.person)) if value}


@dataclass
class FeedEntry:
    """One audit entry in words: who, what, and the record it is about (titled and linked while it
    exists and the viewer may see it)."""

    entry: AuditEntry
    label: str
    noun: str = ""
    title: str | None = None
    endpoint: str | None = None
    endpoint_args: dict[str, Any] = field(default_factory=dict)
    subject: str | None = None  # the person an entry is about, when that is not the actor
    tracks_record: bool = False  # the feed looks records of this kind up (a missing one was removed)

    @property
    def actor_name(self) -> str:
        return self.entry.actor.name if self.entry.actor else FORMER_MEMBER

    @property
    def names_record(self) -> bool:
        """The label ends with the record's noun ("added the action item"), so the title follows it."""
        return bool(self.noun) and self.label.endswith(self.noun)

    @property
    def removed(self) -> bool:
        """The record this entry names no longer exists."""
        return self.tracks_record and self.entry.target_id is not None and self.title is None

    @property
    def links_title(self) -> bool:
        return self.title is not None and self.endpoint is not None

    @property
    def links_label(self) -> bool:
        """Records without a page of their own link the label to where they are listed."""
        return not self.tracks_record and self.endpoint is not None and not self.endpoint_args


def _people_named(entries: list[AuditEntry]) -> dict[int, str]:
    """Names of the people entries are about (``details.user_id``), in one query."""
    ids = {entry.details.get("user_id") for entry in entries if entry.details} - {None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).tuples().all())


def describe(ctx: WorkspaceContext, entries: list[AuditEntry]) -> list[FeedEntry]:
    """Audit entries in words, with the current titles of their records (one query) and the people
    they name (one query, only when an entry names someone)."""
    kinds = targets()
    labels = areas.audit_labels()
    wanted: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        if entry.target_id is not None and entry.target_type in kinds:
            wanted[entry.target_type].append(entry.target_id)
    titles = _titles(ctx, wanted, kinds)
    people = _people_named(entries)

    described = []
    for entry in entries:
        target = kinds.get(entry.target_type)
        item = FeedEntry(entry, labels.get(entry.action, entry.action))
        subject_id = entry.details.get("user_id") if entry.details else None
        if subject_id is not None and subject_id != entry.actor_id:
            item.subject = people.get(subject_id)
        if target is not None:
            item.noun = target.noun
            item.tracks_record = target.model is not None
            item.title = titles.get((entry.target_type, entry.target_id))
            declared = target.declared
            if declared.id_arg is None:
                item.endpoint = declared.endpoint
            elif item.title is not None:
                item.endpoint = declared.endpoint
                item.endpoint_args = {declared.id_arg: entry.target_id}
        described.append(item)
    return described


def _feed_reads(ctx: WorkspaceContext, filters: FeedFilters) -> Callable[[Seek], Select[Any]]:
    """The reads of the entries the acting person may see under ``filters``, with their actors.

    Narrowed to an area, each kind of record the area names is read on its own — newest first down
    ``(partnership_id, target_type, created_at, id)``, from the cursor, at most a page — and the
    pieces are merged with UNION ALL: an area with few entries in a long log costs no more than a
    busy one (a filter over the whole log would walk it to the end looking for them)."""
    shape = permission_shape(ctx.membership)
    person = [AuditEntry.actor_id == int(filters.person)] if filters.person else []
    if not filters.area:
        stmt = select(AuditEntry).options(joinedload(AuditEntry.actor)).where(_entry_visible(shape), *person)
        return seek_in(stmt, AuditEntry.created_at, AuditEntry.id)
    area = next(a for a in feed_areas() if a.name == filters.area)
    kinds = [
        select(AuditEntry).where(AuditEntry.target_type == kind, _entry_visible(shape, (kind,)), *person)
        for kind in area.feed_targets
    ]

    def read(seek: Seek) -> Select[Any]:
        # Each piece wrapped in a subquery: SQLite takes no ORDER BY / LIMIT inside a UNION.
        pieces = [select(seek.apply(kind, AuditEntry.created_at, AuditEntry.id).subquery()) for kind in kinds]
        entries = aliased(AuditEntry, union_all(*pieces).subquery())
        merged = select(entries).options(joinedload(entries.actor))
        return Seek(None, seek.ascending, seek.limit).apply(merged, entries.created_at, entries.id)

    return read


def _entry_cursor(row: Any) -> Cursor:
    entry = row[0]
    return Cursor(entry.created_at, entry.id)


def feed_page(
    ctx: WorkspaceContext,
    filters: FeedFilters = FeedFilters(),
    position: Position = Position(),
    page_size: int | None = None,
) -> Slice[FeedEntry]:
    """One keyset page of the activity feed as the acting person may see it, newest first: the
    entries with their actors in one query, then their records' titles in one more."""
    read = _feed_reads(ctx, filters)
    rows, newer, older, at = keyset(read, position, page_size or FEED_PAGE_SIZE, _entry_cursor, viewer_params(ctx))
    return Slice(describe(ctx, [row[0] for row in rows]), newer, older, at)


def latest(ctx: WorkspaceContext, limit: int) -> list[FeedEntry]:
    """The newest ``limit`` entries the acting person may see (the home panel): a plain ordered LIMIT
    down the ``(partnership_id, created_at, id)`` index, nothing counted. The statement is made once
    per permission shape and reused."""
    stmt = _latest_statement(permission_shape(ctx.membership), limit)
    return describe(ctx, list(db.session.scalars(stmt, viewer_params(ctx)).unique()))


@lru_cache(maxsize=64)
def _latest_statement(shape: Shape, limit: int) -> Select[Any]:
    stmt = select(AuditEntry).options(joinedload(AuditEntry.actor)).where(_entry_visible(shape))
    return Seek(None, False, limit).apply(stmt, AuditEntry.created_at, AuditEntry.id)


def _actors() -> Select[Any]:
    """(user id, name) of everyone with an entry in the bound partnership's log."""
    acted = select(AuditEntry.id).where(AuditEntry.actor_id == User.id)
    return select(User.id, User.name).where(exists(acted))


def _recent_actors() -> Select[Any]:
    """(user id, name) of the people behind the latest ``RECENT_ENTRIES`` entries: the person
    filter's choices before anything is typed, read from the newest end of the log. Each name is
    looked up by primary key (a scalar subquery), never by scanning every user."""
    recent = (
        select(AuditEntry.actor_id)
        .where(AuditEntry.actor_id.is_not(None))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(RECENT_ENTRIES)
        .subquery()
    )
    people = select(recent.c.actor_id).distinct().subquery()
    name = select(User.name).where(User.id == people.c.actor_id).scalar_subquery()
    named = select(people.c.actor_id.label("id"), name.label("name")).subquery()
    return select(named.c.id, named.c.name)


def pick_people(
    ctx: WorkspaceContext, query: str = "", chosen: list[int] | None = None, *, blank: str | None = None
) -> picking.Pick:
    """The person filter's picker: the person chosen (only someone in this partnership's log), then
    up to ``PICK_LIMIT`` people by name — everyone in the log whose name holds ``query``, or, with
    nothing typed, the people active lately — in ONE statement, never the whole list of actors."""
    query = picking.clean_query(query)
    chosen = chosen or []
    pick = picking.Pick(query=query, blank=blank)
    parts: list[Select[Any]] = []
    if chosen:
        parts.append(_actors().where(User.id.in_(chosen)).with_only_columns(literal(True), User.id, User.name))
    matching = _actors().where(picking.contains((User.name,), query)) if query else _recent_actors()
    user_id, name = matching.selected_columns
    if chosen:
        matching = matching.where(user_id.not_in(chosen))
    limited = matching.order_by(func.lower(name), user_id).limit(picking.PICK_LIMIT + 1).subquery()
    parts.append(select(literal(False), *limited.c))
    rows = db.session.execute(parts[0] if len(parts) == 1 else union_all(*parts)).tuples().all()
    names = {person: label for is_chosen, person, label in rows if is_chosen}
    pick.chosen = [(str(person), names[person]) for person in chosen if person in names]
    # A UNION keeps no order: sorted here as the matches' own query sorts them.
    found = sorted((label.lower(), person, label) for is_chosen, person, label in rows if not is_chosen)
    pick.matches = [(str(person), label) for _, person, label in found[: picking.PICK_LIMIT]]
    pick.more = len(found) > picking.PICK_LIMIT
    return pick


# --- the access log ------------------------------------------------------------------------------


@dataclass
class AccessRow:
    """One read of a confidential record: who, which record (titled where the viewer may see it), how."""

    entry: AccessLogEntry
    who: str
    kind: str
    title: str | None = None
    endpoint: str | None = None
    endpoint_args: dict[str, Any] = field(default_factory=dict)


@cache
def _confidential_kinds() -> dict[str, Target]:
    """Every opted-in model by ``confidential_kind``, named and linked as the feed names it."""
    declared = areas.feed_targets()
    kinds = {}
    for model in confidential_models():
        kind = model.confidential_kind
        feed = declared.get(kind) or areas.FeedTarget(kind.replace("_", " "))
        kinds[kind] = Target(feed, model, None)
    return kinds


def _kind_label(kind: str) -> str:
    return kind.replace("_", " ").capitalize()


def access_log_page(
    ctx: WorkspaceContext, position: Position = Position(), page_size: int | None = None
) -> Slice[AccessRow]:
    """One keyset page of the access log, newest first, with who read and the current titles of what
    they read where the acting person may see it (one query, then one for the titles)."""
    stmt = select(AccessLogEntry, User.name).outerjoin(User, User.id == AccessLogEntry.user_id)
    # Reads of the advisory board's records are the board's to review (its chair's page): for anyone not
    # admitted to the board, not even that they happened — a count would tell the board's activity.
    me = ctx.membership.id if ctx.membership else 0
    stmt = stmt.where(or_(AccessLogEntry.level != Level.ADVISORY, board_clause(me, ctx.today())))
    read = seek_in(stmt, AccessLogEntry.created_at, AccessLogEntry.id)
    found, newer, older, at = keyset(read, position, page_size or ACCESS_LOG_PAGE_SIZE, _entry_cursor)
    kinds = _confidential_kinds()
    wanted: dict[str, list[int]] = defaultdict(list)
    for entry, _ in found:
        if entry.record_kind in kinds:
            wanted[entry.record_kind].append(entry.record_id)
    titles = _titles(ctx, wanted, kinds)

    rows = []
    for entry, name in found:
        row = AccessRow(entry, name or FORMER_MEMBER, _kind_label(entry.record_kind))
        row.title = titles.get((entry.record_kind, entry.record_id))
        declared = kinds[entry.record_kind].declared if entry.record_kind in kinds else None
        if row.title is not None and declared is not None and declared.endpoint and declared.id_arg:
            row.endpoint = declared.endpoint
            row.endpoint_args = {declared.id_arg: entry.record_id}
        rows.append(row)
    return Slice(rows, newer, older, at)
