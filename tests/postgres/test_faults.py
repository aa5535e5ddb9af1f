"""Fault tests, fast variants (issue #16): a real PostgreSQL outage and a real Redis outage, mid-run.

The database outage is made on the test database alone (``ALLOW_CONNECTIONS false`` and
``pg_terminate_backend`` as its owner, restored after): the shared server the rest of the suite uses
keeps running. The Redis outage uses a redis-server of the test's own, on a free port, started and
stopped by the test. The outbox run sends 60 messages through a real Celery worker on that
redis-server to an SMTP sink refusing ~30 %, kills the worker (``kill -9``) the moment the sink has
accepted a message and restarts Redis mid-run. ``bench/faults.py`` runs the same scenarios at full
size (against gunicorn; 1,000 outbox messages).
"""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from partnership_hub.config import load_config
from partnership_hub.db import utcnow
from partnership_hub.extensions import db, limiter
from partnership_hub.notifications import services
from partnership_hub.notifications.models import OutboxMessage, OutboxStatus
from partnership_hub.tasks import dispatch
from tests.conftest import DATABASE_URL
from tests.factories import PASSWORD, outbox

pytestmark = [pytest.mark.postgres]

FRIENDLY = "Partnership Hub is briefly unavailable"
ROOT = Path(__file__).resolve().parents[2]


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


# --- the outbox: kill -9 of a real worker and a Redis restart, mid-run ------------------------------

OUTBOX_KIND = "fault-outbox"
# A real Celery worker (``celery worker --pool=solo``, as ``make worker`` runs it) with the outbox's
# clock shortened so the run fits in seconds: retries 1 s·2ⁿ⁻¹ (30 s), sweep after 2 s (2 min),
# in-flight grace 5 s (10 min) with MAIL_TIMEOUT 2 s. bench/faults.py does the same at full size.
WORKER = """\
from datetime import timedelta
from partnership_hub import create_app
app = create_app({
    "OUTBOX_RETRY_BASE": 1,
    "OUTBOX_SWEEP_AFTER": timedelta(seconds=2),
    "OUTBOX_IN_FLIGHT_GRACE": timedelta(seconds=5),
    "MAIL_TIMEOUT": 2.0,
})
app.extensions["celery"].worker_main(
    ["worker", "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
)
"""
SHORT_CLOCK = {
    "OUTBOX_RETRY_BASE": 1,
    "OUTBOX_SWEEP_AFTER": timedelta(seconds=2),
    "OUTBOX_IN_FLIGHT_GRACE": timedelta(seconds=5),
    "MAIL_TIMEOUT": 2.0,
}


class RefusingSink:
    """An SMTP server refusing ~30 % of deliveries with a temporary 4xx (at RCPT or DATA; a recipient at
    most three times, so none runs out of attempts by chance); it keeps (recipient, Message-ID) of
    what it accepts and calls ``on_accept(count)`` before its 250 goes out."""

    def __init__(self, on_accept):
        import random

        from aiosmtpd.controller import Controller

        self.accepted: list[tuple[str, str]] = []
        self.refused = 0
        self.port = _free_port()
        refusals: Counter[str] = Counter()
        at_data: set[str] = set()
        chance = random.Random(16)  # noqa: S311 - which deliveries to refuse, not a secret
        sink = self

        def refusing(address: str) -> bool:
            if refusals[address] >= 3:
                return False
            refusals[address] += 1
            sink.refused += 1
            return True

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
                draw = chance.random()
                if draw < 0.15 and refusing(address):
                    return "450 4.2.1 Mailbox busy, try again later"
                if draw < 0.3:
                    at_data.add(address)
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                refuse = [rcpt for rcpt in envelope.rcpt_tos if rcpt in at_data]
                at_data.difference_update(envelope.rcpt_tos)
                if refuse and refusing(refuse[0]):
                    return "451 4.3.0 Temporary failure, try again later"
                found = re.search(rb"^Message-ID: *(\S+)", envelope.content, re.MULTILINE | re.IGNORECASE)
                for rcpt in envelope.rcpt_tos:
                    sink.accepted.append((rcpt, found.group(1).decode() if found else ""))
                on_accept(len(sink.accepted))
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)


