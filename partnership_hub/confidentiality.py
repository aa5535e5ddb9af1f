"""Confidentiality for any record: four levels, grants to named people, one rule in two forms,
and an access log of reads above ``workspace``.

A model opts in by inheriting ``Confidential`` (it gets a ``confidentiality`` column) and setting
``confidential_kind`` (the name grants and the access log use for it); it must have the author
column named by ``confidential_author`` (``author_membership_id`` by default).

* ``may_see(membership, record, granted=...)`` — the rule for one record;
* ``visibility_clause(model, membership, today)`` — the same rule as SQL, for lists, counts,
  exports and digests (filter in the database, so pagination and counts stay right);
* ``grant`` / ``revoke`` / ``grants_for`` — named people (who granted, why, until when);
* ``record_read(ctx, record)`` — writes the access-log entry for a read above ``workspace``;
* the reads of a workspace request are noted by the layer itself (every ``Confidential`` record the
  ORM loads; ``note_reads_of`` for an export's statement) and written by ``write_noted_reads``, the
  workspace blueprints' after-request step, in one statement after a successful GET.

The levels (DESIGN.md, issue #13): ``workspace`` — every member; ``leadership`` — coordinators;
``advisory`` — the survivor advisory board and the people its chair admits (the board keeps
coordinators out unless they sit on it or hold a grant); ``private`` — the author. At every level above
``workspace``, people named in an unexpired grant on the record are admitted too. Observers read
``workspace`` records only and cannot be granted more.

Who is "the board" is one more grant in the same table: ``record_kind = BOARD`` (record id 0 — the
partnership's board). The advisory area keeps a seat's grant in step with the roster (no end date) and
writes the chair's grants to others (a reason and an end date, shown to the board), so the rule stays
a pure function of grants and needs no table of another area. A test parametrized over every model that
opts in proves the two forms agree (``tests/test_confidentiality.py``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, cast

from flask import Response, g, has_request_context, request
from sqlalchemy import (
    BindParameter,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    event,
    exists,
    false,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, declared_attr, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from partnership_hub.db import Base, TenantMixin, TimestampMixin, UTCDateTime, text_enum, utcnow
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import Model, db
from partnership_hub.workspaces.models import Membership, Role

if TYPE_CHECKING:
    from partnership_hub.context import WorkspaceContext


class Level(enum.StrEnum):
    WORKSPACE = "workspace"
    LEADERSHIP = "leadership"
    ADVISORY = "advisory"
    PRIVATE = "private"

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    Level.WORKSPACE: "Everyone in the workspace",
    Level.LEADERSHIP: "Coordinators only",
    Level.ADVISORY: "The survivor advisory board and people it admits",
    Level.PRIVATE: "Only the author",
}
LEVEL_HINT = "People you name below can also see it, at any level above “everyone”."

level_type = text_enum(Level, "confidentiality")

# The survivor advisory board as a grant target: a seat on the board or the chair's grant admits a
# person to every ``advisory`` record (record_id 0: the bound partnership's one board).
BOARD = "advisory_board"
BOARD_RECORD_ID = 0


class Confidential:
    """Mixin for a tenant model whose records carry a confidentiality level."""

    confidential_kind: ClassVar[str]
    confidential_author: ClassVar[str] = "author_membership_id"

    if TYPE_CHECKING:
        # Every model that opts in has its own integer primary key; declared for the type checker
        # only (a mapped annotation here would give each model a second ``id`` column definition).
        id: Mapped[int]

    @declared_attr
    def confidentiality(cls) -> Mapped[Level]:  # noqa: N805 - SQLAlchemy's declared_attr convention
        return mapped_column(level_type, default=Level.WORKSPACE)


class ConfidentialGrant(TenantMixin, TimestampMixin, Model):
    """A named person admitted to one confidential record: who granted it, why, until when."""

    __tablename__ = "confidential_grants"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"], ["memberships.partnership_id", "memberships.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("record_kind", "record_id", "membership_id"),
        Index("ix_confidential_grants_partnership_id_record", "partnership_id", "record_kind", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    membership_id: Mapped[int] = mapped_column(index=True)
    granted_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    ends_on: Mapped[date | None] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"<ConfidentialGrant {self.record_kind}:{self.record_id} → {self.membership_id}>"


class AccessLogEntry(TenantMixin, TimestampMixin, Model):
    """Someone read (or exported) a record above ``workspace``. Kept apart from the activity feed."""

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_partnership_id_created_at_id", "partnership_id", "created_at", "id"),
        Index("ix_access_log_partnership_id_record", "partnership_id", "record_kind", "record_id"),
        # The chair's review of reads of ``advisory`` records (a few in a hundred reads): its page and its
        # capped count walk these alone, however many other reads the partnership logs (migration 0038).
        Index(
            "ix_access_log_advisory",
            "partnership_id",
            "created_at",
            "id",
            postgresql_where=text("level = 'advisory'"),
            sqlite_where=text("level = 'advisory'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    level: Mapped[Level] = mapped_column(level_type)
    how: Mapped[str] = mapped_column(String(20), default="viewed")  # viewed | exported | edited

    def __repr__(self) -> str:
        return f"<AccessLogEntry {self.record_kind}:{self.record_id}>"


def confidential_models() -> list[type[Confidential]]:
    """Every mapped model that opts in (the registry has imported all areas' models)."""
    return sorted(
        (mapper.class_ for mapper in Base.registry.mappers if issubclass(mapper.class_, Confidential)),
        key=lambda model: model.__name__,
    )


# --- the rule, for one record and as SQL ---------------------------------------------------------


def may_see(membership: Membership | None, record: Confidential, *, granted: bool = False) -> bool:
    """May ``membership`` read ``record``? ``granted``: an unexpired grant names this membership."""
    if membership is None:
        return False
    level = record.confidentiality
    if level == Level.WORKSPACE:
        return True
    if membership.role == Role.OBSERVER:
        return False
    if granted:
        return True
    if level == Level.LEADERSHIP:
        return membership.role == Role.COORDINATOR
    if level == Level.ADVISORY:
        return False  # the board and the people it admits: both are grants (``is_granted``)
    author_id: int | None = getattr(record, record.confidential_author)
    return author_id == membership.id  # private


# A date in SQL: a value, or ``VIEWER_TODAY`` in a rule built once and shared.
SqlDate = date | ColumnElement[date]


def _unexpired(today: SqlDate) -> ColumnElement[bool]:
    return or_(ConfidentialGrant.ends_on.is_(None), ConfidentialGrant.ends_on >= today)


def granted_clause(model: type[Confidential], membership_id: Any, today: SqlDate | None = None) -> ColumnElement[bool]:
    """SQL: an unexpired grant names ``membership_id`` for the ``model`` row in the outer query."""
    today = utcnow().date() if today is None else today
    return exists().where(
        ConfidentialGrant.record_kind == model.confidential_kind,
        ConfidentialGrant.record_id == model.id,
        ConfidentialGrant.membership_id == membership_id,
        _unexpired(today),
    )


def board_clause(membership_id: Any, today: SqlDate | None = None) -> ColumnElement[bool]:
    """SQL: ``membership_id`` (a value or a column) sits on the survivor advisory board or holds the
    chair's unexpired grant to it."""
    today = utcnow().date() if today is None else today
    return exists().where(
        ConfidentialGrant.record_kind == BOARD,
        ConfidentialGrant.record_id == BOARD_RECORD_ID,
        ConfidentialGrant.membership_id == membership_id,
        _unexpired(today),
    )


def admitted_to_board(membership: Membership | None, today: date | None = None) -> bool:
    """Is ``membership`` admitted to the board's restricted area (a seat or the chair's grant)? One query."""
    if membership is None or membership.role == Role.OBSERVER:
        return False
    return bool(db.session.scalar(select(board_clause(membership.id, today))))


def visibility_clause(
    model: type[Confidential], membership: Membership | None, today: SqlDate | None = None
) -> ColumnElement[bool]:
    """The SQL twin of ``may_see``: true for the ``model`` rows ``membership`` may read. ``today``
    decides which grants have ended (default: today in UTC).

    A pure function of the model, the membership's id and role, and the date, so a mapped model's
    clause is kept (a few hundred, least recently used first out): a page asks for the same rule many
    times — every list, count and probe — and a clause, immutable, can sit in any number of statements.
    An alias's clause is built each time (the alias is the caller's own)."""
    if membership is None:
        return false()
    today = utcnow().date() if today is None else today
    if isinstance(model, type):
        # (a class is hashable; mypy checks its instances' __hash__ instead)
        return _kept_visibility_clause(model, membership.role, membership.id, today)  # type: ignore[arg-type]
    return _visibility_clause(model, membership.role, membership.id, today)


def _visibility_clause(
    model: type[Confidential], role: Role, membership_id: Any, today: SqlDate
) -> ColumnElement[bool]:
    column = model.confidentiality
    if role == Role.OBSERVER:
        return column == Level.WORKSPACE
    by_role: ColumnElement[bool]
    if role == Role.COORDINATOR:
        by_role = column.in_([Level.WORKSPACE, Level.LEADERSHIP])
    else:
        by_role = column == Level.WORKSPACE
    author: ColumnElement[int | None] = getattr(model, model.confidential_author)
    own_private = and_(column == Level.PRIVATE, author == membership_id)
    board = and_(column == Level.ADVISORY, board_clause(membership_id, today))
    return or_(by_role, own_private, board, granted_clause(model, membership_id, today))


_kept_visibility_clause = lru_cache(maxsize=512)(_visibility_clause)


def visible(ctx: WorkspaceContext, model: type[Confidential]) -> ColumnElement[bool]:
    """``visibility_clause`` for the acting person, today."""
    return visibility_clause(model, ctx.membership, ctx.today()) if ctx.membership else true()


# --- one statement for everyone with the same permissions ------------------------------------------
#
# A rule built for one person embeds their membership id and today's date; built per request, a page
# that checks many kinds of record (the activity feed: a probe per kind) spends more time building and
# fingerprinting the statement than PostgreSQL spends running it. Built once for a *shape* of
# membership — everything the permission rules read — with the person's id and the date as bound
# parameters, the statement is made once per worker and reused (SQLAlchemy's compiled cache then
# hits without re-walking it). ``viewer_params`` fills the parameters at execution.


class _Moment(BindParameter[Any]):
    """A bound day or time a kept statement reads (``VIEWER_TODAY``, ``VIEWER_NOW``). Arithmetic on it
    is refused: ``today + timedelta(...)`` would be SQL date arithmetic, which SQLite does not do on a
    bound value, so it would be silently wrong there. A window's other end is a ``ViewerParameter``."""

    inherit_cache = True

    def _refuse(self, *_: Any) -> Any:
        raise TypeError(f"no arithmetic on {self.key}: declare a ViewerParameter for the value you need")

    __add__ = __radd__ = __sub__ = __rsub__ = _refuse


VIEWER_ID = bindparam("viewer_membership_id", type_=Integer)
VIEWER_TODAY = _Moment("viewer_today", type_=Date())

Shape = tuple[Role, bool, bool] | None


def permission_shape(membership: Membership | None) -> Shape:
    """Everything ``policies.can`` and the visibility rules read of a membership besides its id: two
    memberships of one shape are allowed the same (``tests/test_confidentiality.py`` checks every
    action). A permission rule that reads another attribute must join the shape; ``Viewer`` refuses
    to hand it out, so a rule that forgets fails loudly instead of sharing a statement it must not."""
    if membership is None:
        return None
    return (membership.role, bool(membership.on_planning_team), bool(membership.directory_editor))


@dataclass(frozen=True)
class Viewer:
    """A stand-in membership of one shape whose id is a bound parameter, for rules built once and
    shared (``shared_viewer``). Reading anything outside the shape raises AttributeError."""

    role: Role
    on_planning_team: bool
    directory_editor: bool
    id: Any = VIEWER_ID


def shared_viewer(shape: Shape) -> Membership | None:
    """The ``Viewer`` of ``shape``, typed as the membership it stands in for in the rules' signatures."""
    return None if shape is None else cast(Membership, Viewer(*shape))


def viewer_params(ctx: WorkspaceContext) -> dict[str, Any]:
    """The values of the viewer's parameters (``VIEWER_ID``, ``VIEWER_TODAY``, ``VIEWER_NOW``,
    ``VIEWER_USER_ID``) for the acting person, now. A statement ignores those it does not use."""
    return {
        VIEWER_ID.key: ctx.membership.id if ctx.membership is not None else None,
        VIEWER_TODAY.key: ctx.today(),
        VIEWER_NOW.key: ctx.now(),
        VIEWER_USER_ID.key: ctx.user.id if ctx.user is not None else None,
    } | {parameter.bind.key: parameter.compute(ctx) for parameter in _VIEWER_PARAMETERS}


VIEWER_NOW = _Moment("viewer_now", type_=UTCDateTime())
VIEWER_USER_ID = bindparam("viewer_user_id", type_=Integer)


@dataclass(frozen=True, eq=False)
class ViewerParameter:
    """A per-request value a statement kept per permission shape reads as the bound parameter ``bind``,
    such as the far end of a date window (``compute(ctx)``: ``ctx.today() + 14 days``). A statement
    built from a context asks ``ctx.value(parameter)``: a real context computes the value, a
    ``SharedContext`` answers the parameter, and ``viewer_params`` fills every declared one."""

    bind: BindParameter[Any]
    compute: Callable[[WorkspaceContext], Any]


_VIEWER_PARAMETERS: list[ViewerParameter] = []


def viewer_parameter(name: str, type_: Any, compute: Callable[[WorkspaceContext], Any]) -> ViewerParameter:
    """Declare a ``ViewerParameter`` (at import time, once per name)."""
    if any(parameter.bind.key == name for parameter in _VIEWER_PARAMETERS):
        raise RuntimeError(f"the viewer parameter {name!r} is declared twice")
    parameter = ViewerParameter(bindparam(name, type_=type_), compute)
    _VIEWER_PARAMETERS.append(parameter)
    return parameter


@dataclass(frozen=True)
class _SharedUser:
    id: Any = VIEWER_USER_ID


@dataclass(frozen=True)
class SharedContext:
    """A stand-in ``WorkspaceContext`` of one permission shape, for statements an area builds from a
    context once and keeps (``shared_context``): the membership is the shape's ``Viewer``, the user's
    id, today and now are bound parameters (``viewer_params`` fills them). Reading the partnership,
    its zone or anything else a kept statement must not embed raises AttributeError: such a value is
    computed per request instead (``Area.setup_values``) or passed as a parameter of its own."""

    membership: Membership | None
    user: Any

    @property
    def role(self) -> Role | None:
        return self.membership.role if self.membership else None

    def today(self, now: Any = None) -> Any:
        if now is not None:
            raise TypeError("a kept statement's day is VIEWER_TODAY, not a given time")
        return VIEWER_TODAY

    def now(self) -> Any:
        return VIEWER_NOW

    def value(self, parameter: ViewerParameter) -> Any:
        return parameter.bind

    def can(self, action: str, record: object | None = None) -> bool:
        from partnership_hub.policies import can

        return can(self.membership, action, record)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"{name}: a statement kept per permission shape may not read it (SharedContext)")


