"""The declarative base, column types, mixins and the one tenancy mechanism.

Tenancy lives here and nowhere else:

* ``bind_tenant(session, partnership_id, user_id)`` records which partnership the current unit of
  work belongs to. The request resolver (``web/tenancy.py``) and background tasks call it.
* Every ORM query that touches a ``TenantMixin`` model gets ``partnership_id = <current>``
  added automatically (``with_loader_criteria``). With no partnership bound the query is refused
  with ``TenantContextMissing`` — a forgotten filter cannot silently read everyone's rows.
* New tenant rows get the bound partnership id at flush; a row for another partnership is refused.
* On PostgreSQL the same ids are handed to row-level security with ``set_config(..., true)``
  (transaction-local): the database is the second wall. Every statement the session runs — ORM or
  Core through ``session.execute``, lazy loads, flushes — runs with the settings equal to the
  binding: they are sent, only when they differ from what the open transaction already holds, just
  before that statement (``_sync_database_settings``). So binding twice costs nothing, and a
  request that binds and then reads pays one settings statement, not one per bind. The one statement
  that may hold other settings is the one that applies them itself (``SelectApplyingSettings``);
  the next statement brings them back to the binding. Statements run on ``session.connection()``
  directly bypass this; nothing does that.

The only sanctioned way around the ORM filter is ``cross_tenant()`` — used where a person's own
memberships across partnerships are listed — and RLS still limits those rows to that person.
"""

from __future__ import annotations

import enum
import logging
import select as io_select
import sqlite3
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import (
    ColumnExpressionArgument,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    Text,
    bindparam,
    event,
    func,
    select,
    text,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    SessionTransaction,
    UOWTransaction,
    declared_attr,
    mapped_column,
    registry,
    scoped_session,
    with_loader_criteria,
)
from sqlalchemy.pool import ConnectionPoolEntry, Pool, PoolProxiedConnection
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement, ColumnElement
from sqlalchemy.sql.expression import FromClause, Select, SelectBase
from sqlalchemy.sql.visitors import iterate
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util import LRUCache

from partnership_hub.errors import NotFound
from partnership_hub.parsing import parse_id

log = logging.getLogger(__name__)

# ``db.session`` is a ``scoped_session`` proxying Flask-SQLAlchemy's own Session subclass; the helpers
# here accept it as well as a plain Session (a task's, a test's).
SessionT = TypeVar("SessionT", bound=Session)
StatementT = TypeVar("StatementT", bound=Executable)


class HasId(Protocol):
    """A mapped model with an integer primary key named ``id``."""

    @property
    def id(self) -> int: ...


RecordT = TypeVar("RecordT", bound=HasId)

PARTNERSHIP_KEY = "tenant.partnership_id"
USER_KEY = "tenant.user_id"
# What the open transaction's settings hold on PostgreSQL: (partnership id, user id). Absent when
# unknown (after a savepoint ends), so the next statement sends them again.
APPLIED_KEY = "tenant.applied"
AFTER_COMMIT_KEY = "after_commit"
CROSS_TENANT_OPTION = "cross_tenant"

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC. Used as a callable default, never evaluated at import."""
    return datetime.now(UTC)


def text_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A column of one of ``enum_class``'s values, stored as its text (not a database enum type, so a
    new value is a code change, not a migration), with a CHECK constraint named ``name``."""
    return Enum(
        enum_class,
        name=name,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        create_constraint=True,
        length=20,
        validate_strings=True,
    )


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    # One registry carries the naming convention and the datetime type, so Flask-SQLAlchemy's
    # generated model base inherits both.
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TenantMixin:
    """A row that belongs to exactly one partnership (NOT NULL, foreign key, indexed first)."""

    @declared_attr
    def partnership_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy's declared_attr convention
        return mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True, nullable=False)


class TenantContextMissing(RuntimeError):
    """A tenant table was queried or written with no partnership bound to the session."""


class CrossTenantWrite(RuntimeError):
    """A row for one partnership was about to be written while another partnership is bound."""


# --- binding the tenant -------------------------------------------------------------------------


def _plain(session: Session | scoped_session[SessionT]) -> Session:
    return session() if isinstance(session, scoped_session) else session


def bind_tenant(
    session: Session | scoped_session[SessionT], partnership_id: int | None, user_id: int | None = None
) -> None:
    """Make ``partnership_id`` (and ``user_id``) the tenant of ``session``'s work from now on.

    The ORM filter uses it at once; on PostgreSQL the settings go with the session's next statement."""
    session = _plain(session)
    session.info[PARTNERSHIP_KEY] = partnership_id
    if user_id is not None:
        session.info[USER_KEY] = user_id


