"""Test fixtures.

Without settings the suite runs on a temporary SQLite file with tasks executed in process. With
``DATABASE_URL`` (and ``DATABASE_OWNER_URL``) pointing at a throwaway PostgreSQL database and
``REDIS_URL`` at a Redis, the same suite runs against them and the tests marked ``postgres`` /
``redis`` run too. ``REQUIRE_SERVICES=1`` (set by .ci/run) turns a missing or unreachable
service into a failure instead of a skip.

The schema is built once by the real migrations. Rows are removed after every test (one script
of DELETEs as the owner; PostgreSQL's sequences start again), so the app, workers and the test see
committed data exactly as production does — no savepoint tricks that a second connection could
not see.

What is expensive and identical from test to test is made once per session: the default app
(``app``: URL map and compiled templates; ``make_app`` still builds a fresh one with other
settings) and the ``world`` (built once through the services, its rows written back before each
test that asks for it).
"""

from __future__ import annotations

import copy
import os
import shutil
import socket
import tempfile
import uuid
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Integer, Table, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from partnership_hub.config import _sqlalchemy_url
from tests import factories

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") not in ("", "0", "false")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
OWNER_URL = os.environ.get("DATABASE_OWNER_URL", "") or DATABASE_URL
REDIS_URL = os.environ.get("REDIS_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql"))


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def pytest_configure(config):
    if REQUIRE_SERVICES:
        missing = []
        if not ON_POSTGRES:
            missing.append("DATABASE_URL (PostgreSQL) is not set")
        elif not _reachable(DATABASE_URL, 5432):
            missing.append(f"PostgreSQL at {make_url(_sqlalchemy_url(DATABASE_URL)).host} is unreachable")
        if not REDIS_URL:
            missing.append("REDIS_URL is not set")
        elif not _reachable(REDIS_URL, 6379):
            missing.append("Redis is unreachable")
        if missing:
            raise pytest.UsageError("REQUIRE_SERVICES=1 but " + "; ".join(missing))


def pytest_collection_modifyitems(config, items):
    reasons = {
        "postgres": None if ON_POSTGRES else "needs PostgreSQL: set DATABASE_URL (CI always does)",
        "redis": None if REDIS_URL else "needs Redis: set REDIS_URL (CI always does)",
    }
    for item in items:
        for marker, reason in reasons.items():
            if reason and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))


# --- database -----------------------------------------------------------------------------------


def _migrate(database_uri: str, owner_uri: str) -> None:
    from flask_migrate import upgrade

    from partnership_hub import create_app
    from partnership_hub.cli import attach_migrations

    app = create_app(_test_config(database_uri, owner_uri))
    attach_migrations(app)
    with app.app_context():
        upgrade()


class Database(NamedTuple):
    app_url: str
    owner_url: str
    world: factories.World  # built through the services on the empty schema...
    world_rows: list[tuple[Table, list[dict]]]  # ...and every row that wrote (the tables are empty again)