@lru_cache(maxsize=64)
def shared_context(shape: Shape) -> WorkspaceContext:
    """The ``SharedContext`` of ``shape``, typed as the context it stands in for."""
    viewer = shared_viewer(shape)
    return cast("WorkspaceContext", SharedContext(viewer, _SharedUser() if viewer is not None else None))


def admitted_memberships_clause(record: Confidential, today: date | None = None) -> ColumnElement[bool]:
    """``may_see`` turned around: SQL over ``Membership`` for the people admitted to ``record`` (by
    role, authorship, the board or an unexpired grant). Observers only at ``workspace``."""
    today = today or utcnow().date()
    level = record.confidentiality
    if level == Level.WORKSPACE:
        return true()
    granted = exists().where(
        ConfidentialGrant.record_kind == record.confidential_kind,
        ConfidentialGrant.record_id == record.id,
        ConfidentialGrant.membership_id == Membership.id,
        _unexpired(today),
    )
    by_level: ColumnElement[bool]
    if level == Level.LEADERSHIP:
        by_level = Membership.role == Role.COORDINATOR
    elif level == Level.ADVISORY:
        by_level = board_clause(Membership.id, today)
    elif (author_id := getattr(record, record.confidential_author)) is not None:  # private
        by_level = Membership.id == author_id
    else:
        by_level = false()
    return and_(Membership.role != Role.OBSERVER, or_(by_level, granted))