def bind_user(session: Session | scoped_session[SessionT], user_id: int | None) -> None:
    """Record the signed-in person, so RLS lets them list their own memberships anywhere."""
    _plain(session).info[USER_KEY] = user_id


@dataclass(frozen=True)
class SelectApplyingSettings:
    """A SELECT of at most one row, over tables without row-level security, that on PostgreSQL also
    sets the transaction's settings to the ``user_id`` (and ``partnership_id``) columns of the row it
    returns — the settings statement saved on every request. Build it once (a statement reused is
    compiled and cache-keyed once) and ``execute`` it with its bound parameters.

    The session is not bound by this: the caller binds it to the same ids once it has checked them
    (a membership, say), and then no settings statement follows. Bound otherwise, the next statement
    sets the settings back to the binding first."""

    plain: Select[Any]
    applying: Select[Any]  # ``plain`` and two set_config columns

    @classmethod
    def of(
        cls,
        stmt: Select[Any],
        *,
        user_id: ColumnExpressionArgument[int],
        partnership_id: ColumnExpressionArgument[int] | None = None,
    ) -> SelectApplyingSettings:
        # Evaluated for the returned row only, after the joins and the WHERE clause: no row, no settings.
        partnership = "" if partnership_id is None else func.coalesce(sql_cast(partnership_id, Text), "")
        applying = stmt.add_columns(
            func.set_config("app.partnership_id", partnership, True).label("applied_partnership_id"),
            func.set_config("app.user_id", sql_cast(user_id, Text), True).label("applied_user_id"),
        )
        return cls(stmt, applying)

    def execute(self, session: Session | scoped_session[SessionT], params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The row (without the settings columns), or None."""
        session = _plain(session)
        if session.get_bind().dialect.name != "postgresql":
            plain = session.execute(self.plain, params).one_or_none()
            return None if plain is None else tuple(plain)
        row = session.execute(self.applying, params).one_or_none()
        if row is None:
            return None
        applied_partnership, applied_user = row[-2:]
        session.info[APPLIED_KEY] = (int(applied_partnership) if applied_partnership else None, int(applied_user))
        return tuple(row[:-2])


def current_partnership_id(session: Session) -> int | None:
    partnership_id: int | None = session.info.get(PARTNERSHIP_KEY)
    return partnership_id


def cross_tenant(stmt: StatementT) -> StatementT:
    """Mark a statement as deliberately spanning partnerships (RLS still applies on PostgreSQL)."""
    return stmt.execution_options(**{CROSS_TENANT_OPTION: True})


def scoped(stmt: StatementT) -> StatementT:
    """A list query for tenant data. Scoping is applied to every ORM statement by the session
    event below; this helper exists so call sites read as what they are."""
    return stmt


def scalars_statement(values: dict[str, Any]) -> tuple[Select[Any] | None, dict[str, Any]]:
    """A mapping of scalar subqueries and plain values split into ONE SELECT of the queries, each
    labelled by its name (None without any), and the plain values."""
    # Scalar subqueries and column expressions (and a SELECT, which labels as its scalar subquery).
    queries = {name: value for name, value in values.items() if isinstance(value, ColumnElement | SelectBase)}
    plain = {name: value for name, value in values.items() if name not in queries}
    return (select(*(query.label(name) for name, query in queries.items())) if queries else None), plain


def select_scalars(session: Session | scoped_session[SessionT], values: dict[str, Any]) -> dict[str, Any]:
    """Evaluate a mapping of scalar subqueries (and plain values) in ONE round trip.

    Used to gather many counts for a page without a query each; tenant scoping applies to every
    subquery (see ``_scope_tenant_queries``)."""
    statement, result = scalars_statement(values)
    if statement is not None:
        result.update(session.execute(statement).one()._asdict())
    return result


def insert_with_conflicts(session: Session | scoped_session[SessionT], model: type[Any]) -> Any:
    """``INSERT`` for ``model`` with the database's ON CONFLICT clauses (``on_conflict_do_nothing`` /
    ``on_conflict_do_update``): PostgreSQL's or SQLite's, the two the app runs on."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = _plain(session).get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


def get_scoped(session: Session | scoped_session[SessionT], model: type[RecordT], record_id: object) -> RecordT:
    """Load one tenant record by id within the bound partnership, or raise ``NotFound`` (a 404 on
    the web, a plain error in a task)."""
    record_id = parse_id(record_id)
    if record_id is None:
        raise NotFound(f"{model.__name__} (not an id)")
    # A SELECT (not Session.get) so the identity map can never hand back another tenant's row.
    record = session.scalars(select(model).filter_by(id=record_id)).one_or_none()
    if record is None:
        raise NotFound(f"{model.__name__} {record_id}")
    return record


