"""Fault runs (issue #16): the production stack under load, with the database and Redis taken away.

    .venv/bin/python bench/faults.py [--quick] [--scenario database|redis|all] [--clients 32]
                                     [--duration 60] [--outage 20] [--output docs/RELIABILITY.md]

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
5. prints the results and, with ``--output``, writes them into the document between the
   ``faults:results`` markers.

``--quick``: 8 clients, 12 s runs, 3 s outages. The CI's fast variants are in
``tests/postgres/test_faults.py``.
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
    """An SMTP server that keeps (recipient, Message-ID) of every message it accepts."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.accepted: list[tuple[str, str]] = []
        self.port = free_port()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                found = re.search(rb"^Message-ID: *(\S+)", envelope.content, re.MULTILINE | re.IGNORECASE)
                for rcpt in envelope.rcpt_tos:
                    sink.accepted.append((rcpt, found.group(1).decode() if found else ""))
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
        lines.append(f"| {run.scenario} | {run.clients} | {run.duration:.0f} | {run.outage:.0f} | {result} | {facts} |")
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
    parser.add_argument("--scenario", choices=("database", "redis", "all"), default="all")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--clients", type=int)
    parser.add_argument("--duration", type=float)
    parser.add_argument("--outage", type=float)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    clients = args.clients or (8 if args.quick else 32)
    duration = args.duration or (12.0 if args.quick else 60.0)
    outage = args.outage or (3.0 if args.quick else 20.0)
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
        for each in (app, sweeper):
            with each.app_context():
                db.engine.dispose()
    finally:
        for stop in (server.stop, worker.stop, sink.stop, redis.stop):
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
