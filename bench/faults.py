"""Fault runs (issue #16): the production stack under load, with the database and Redis taken away,
and the outbox through a killed worker and a Redis restart.

    .venv/bin/python bench/faults.py [--quick] [--scenario database|redis|outbox|all] [--clients 32]
                                     [--duration 60] [--outage 20] [--messages 1000] [--seed N]
                                     [--output docs/RELIABILITY.md]

What a run does (all on loopback, bounded in time, everything it starts is stopped on exit):

1. creates a throwaway PostgreSQL database and app role (as ``bench/pages.py`` does), builds the
   schema with the real migrations and seeds the demo partnership;
2. starts its own redis-server on a free port (broker and rate-limit storage), an SMTP sink, a
   Celery worker, and the app under gunicorn (4 sync workers);
3. ``database``: ``--clients`` signed-in clients run mixed load for ``--duration`` seconds (pages, a
   sign-in in ten requests: each a committed ``user_sessions`` row); a third of the way in, the
   database refuses connections and every open one is ended (``ALLOW_CONNECTIONS false`` +
   ``pg_terminate_backend``: what the app sees of a server restart, without restarting the server
   other databases on it use) for ``--outage`` seconds. Checks: no 500 of any kind, 503s only
   during the outage (plus one second), sign-ins answered 302 = rows written;
4. ``redis``: the same load plus invitations (each one email), with redis-server stopped for
   ``--outage`` seconds mid-run. Checks: no 5xx, sign-ins keep working, and once Redis is back and
   the sweep has run, every invitation's email reaches the sink exactly once;
5. ``outbox``: ``--messages`` emails queued through ``services.queue_email`` (one commit each) go
   to a second SMTP sink that refuses 30 % of deliveries with a temporary 4xx (at RCPT or DATA; a
   recipient at most three times), through a real Celery worker on a third redis-server of the
   run's own. The worker is killed (``kill -9``) the moment the sink has accepted 30 % of the
   messages (the sink's 250 never reaches it: the row stays "in flight") and a new one started; at
   60 % Redis is stopped, losing every queued task, and started again 5 s later. The run sends the
   sweep task as beat does. Checks: every recipient got a message; a second copy (the killed send,
   re-sent after the in-flight grace period) has the same Message-ID; at most one copy more than
   messages; nothing left pending or failed. So that this ends in minutes, the run shortens the
   outbox's clock (``OutboxTiming``: retries 2 s·2ⁿ⁻¹ instead of 30 s·2ⁿ⁻¹, sweep after 20 s instead
   of 2 min, in-flight grace 30 s instead of 10 min, a sweep every 5 s instead of every minute);
6. prints the results and, with ``--output``, writes them into the document between the
   ``faults:results`` markers.

``--quick``: 8 clients, 12 s runs, 3 s outages, 100 outbox messages (retries 1 s·2ⁿ⁻¹, sweep after
3 s, grace 6 s with ``MAIL_TIMEOUT`` 3 s, a sweep every second, Redis down 2 s). The CI's fast
variants are in ``tests/postgres/test_faults.py``.
"""

from __future__ import annotations

import argparse
import http.client
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import pages  # noqa: E402 - the page benchmark's throwaway database, gunicorn and sign-in helpers
from pages import BenchError, Database, Server, admin_connect, build_schema, free_port, log  # noqa: E402

COMMAND = ".venv/bin/python bench/faults.py"
START_MARK, END_MARK = "<!-- faults:results:start -->", "<!-- faults:results:end -->"
FRIENDLY_503 = b"briefly unavailable"
CSRF = re.compile(rb'"X-CSRFToken": "([^"]+)"')
LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ [A-Z]+ ")


# --- services of the run's own -------------------------------------------------------------------


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise BenchError("redis-server is not installed")
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
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
        raise BenchError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


