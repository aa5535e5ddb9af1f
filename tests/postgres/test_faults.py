"""Fault tests, fast variants (issue #16): a real PostgreSQL outage and a real Redis outage, mid-run.

The database outage is made on the test database alone (``ALLOW_CONNECTIONS false`` and
``pg_terminate_backend`` as its owner, restored after): the shared server the rest of the suite uses
keeps running. The Redis outage uses a redis-server of the test's own, on a free port, started and
stopped by the test. ``bench/faults.py`` runs the same scenarios at full size against gunicorn.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from partnership_hub.db import utcnow
from partnership_hub.extensions import db, limiter
from partnership_hub.notifications import services
from partnership_hub.notifications.models import OutboxMessage, OutboxStatus
from tests.factories import PASSWORD, outbox

pytestmark = [pytest.mark.postgres]

FRIENDLY = "Partnership Hub is briefly unavailable"


class DatabaseOutage:
    """Refuse new connections to the test database and end the open ones; ``end`` lets them in again."""

    def __init__(self, owner_url: str):
        url = make_url(owner_url)
        self.name = url.database
        self.admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.active = False

    def _run(self, sql: str, **params) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql), params)

    def begin(self) -> None:
        self.active = True
        self._run(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
        self._run(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()",
            name=self.name,
        )

    def end(self) -> None:
        if self.active:
            self._run(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')
            self.active = False


@pytest.fixture
def database_outage(make_app, database, owner_engine, shared_app) -> Iterator[DatabaseOutage]:
    outage = DatabaseOutage(database.owner_url)
    try:
        yield outage
    finally:
        outage.end()
        outage.admin.dispose()
        # Every pool in this process held connections the outage ended: start them afresh.
        owner_engine.dispose()
        with shared_app[0].app_context():
            db.session.remove()
            db.engine.dispose()


def tracebacks(caplog) -> int:
    return sum(1 for record in caplog.records if record.exc_info)


def test_a_database_outage_answers_503_with_retry_after_and_logs_each_failure_once(
    world, make_app, login_as, database_outage, caplog
):
    app = make_app()
    member = login_as("member", on=app)
    page = f"/p/{world.home.slug}/"
    assert member.get(page).status_code == 200

    database_outage.begin()
    caplog.clear()
    with caplog.at_level(logging.INFO):
        during = [member.get(page), app.test_client().post("/login", data={"email": "a@example.org", "password": "x"})]
    for response in during:
        assert response.status_code == 503, response.text[:300]
        assert response.headers["Retry-After"].isdigit()
        assert FRIENDLY in response.text
    assert tracebacks(caplog) == len(during)

    database_outage.end()
    assert member.get(page).status_code == 200  # the first request after the outage is served


def _hammer(clients, paths, stop: threading.Event, window: list[float], results: list) -> list[threading.Thread]:
    """Request ``paths`` round-robin until ``stop``; record (status, during the outage, what escaped)."""

    def run(client):
        n = 0
        while not stop.is_set():
            path = paths[n % len(paths)]
            n += 1
            escaped = None
            try:
                status = client.get(path).status_code
            except Exception as exc:  # noqa: BLE001 - escaping the app: a bare 500 behind gunicorn
                status, escaped = 500, f"{path}: {exc!r}"
            started, ended = window
            now = time.monotonic()
            results.append((status, started <= now and (not ended or now <= ended + 0.5), escaped))

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    return threads


def test_a_database_restart_mid_run_gives_503s_only_while_it_lasts(world, make_app, login_as, database_outage):
    # As in production: an error Flask cannot hand to a handler becomes its 500 page, not a test failure.
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    clients = [login_as(role, on=app) for role in ("coordinator", "member", "observer", "member")]
    paths = [f"/p/{world.home.slug}/", f"/p/{world.home.slug}/goals", "/login"]
    stop, window, results = threading.Event(), [float("inf"), 0.0], []
    threads = _hammer(clients, paths, stop, window, results)
    try:
        time.sleep(1.0)
        window[0] = time.monotonic()
        database_outage.begin()
        time.sleep(1.5)
        database_outage.end()
        window[1] = time.monotonic()
        time.sleep(1.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert [escaped for *_, escaped in results if escaped] == []
    outside = Counter(status for status, during, _ in results if not during)
    inside = Counter(status for status, during, _ in results if during)
    assert set(outside) <= {200, 302}, outside  # 302: /login sends a signed-in person on
    assert set(inside) <= {200, 302, 503}, inside  # never a 500, bare or friendly
    assert inside[503] > 0, inside


# --- Redis: a server of the test's own, stopped and started again ---------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(_free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
        limiter._storage_dead = False  # one limiter object serves every app of the test session


def test_a_redis_outage_keeps_sign_in_and_pages_working_and_mail_goes_out_after(
    world, make_app, login_as, own_redis, smtp_sink, caplog
):
    celery = {"broker_url": own_redis.url, "task_serializer": "json", "accept_content": ["json"]}
    app = make_app(
        REDIS_URL=own_redis.url,
        RATELIMIT_STORAGE_URI=own_redis.url,
        TASKS_EAGER=False,
        CELERY=celery,
        MAIL_BACKEND="smtp",
        MAIL_PORT=smtp_sink.port,
        LOGIN_LIMIT_PER_ACCOUNT="3 per minute",
    )
    coordinator = login_as("coordinator", on=app)
    member_email = world.user("member").email
    assert app.test_client().post("/login", data={"email": member_email, "password": PASSWORD}).status_code == 302

    own_redis.stop()
    with caplog.at_level(logging.INFO):
        statuses = [
            coordinator.get(f"/p/{world.home.slug}/").status_code,
            app.test_client().post("/login", data={"email": member_email, "password": PASSWORD}).status_code,
            coordinator.post(
                f"/p/{world.home.slug}/people/invite", data={"email": "later@example.org", "role": "member"}
            ).status_code,
            app.test_client().get("/readyz").status_code,
        ]
        guesser = app.test_client()
        guesses = [
            guesser.post("/login", data={"email": member_email, "password": "wrong password!"}).status_code
            for _ in range(3)
        ]
    assert statuses == [200, 302, 302, 200]
    assert guesses[-1] == 429  # the limit still holds, counted in this process's memory
    assert sum("falling back to in-memory" in r.getMessage() for r in caplog.records) == 1
    [invitation] = outbox(app, kind="invitation")
    assert invitation.status == OutboxStatus.PENDING and smtp_sink.messages == []

    own_redis.start()
    # The limiter looks for its storage again after a growing pause (1 s, 2 s, ...): within 10 s.
    deadline = time.monotonic() + 10
    with caplog.at_level(logging.INFO):
        while limiter._storage_dead and time.monotonic() < deadline:
            app.test_client().post("/login", data={"email": "nobody@example.org", "password": "x"})
            time.sleep(0.5)
    assert not limiter._storage_dead, "the limiter did not go back to Redis"

    # The sweep hands the waiting mail out again; here a worker in process delivers it.
    delivering = make_app(TASKS_EAGER=True, MAIL_BACKEND="smtp", MAIL_PORT=smtp_sink.port)
    with delivering.app_context():
        services.open_outbox()
        db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
        assert services.sweep() == 1
    assert [envelope.rcpt_tos for envelope in smtp_sink.messages] == [["later@example.org"]]