def is_granted(record: Confidential, membership: Membership | None, today: date | None = None) -> bool:
    """Does an unexpired grant name ``membership`` for ``record`` — for an ``advisory`` record, the
    board's grant (a seat or the chair's) counts too? (one query; none at workspace level)"""
    if membership is None or record.confidentiality == Level.WORKSPACE:
        return False
    today = today or utcnow().date()
    on_record = and_(
        ConfidentialGrant.record_kind == record.confidential_kind, ConfidentialGrant.record_id == record.id
    )
    if record.confidentiality == Level.ADVISORY:
        board = and_(ConfidentialGrant.record_kind == BOARD, ConfidentialGrant.record_id == BOARD_RECORD_ID)
        on_record = or_(on_record, board)
    stmt = select(ConfidentialGrant.id).where(
        on_record, ConfidentialGrant.membership_id == membership.id, _unexpired(today)
    )
    return db.session.scalars(stmt.limit(1)).first() is not None


def may_read(ctx: WorkspaceContext, record: Confidential) -> bool:
    """``may_see`` for the acting person, looking up their grant only when the level needs it."""
    granted = False
    if record.confidentiality != Level.WORKSPACE and not may_see(ctx.membership, record):
        granted = is_granted(record, ctx.membership, ctx.today())
    return may_see(ctx.membership, record, granted=granted)