class Sink:
    """An SMTP server that keeps (recipient, Message-ID) of every message it accepts.

    ``refuse``: the share of transactions answered with a temporary refusal, half at RCPT (450) and
    half at DATA (451), chosen at random; a recipient is refused at most ``max_refusals`` times, so
    no message runs out of attempts (``OUTBOX_MAX_ATTEMPTS``, 8) by chance alone. ``on_accept(n)``
    is called with the running count of accepted messages, before the 250 goes out."""

    def __init__(self, refuse: float = 0.0, max_refusals: int = 3, seed: int | None = None, on_accept=None) -> None:
        import logging
        import random

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per SMTP command
        self.accepted: list[tuple[str, str]] = []
        self.refused = 0
        self.port = free_port()
        self.on_accept = on_accept
        refusals: Counter[str] = Counter()
        at_data: set[str] = set()
        chance = random.Random(seed)  # noqa: S311 - which deliveries to refuse, not a secret
        sink = self

        def refusing(address: str) -> bool:
            if refusals[address] >= max_refusals:
                return False
            refusals[address] += 1
            sink.refused += 1
            return True

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
                draw = chance.random()
                if draw < refuse / 2 and refusing(address):
                    return "450 4.2.1 Mailbox busy, try again later"
                if draw < refuse and address not in at_data:
                    at_data.add(address)  # refused at DATA instead, if not too often already
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                refuse_data = [rcpt for rcpt in envelope.rcpt_tos if rcpt in at_data]
                at_data.difference_update(envelope.rcpt_tos)
                if refuse_data and refusing(refuse_data[0]):
                    return "451 4.3.0 Temporary failure, try again later"
                found = re.search(rb"^Message-ID: *(\S+)", envelope.content, re.MULTILINE | re.IGNORECASE)
                for rcpt in envelope.rcpt_tos:
                    sink.accepted.append((rcpt, found.group(1).decode() if found else ""))
                if sink.on_accept is not None:
                    sink.on_accept(len(sink.accepted))
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


class Worker:
    def __init__(self, env: dict[str, str], logdir: Path) -> None:
        self.env, self.log_path = env, logdir / "worker.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        handle = self.log_path.open("wb")
        command = [sys.executable, "-m", "celery", "-A", "worker:celery", "worker", "--pool=solo", "--loglevel=INFO"]
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            command, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None


@dataclass(frozen=True)
class OutboxTiming:
    """The outbox's clock for a fault run, shortened so a run ends in minutes; production's values
    in brackets. ``sweep_every`` is how often the run sends the sweep task, as beat does."""

    retry_base: int = 2  # OUTBOX_RETRY_BASE, s (30): a retry after 2, 4, 8... s
    sweep_after: int = 20  # OUTBOX_SWEEP_AFTER, s (120)
    grace: int = 30  # OUTBOX_IN_FLIGHT_GRACE, s (600); above MAIL_TIMEOUT, as in production
    mail_timeout: int = 10  # MAIL_TIMEOUT, s (10)
    sweep_every: float = 5.0  # beat's sweep-outbox schedule, s (60)

    def config(self) -> dict[str, object]:
        from datetime import timedelta

        return {
            "OUTBOX_RETRY_BASE": self.retry_base,
            "OUTBOX_SWEEP_AFTER": timedelta(seconds=self.sweep_after),
            "OUTBOX_IN_FLIGHT_GRACE": timedelta(seconds=self.grace),
            "MAIL_TIMEOUT": float(self.mail_timeout),
        }

    def describe(self) -> str:
        return (
            f"retry backoff {self.retry_base} s·2ⁿ⁻¹ (30 s), sweep after {self.sweep_after} s (120 s), "
            f"in-flight grace {self.grace} s (600 s), sweep every {self.sweep_every:g} s (60 s)"
        )


# A real Celery worker (``celery worker --pool=solo``, with gossip, mingle and heartbeats as ``make
# worker`` has them) on an app built from the environment as ``worker/__init__.py`` builds it, with
# the run's shortened outbox clock on top.
OUTBOX_WORKER = """\
import json, os
from datetime import timedelta
from partnership_hub import create_app
t = json.loads(os.environ["FAULTS_OUTBOX_TIMING"])
app = create_app({
    "OUTBOX_RETRY_BASE": t["retry_base"],
    "OUTBOX_SWEEP_AFTER": timedelta(seconds=t["sweep_after"]),
    "OUTBOX_IN_FLIGHT_GRACE": timedelta(seconds=t["grace"]),
    "MAIL_TIMEOUT": float(t["mail_timeout"]),
})
app.extensions["celery"].worker_main(["worker", "--pool=solo", "--loglevel=INFO"])
"""