def _prepare(app_url: str, owner_url: str) -> Database:
    """The world, built once while the database is certainly empty, and the rows it wrote."""
    from partnership_hub import create_app

    app = create_app(_test_config(app_url, owner_url))
    engine = create_engine(owner_url)
    try:
        world = factories.build_world(app)
        rows = _dump(engine)
        _clean(engine)
    finally:
        _dispose(app)
        engine.dispose()
    return Database(app_url, owner_url, world, rows)


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """Build the schema once with the real migrations, then the world's rows (``Database``)."""
    if ON_POSTGRES:
        app_url, owner_url = _sqlalchemy_url(DATABASE_URL), _sqlalchemy_url(OWNER_URL)
        engine = create_engine(owner_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _migrate(app_url, owner_url)
        from partnership_hub.provisioning import provision_app_role

        provision_app_role(owner_url, app_url)
        yield _prepare(app_url, owner_url)
        return
    # A real file every connection shares, in memory where the machine has a tmpfs: a commit then
    # costs no fsync (a third of the suite's time on a disk), and nothing else about SQLite changes.
    in_memory = Path("/dev/shm")  # noqa: S108 - mkdtemp below makes a private, unpredictable directory
    if in_memory.is_dir() and os.access(in_memory, os.W_OK):
        directory = Path(tempfile.mkdtemp(prefix="partnership-hub-tests-", dir=in_memory))
    else:
        directory = tmp_path_factory.mktemp("db")
    app_url = owner_url = f"sqlite:///{directory / 'test.db'}"
    try:
        _migrate(app_url, owner_url)
        yield _prepare(app_url, owner_url)
    finally:
        if directory.parent == in_memory:
            shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def owner_engine(database):
    engine = create_engine(database.owner_url)
    yield engine
    engine.dispose()


def _clean(owner_engine) -> None:
    """Delete every row, committed; PostgreSQL's sequences start again at 1."""
    from partnership_hub.extensions import db

    # Children before parents, so the foreign keys hold at every step.
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if owner_engine.dialect.name == "postgresql":
        with owner_engine.begin() as conn:
            conn.execute(text(_postgres_clean_script(conn, tuple(tables))))
        return
    # On SQLite most of the cost was compiling the DELETEs, each with a foreign-key check for every
    # table that references it (some 14 ms a test, for tables that are nearly all empty). So one
    # query asks which tables hold a row, only those are emptied, and with the foreign keys off for
    # the script: every table that holds a row is emptied, so no reference can dangle afterwards.
    connection = owner_engine.raw_connection()
    try:
        sqlite = connection.driver_connection
        filled = {name for (name,) in sqlite.execute(_filled_query(tuple(tables)))}
        if filled:
            script = "".join(f"DELETE FROM {table};" for table in tables if table in filled)  # noqa: S608
            try:
                sqlite.executescript(f"PRAGMA foreign_keys=OFF;BEGIN;{script}COMMIT;")
            finally:
                if sqlite.in_transaction:  # the script failed part-way: nothing of it stays
                    sqlite.execute("ROLLBACK")
                sqlite.execute("PRAGMA foreign_keys=ON")  # as every connection of the app has them
    finally:
        connection.close()


_filled_queries: dict[tuple[str, ...], str] = {}


def _filled_query(tables: tuple[str, ...]) -> str:
    """One SELECT naming the tables that hold at least one row (each probe reads at most one)."""
    if tables not in _filled_queries:
        _filled_queries[tables] = " UNION ALL ".join(
            f"SELECT '{table}' WHERE EXISTS (SELECT 1 FROM {table})"  # noqa: S608 - names from our metadata
            for table in tables
        )
    return _filled_queries[tables]


def _filled_tables(conn, secured: frozenset[str], partnership_ids: list[int]) -> set[str]:
    """The tables that hold a row. A table under row-level security shows the owner only the bound
    partnership's rows, so those tables are asked once per partnership."""
    from partnership_hub.extensions import db

    names = [table.name for table in db.metadata.sorted_tables]
    filled = set(conn.exec_driver_sql(_filled_query(tuple(n for n in names if n not in secured))).scalars())
    if secured and partnership_ids:
        tenant = _filled_query(tuple(n for n in names if n in secured))
        for partnership_id in partnership_ids:
            _bind(conn, partnership_id)
            filled.update(conn.exec_driver_sql(tenant).scalars())
    return filled


_postgres_clean_scripts: dict[tuple[str, ...], str] = {}


def _postgres_clean_script(conn, tables: tuple[str, ...]) -> str:
    """One DO block: DELETE rather than TRUNCATE (which rewrites every table's files and costs a
    quarter of a second per test on a busy disk). Tables under forced row-level security are
    emptied one partnership at a time, as even their owner sees only the bound partnership's rows;
    the other tables never reference them."""
    if tables not in _postgres_clean_scripts:
        secured = _row_security_tables(conn)
        tenant = "".join(f"DELETE FROM {table};" for table in tables if table in secured)  # noqa: S608
        shared = "".join(f"DELETE FROM {table};" for table in tables if table not in secured)  # noqa: S608
        _postgres_clean_scripts[tables] = f"""
            DO $$
            DECLARE
                partnership integer;
                sequence regclass;
            BEGIN
                FOR partnership IN SELECT id FROM partnerships LOOP
                    PERFORM set_config('app.partnership_id', partnership::text, true);
                    {tenant}
                END LOOP;
                PERFORM set_config('app.partnership_id', '', true);
                {shared}
                FOR sequence IN
                    SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind = 'S' AND n.nspname = current_schema()
                LOOP
                    PERFORM setval(sequence, 1, false);
                END LOOP;
            END $$;
        """
    return _postgres_clean_scripts[tables]


_secured_tables: dict[str, frozenset[str]] = {}


def _row_security_tables(conn) -> frozenset[str]:
    """PostgreSQL tables under (forced) row-level security: read and written one partnership at a time."""
    if conn.dialect.name != "postgresql":
        return frozenset()
    key = str(conn.engine.url)
    if key not in _secured_tables:
        query = text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relrowsecurity AND c.relforcerowsecurity AND c.relkind = 'r' AND n.nspname = current_schema()"
        )
        _secured_tables[key] = frozenset(conn.execute(query).scalars())
    return _secured_tables[key]