class Worker:
    def __init__(self, env: dict[str, str], logdir: Path):
        self.env, self.logdir = env, logdir
        self.started = 0
        self.process: subprocess.Popen | None = None
        self.log = logdir / "worker-0.log"

    def start(self) -> None:
        self.started += 1
        self.log = self.logdir / f"worker-{self.started}.log"
        with self.log.open("wb") as handle:
            self.process = subprocess.Popen(
                [sys.executable, "-c", WORKER], cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and self.process.poll() is None:
            if "ready." in self.log.read_text(errors="replace"):
                return
            time.sleep(0.1)
        pytest.fail("the Celery worker did not start:\n" + self.log.read_text(errors="replace")[-3000:])

    def exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def kill(self) -> None:
        """``kill -9``: no chance to finish the send, ack the task or record anything."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _worker_story(path: Path) -> str:
    """A worker log cut to what explains a failure: its connection events, errors and last lines."""
    lines = path.read_text(errors="replace").splitlines()
    telling = [line for line in lines if re.search(r"ERROR|CRITICAL|Unrecoverable|broker|Connected|Error:", line)]
    return f"--- {path.name} ---\n" + "\n".join(telling[-30:] + ["..."] + lines[-25:])


def _outbox_counts(app) -> Counter[str]:
    with app.app_context():
        services.open_outbox()
        rows = db.session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.kind == OUTBOX_KIND)
            .group_by(OutboxMessage.status)
        ).all()
        db.session.rollback()
    return Counter({status: count for status, count in rows})


def test_the_outbox_through_a_killed_worker_and_a_redis_restart_reaches_everyone_with_stable_message_ids(
    make_app, own_redis, tmp_path
):
    messages, kill_at, restart_at = 60, 18, 36
    killed = threading.Event()
    worker: Worker | None = None

    def on_accept(count: int) -> None:
        # The sink has accepted; its 250 never reaches the worker, which dies with the row in flight.
        if count == kill_at and worker is not None:
            worker.kill()
            killed.set()

    sink = RefusingSink(on_accept)
    settings = {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(sink.port)}
    worker = Worker(
        {
            **os.environ,
            **settings,
            "DATABASE_URL": DATABASE_URL,
            "REDIS_URL": own_redis.url,  # not the shared Redis: only the test's own server is restarted
            "TASKS_EAGER": "0",
            "BASE_URL": "http://localhost",
        },
        tmp_path,
    )
    app = make_app(
        REDIS_URL=own_redis.url,
        TASKS_EAGER=False,
        CELERY=load_config({"REDIS_URL": own_redis.url})["CELERY"],
        **{**settings, "MAIL_PORT": sink.port},
        **SHORT_CLOCK,
    )
    recipients = [f"outbox-{n:03d}@example.org" for n in range(messages)]
    pending_at_restart = None
    sink.controller.start()
    try:
        worker.start()
        with app.app_context():
            for n, to in enumerate(recipients):
                services.queue_email(
                    kind=OUTBOX_KIND,
                    dedup_key=f"{OUTBOX_KIND}:{n}",
                    to=to,
                    subject="Fault run",
                    template="verify_email",
                    user=None,
                    link="http://localhost/verify/x",
                    expires_hours=1,
                )
                db.session.commit()  # handed to the worker after the commit, as in a request
        deadline = time.monotonic() + 75
        next_sweep = time.monotonic() + 1
        counts: Counter[str] = Counter()
        while time.monotonic() < deadline:
            if killed.is_set() and worker.exited():
                # Supervised, as docker-compose's `restart: unless-stopped` does: restarted after the kill,
                # and after an exit of its own (kombu 5.7 can die of "Unrecoverable error: AttributeError"
                # when a Redis restart closes the channel a late ack needs; the sweep re-queues its work).
                worker.start()
            if pending_at_restart is None and worker.started >= 2 and len(sink.accepted) >= restart_at:
                pending_at_restart = _outbox_counts(app)["pending"]
                own_redis.stop()  # nothing persisted: every queued task is lost
                time.sleep(1)
                own_redis.start()
            if time.monotonic() >= next_sweep:  # what beat does, every second instead of every minute
                next_sweep = time.monotonic() + 1
                try:
                    with app.app_context():
                        dispatch("notifications.sweep_outbox")
                except Exception:  # noqa: BLE001, S110 - beat, too, misses a tick the broker can't take
                    pass
            counts = _outbox_counts(app)
            if pending_at_restart is not None and counts["pending"] == 0:
                break
            time.sleep(0.1)
    finally:
        worker.stop()
        sink.controller.stop()
    logs = "\n".join(_worker_story(path) for path in sorted(tmp_path.glob("worker-*.log")))

    assert killed.is_set() and worker.started >= 2, logs
    assert pending_at_restart, "Redis was restarted with nothing pending: too late to matter"
    assert sink.refused > 0
    assert dict(counts) == {OutboxStatus.SENT: messages}, (counts, logs)
    copies = Counter(rcpt for rcpt, _ in sink.accepted)
    assert set(copies) == set(recipients)  # everyone got the message
    ids = {rcpt: {message_id for r, message_id in sink.accepted if r == rcpt} for rcpt in copies}
    assert all(len(found) == 1 for found in ids.values()), "a copy with a different Message-ID"
    assert len({message_id for (message_id,) in ids.values()}) == messages  # one Message-ID per message
    # The one send the kill interrupted went out again (after the grace period), the same message.
    assert [n for n in copies.values() if n > 1] == [2]
