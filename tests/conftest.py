"""Test fixtures.

Without settings the suite runs on a temporary SQLite file with tasks executed in process. With
``DATABASE_URL`` (and ``DATABASE_OWNER_URL``) pointing at a throwaway PostgreSQL database and
``REDIS_URL`` at a Redis, the same suite runs against them and the tests marked ``postgres`` /
``redis`` run too. ``REQUIRE_SERVICES=1`` (set by .ci/run) turns a missing or unreachable
service into a failure instead of a skip.

The schema is built by the real migrations. Each test gets a fresh app; rows are removed after
it (TRUNCATE as the owner on PostgreSQL), so the app, workers and the test see committed data
exactly as production does — no savepoint tricks that a second connection could not see.
"""

from __future__ import annotations

import os
import socket
import uuid
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

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

    app = create_app(_test_config(database_uri, owner_uri))
    with app.app_context():
        upgrade()


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """Build the schema once with the real migrations; yield (app url, owner url)."""
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
    else:
        path = tmp_path_factory.mktemp("db") / "test.db"
        app_url = owner_url = f"sqlite:///{path}"
        _migrate(app_url, owner_url)
    yield app_url, owner_url


@pytest.fixture(scope="session")
def owner_engine(database):
    engine = create_engine(database[1])
    yield engine
    engine.dispose()


def _clean(owner_engine) -> None:
    from partnership_hub.extensions import db

    tables = [t.name for t in db.metadata.sorted_tables]
    with owner_engine.begin() as conn:
        if owner_engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - names from our metadata


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
        ARGON2_TIME_COST=1,
        ARGON2_MEMORY_COST=64,
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


@pytest.fixture
def make_app(database, owner_engine):
    """Build an app on the test database (config overrides as keyword arguments)."""
    from partnership_hub import create_app
    from partnership_hub.extensions import db

    apps = []

    def _make(**overrides):
        app = create_app(_test_config(*database, **overrides))
        apps.append(app)
        return app

    yield _make
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    _clean(owner_engine)


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(app):
    """Two partnerships with a person in every role in the first, a coordinator in the second."""
    return factories.build_world(app)


@pytest.fixture
def login_as(app, world):
    """A signed-in test client: ``login_as("member")`` for a role of the home partnership, or
    ``login_as(user_rec)`` for anyone (``login_as(world.other.members["coordinator"])``)."""

    def _login(who: str | factories.UserRec = "coordinator"):
        client = app.test_client()
        factories.sign_in(client, app, who if isinstance(who, factories.UserRec) else world.user(who))
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