def _binding(session: Session) -> tuple[int | None, int | None]:
    return session.info.get(PARTNERSHIP_KEY), session.info.get(USER_KEY)


def _sync_database_settings(session: Session, connection: Connection) -> None:
    """Send the binding to PostgreSQL unless the open transaction already holds it (one statement)."""
    binding = _binding(session)
    if session.info.get(APPLIED_KEY) == binding:
        return
    if connection.dialect.name == "postgresql":
        pid, uid = binding
        connection.execute(
            text("SELECT set_config('app.partnership_id', :pid, true), set_config('app.user_id', :uid, true)"),
            {"pid": "" if pid is None else str(pid), "uid": "" if uid is None else str(uid)},
        )
    session.info[APPLIED_KEY] = binding  # elsewhere there is nothing to send: the ORM filter is the wall


@event.listens_for(Session, "after_begin")
def _on_begin(session: Session, transaction: SessionTransaction, connection: Connection) -> None:
    if not transaction.nested:
        # Transaction-local settings never outlive a transaction: a new one starts with nothing set.
        session.info[APPLIED_KEY] = (None, None)
    _sync_database_settings(session, connection)


@event.listens_for(Session, "after_transaction_end")
def _on_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.nested or transaction.parent is None:
        # A savepoint rolled back undoes the settings made inside it; a finished transaction all of them.
        session.info.pop(APPLIED_KEY, None)


def _settings_follow_binding(session: Session, bind_arguments: dict[str, Any] | None = None) -> None:
    """Before a statement of the open transaction: the settings catch up with the binding."""
    if session.info.get(APPLIED_KEY) == _binding(session) or not session.in_transaction():
        return  # (a statement that opens the transaction gets them in ``after_begin``)
    _sync_database_settings(session, session.connection(bind_arguments=bind_arguments))


# Whether a statement's shape reads a tenant table, by its SQL cache key (bound values left out).
_touching_shapes: LRUCache[Any, bool] = LRUCache(1000)


def _touches_tenant_tables(state: ORMExecuteState) -> bool:
    """True when a tenant table appears anywhere in the statement, subqueries included."""
    statement = cast(ClauseElement, state.statement)  # ORM statements are all clause elements
    # Memoized on the statement: compiling it (through SQLAlchemy's SQL cache) needs the same key.
    cache_key = statement._generate_cache_key()
    if cache_key is not None and (known := _touching_shapes.get(cache_key.key)) is not None:
        return known
    tenant_tables = _tenant_tables(len(Base.registry.mappers))
    touches = any(issubclass(m.class_, TenantMixin) for m in state.all_mappers) or any(
        isinstance(element, Table) and element in tenant_tables for element in iterate(statement)
    )
    if cache_key is not None:
        _touching_shapes[cache_key.key] = touches
    return touches


@lru_cache(maxsize=4)
def _tenant_tables(mapper_count: int) -> frozenset[FromClause]:
    """The tables of tenant models (recomputed only when models are added)."""
    return frozenset(mapper.local_table for mapper in Base.registry.mappers if issubclass(mapper.class_, TenantMixin))


# The partnership filter every ORM statement gets, ONE option for the whole process: the partnership
# is a bound parameter (``TENANT_PARAMETER``), its value handed from the session to the statement's
# execution (``TENANT_OPTION`` -> ``_bind_tenant_parameter``). A filter that embedded the id would
# make each statement a new object for each partnership, and SQLAlchemy would fingerprint the whole
# statement again on every execution, even one built once and shared (the feed's rule, a picker's).
# A statement compiled with the filter and run without the value fails ("a value is required"):
# the filter can be forgotten only loudly.
TENANT_PARAMETER = bindparam("tenant_partnership_id", type_=Integer)
TENANT_OPTION = "tenant_partnership_id"
_TENANT_CRITERIA = with_loader_criteria(
    TenantMixin, lambda cls: cls.partnership_id == TENANT_PARAMETER, include_aliases=True, track_closure_variables=False
)
# A statement with the filter added, kept while the statement itself lives: one built once and
# shared keeps its filtered twin, and with it the fingerprint SQLAlchemy memoizes on it.
_filtered: weakref.WeakKeyDictionary[Executable, Executable] = weakref.WeakKeyDictionary()


def _with_tenant_criteria(statement: Executable) -> Executable:
    filtered = _filtered.get(statement)
    if filtered is None:
        filtered = statement.options(_TENANT_CRITERIA)
        _filtered[statement] = filtered
    return filtered