class OutboxWorker:
    """The outbox run's Celery worker: ``start`` waits until it is ready; ``kill`` is ``kill -9``."""

    def __init__(self, env: dict[str, str], logdir: Path, timing: OutboxTiming) -> None:
        import json
        from dataclasses import asdict

        self.env = {**env, "FAULTS_OUTBOX_TIMING": json.dumps(asdict(timing))}
        self.logdir = logdir
        self.started = 0
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        self.started += 1
        path = self.logdir / f"outbox-worker-{self.started}.log"
        with path.open("wb") as handle:
            self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
                [sys.executable, "-c", OUTBOX_WORKER],
                cwd=ROOT,
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in path.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise BenchError(f"the outbox worker did not start:\n{path.read_text(errors='replace')[-2000:]}")

    def kill(self) -> None:
        """``kill -9``: no chance to finish the task, ack it or record anything."""
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
        self.process = None


class DatabaseOutage:
    """Refuse connections to the run's database and end the open ones; ``end`` lets them in again."""

    def __init__(self, name: str) -> None:
        self.name = name

    def begin(self) -> None:
        with admin_connect() as conn:
            conn.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false')
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.name,),
            )

    def end(self) -> None:
        with admin_connect() as conn:
            conn.execute(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true')


# --- the load ------------------------------------------------------------------------------------


@dataclass
class Answer:
    at: float
    kind: str  # page, sign-in, invitation
    status: int  # 0: no answer (connection refused or reset)
    bare: bool  # a 5xx without the app's own page: the server's bare error


@dataclass
class Run:
    scenario: str
    clients: int
    duration: float
    outage: float
    answers: list[Answer] = field(default_factory=list)
    outage_from: float = 0.0
    outage_to: float = 0.0
    facts: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class Browser:
    """One client's cookies across requests (the session cookie changes as the session does)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            body = None
            if form is not None:
                body = urllib.parse.urlencode(form)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            self.cookies.update(pages._cookies(response))
            return response.status, response.read()
        except OSError:
            return 0, b""
        finally:
            conn.close()

    def sign_in(self, email: str, password: str) -> int:
        """The login form, as a person fills it in: the page (for its token), then the post."""
        self.cookies.clear()
        status, body = self.request("GET", "/login")
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body) or re.search(
            rb'value="([^"]+)"[^>]*name="csrf_token"', body
        )
        if status != 200 or not token:
            return status
        form = {"csrf_token": token.group(1).decode(), "email": email, "password": password}
        return self.request("POST", "/login", form)[0]


def client_loop(run: Run, port: int, n: int, email: str, password: str, slug: str, stop: threading.Event) -> None:
    reader, signer = Browser(port), Browser(port)
    if reader.sign_in(email, password) != 302:
        raise BenchError(f"client {n}: could not sign in")
    status, body = reader.request("GET", f"/p/{slug}/")
    token = CSRF.search(body)
    if status != 200 or not token:
        raise BenchError(f"client {n}: workspace home answered {status}")
    csrf = token.group(1).decode()
    invitations = 0
    i = 0
    while not stop.is_set():
        i += 1
        body = b"Partnership Hub"
        if i % 10 == 0:
            kind, status = "sign-in", signer.sign_in(email, password)
        elif run.scenario == "redis" and n < 4 and i % 7 == 0 and invitations < 10:
            invitations += 1
            invitee = f"fault-{n}-{invitations}-{secrets.token_hex(3)}@example.org"
            form = {"csrf_token": csrf, "email": invitee, "role": "member"}
            kind, (status, body) = "invitation", reader.request("POST", f"/p/{slug}/people/invite", form)
        else:
            path = (f"/p/{slug}/", f"/p/{slug}/goals", f"/p/{slug}/people", "/readyz")[i % 4]
            kind, (status, body) = "page", reader.request("GET", path)
        bare = status >= 500 and b"Partnership Hub" not in body and not body.startswith(b"{")
        run.answers.append(Answer(time.monotonic(), kind, status, bare))


def drive(run: Run, port: int, slug: str, email: str, password: str, fault) -> None:
    """``run.clients`` threads for ``run.duration`` seconds; ``fault(begin: bool)`` a third of the way in."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def guarded(n: int) -> None:
        try:
            client_loop(run, port, n, email, password, slug, stop)
        except BaseException as exc:  # noqa: BLE001 - reported after the run
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(run.clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(run.duration / 3)
    run.outage_from = time.monotonic()
    fault(True)
    time.sleep(run.outage)
    fault(False)
    run.outage_to = time.monotonic()
    time.sleep(max(run.duration - (time.monotonic() - started), 1.0))
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    if errors:
        run.problems.append(f"{len(errors)} client(s) could not start: {errors[0]}")


def during(run: Run, answer: Answer, slack: float = 1.0) -> bool:
    return run.outage_from <= answer.at <= run.outage_to + slack


def judge_database(run: Run, database: Database, since: datetime) -> None:
    statuses = Counter(a.status for a in run.answers)
    outside = Counter(a.status for a in run.answers if not during(run, a))
    sign_ins = sum(1 for a in run.answers if a.kind == "sign-in" and a.status == 302)
    with admin_connect(database.name) as conn:
        rows = conn.execute("SELECT count(*) FROM user_sessions WHERE created_at >= %s", (since,)).fetchone()[0]
    run.facts.update(
        requests=len(run.answers),
        statuses=dict(sorted(statuses.items())),
        bare_5xx=sum(a.bare for a in run.answers),
        **{"503_outside_outage": outside[503], "sign-ins answered 302": sign_ins, "user_sessions rows": rows},
    )
    if statuses[500] or any(a.bare for a in run.answers):
        run.problems.append("500s or bare server errors")
    if outside[503] or outside[0]:
        run.problems.append("503s or refused connections outside the outage")
    if rows < sign_ins + run.clients:  # each client also signed in once before the load
        run.problems.append(f"{sign_ins + run.clients} sign-ins answered 302, only {rows} session rows written")


def judge_redis(run: Run, sink: Sink, database: Database, sweep) -> None:
    statuses = Counter(a.status for a in run.answers)
    sign_ins_during = Counter(a.status for a in run.answers if a.kind == "sign-in" and during(run, a, 0))
    invited = sum(1 for a in run.answers if a.kind == "invitation" and a.status == 302)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        sweep()
        with admin_connect(database.name) as conn:
            conn.execute("SELECT set_config('app.outbox', 'deliver', false)")
            pending = conn.execute("SELECT count(*) FROM outbox_messages WHERE status = 'pending'").fetchone()[0]
        if pending == 0:
            break
        time.sleep(2)
    invitations = [rcpt for rcpt, _ in sink.accepted if rcpt.startswith("fault-")]
    copies = Counter(invitations)
    ids = Counter(sink.accepted)
    run.facts.update(
        requests=len(run.answers),
        statuses=dict(sorted(statuses.items())),
        **{
            "sign-ins during the outage": dict(sign_ins_during),
            "invitations answered 302": invited,
            "invitation emails received": len(invitations),
            "recipients with more than one copy": sum(1 for c in copies.values() if c > 1),
            "duplicates with a different Message-ID": sum(1 for c in copies.values() if c > 1)
            - sum(1 for c in ids.values() if c > 1),
            "outbox pending at the end": pending,
        },
    )
    if any(a.status >= 500 or a.status == 0 for a in run.answers):
        run.problems.append("5xx answers or refused connections")
    if not sign_ins_during or set(sign_ins_during) != {302}:
        run.problems.append(f"sign-in during the outage: {dict(sign_ins_during)}")
    if len(copies) != invited or pending:
        run.problems.append(f"{invited} invitations, {len(copies)} recipients reached, {pending} still pending")


# --- the outbox: kill -9 of the worker and a Redis restart while 1,000 messages go out ---------------

OUTBOX_KIND = "fault-outbox"


def outbox_counts(database: Database) -> dict[str, int]:
    with admin_connect(database.name) as conn:
        conn.execute("SELECT set_config('app.outbox', 'deliver', false)")
        rows = conn.execute(
            "SELECT status, count(*), max(attempts) FROM outbox_messages WHERE kind = %s GROUP BY status",
            (OUTBOX_KIND,),
        ).fetchall()
    counts = {status: int(n) for status, n, _ in rows}
    counts["most attempts"] = max((int(most) for *_, most in rows), default=0)
    return counts


def run_outbox(
    database: Database,
    env: dict[str, str],
    logdir: Path,
    messages: int,
    redis_down: float,
    timing: OutboxTiming,
    deadline: float,
    seed: int | None,
) -> Run:
    """Queue ``messages`` emails through ``services.queue_email`` (one commit each, as requests do) to
    a sink refusing 30 % with 4xx; ``kill -9`` the worker the moment the sink has accepted message
    no. 30 % (after the server's 250 is decided, before the worker can record ``sent``: the worst
    moment), start a new one; when 60 % are in, stop Redis (nothing persisted: every queued task is
    lost) and start it again ``redis_down`` s later. Meanwhile the sweep task is sent every
    ``timing.sweep_every`` s, as beat does. Checks, once nothing is pending or ``deadline`` s have
    passed: every recipient got a message, any second copy has the same Message-ID, copies are no
    more than killed sends, nothing is left pending or failed."""
    from partnership_hub import create_app
    from partnership_hub.config import load_config
    from partnership_hub.extensions import db
    from partnership_hub.notifications import services
    from partnership_hub.tasks import dispatch

    run = Run("outbox", 0, 0.0, redis_down)
    redis = RedisServer()
    kill_at = max(messages * 3 // 10, 1)
    killed = threading.Event()
    worker: OutboxWorker | None = None

    def on_accept(accepted: int) -> None:
        if accepted == kill_at and worker is not None:
            worker.kill()
            killed.set()

    sink = Sink(refuse=0.3, max_refusals=3, seed=seed, on_accept=on_accept)
    run_env = {
        **env,
        "REDIS_URL": redis.url,
        "TASKS_EAGER": "0",
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(sink.port),
        "BASE_URL": "http://localhost",
    }
    worker = OutboxWorker({**pages.os.environ, **run_env}, logdir, timing)
    app = create_app({**load_config(run_env), **timing.config()})
    recipients = [f"outbox-{n:04d}@example.org" for n in range(messages)]
    pending_at_restart: int | None = None
    counts: dict[str, int] = {}
    try:
        redis.start()
        sink.start()
        worker.start()
        started = time.monotonic()
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
        run.facts["queued in (s)"] = round(time.monotonic() - started, 1)
        next_sweep = time.monotonic() + timing.sweep_every
        while time.monotonic() - started < deadline:
            if killed.is_set() and worker.started == 1:
                log(f"outbox: worker killed (kill -9) after the sink accepted message {kill_at}; starting another")
                run.facts["worker killed after acceptance no."] = kill_at
                worker.start()
            elif worker.started >= 2 and worker.process is not None and worker.process.poll() is not None:
                # Supervised as docker-compose's `restart: unless-stopped` does: kombu 5.7 can die of an
                # "Unrecoverable error" when a Redis restart closed the channel a late ack needs.
                log(f"outbox: the worker exited by itself (code {worker.process.returncode}); starting another")
                exits = "worker exits after the Redis restart"
                run.facts[exits] = int(run.facts.get(exits, 0)) + 1
                worker.start()
            if pending_at_restart is None and worker.started >= 2 and len(sink.accepted) >= messages * 6 // 10:
                pending_at_restart = outbox_counts(database).get("pending", 0)
                log(f"outbox: Redis stopped for {redis_down:g} s with {pending_at_restart} messages pending")
                redis.stop()
                time.sleep(redis_down)
                redis.start()
            if time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + timing.sweep_every
                try:
                    with app.app_context():
                        dispatch("notifications.sweep_outbox")  # what beat sends
                except Exception as exc:  # noqa: BLE001 - beat, too, misses a tick while the broker is away
                    log(f"outbox: sweep not sent ({type(exc).__name__})")
            counts = outbox_counts(database)
            if pending_at_restart is not None and not counts.get("pending"):
                break
            time.sleep(0.2)
        run.duration = time.monotonic() - started
    finally:
        worker.stop()
        sink.stop()
        redis.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    wanted = set(recipients)
    copies = Counter(rcpt for rcpt, _ in sink.accepted if rcpt in wanted)
    ids: dict[str, set[str]] = {}
    for rcpt, message_id in sink.accepted:
        ids.setdefault(rcpt, set()).add(message_id)
    doubled = [rcpt for rcpt, n in copies.items() if n > 1]
    differing = [rcpt for rcpt in doubled if len(ids[rcpt]) > 1]
    distinct_ids = {message_id for rcpt in copies for message_id in ids[rcpt]}
    run.facts.update(
        {
            "messages": messages,
            "deliveries refused (4xx)": sink.refused,
            "accepted": len(sink.accepted),
            "recipients reached": len(copies),
            "recipients with more than one copy": len(doubled),
            "duplicates with a different Message-ID": len(differing),
            "pending when Redis stopped": pending_at_restart,
            "outbox at the end": {k: v for k, v in counts.items() if k != "most attempts"},
            "most attempts for one message": counts.get("most attempts", 0),
            "shortened for the run": timing.describe(),
        }
    )
    if not killed.is_set():
        run.problems.append("the worker was never killed")
    if not pending_at_restart:
        run.problems.append("Redis was not restarted while mail was pending")
    if len(copies) < messages:
        run.problems.append(f"{messages - len(copies)} recipients got no message")
    if differing:
        run.problems.append(f"{len(differing)} duplicates carry a different Message-ID")
    if len(doubled) > 1:  # one kill: at most the one message it interrupted is sent twice
        run.problems.append(f"{len(doubled)} recipients got two copies after one killed send")
    if len(distinct_ids) != len(copies):
        run.problems.append("two recipients' messages share a Message-ID")
    if counts.get("pending") or counts.get("failed"):
        run.problems.append(f"left at the end: {counts.get('pending', 0)} pending, {counts.get('failed', 0)} failed")
    return run


# --- the run -------------------------------------------------------------------------------------


def markdown(runs: list[Run], started: datetime, argv: list[str]) -> str:
    lines = [
        f"Last run: {started:%Y-%m-%d %H:%M} UTC, `{COMMAND} {' '.join(argv)}`".rstrip(),
        "",
        "| scenario | clients | run (s) | outage (s) | result | facts |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for run in runs:
        facts = "; ".join(f"{k}: {v}" for k, v in run.facts.items())
        result = "held" if not run.problems else "FAILED: " + "; ".join(run.problems)
        clients = run.clients or "—"  # the outbox run has no web clients: it queues through the services
        lines.append(f"| {run.scenario} | {clients} | {run.duration:.0f} | {run.outage:g} | {result} | {facts} |")
    return "\n".join(lines)


def write_document(path: Path, text: str) -> None:
    document = path.read_text() if path.exists() else f"{START_MARK}\n{END_MARK}\n"
    if START_MARK not in document:
        document += f"\n{START_MARK}\n{END_MARK}\n"
    head, _, rest = document.partition(START_MARK)
    _, _, tail = rest.partition(END_MARK)
    path.write_text(f"{head}{START_MARK}\n{text}\n{END_MARK}{tail}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", choices=("database", "redis", "outbox", "all"), default="all")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--outage", type=float)
    parser.add_argument("--messages", type=int, help="outbox run: messages to send (1000; --quick 100)")
    parser.add_argument("--seed", type=int, help="outbox run: which deliveries the sink refuses")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    clients = args.clients or (8 if args.quick else 32)
    duration = args.duration or (12.0 if args.quick else 60.0)
    outage = args.outage or (3.0 if args.quick else 20.0)
    messages = args.messages or (100 if args.quick else 1000)
    timing = OutboxTiming(1, 3, 6, 3, 1.0) if args.quick else OutboxTiming()
    web = args.scenario != "outbox"
    started = datetime.now(UTC)

    pages.WORKERS = 4
    database = Database(f"ph_faults_{secrets.token_hex(4)}", f"ph_faults_{secrets.token_hex(4)}", secrets.token_hex(16))
    redis, sink = RedisServer(), Sink()
    logdir = Path(tempfile.mkdtemp(prefix="ph-faults-"))
    secret_key = secrets.token_hex(32)
    env = {
        **pages.app_env(database, secret_key),
        "REDIS_URL": redis.url,
        "TASKS_EAGER": "0",
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(sink.port),
        "BASE_URL": "http://localhost",
        # Every client signs in as the demo coordinator, from one address: limits out of the way.
        "LOGIN_LIMIT_PER_IP": "100000 per minute",
        "LOGIN_LIMIT_PER_ACCOUNT": "100000 per minute",
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_COST": "8192",
    }
    server = Server("app", "partnership_hub:create_app()", env, ROOT)
    worker = Worker({**pages.os.environ, **env}, logdir)
    runs: list[Run] = []
    try:
        log(f"database {database.name} (PostgreSQL {database.create()}), logs in {logdir}")
        build_schema(database, env)
        from partnership_hub import create_app
        from partnership_hub.config import load_config
        from partnership_hub.demo import DEMO_PASSWORD, seed
        from partnership_hub.extensions import db

        app = create_app({**load_config(env), "TASKS_EAGER": True, "MAIL_BACKEND": "outbox"})
        with app.app_context():
            _, email = seed()
            db.session.commit()
        with admin_connect(database.name) as conn:
            slug = conn.execute("SELECT slug FROM partnerships ORDER BY id LIMIT 1").fetchone()[0]
            conn.execute("SELECT set_config('app.outbox', 'deliver', false)")
            conn.execute("UPDATE outbox_messages SET status = 'sent'")  # the demo's own mail is not this run's
        if web:
            redis.start()
            sink.start()
            worker.start()
            server.start(logdir)

        sweeper = create_app(load_config(env))  # hands mail to the worker through this run's Redis

        def sweep() -> None:
            from sqlalchemy import update

            from partnership_hub.db import utcnow
            from partnership_hub.notifications import services
            from partnership_hub.notifications.models import OutboxMessage

            with sweeper.app_context():
                # Overdue now: the run is shorter than the sweep's two minutes and the retries' backoff.
                services.open_outbox()
                db.session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.status == "pending", OutboxMessage.sending_at.is_(None))
                    .values(created_at=utcnow() - sweeper.config["OUTBOX_SWEEP_AFTER"] * 2, next_attempt_at=None)
                )
                db.session.commit()
                services.sweep()

        if args.scenario in ("database", "all"):
            run = Run("database", clients, duration, outage)
            control = DatabaseOutage(database.name)
            since = datetime.now(UTC)
            log(f"database: {clients} clients, {duration:.0f} s, the database away for {outage:.0f} s")
            drive(
                run,
                server.port,
                slug,
                email,
                DEMO_PASSWORD,
                lambda begin: (control.begin if begin else control.end)(),
            )
            judge_database(run, database, since)
            assert server.log_path is not None
            # One ERROR record (one line and its traceback) per failed request, not three.
            lines = server.log_path.read_text(errors="replace").splitlines()
            logged = sum(
                1
                for line, after in zip(lines, lines[1:], strict=False)
                if LOG_RECORD.match(line) and " ERROR " in line and after.startswith("Traceback")
            )
            failed = sum(1 for a in run.answers if a.status >= 500)
            run.facts["error records with a traceback"] = logged
            if logged > failed:
                run.problems.append(f"{logged} tracebacks logged for {failed} failed requests (one each expected)")
            runs.append(run)
        if args.scenario in ("redis", "all"):
            run = Run("redis", clients, duration, outage)
            log(f"redis: {clients} clients, {duration:.0f} s, Redis stopped for {outage:.0f} s")
            drive(run, server.port, slug, email, DEMO_PASSWORD, lambda begin: (redis.stop if begin else redis.start)())
            judge_redis(run, sink, database, sweep)
            runs.append(run)
        if args.scenario in ("outbox", "all"):
            redis_down = 2.0 if args.quick else 5.0
            log(f"outbox: {messages} messages, a sink refusing 30 %, kill -9 of the worker, Redis restarted")
            log(f"outbox: shortened for the run: {timing.describe()}")
            runs.append(run_outbox(database, env, logdir, messages, redis_down, timing, 600.0, args.seed))
        for each in (app, sweeper):
            with each.app_context():
                db.engine.dispose()
    finally:
        for stop in (server.stop, worker.stop, sink.stop, redis.stop) if web else ():
            try:
                stop()
            except Exception as exc:  # noqa: BLE001 - keep cleaning up
                log(f"WARNING: cleanup step failed: {exc}")
        database.drop()
    text = markdown(runs, started, argv)
    print(text)
    if args.output:
        write_document(args.output, text)
    return 0 if runs and not any(run.problems for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