# --- grants ---------------------------------------------------------------------------------------


def grants_for(record: Confidential) -> list[ConfidentialGrant]:
    """The grants on ``record`` (expired ones included: the board sees its history)."""
    stmt = (
        select(ConfidentialGrant)
        .where(ConfidentialGrant.record_kind == record.confidential_kind, ConfidentialGrant.record_id == record.id)
        .order_by(ConfidentialGrant.id)
    )
    return list(db.session.scalars(stmt))


def granted_membership_ids(record: Confidential) -> set[int]:
    return {grant.membership_id for grant in grants_for(record)}


def grant(
    ctx: WorkspaceContext,
    record: Confidential,
    membership_id: int,
    *,
    reason: str = "",
    ends_on: date | None = None,
    require_reason: bool = False,
    field: str = "access",
) -> ConfidentialGrant:
    """Admit one named person to ``record`` (idempotent: an existing grant is updated). ``field``
    names the form field a refusal belongs to."""
    member = db.session.scalars(select(Membership).where(Membership.id == membership_id)).one_or_none()
    if member is None:
        raise ServiceError("Choose people from this partnership.", field)
    if member.role == Role.OBSERVER:
        raise ServiceError("Observers can only see what everyone in the workspace sees; choose someone else.", field)
    reason = (reason or "").strip()
    if require_reason and not reason:
        raise ServiceError("Say why this person needs access.", "reason")
    if ends_on is not None and ends_on < ctx.today():
        raise ServiceError("The end date has already passed.", "ends_on")
    existing = db.session.scalars(
        select(ConfidentialGrant).where(
            ConfidentialGrant.record_kind == record.confidential_kind,
            ConfidentialGrant.record_id == record.id,
            ConfidentialGrant.membership_id == membership_id,
        )
    ).one_or_none()
    row = existing or ConfidentialGrant(
        record_kind=record.confidential_kind, record_id=record.id, membership_id=membership_id
    )
    row.granted_by_membership_id = ctx.membership.id if ctx.membership else None
    row.reason = reason
    row.ends_on = ends_on
    db.session.add(row)
    return row