def _bind(conn, partnership_id: int) -> None:
    conn.execute(text("SELECT set_config('app.partnership_id', :pid, true)"), {"pid": str(partnership_id)})


def _dump(owner_engine) -> list[tuple[Table, list[dict]]]:
    """Every row in the database, table by table in foreign-key order; within a table in the order
    the database keeps them (on PostgreSQL a row updated to point at a later one comes after it).
    Only the tables holding rows are read."""
    from partnership_hub.extensions import db

    dump = []
    with owner_engine.begin() as conn:
        secured = _row_security_tables(conn)
        partnership_ids = list(conn.execute(text("SELECT id FROM partnerships ORDER BY id")).scalars())
        filled = _filled_tables(conn, secured, partnership_ids)
        for table in db.metadata.sorted_tables:
            if table.name not in filled:
                continue
            select = table.select()
            if table.name in secured:
                rows = []
                for partnership_id in partnership_ids:
                    _bind(conn, partnership_id)
                    rows += conn.execute(select.where(table.c.partnership_id == partnership_id)).mappings()
            else:
                rows = list(conn.execute(select).mappings())
            if rows:
                dump.append((table, [dict(row) for row in rows]))
    return dump


def _restore(owner_engine, dump: list[tuple[Table, list[dict]]]) -> None:
    """Write ``_dump``'s rows back, committed, ids included (PostgreSQL's sequences moved past them)."""
    with owner_engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            # SQLite keeps a table's rows in id order, but a row may point at a later one of its own
            # table (a meeting's minutes approved in the next meeting): the keys are checked at COMMIT.
            conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        secured = _row_security_tables(conn)
        for table, table_rows in dump:
            rows = _insert_order(table, table_rows)
            if table.name not in secured:
                conn.execute(table.insert(), rows)
                continue
            for partnership_id in sorted({row["partnership_id"] for row in rows}):
                _bind(conn, partnership_id)
                conn.execute(table.insert(), [row for row in rows if row["partnership_id"] == partnership_id])
        if conn.dialect.name == "postgresql":
            for table, rows in dump:
                if "id" in table.c and isinstance(table.c.id.type, Integer):  # a uuid id has no sequence
                    conn.execute(
                        text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value)"),
                        {"table": table.name, "value": max(row["id"] for row in rows)},
                    )


