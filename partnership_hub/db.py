"""The declarative base, column types, mixins and the one tenancy mechanism.

Tenancy lives here and nowhere else:

* ``bind_tenant(session, partnership_id, user_id)`` records which partnership the current unit of
  work belongs to. The request resolver (``web/tenancy.py``) and background tasks call it.
* Every ORM query that touches a ``TenantMixin`` model gets ``partnership_id = <current>``
  added automatically (``with_loader_criteria``). With no partnership bound the query is refused
  with ``TenantContextMissing`` — a forgotten filter cannot silently read everyone's rows.
* New tenant rows get the bound partnership id at flush; a row for another partnership is refused.
* On PostgreSQL the same ids are handed to row-level security with ``set_config(..., true)``
  (transaction-local) each time a transaction begins: the database is the second wall.

The only sanctioned way around the ORM filter is ``cross_tenant()`` — used where a person's own
memberships across partnerships are listed — and RLS still limits those rows to that person.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol, TypeVar, cast

from sqlalchemy import DateTime, ForeignKey, MetaData, Table, event, select, text
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
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
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement, ColumnElement
from sqlalchemy.sql.expression import FromClause, SelectBase
from sqlalchemy.sql.visitors import iterate
from sqlalchemy.types import TypeDecorator

from partnership_hub.errors import NotFound

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


def bind_tenant(
    session: Session | scoped_session[SessionT], partnership_id: int | None, user_id: int | None = None
) -> None:
    """Make ``partnership_id`` (and ``user_id``) the tenant of ``session``'s work from now on."""
    session = session() if isinstance(session, scoped_session) else session
    session.info[PARTNERSHIP_KEY] = partnership_id
    if user_id is not None:
        session.info[USER_KEY] = user_id
    if session.in_transaction():
        _apply_database_settings(session, session.connection())


def bind_user(session: Session | scoped_session[SessionT], user_id: int | None) -> None:
    """Record the signed-in person, so RLS lets them list their own memberships anywhere."""
    session = session() if isinstance(session, scoped_session) else session
    session.info[USER_KEY] = user_id
    if session.in_transaction():
        _apply_database_settings(session, session.connection())


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


def select_scalars(session: Session | scoped_session[SessionT], values: dict[str, Any]) -> dict[str, Any]:
    """Evaluate a mapping of scalar subqueries (and plain values) in ONE round trip.

    Used to gather many counts for a page without a query each; tenant scoping applies to every
    subquery (see ``_scope_tenant_queries``)."""
    # Scalar subqueries and column expressions (and a SELECT, which labels as its scalar subquery).
    queries = {name: value for name, value in values.items() if isinstance(value, ColumnElement | SelectBase)}
    result = {name: value for name, value in values.items() if name not in queries}
    if queries:
        row = session.execute(select(*(query.label(name) for name, query in queries.items()))).one()
        result.update(row._asdict())
    return result


def get_scoped(session: Session | scoped_session[SessionT], model: type[RecordT], record_id: object) -> RecordT:
    """Load one tenant record by id within the bound partnership, or raise ``NotFound`` (a 404 on
    the web, a plain error in a task)."""
    if isinstance(record_id, str) and record_id.isascii() and record_id.isdigit():
        record_id = int(record_id)
    if not isinstance(record_id, int) or isinstance(record_id, bool) or not 0 < record_id < 2**31:
        raise NotFound(f"{model.__name__} {record_id!r}")
    # A SELECT (not Session.get) so the identity map can never hand back another tenant's row.
    record = session.scalars(select(model).filter_by(id=record_id)).one_or_none()
    if record is None:
        raise NotFound(f"{model.__name__} {record_id}")
    return record


def _apply_database_settings(session: Session, connection: Connection, *, skip_empty: bool = False) -> None:
    if connection.dialect.name != "postgresql":
        return
    pid = session.info.get(PARTNERSHIP_KEY)
    uid = session.info.get(USER_KEY)
    if skip_empty and pid is None and uid is None:
        return  # transaction-local settings never outlive a transaction: unset is already "nothing"
    connection.execute(
        text("SELECT set_config('app.partnership_id', :pid, true), set_config('app.user_id', :uid, true)"),
        {"pid": "" if pid is None else str(pid), "uid": "" if uid is None else str(uid)},
    )


@event.listens_for(Session, "after_begin")
def _on_begin(session: Session, transaction: SessionTransaction, connection: Connection) -> None:
    _apply_database_settings(session, connection, skip_empty=True)


def _touches_tenant_tables(state: ORMExecuteState) -> bool:
    """True when a tenant table appears anywhere in the statement, subqueries included."""
    if any(issubclass(m.class_, TenantMixin) for m in state.all_mappers):
        return True
    tenant_tables = _tenant_tables(len(Base.registry.mappers))
    statement = cast(ClauseElement, state.statement)  # ORM statements are all clause elements
    return any(isinstance(element, Table) and element in tenant_tables for element in iterate(statement))


@lru_cache(maxsize=4)
def _tenant_tables(mapper_count: int) -> frozenset[FromClause]:
    """The tables of tenant models (recomputed only when models are added)."""
    return frozenset(mapper.local_table for mapper in Base.registry.mappers if issubclass(mapper.class_, TenantMixin))


@event.listens_for(Session, "do_orm_execute")
def _scope_tenant_queries(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.execution_options.get(CROSS_TENANT_OPTION):
        return
    if not _touches_tenant_tables(state):
        return
    pid = state.session.info.get(PARTNERSHIP_KEY)
    if pid is None:
        raise TenantContextMissing("tenant data queried with no partnership bound")
    state.statement = state.statement.options(
        with_loader_criteria(TenantMixin, lambda cls: cls.partnership_id == pid, include_aliases=True)
    )


@event.listens_for(Session, "before_flush")
def _stamp_tenant_rows(session: Session, flush_context: UOWTransaction, instances: object) -> None:
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

    Used to hand outbox rows to the broker only when they really exist."""
    session.info.setdefault(AFTER_COMMIT_KEY, []).append((fn, args))


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    pending = session.info.pop(AFTER_COMMIT_KEY, [])
    for fn, args in pending:
        try:
            fn(*args)
        except Exception:  # the outbox sweep retries anything that did not get through
            log.exception("post-commit hook %s failed", getattr(fn, "__name__", fn))


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop(AFTER_COMMIT_KEY, None)