def set_named_people(
    ctx: WorkspaceContext, record: Confidential, membership_ids: Iterable[int], field: str = "access"
) -> None:
    """Make the grants on ``record`` exactly ``membership_ids`` (a form's "who else may see it")."""
    wanted = set(membership_ids)
    for row in grants_for(record):
        if row.membership_id not in wanted:
            db.session.delete(row)
    have = granted_membership_ids(record)
    for membership_id in sorted(wanted - have):
        grant(ctx, record, membership_id, field=field)


# --- the access log -------------------------------------------------------------------------------


def record_read(ctx: WorkspaceContext, record: Confidential, how: str = "viewed") -> AccessLogEntry | None:
    """Log that the acting person read ``record`` — only when it sits above ``workspace``."""
    if record.confidentiality == Level.WORKSPACE:
        return None
    entry = AccessLogEntry(
        user_id=ctx.user.id if ctx.user else None,
        membership_id=ctx.membership.id if ctx.membership else None,
        record_kind=record.confidential_kind,
        record_id=record.id,
        level=record.confidentiality,
        how=how,
    )
    db.session.add(entry)
    return entry


# --- reads noted during a request, written once after it ------------------------------------------
#
# Every path that shows a record's content loads it through the ORM (the record's page, its forms,
# the lists, the report, the action items under a goal) or reads it in an export. So the layer
# notes the reads itself — the "load" event of every ``Confidential`` model, for records above
# ``workspace``, while a workspace request is being answered — and the workspace blueprints'
# after-request step (``write_noted_reads``) writes them all, after a successful GET, in ONE
# INSERT ... SELECT in the request's transaction. Exports read their rows while the download
# streams, after the request: they note the statement of what they show (``note_reads_of``) and the
# same INSERT copies its ids — one entry per record, in that one statement.
#
# The statement runs for every request that queried a ``Confidential`` model, even when nothing it
# showed sits above ``workspace`` (it then inserts no row): a page's statement count depends on what
# the page is, never on its data.