@event.listens_for(Session, "do_orm_execute")
def _scope_tenant_queries(state: ORMExecuteState) -> None:
    _settings_follow_binding(state.session, state.bind_arguments)
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get(CROSS_TENANT_OPTION):
        return
    pid = state.session.info.get(PARTNERSHIP_KEY)
    if pid is None:
        if _touches_tenant_tables(state):
            raise TenantContextMissing("tenant data queried with no partnership bound")
        return
    # With a partnership bound every statement gets the filter: it applies to tenant entities only,
    # and adding it costs less than walking the statement to see whether it reads one.
    state.statement = _with_tenant_criteria(state.statement)
    state.update_execution_options(**{TENANT_OPTION: pid})


@event.listens_for(Engine, "before_execute", retval=True)
def _bind_tenant_parameter(
    conn: Connection,
    clauseelement: Executable,
    multiparams: list[dict[str, Any]],
    params: dict[str, Any],
    execution_options: dict[str, Any],
) -> tuple[Executable, list[dict[str, Any]], dict[str, Any]]:
    """The session's partnership, as the value of the filter's parameter."""
    pid = execution_options.get(TENANT_OPTION)
    if pid is None:
        return clauseelement, multiparams, params
    if multiparams:
        return clauseelement, [{**each, TENANT_PARAMETER.key: pid} for each in multiparams], params
    return clauseelement, multiparams, {**params, TENANT_PARAMETER.key: pid}


@event.listens_for(Session, "before_flush")
def _stamp_tenant_rows(session: Session, flush_context: UOWTransaction, instances: object) -> None:
    _settings_follow_binding(session)  # the writes check the settings (RLS WITH CHECK)
    pid = session.info.get(PARTNERSHIP_KEY)
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, TenantMixin):
            continue
        if pid is None:
            raise TenantContextMissing(f"{type(obj).__name__} written with no partnership bound")
        if obj.partnership_id is None:
            obj.partnership_id = pid
        elif obj.partnership_id != pid:
            raise CrossTenantWrite(f"{type(obj).__name__} belongs to another partnership")


# --- a pooled connection the server has closed ------------------------------------------------


@event.listens_for(Pool, "checkout")
def _refuse_closed_connection(
    dbapi_connection: DBAPIConnection, connection_record: ConnectionPoolEntry, proxy: PoolProxiedConnection
) -> None:
    """Hand out no PostgreSQL connection the server has already closed, without a round trip.

    An idle connection has nothing to read. When the server ends it (a restart,
    ``pg_terminate_backend``, an idle timeout) it sends a last message and closes the socket, which
    makes the socket readable: such a connection is discarded here and the pool opens a fresh one,
    so a database restart costs no request. This replaces ``pool_pre_ping``, which spent three round
    trips (BEGIN, SELECT 1 and the reset) of every request's seven on the same check. A network that
    drops connections silently is not seen here; ``DATABASE_POOL_PRE_PING=1`` turns the full ping
    back on for such a deployment."""
    pgconn = getattr(dbapi_connection, "pgconn", None)  # psycopg 3; SQLite has no socket
    if pgconn is None:
        return
    try:
        readable, _, _ = io_select.select([pgconn.socket], [], [], 0)
    except (OSError, ValueError) as exc:  # the socket is already gone
        raise DisconnectionError("the database connection is closed") from exc
    if readable:
        raise DisconnectionError("the database server closed this connection")


# --- SQLite as a real transactional database -----------------------------------------------------


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection: DBAPIConnection, connection_record: ConnectionPoolEntry) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # pysqlite's own transaction handling breaks SAVEPOINT (a RELEASE would commit); let
    # SQLAlchemy emit BEGIN itself, and turn on the foreign keys SQLite leaves off by default.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")


# --- work that must wait for the commit ----------------------------------------------------------


def after_commit(session: Session | scoped_session[SessionT], fn: Callable[..., Any], *args: Any) -> None:
    """Run ``fn(*args)`` once the session's transaction commits; drop it if it rolls back.

    Used to hand outbox rows to the broker only when they really exist. Savepoints (``begin_nested``) are
    not the commit: SQLAlchemy reports their release and rollback as ``after_commit`` / ``after_rollback``
    too, and the hooks wait for the outermost transaction (a hook added inside a savepoint that is rolled
    back still runs if the transaction commits: register after the savepoint)."""
    session.info.setdefault(AFTER_COMMIT_KEY, []).append((fn, args))


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the commit is still to come
        return
    pending = session.info.pop(AFTER_COMMIT_KEY, [])
    for fn, args in pending:
        try:
            fn(*args)
        except Exception:  # the outbox sweep retries anything that did not get through
            log.exception("post-commit hook %s failed", getattr(fn, "__name__", fn))


@event.listens_for(Session, "after_transaction_end")
def _drop_after_commit(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended uncommitted (a commit ran them above)
        session.info.pop(AFTER_COMMIT_KEY, None)