def _insert_order(table: Table, rows: list[dict]) -> list[dict]:
    """``rows`` with every row after the rows of its own table it points at (a meeting's minutes
    approved in a later meeting), so each INSERT meets the foreign keys PostgreSQL checks at once."""
    links = [
        ([element.parent.name for element in fk.elements], [element.column.name for element in fk.elements])
        for fk in table.foreign_key_constraints
        if fk.referred_table is table
    ]
    if not links:
        return rows
    placed: list[dict] = []
    done: set[int] = set()
    by_key = {
        (tuple(remote), tuple(row[c] for c in remote)): index
        for local, remote in links
        for index, row in enumerate(rows)
    }

    def place(index: int, path: frozenset[int]) -> None:
        if index in done or index in path:  # a loop cannot be inserted in any order: left as it came
            return
        row = rows[index]
        for local, remote in links:
            values = tuple(row[c] for c in local)
            target = by_key.get((tuple(remote), values))
            if None not in values and target is not None:
                place(target, path | {index})
        done.add(index)
        placed.append(row)

    for index in range(len(rows)):
        place(index, frozenset())
    return placed


def _test_config(database_uri: str, owner_uri: str, **overrides) -> dict:
    from partnership_hub.config import load_config

    config = load_config({"REDIS_URL": REDIS_URL} if REDIS_URL else {})
    celery = dict(config["CELERY"])
    config.update(
        TESTING=True,
        SQLALCHEMY_DATABASE_URI=database_uri,
        DATABASE_OWNER_URL=owner_uri,
        SECRET_KEY="test-secret-key-" + "x" * 32,
        WTF_CSRF_ENABLED=False,
        # The cheapest Argon2id: a hash in a twentieth of a millisecond. With argon2-cffi's four
        # lanes each hash started four threads, a millisecond or two (some 2,000 hashes a run).
        # Production's parameters: test_security.py.
        ARGON2_TIME_COST=1,
        ARGON2_MEMORY_COST=64,
        ARGON2_PARALLELISM=1,
        RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}",
        # Every app gets its own counters: tests all come from 127.0.0.1, and a shared store would let
        # one test's sign-ins throttle another's. The throttling tests ask for Redis explicitly.
        RATELIMIT_STORAGE_URI="memory://",
        TASKS_EAGER=True,
        MAIL_BACKEND="outbox",
        BASE_URL="http://localhost",
        CELERY=celery,
    )
    config.update(overrides)
    return config


def _dispose(app) -> None:
    from partnership_hub.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def clean_database(owner_engine):
    """Every row a test committed is deleted after it (the schema stays)."""
    yield
    _clean(owner_engine)


@pytest.fixture
def make_app(database, clean_database):
    """Build a fresh app on the test database (config overrides as keyword arguments)."""
    from partnership_hub import create_app

    apps = []

    def _make(**overrides):
        app = create_app(_test_config(database.app_url, database.owner_url, **overrides))
        apps.append(app)
        return app

    yield _make
    for app in apps:
        _dispose(app)


@pytest.fixture(scope="session")
def shared_app(database):
    """The default app, built once: building one (URL map, blueprints) and compiling its templates
    cost more than most tests. Only the ``app`` fixture hands it out, and it resets what a test may
    change on it; a test that needs other settings asks ``make_app`` for an app of its own, unless
    they are read on every request (``csrf_app``, the browser tests' ``live_server``)."""
    from partnership_hub import create_app

    app = create_app(_test_config(database.app_url, database.owner_url))
    yield app, copy.deepcopy(dict(app.config))
    _dispose(app)


@pytest.fixture
def app(shared_app, clean_database):
    from partnership_hub.extensions import db, limiter

    app, config = shared_app
    # The limiter is one object for every app: point it back at this app's storage, with fresh
    # counters (tests all come from 127.0.0.1; one test's sign-ins must not throttle another's).
    limiter.init_app(app)
    yield app
    with app.app_context():
        db.session.remove()  # no transaction left open across the cleanup
    if app.config != config:  # a test changed a setting: the next one gets the app as built
        app.config.clear()
        app.config.update(copy.deepcopy(config))