_READS = "partnership_hub.confidential_reads"
_COLUMNS = ["partnership_id", "user_id", "membership_id", "record_kind", "record_id", "level", "how", "created_at"]


@dataclass
class _Reads:
    """What this request has shown: records (kind, id) → level, and export statements."""

    records: dict[tuple[str, int], Level] = field(default_factory=dict)
    selects: list[tuple[type[Confidential], Any, str]] = field(default_factory=list)
    queried: bool = False  # a statement loaded records of a Confidential model
    written: bool = False


def _reads() -> _Reads | None:
    """This workspace request's noted reads (None outside one, or once they have been written)."""
    if not has_request_context() or g.get("ctx") is None:
        return None
    reads: _Reads = request.environ.setdefault(_READS, _Reads())
    return None if reads.written else reads


def note_read(record: Confidential) -> None:
    """Note that this request shows ``record`` (only above ``workspace``; written after the request)."""
    if record.confidentiality == Level.WORKSPACE or (reads := _reads()) is None:
        return
    reads.records.setdefault((record.confidential_kind, record.id), record.confidentiality)


def note_reads_of(model: type[Confidential], stmt: Select[Any], how: str = "exported") -> None:
    """Note that this request shows every ``model`` row ``stmt`` selects (an export, read later as it
    streams). ``stmt`` may select anything from a FROM that includes ``model``; only the rows above
    ``workspace`` are logged, one entry each."""
    if (reads := _reads()) is None:
        return
    ids = (
        stmt.with_only_columns(model.id, model.confidentiality, maintain_column_froms=True)
        .where(model.confidentiality != Level.WORKSPACE)
        .order_by(None)
        .distinct()
    )
    reads.selects.append((model, ids.subquery(), how))


@event.listens_for(Confidential, "load", propagate=True)
def _note_loaded(record: Confidential, context: object) -> None:
    note_read(record)


@event.listens_for(Session, "do_orm_execute")
def _note_confidential_query(state: ORMExecuteState) -> None:
    if not state.is_select or (reads := _reads()) is None or reads.queried:
        return
    descriptions = getattr(state.statement, "column_descriptions", ())
    reads.queried = any(
        isinstance(kind := d.get("type"), type) and issubclass(kind, Confidential) for d in descriptions
    )


# The access log's rows as bound parameters, so the INSERT a page writes is made once per number of
# records viewed (``_insert_viewed``) instead of on every request.
_ACCESS_PARTNERSHIP = bindparam("access_partnership_id", type_=Integer)
_ACCESS_USER = bindparam("access_user_id", type_=Integer)
_ACCESS_MEMBERSHIP = bindparam("access_membership_id", type_=Integer)
_ACCESS_AT = bindparam("access_at", type_=UTCDateTime())


def _access_row(kind: Any, record_id: Any, level: Any, how: Any) -> Select[Any]:
    """One access-log row as a SELECT (the person, partnership and time are the request's parameters)."""
    return select(_ACCESS_PARTNERSHIP, _ACCESS_USER, _ACCESS_MEMBERSHIP, kind, record_id, level, how, _ACCESS_AT)


@lru_cache(maxsize=64)
def _viewed_rows(count: int) -> tuple[Select[Any], ...]:
    """``count`` "viewed" rows, the n-th one's record in ``access_kind_n``, ``access_record_n``,
    ``access_level_n``; with none, one row that inserts nothing (a page's statement count must not
    depend on what it showed)."""
    level = AccessLogEntry.level.type
    viewed = literal("viewed", String)
    if not count:
        return (
            _access_row(literal("", String), literal(0, Integer), literal(Level.WORKSPACE, level), viewed).where(
                false()
            ),
        )
    return tuple(
        _access_row(
            bindparam(f"access_kind_{n}", type_=String),
            bindparam(f"access_record_{n}", type_=Integer),
            bindparam(f"access_level_{n}", type_=level),
            viewed,
        )
        for n in range(count)
    )


@lru_cache(maxsize=64)
def _insert_viewed(count: int) -> Any:
    """The INSERT of ``count`` viewed records (``_viewed_rows``), made once per count."""
    parts = _viewed_rows(count)
    return insert(AccessLogEntry).from_select(_COLUMNS, parts[0] if len(parts) == 1 else union_all(*parts))


def write_noted_reads(response: Response) -> Response:
    """After a successful GET in a workspace: write the reads noted during it, in the request's
    transaction, and commit (a read writes nothing else). A refused or failed request writes none."""
    reads = _reads()
    ctx: WorkspaceContext | None = g.get("ctx")
    if reads is None or ctx is None:
        return response
    reads.written = True  # loads while a download streams are not noted again
    if request.method not in ("GET", "HEAD") or response.status_code >= 400:
        return response
    if not (reads.queried or reads.records or reads.selects):
        return response
    params: dict[str, Any] = {
        _ACCESS_PARTNERSHIP.key: ctx.partnership.id,
        _ACCESS_USER.key: ctx.user.id if ctx.user else None,
        _ACCESS_MEMBERSHIP.key: ctx.membership.id if ctx.membership else None,
        _ACCESS_AT.key: utcnow(),
    }
    viewed = sorted(reads.records.items())
    for n, ((kind, record_id), record_level) in enumerate(viewed):
        params |= {f"access_kind_{n}": kind, f"access_record_{n}": record_id, f"access_level_{n}": record_level}
    if not reads.selects:  # the usual page: one statement per number of records, built once
        # as written, values as given (an ORM INSERT with parameters would be a bulk insert of objects)
        db.session.execute(_insert_viewed(len(viewed)), params, execution_options={"dml_strategy": "raw"})
    else:  # a list or an export: its statements ride along (made per request, as the list is)
        parts = list(_viewed_rows(len(viewed))) if viewed else []
        parts += [
            _access_row(literal(model.confidential_kind, String), ids.c.id, ids.c.confidentiality, literal(how, String))
            for model, ids, how in reads.selects
        ]
        source = parts[0] if len(parts) == 1 else union_all(*parts)
        db.session.execute(insert(AccessLogEntry).from_select(_COLUMNS, source.params(params)))
    # Nothing else changed in this transaction, so what the request loaded stays loaded: a download
    # still streaming, or the signed-in person, must not be refreshed after the session is gone.
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire
    return response


def recent_reads(limit: int = 100) -> list[AccessLogEntry]:
    """The latest access-log entries of the bound partnership, newest first."""
    stmt = select(AccessLogEntry).order_by(AccessLogEntry.created_at.desc(), AccessLogEntry.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))