@pytest.fixture
def csrf_app(app):
    """The default app with its CSRF checks on, as a person's browser meets it (the suite turns
    them off). Flask-WTF reads the setting on every request, so this is the session's app for the
    length of the test (``app`` puts the setting back), not one built for it."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(app, database, owner_engine):
    """Two partnerships with a person in every role in the first, a coordinator in the second.

    The rows the services wrote for it once (``database``) are written back, committed, before each
    test: a few milliseconds instead of some forty commits. Each test gets its own copy of the
    records. Where a fixture already wrote rows that collide with them, the world is built afresh."""
    try:
        _restore(owner_engine, database.world_rows)
    except IntegrityError:
        return factories.build_world(app)
    return copy.deepcopy(database.world)


class _Kept(NamedTuple):
    before: list[tuple[Table, list[dict]]]  # the rows in place when ``build`` first ran (none, or the world's)
    after: list[tuple[Table, list[dict]]]  # ...and every row once it had
    built: tuple[factories.World | None, object]  # the world's records as ``build`` left them, and its result


_kept: dict[object, _Kept] = {}


def _same_rows(a: list[tuple[Table, list[dict]]], b: list[tuple[Table, list[dict]]]) -> bool:
    """Whether two dumps hold the same rows, whatever their order within a table."""

    def by_key(dump):
        return {
            table.name: sorted(rows, key=lambda row: tuple(row[c.name] for c in table.primary_key.columns))
            for table, rows in dump
        }

    return by_key(a) == by_key(b)


@pytest.fixture
def keep(app, owner_engine):
    """``keep(build)`` or ``keep(build, world)``: what ``build(app)`` (``build(app, world)``)
    returns, for data many tests of a module build the same way (a partnership grown to hundreds
    of records for a statement budget, every area's records for a walk).

    ``build`` (a module-level function: it is the key) runs through the services once per test
    process; the rows in place before it (none, or the world's) and after it are kept. A later
    test that asks while the database holds exactly those first rows gets the second written back,
    committed, its own copy of what ``build`` returned, and its ``world`` records as ``build`` left
    them (a build may add a person to them): what building would have left, in milliseconds
    instead of a second or more. From any other starting point ``build`` simply runs."""

    def _keep(build, world: factories.World | None = None):
        before = _dump(owner_engine)
        kept = _kept.get(build)
        if kept is not None and _same_rows(kept.before, before):
            _clean(owner_engine)
            _restore(owner_engine, kept.after)
            built_world, result = copy.deepcopy(kept.built)
            if world is None:
                return result
            vars(world).update(vars(built_world))
            return world if result is built_world else result
        result = build(app) if world is None else build(app, world)
        if kept is None:
            _kept[build] = _Kept(before, _dump(owner_engine), copy.deepcopy((world, result)))
        return result

    return _keep


@pytest.fixture
def login_as(app, world):
    """A signed-in test client: ``login_as("member")`` for a role of the home partnership, or
    ``login_as(user_rec)`` for anyone (``login_as(world.other.members["coordinator"])``); ``on=``
    signs in on an app from ``make_app`` instead of the default one."""

    def _login(who: str | factories.UserRec = "coordinator", *, on: Flask | None = None) -> FlaskClient:
        target = on or app
        client = target.test_client()
        factories.sign_in(client, target, who if isinstance(who, factories.UserRec) else world.user(who))
        return client

    return _login


# --- a real SMTP server -------------------------------------------------------------------------


class SinkHandler:
    """Collects every message; ``refuse_with`` makes it answer DATA with an error instead."""

    def __init__(self):
        self.messages: list = []
        self.refuse_with: str | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refuse_with:
            return self.refuse_with
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink():
    from aiosmtpd.controller import Controller

    handler = SinkHandler()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    handler.port = port
    yield handler
    controller.stop()
