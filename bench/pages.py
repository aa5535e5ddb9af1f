"""Page benchmark: every workspace GET page, small vs large partnership, against the floor of the stack.

    .venv/bin/python bench/pages.py [--duration 5] [--quick] [--pages REGEX] [--output PATH] [--profile ENDPOINT]

What a run does (all on loopback, bounded in time, everything it starts is stopped on exit):

1. creates a throwaway PostgreSQL database on 127.0.0.1:5432 (user postgres), builds the schema with
   the real migrations as the owner and provisions a throwaway app role (dropped with the database);
2. seeds it (``bench/seed_large.py``): 1,000 partnerships the size of the demo and one large one
   (10,000 members, 10,000 pending invitations, 2,000 organizations, 2,000 goals × 10 objectives ×
   20 progress updates, 20,000 action items, 50,000 audit entries on top of a copy of the demo);
3. starts the app and the floor (``bench/floor_app.py``: one primary-key query, one small template)
   under gunicorn, 2 sync workers each, and signs in through the real login form as the coordinator
   of a small partnership and of the large one;
4. drives every workspace GET page (the URL map's ``/p/<slug>/…`` rules; a record id is filled with
   the partnership's first record of that kind, the same demo record in both; a rule with two ids
   takes a row of the last one's table and its parent from that row, e.g. a minutes revision and its
   ``meeting_id``) with ``wrk -t2 -c8`` for ``--duration`` seconds per page and partnership, after
   counting the page's SQL statements in process; the floor is measured at the start and at the end;
5. times each page in process at the large partnership (the bench's own copy of the app and Flask's
   test client, while gunicorn is idle: up to 20 requests after a warm-up, fewer once they took 2 s,
   only the first when it alone took longer) and splits the mean into SQL (SQLAlchemy's
   ``before_cursor_execute`` to ``after_cursor_execute``, and a streaming export's fetches:
   PostgreSQL's planning and execution and the round trip), templates (the outermost Jinja render,
   htmx blocks included, less SQL run from a template) and Python (the rest), so a page that misses
   its target shows where its time goes without a hand-made profile (``--profile`` gives one);
6. prints a table (requests/s, p95, statements, the in-process split, ratio to the floor,
   large/small time ratio, budget marks) and the workers' resident memory, and writes it into
   ``docs/PERFORMANCE.md`` between the ``bench:results`` markers (the rest of the document is kept).

``--quick`` seeds 100 small partnerships and a large one a tenth of the size, runs 2 s per page,
times at most 10 requests (1 s) per page in process and prints only (pass ``--output`` to write
the document anyway).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import gc
import http.client
import io
import json
import os
import platform
import pstats
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import psycopg  # noqa: E402
from seed_large import BOARD_CHAIR  # noqa: E402 - the demo board's chair, in every copy of the demo

PG_HOST, PG_PORT, PG_ADMIN = "127.0.0.1", 5432, "postgres"
WORKERS = 2
WRK_THREADS, WRK_CONNECTIONS = 2, 8
WRK_TIMEOUT_S = 60  # a request slower than this counts as an error, not a hang
GUNICORN_TIMEOUT_S = 120
COMMAND = ".venv/bin/python bench/pages.py"
DEFAULT_OUTPUT = ROOT / "docs" / "PERFORMANCE.md"
START_MARK, END_MARK = "<!-- bench:results:start -->", "<!-- bench:results:end -->"

# Budgets (DESIGN.md, issue #8).
FLOOR_RATIO = 0.35
FLOOR_RATIO_FOR = {"workspace.home": 0.5, "goals.index": 0.5}
LARGE_OVER_SMALL = 1.25
FULL_PAGE_NOTE = "the demo plus 1.25 % of the large partnership's bulk: 125 people, 25 organizations, 25 goals"
RSS_LIMIT_MB = 150
# The in-process split: up to this many requests per page after a warm-up, fewer once they took this long.
SPLIT, SPLIT_QUICK = (20, 2.0), (10, 1.0)


REDIRECT = "redirects"


class BenchError(RuntimeError):
    """The benchmark could not run (not a page failing: those are reported in the table)."""


def log(message: str) -> None:
    print(message, flush=True)


# --- the throwaway database ----------------------------------------------------------------------


def admin_connect(dbname: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_ADMIN, dbname=dbname, autocommit=True, connect_timeout=5)


@dataclass
class Database:
    name: str
    role: str
    password: str
    created: bool = False

    @property
    def owner_url(self) -> str:
        return f"postgresql+psycopg://{PG_ADMIN}@{PG_HOST}:{PG_PORT}/{self.name}"

    @property
    def app_url(self) -> str:
        return f"postgresql+psycopg://{self.role}:{self.password}@{PG_HOST}:{PG_PORT}/{self.name}"

    def create(self) -> str:
        """Create the database; return the server version."""
        with admin_connect() as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
            self.created = True
            return conn.execute("SHOW server_version").fetchone()[0]

    def drop(self) -> None:
        if not self.created:
            return
        try:
            with admin_connect() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                conn.execute(f'DROP ROLE IF EXISTS "{self.role}"')
            self.created = False
            log(f"dropped database {self.name} and role {self.role}")
        except psycopg.Error as exc:
            log(f"WARNING: could not drop database {self.name} / role {self.role}: {exc}")

    def active_queries(self) -> int:
        with admin_connect() as conn:
            return conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
                "AND pid <> pg_backend_pid()",
                (self.name,),
            ).fetchone()[0]


def app_env(database: Database, secret_key: str) -> dict[str, str]:
    """The environment the app runs with under gunicorn (and in process for the statement counts)."""
    return {
        "DATABASE_URL": database.app_url,
        "DATABASE_OWNER_URL": database.owner_url,
        "APP_ENV": "development",
        "MAIL_BACKEND": "outbox",
        "TASKS_EAGER": "1",
        "REDIS_URL": "",
        "SECRET_KEY": secret_key,
        "INSTANCE_PATH": tempfile.gettempdir(),
    }


def build_schema(database: Database, env: dict[str, str]) -> None:
    """``flask db upgrade`` as the owner, then provision the app role."""
    from flask_migrate import upgrade

    from partnership_hub import create_app
    from partnership_hub.cli import attach_migrations
    from partnership_hub.config import load_config
    from partnership_hub.extensions import db
    from partnership_hub.provisioning import provision_app_role

    app = create_app(load_config(env))
    attach_migrations(app)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    provision_app_role(database.owner_url, database.app_url)


# --- gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    app: str
    env: dict[str, str]
    pythonpath: Path
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    workers_seen: set[int] = field(default_factory=set)
    options: tuple[str, ...] = ()  # more of gunicorn's command line

    def start(self, logdir: Path) -> None:
        self.port = free_port()
        self.log_path = logdir / f"{self.name}.log"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers", str(WORKERS),
            "--worker-class", "sync",
            "--bind", f"127.0.0.1:{self.port}",
            "--timeout", str(GUNICORN_TIMEOUT_S),
            "--graceful-timeout", "5",
            "--pythonpath", str(self.pythonpath),
            "--log-level", "warning",
            *self.options,
            self.app,
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "DATABASE_OWNER_URL")}
        env.update(self.env)
        handle = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.name} gunicorn exited: {self.log_tail()}")
            try:
                status, _ = http_get(self.port, "/healthz" if self.name == "app" else "/", timeout=5)
                if status == 200 and len(self.workers()) == WORKERS:
                    self.workers_seen.update(self.workers())
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise BenchError(f"{self.name} did not answer on port {self.port} within 60s: {self.log_tail()}")

    def log_tail(self, lines: int = 20) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def workers(self) -> list[int]:
        if not self.process:
            return []
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.process.pid:
                children.append(int(entry.name))
        return sorted(children)

    def cpu_ticks(self) -> int:
        total = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
            except (OSError, IndexError, ValueError):
                pass
        return total

    def rss_mb(self, field: str = "VmRSS") -> dict[int, float]:
        """Each current worker's resident set in MB: ``VmRSS`` now, or ``VmHWM`` (its peak since start)."""
        sizes = {}
        for pid in self.workers():
            self.workers_seen.add(pid)
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith(f"{field}:"):
                        sizes[pid] = int(line.split()[1]) / 1024
            except OSError:
                pass
        return sizes

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


def http_get(port: int, path: str, cookie: str = "", timeout: float = 120) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the real login form; return the ``Cookie`` header value for the session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/login")
        response = conn.getresponse()
        body = response.read().decode()
        cookies = _cookies(response)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', body
        )
        if response.status != 200 or not match:
            raise BenchError(f"login page: HTTP {response.status}, csrf token {'found' if match else 'missing'}")
        form = urllib.parse.urlencode({"csrf_token": match.group(1), "email": email, "password": password})
        conn.request(
            "POST",
            "/login",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            },
        )
        response = conn.getresponse()
        response.read()
        cookies.update(_cookies(response))
        if response.status not in (302, 303):
            raise BenchError(f"sign-in as {email} failed: HTTP {response.status}")
        return "; ".join(f"{k}={v}" for k, v in cookies.items())
    finally:
        conn.close()


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


# --- wrk -----------------------------------------------------------------------------------------


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing Debian's wrk with apt-get")
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        subprocess.run(prefix + step, check=True, timeout=600, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        raise BenchError("apt-get did not install wrk")
    return found


@dataclass
class Load:
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    errors: str = ""
    single_s: float | None = None  # when no request finished within the run: one request, timed alone

    @property
    def effective_rps(self) -> float:
        """Requests/s, estimated from the single request when none finished under load (the
        workers serve one request each at a time)."""
        if self.requests or not self.single_s:
            return self.rps
        return WORKERS / self.single_s


def run_wrk(wrk: str, port: int, path: str, cookie: str, duration: int) -> Load:
    command = [
        wrk, f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{duration}s", "--latency",
        "--timeout", f"{WRK_TIMEOUT_S}s", "-s", str(BENCH / "wrk_report.lua"),
    ]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    try:
        done = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, timeout=duration + WRK_TIMEOUT_S + 30
        )
    except subprocess.TimeoutExpired:
        return Load(errors="wrk did not finish")
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if done.returncode != 0 or line is None:
        return Load(errors=f"wrk failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-200:]}")
    data = json.loads(line[len("BENCH ") :])
    seconds = data["duration_us"] / 1e6
    load = Load(
        rps=data["requests"] / seconds if seconds else 0.0,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        requests=data["requests"],
    )
    problems = [f"{data[k]} {k}" for k in ("status", "timeout", "connect", "read", "write") if data[k]]
    if data["status"]:
        problems[0] = f"{data['status']} non-2xx/3xx"
    load.errors = ", ".join(problems)
    return load


def time_one(port: int, path: str, cookie: str, timeout: float = 120) -> float | None:
    """Seconds one request takes on an idle server (None: error or slower than ``timeout``)."""
    start = time.perf_counter()
    try:
        status, _ = http_get(port, path, cookie, timeout=timeout)
    except OSError:
        return None
    return time.perf_counter() - start if status == 200 else None


def wait_idle(servers: list[Server], database: Database, limit: float = 180) -> None:
    """Let the requests wrk left queued finish before the next page is measured."""
    deadline = time.monotonic() + limit
    for server in servers:
        with contextlib.suppress(OSError):
            http_get(server.port, "/healthz" if server.name == "app" else "/", timeout=limit)
    quiet = 0
    last = sum(s.cpu_ticks() for s in servers)
    while time.monotonic() < deadline and quiet < 3:
        time.sleep(0.2)
        ticks = sum(s.cpu_ticks() for s in servers)
        quiet = quiet + 1 if ticks == last and database.active_queries() == 0 else 0
        last = ticks


# Tables the run itself writes: every signed-in GET notes its confidential reads in the access log, and
# sign-ins add sessions. Without autovacuum (this machine's PostgreSQL runs with it off) their
# statistics stay those of the seed, and the access log's page was planned for 16 rows among 35,000.
RUN_WRITES = ("access_log", "user_sessions")


def refresh_statistics(database: Database) -> None:
    """What autovacuum would do on a production server: re-analyze the tables the run has grown."""
    with admin_connect(database.name) as conn:
        for table in RUN_WRITES:
            conn.execute(f"ANALYZE {table}")  # noqa: S608 - fixed names


# --- pages ---------------------------------------------------------------------------------------


@dataclass
class Page:
    rule: str
    endpoint: str
    paths: dict[str, str] = field(default_factory=dict)  # "small"/"large" -> path
    statements: dict[str, int | None] = field(default_factory=dict)
    load: dict[str, Load] = field(default_factory=dict)
    floor: float = 0.0  # the floor measured right before this page (the machine's load drifts)
    error: str = ""
    as_chair: bool = False  # an admitted-only page (``Area.admitted_only``): measured as the board's chair
    split: Split | None = None  # in process, at the large partnership
    profile: Profile | None = None  # in process, at the large partnership (``layer_profile``)

    @property
    def kind(self) -> str:
        return "export" if self.rule.endswith(".csv") else "page"

    @property
    def skipped(self) -> bool:
        return REDIRECT in self.error

    @property
    def floor_budget(self) -> float:
        return FLOOR_RATIO_FOR.get(self.endpoint, FLOOR_RATIO)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def workspace_pages(app) -> list[Page]:
    """Every GET rule under /p/<slug>/ (record-id arguments are filled in by ``fill_paths``)."""
    pages = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/p/<slug>") or "GET" not in (rule.methods or ()):
            continue
        pages.append(Page(rule=rule.rule, endpoint=rule.endpoint))
    return sorted(pages, key=lambda p: p.rule)


def record_tables() -> dict[str, str]:
    """``<model>_id`` argument name -> table, from the mapped models."""
    from partnership_hub.extensions import db

    return {f"{_snake(m.class_.__name__)}_id": m.local_table.name for m in db.Model.registry.mappers}


def record_columns() -> dict[str, set[str]]:
    """Table -> its column names, from the mapped models."""
    from partnership_hub.extensions import db

    return {name: set(table.columns.keys()) for name, table in db.metadata.tables.items()}


ARGUMENT = re.compile(r"<(?:[^:>]+:)?([^>]+)>")
CANDIDATES = 3


def fill_paths(pages: list[Page], database: Database, partnerships: dict[str, int], client_for) -> None:
    """Give every page a concrete path per partnership: the first record (by id) its measuring person
    (``client_for(page, size)``) can open, trying up to ``CANDIDATES``, or else the first the other one
    (the coordinator or the board's chair) can open, who then measures the page; a page with no such
    record is reported, not guessed.

    The record is a row of the table named by the rule's last argument (``<int:goal_id>``: ``goals``).
    The arguments before it name that row's columns (``/meetings/<int:meeting_id>/minutes/<int:minutes_
    revision_id>``: the revision's ``meeting_id``), so a child's path names its own parent."""
    tables, columns = record_tables(), record_columns()
    with admin_connect(database.name) as conn:
        for page in pages:
            args = [a for a in ARGUMENT.findall(page.rule) if a != "slug"]
            for size, pid in partnerships.items():
                slug = conn.execute("SELECT slug FROM partnerships WHERE id = %s", (pid,)).fetchone()[0]
                base = page.rule.replace("<slug>", slug)
                if not args:
                    page.paths[size] = base
                    continue
                table = tables.get(args[-1], "")
                parents = args[:-1]
                if not table or not set(parents) <= columns.get(table, set()):
                    page.error = f"no record for <{'>, <'.join(args)}>"
                    break
                found = " AND ".join(f"{column} IS NOT NULL" for column in parents)
                rows = conn.execute(
                    f"SELECT {', '.join([*parents, 'id'])} FROM {table} "  # noqa: S608 - names from the models
                    f"WHERE partnership_id = %s{' AND ' + found if found else ''} ORDER BY id LIMIT %s",
                    (pid, CANDIDATES),
                ).fetchall()
                if not rows:
                    page.error = f"no {table} row in the {size} partnership"
                    break
                candidates = [_fill(base, dict(zip([*parents, args[-1]], row, strict=True))) for row in rows]
                chosen = next((c for c in candidates if _opens(client_for(page, size), c)), None)
                if chosen is None and not page.paths:
                    # A record the other measuring person may open (a board member's request is the
                    # coordinator's to oversee, not the chair's unless it reached them): measured as them.
                    page.as_chair = not page.as_chair
                    chosen = next((c for c in candidates if _opens(client_for(page, size), c)), None)
                    if chosen is None:
                        page.as_chair = not page.as_chair
                    else:
                        log(f"{page.rule}: measured as the {'chair' if page.as_chair else 'coordinator'}")
                page.paths[size] = chosen or candidates[0]


def _fill(path: str, values: dict[str, int]) -> str:
    return ARGUMENT.sub(lambda match: str(values[match[1]]), path)


def _opens(client, path: str) -> bool:
    try:
        return client.get(path).status_code == 200
    except Exception:  # a page broken mid-refactor is reported by the statement count, not here
        return False


def count_statements(app, client, path: str) -> tuple[int | None, int, str]:
    """(SQL statements, HTTP status, error) for one in-process request (the second one: the first
    warms caches)."""
    from sqlalchemy import event

    from partnership_hub.extensions import db

    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    try:
        _get(client, path)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            response = _get(client, path)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    except Exception as exc:  # another helper's half-finished edit must not stop the run
        return None, 500, f"{type(exc).__name__}: {exc}"[:160]
    if 300 <= response.status_code < 400:
        return len(seen), response.status_code, f"{REDIRECT} (HTTP {response.status_code}), not measured"
    if response.status_code != 200:
        return len(seen), response.status_code, f"HTTP {response.status_code} in process"
    return len(seen), 200, ""


def _profiled(client, path: str, requests: int) -> cProfile.Profile:
    """``requests`` in-process requests under cProfile, after a collection and one warm-up request."""
    settle_garbage()
    _get(client, path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        _get(client, path)
    profiler.disable()
    return profiler


def profile_page(app, client, path: str, requests: int = 100) -> str:
    """cProfile of ``requests`` in-process requests: the top of the cumulative listing."""
    out = io.StringIO()
    stats = pstats.Stats(_profiled(client, path, requests), stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(40)
    return out.getvalue()


def _get(client, path: str):
    """One in-process GET, its body read to the end: an export streams its rows (and runs its
    statements) only as the body is read."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


# --- where the time goes, in process -------------------------------------------------------------

# Where a profiled request's own time (cProfile's tottime) is spent, by the file its code lives in. The
# first prefix that a file's path contains names its layer; the rest is Python's own library and
# built-in calls.
LAYERS = (
    ("PostgreSQL wait", ("/psycopg/", "/psycopg_binary/")),
    ("SQLAlchemy", ("/sqlalchemy/",)),
    (
        "Flask",
        (
            "/flask/",
            "/werkzeug/",
            "/flask_login/",
            "/flask_wtf/",
            "/wtforms/",
            "/itsdangerous/",
            "/flask_limiter/",
            "/limits/",
            "/blinker/",
        ),
    ),
    ("Jinja", ("/jinja2/", "/markupsafe/", "/jinja2_fragments/", f"{ROOT}/templates/")),
    ("app", (f"{ROOT}/partnership_hub/",)),
)
LAYER_NAMES = [name for name, _ in LAYERS] + ["stdlib"]
# Whose cumulative time is the page's own, or its template's: a view, the render helper.
WRAPPERS = ("views.py", "/web/htmx.py")
SIGNED_IN_FLOOR = "workspace.profile"  # the cheapest full page a signed-in member sees: what every page pays


def _layer(filename: str) -> str:
    return next((name for name, parts in LAYERS if any(part in filename for part in parts)), "stdlib")


@dataclass
class Profile:
    """A page's profile in process: each layer's share of the time, and the app's heaviest functions."""

    shares: dict[str, float]
    top: list[tuple[str, float]]  # (function, cumulative ms per request under the profiler), the app's own

    def cells(self) -> list[str]:
        return [f"{self.shares.get(name, 0.0):.0%}" for name in LAYER_NAMES]


def layer_profile(client, path: str, requests: int = 10) -> Profile:
    """cProfile ``requests`` in-process requests and sum each function's own time by layer (``LAYERS``).
    The profiler slows Python calls more than C's, so read the shares, not the milliseconds."""
    stats = pstats.Stats(_profiled(client, path, requests)).stats  # type: ignore[attr-defined]  # its table
    by_layer: dict[str, float] = dict.fromkeys(LAYER_NAMES, 0.0)
    total = 0.0
    app_functions = []
    for (filename, line, function), (_cc, _nc, own, cumulative, _callers) in stats.items():
        layer = _layer(filename)
        by_layer[layer] += own
        total += own
        if layer == "app" and not filename.endswith(WRAPPERS):
            app_functions.append((f"{Path(filename).relative_to(ROOT)}:{line} {function}", cumulative))
    app_functions.sort(key=lambda item: -item[1])
    ms = 1000 / requests
    return Profile(
        {name: value / total for name, value in by_layer.items()} if total else {},
        [(name, seconds * ms) for name, seconds in app_functions[:3]],
    )


# --- every read's plan at the large partnership ---------------------------------------------------

BIG_TABLE_ROWS = 20_000  # a sequential scan of a table over this many rows is reported
WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


@dataclass
class Plan:
    """One read of a page's request, as PostgreSQL planned and ran it (EXPLAIN ANALYZE)."""

    rule: str
    statement: str  # its SQL, whitespace folded
    planning_ms: float
    execution_ms: float
    seq_scans: list[tuple[str, int]]  # (table, rows it returned) of tables over BIG_TABLE_ROWS rows
    export: bool = False


def big_tables(database: Database) -> set[str]:
    with admin_connect(database.name) as conn:
        rows = conn.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", (BIG_TABLE_ROWS,))
        return {name for (name,) in rows}


def seq_scans(plan: dict, big: set[str]) -> list[tuple[str, int]]:
    """The sequential scans of ``big`` tables anywhere in a JSON plan: (table, rows they returned in all)."""
    scans, stack = [], [plan]
    while stack:
        node = stack.pop()
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in big:
            scans.append((node["Relation Name"], int(node.get("Actual Rows", 0) * node.get("Actual Loops", 1))))
        stack.extend(node.get("Plans", []))
    return scans


def explain_page(app, client, page: Page, path: str, big: set[str]) -> list[Plan]:
    """EXPLAIN ANALYZE every read one in-process request of ``path`` sends, right after it and inside the
    same request: on its connection, in its transaction, under its row-level-security settings, with its
    bound values. A statement that writes (the access log's INSERT ... SELECT) is not run twice."""
    from sqlalchemy import event

    from partnership_hub.extensions import db

    with app.app_context():
        engine = db.engine
    plans: list[Plan] = []

    def explain(conn, cursor, statement, parameters, context, executemany):
        if executemany or WRITES.search(statement) or not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            return
        with conn.connection.dbapi_connection.cursor() as own:
            own.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
            [found] = own.fetchone()[0]
        plans.append(
            Plan(
                page.rule,
                " ".join(statement.split()),
                found["Planning Time"],
                found["Execution Time"],
                seq_scans(found["Plan"], big),
                page.kind == "export",
            )
        )

    event.listen(engine, "after_cursor_execute", explain)
    try:
        _get(client, path)
    finally:
        event.remove(engine, "after_cursor_execute", explain)
    return plans


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _short(rule: str) -> str:
    return rule.removeprefix("/p/<slug>")


def plans_summary(plans: list[Plan]) -> str:
    """One line: how much of the reads' time is planning, the slowest page read, the big tables scanned."""
    if not plans:
        return ""
    pages = [plan for plan in plans if not plan.export]
    slowest = max(pages, key=lambda plan: plan.execution_ms, default=None)
    scans = sorted({f"`{_short(plan.rule)}` ({table})" for plan in plans for table, _ in plan.seq_scans})
    page_scans = [plan for plan in pages if plan.seq_scans]
    return (
        f"- Plans: every read of every measured page at the large partnership, EXPLAIN ANALYZEd inside its request "
        f"({len(plans)} statements on {_count(len({plan.rule for plan in plans}), 'page')}): pages' reads took "
        f"{sum(p.planning_ms for p in pages):.0f} ms to plan and {sum(p.execution_ms for p in pages):.0f} ms to run "
        f"in all (exports' {sum(p.planning_ms for p in plans if p.export):.0f} and "
        f"{sum(p.execution_ms for p in plans if p.export):.0f} ms)"
        + (f"; the slowest page read ran {slowest.execution_ms:.1f} ms (`{_short(slowest.rule)}`)" if slowest else "")
        + f". Sequential scans of tables over {BIG_TABLE_ROWS:,} rows: "
        + (", ".join(scans) if scans else "none")
        + ("" if page_scans or not scans else " (exports only: a file of every row)")
        + "."
    )


def plans_table(plans: list[Plan], rows: int = 12) -> str:
    """The slowest reads of pages (exports left out: they read every row by design), planning and running."""
    pages = [plan for plan in plans if not plan.export]
    lines = ["| page | planning (ms) | execution (ms) | statement |", "| --- | ---: | ---: | --- |"]
    for plan in sorted(pages, key=lambda plan: -(plan.planning_ms + plan.execution_ms))[:rows]:
        lines.append(
            f"| `{_short(plan.rule)}` | {plan.planning_ms:.2f} | {plan.execution_ms:.2f} "
            f"| `{plan.statement[:90].replace('|', '/')}…` |"
        )
    return "\n".join(lines)


def settle_garbage() -> None:
    """Collect every generation now, outside any timing. By the time the in-process timings start, the
    bench's process holds some 450,000 objects (two passes over every page at three sizes: compiled
    statements and templates, the areas' kept rules). Python's full collection walks all of them, ~0.1-0.5 s,
    and runs once enough objects have survived since the last one: the same point in every run with the
    same pages, inside whichever page's 20 requests it falls in, mostly while a template renders (the
    render allocates the most). The year calendar showed 23 ms of "templates" a request in two full runs
    that way, against 2-3 ms timed alone. After a full collection nothing is pending, and one page's
    requests do not leave enough behind to bring the next."""
    gc.collect()


@dataclass
class Split:
    """One page's mean in-process time per request at the large partnership, and where it goes."""

    requests: int
    total_ms: float
    sql_ms: float  # each cursor's execute (and a server-side cursor's fetches): PostgreSQL + the round trip
    template_ms: float  # inside the outermost template render, SQL run from the template left out

    @property
    def python_ms(self) -> float:
        """The rest: Flask and the test client, the session, building and compiling statements,
        loading ORM rows, forms, policies."""
        return max(0.0, self.total_ms - self.sql_ms - self.template_ms)


class Clocks:
    """Seconds spent running SQL and rendering templates while ``clocks()`` has them installed."""

    def __init__(self) -> None:
        self.sql = 0.0
        self.templates = 0.0
        self.statements = 0
        self._started: list[float] = []  # a stack: nothing nests today, but a listener must not assume it
        self._rendering = False

    def reset(self) -> None:
        self.sql = self.templates = 0.0
        self.statements = 0

    def before_cursor_execute(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self._started.append(time.perf_counter())

    def after_cursor_execute(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self._started:
            self.sql += time.perf_counter() - self._started.pop()
            self.statements += 1

    def timed_fetch(self, fetch):
        """``fetch`` (a server-side cursor's: an export streaming with ``yield_per``) counted into ``sql``:
        its rows come from PostgreSQL after the execute returned."""

        @functools.wraps(fetch)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fetch(*args, **kwargs)
            finally:
                self.sql += time.perf_counter() - start

        return wrapper

    def timed_render(self, render):
        """``render`` counted into ``templates``: only the outermost call (a template can render
        another), less the SQL the template's own calls ran."""

        @functools.wraps(render)
        def wrapper(*args, **kwargs):
            if self._rendering:
                return render(*args, **kwargs)
            self._rendering = True
            start, sql_before = time.perf_counter(), self.sql
            try:
                return render(*args, **kwargs)
            finally:
                self._rendering = False
                self.templates += (time.perf_counter() - start) - (self.sql - sql_before)

        return wrapper


def _render_functions() -> list[tuple[object, str]]:
    """Where templates are rendered: ``jinja2.Template.render`` (``render_template``, every full page)
    and jinja2-fragments' block renders (an htmx request's partial), which bypass it."""
    import jinja2

    found: list[tuple[object, str]] = [(jinja2.Template, "render")]
    with contextlib.suppress(ImportError):
        import jinja2_fragments.flask as fragments

        found += [(fragments, name) for name in ("_render_block", "_render_blocks") if hasattr(fragments, name)]
    return found


@contextlib.contextmanager
def clocks() -> Iterator[Clocks]:
    """Install the clocks (SQLAlchemy's cursor events on every engine, a wrapper around each render
    function and around a server-side cursor's fetches) and remove them on exit, whatever happens inside."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    found = Clocks()
    listeners = [
        ("before_cursor_execute", found.before_cursor_execute),
        ("after_cursor_execute", found.after_cursor_execute),
    ]
    wrapped = [(owner, name, found.timed_render) for owner, name in _render_functions()]
    wrapped += [(psycopg.ServerCursor, name, found.timed_fetch) for name in ("fetchone", "fetchmany", "fetchall")]
    originals = [(owner, name, getattr(owner, name), timed) for owner, name, timed in wrapped]
    try:
        for name, listener in listeners:
            event.listen(Engine, name, listener)
        for owner, name, original, timed in originals:
            setattr(owner, name, timed(original))
        yield found
    finally:
        for owner, name, original, _timed in originals:
            setattr(owner, name, original)
        for name, listener in listeners:
            if event.contains(Engine, name, listener):
                event.remove(Engine, name, listener)


def split_time(client, path: str, requests: int = 20, budget_s: float = 2.0) -> Split:
    """Time ``requests`` in-process requests after one warm-up, fewer when they take more than
    ``budget_s`` in all (at least one), and split their mean time into SQL, templates and Python.
    A warm-up slower than ``budget_s`` is the measurement: such a page is its work, not its caches.

    A full garbage collection first (``settle_garbage``), so no page is billed for one the pages before
    it made due."""
    settle_garbage()
    with clocks() as clock:
        start = time.perf_counter()
        _get(client, path)
        done, elapsed = 1, time.perf_counter() - start
        if elapsed < budget_s:
            clock.reset()
            done, start = 0, time.perf_counter()
            while done < requests and (not done or time.perf_counter() - start < budget_s):
                _get(client, path)
                done += 1
            elapsed = time.perf_counter() - start
    ms = 1000 / done
    return Split(done, elapsed * ms, clock.sql * ms, clock.templates * ms)


def profile_requests(split: Split, limits: tuple[int, float]) -> int:
    """As many profiled requests as fit the in-process budget (``limits``: requests, seconds) at twice
    the page's plain time (the profiler's overhead), at most half the timed requests, at least one."""
    requests, budget_s = limits
    return max(1, min(requests // 2, int(budget_s * 1000 / (2 * split.total_ms)) if split.total_ms else 1))


# --- reporting -----------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    if value == float("inf"):
        return "∞"
    return f"{value:.{digits}f}" if value >= 10 or digits else f"{value:.1f}"


def _rate(page: Page, size: str) -> str:
    load = page.load.get(size)
    if load is None:
        return "—"
    if load.requests:
        return _fmt(load.rps)
    return f"≈{_fmt(load.effective_rps, 2)} (one request {load.single_s:.1f} s)" if load.single_s else "0"


def evaluate(page: Page, floor: float) -> tuple[dict[str, float | None], list[str]]:
    small, large = page.load.get("small"), page.load.get("large")
    floor = page.floor or floor
    numbers: dict[str, float | None] = {"floor_ratio": None, "scaling": None, "full_scaling": None}
    misses = []
    if page.error:
        return numbers, [] if page.skipped else ["ERROR"]
    if large and floor:
        numbers["floor_ratio"] = large.effective_rps / floor
        if numbers["floor_ratio"] < page.floor_budget:
            misses.append(f"floor<{page.floor_budget}")
    if small and large and small.effective_rps:
        numbers["scaling"] = small.effective_rps / large.effective_rps if large.effective_rps else float("inf")
        if numbers["scaling"] > LARGE_OVER_SMALL:
            misses.append(f"large>{LARGE_OVER_SMALL}×")
    for size, load in (("small", small), ("large", large)):
        if load and not load.requests:
            misses.append(f"no {size} response within the run" + ("" if load.single_s else ", none within 120 s"))
    if len({page.statements.get(size) for size in page.statements}) > 1:
        misses.append("statements differ")
    full = page.load.get("full")
    if full and large and large.effective_rps:
        # Not a budget of its own: it says how much of a large/small miss is the page being fuller.
        numbers["full_scaling"] = full.effective_rps / large.effective_rps
    return numbers, misses


def _needs_full_page_run(page: Page) -> bool:
    """A page (not an export) slower at the large partnership than the budget allows: measured at the
    full-page partnership too, whose lists fill their first page as the large one's do."""
    small, large = page.load.get("small"), page.load.get("large")
    return (
        page.kind != "export"
        and small is not None
        and large is not None
        and large.effective_rps > 0
        and small.effective_rps / large.effective_rps > LARGE_OVER_SMALL
    )


@dataclass
class Results:
    pages: list[Page]
    floors: list[float]
    rss_app: dict[int, float]
    rss_floor: dict[int, float]
    restarted: bool
    machine: dict[str, str]
    command: str
    started: datetime
    seconds: float
    seed_summary: str
    duration: int
    peak_app: dict[int, float] = field(default_factory=dict)
    split: tuple[int, float] = SPLIT  # the in-process timing's requests and seconds per page
    plans: list[Plan] = field(default_factory=list)  # every page's reads at the large partnership

    @property
    def floor(self) -> float:
        return sum(self.floors) / len(self.floors) if self.floors else 0.0


def table(results: Results) -> str:
    lines = [
        "| page | req/s small | req/s large | p95 small (ms) | p95 large (ms) | SQL small | SQL large "
        "| in process (ms) | SQL (ms) | templates (ms) | Python (ms) "
        "| × floor (large) | large/small time | large/full-page time | misses |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page in results.pages:
        numbers, misses = evaluate(page, results.floor)
        small, large = page.load.get("small", Load()), page.load.get("large", Load())
        note = ", ".join(misses)
        if page.error:
            note = page.error if page.skipped else f"ERROR: {page.error}"
        name = f"`{_short(page.rule)}`" + (" (export)" if page.kind == "export" else "")
        split = page.split
        in_process = [split.total_ms, split.sql_ms, split.template_ms, split.python_ms] if split else [None] * 4
        lines.append(
            f"| {name} | {_rate(page, 'small')} | {_rate(page, 'large')} "
            f"| {_fmt(small.p95_ms if small.requests else None, 1)} "
            f"| {_fmt(large.p95_ms if large.requests else None, 1)} "
            f"| {page.statements.get('small', '—')} | {page.statements.get('large', '—')} "
            f"| {' | '.join(_fmt(ms, 1) for ms in in_process)} "
            f"| {_fmt(numbers['floor_ratio'], 3)} | {_fmt(numbers['scaling'], 2)} "
            f"| {_fmt(numbers['full_scaling'], 2)} | {note.replace('|', '/')} |"
        )
    return "\n".join(lines)


def profile_table(results: Results) -> str:
    """Every measured page's profile at the large partnership: where its time goes, by layer."""
    lines = [
        f"| page | in process (ms) | {' | '.join(LAYER_NAMES)} | the app's heaviest calls (cumulative ms, profiled) |",
        "| --- | ---: | " + " | ".join("---:" for _ in LAYER_NAMES) + " | --- |",
    ]
    for page in results.pages:
        if page.error or not page.profile or not page.split:
            continue
        heaviest = "; ".join(f"`{name}` {ms:.1f}" for name, ms in page.profile.top) or "—"
        lines.append(
            f"| `{_short(page.rule)}` | {page.split.total_ms:.1f} | {' | '.join(page.profile.cells())} | {heaviest} |"
        )
    return "\n".join(lines)


def signed_in_floor(results: Results) -> str:
    """What every signed-in page pays before its own work: the cheapest full page's time and profile."""
    page = next((p for p in results.pages if p.endpoint == SIGNED_IN_FLOOR and p.split and p.profile), None)
    if page is None or page.split is None or page.profile is None:
        return ""
    numbers, _ = evaluate(page, results.floor)
    shares = ", ".join(f"{name} {share:.0%}" for name, share in page.profile.shares.items() if share >= 0.01)
    ratio = _fmt(numbers["floor_ratio"], 3)
    return (
        f"- The signed-in floor: `{_short(page.rule)}`, the cheapest full page a member sees "
        f"(the session, the membership, the layout and its navigation, two statements), is {ratio}× the floor: "
        f"{page.split.total_ms:.1f} ms in process (SQL {page.split.sql_ms:.1f}, templates "
        f"{page.split.template_ms:.1f}, Python {page.split.python_ms:.1f}); profiled: {shares}. Every page "
        f"pays this before its own work."
    )


@dataclass
class Verdicts:
    """The measured pages sorted by what each budget found (``evaluate``)."""

    floor_met: list[Page] = field(default_factory=list)
    floor_ratios: list[float] = field(default_factory=list)
    exports: list[Page] = field(default_factory=list)  # miss large/small: a file of every row
    fuller: list[Page] = field(default_factory=list)  # miss large/small, within it against the full page
    slower: list[Page] = field(default_factory=list)  # miss large/small, and against the full page too
    statements_differ: list[Page] = field(default_factory=list)


def verdicts(results: Results) -> Verdicts:
    found = Verdicts()
    for page in results.pages:
        if page.error:
            continue
        numbers, misses = evaluate(page, results.floor)
        ratio, full = numbers["floor_ratio"], numbers["full_scaling"]
        if ratio is not None:
            found.floor_ratios.append(ratio)
            if ratio >= page.floor_budget:
                found.floor_met.append(page)
        if "statements differ" in misses:
            found.statements_differ.append(page)
        if f"large>{LARGE_OVER_SMALL}×" not in misses:
            continue
        if page.kind == "export":
            found.exports.append(page)
        elif full is not None and full <= LARGE_OVER_SMALL:
            found.fuller.append(page)
        else:
            found.slower.append(page)
    return found


def _names(pages: list[Page]) -> str:
    return ", ".join(f"`{_short(page.rule)}`" for page in pages) or "none"


def budget_lines(results: Results) -> list[str]:
    """Each budget's verdict over the measured pages, a large/small miss sorted by its cause."""
    found = verdicts(results)
    ratios = sorted(found.floor_ratios)
    if not ratios:
        return []
    median = ratios[len(ratios) // 2]
    missed = len(found.exports) + len(found.fuller) + len(found.slower)
    return [
        f"- × floor: {len(found.floor_met)} of {len(ratios)} pages meet their budget; the median page is "
        f"{median:.2f}× the floor.",
        f"- large/small ≤ {LARGE_OVER_SMALL}: {missed} pages miss it. Exports ({len(found.exports)}: a file of every "
        f"row, as long as the partnership's lists): {_names(found.exports)}. Fuller, not slower ({len(found.fuller)}: "
        f"within {LARGE_OVER_SMALL}× of the full-page copy, whose lists fill their first page): "
        f"{_names(found.fuller)}. Slower against the full page too ({len(found.slower)}): {_names(found.slower)}.",
        "- Same statement count at both sizes: "
        + ("every page." if not found.statements_differ else f"not {_names(found.statements_differ)}."),
    ]


def summary(results: Results) -> str:
    peak_app = max(results.rss_app.values(), default=0.0)
    peak_floor = max(results.rss_floor.values(), default=0.0)
    measured = [p for p in results.pages if not p.error]
    skipped = [p for p in results.pages if p.skipped]
    missing = [p for p in results.pages if evaluate(p, results.floor)[1]]
    rss_note = "within" if peak_app < RSS_LIMIT_MB else "OVER"
    hwm = ", ".join(f"{v:.0f}" for v in results.peak_app.values()) or "—"
    lines = [
        f"- Floor (one primary-key query + a small template): "
        f"{' / '.join(f'{f:.0f}' for f in results.floors)} req/s "
        f"(start / end of the run, {results.duration} s each), "
        f"mean {results.floor:.0f} req/s; each page's ratio uses a {max(1, results.duration // 2)} s floor run "
        f"made right before it ({_spread([p.floor for p in results.pages if p.floor])}).",
        f"- Web workers' resident memory (VmRSS) after the run: app "
        f"{', '.join(f'{v:.0f}' for v in results.rss_app.values()) or '—'} MB "
        f"({rss_note} the {RSS_LIMIT_MB} MB budget); floor {peak_floor:.0f} MB. Peak during the run "
        f"(VmHWM): app {hwm} MB — it includes each sign-in's Argon2id hash, which takes 64 MiB "
        f"for a moment (RFC 9106's profile) and gives it back."
        + (" A worker was restarted during the run (timeout or crash)." if results.restarted else ""),
        f"- {len(results.pages)} pages, {len(measured)} measured, {len(skipped)} redirects, "
        f"{len(results.pages) - len(measured) - len(skipped)} errors; "
        f"{len(missing)} miss at least one budget.",
    ]
    floor_line = signed_in_floor(results)
    if floor_line:
        lines.append(floor_line)
    lines.extend(budget_lines(results))
    if results.plans:
        lines.append(plans_summary(results.plans))
    split = [p.split for p in results.pages if p.split and not p.error]
    total = sum(s.total_ms for s in split)
    if total:
        shares = (sum(s.sql_ms for s in split), sum(s.template_ms for s in split), sum(s.python_ms for s in split))
        lines.append(
            f"- In process at the large partnership, over the {len(split)} measured pages: SQL "
            f"{shares[0] / total:.0%}, templates {shares[1] / total:.0%}, Python {shares[2] / total:.0%} of the time."
        )
    return "\n".join(lines)


def markdown(results: Results) -> str:
    m = results.machine
    return f"""{START_MARK}
## Latest results

- Date: {results.started:%Y-%m-%d %H:%M} UTC ({results.seconds / 60:.0f} minutes in all)
- Command: `{results.command}`
- Machine: {m["cpus"]} CPUs ({m["cpu"]}), {m["memory"]} memory, {m["os"]}; PostgreSQL {m["postgres"]} on loopback;
  load average {m["load_start"]} at the start, {m["load_end"]} at the end;
  Python {m["python"]}; gunicorn {WORKERS} sync workers per app;
  `wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{results.duration}s` per page and partnership
  (wrk, gunicorn, PostgreSQL and the apps share the machine).
- Data: {results.seed_summary}

{summary(results)}

Budgets: × floor (large) ≥ {FLOOR_RATIO} (home and goals overview ≥ 0.5); large/small time ≤ {LARGE_OVER_SMALL};
the same SQL statement count for both; worker RSS < {RSS_LIMIT_MB} MB. "× floor" is the page's requests/s at the
large partnership over the floor's; "large/small time" is the small partnership's requests/s over the large one's.
"large/full-page time" (pages that miss large/small only) compares the large partnership with a demo copy grown
just enough to fill each list's first page ({FULL_PAGE_NOTE}): near 1 means the miss is the page
being fuller, not the partnership being bigger.
Statements are counted in process (second request, the session loading included, an export's body read).
"in process" is the page's mean time per request at the large partnership in the bench's own copy of the app
(Flask's test client, no gunicorn, no HTTP; up to {results.split[0]} requests after a warm-up, fewer for a slow
page: about {results.split[1]:.0f} s a page), split into "SQL" (each statement from the cursor's execute to its
return, and a streaming export's fetches: PostgreSQL's planning and execution and the loopback round trip),
"templates" (inside the outermost Jinja render, an htmx block's too, less any SQL a template ran; the helpers a
template calls count here) and "Python" (the rest: Flask, the session, forms and policies, building and compiling
statements, loading ORM rows, writing an export's CSV).

{table(results)}

### Where each page's time goes (profiled, large partnership)

Each page's requests in process under cProfile (up to {results.split[0] // 2}), every function's own time
summed by the layer its code belongs to: "PostgreSQL wait" is psycopg (sending statements and waiting for
their rows), "Flask" is Flask, Werkzeug, Flask-Login, Flask-WTF and WTForms, "Jinja" is Jinja, MarkupSafe
and the compiled templates, "app" is `partnership_hub/`, "stdlib" is Python's library and built-ins. The
profiler slows Python calls more than C calls, so the shares lean towards Python. The last column names the
app's three heaviest functions outside the views and the render helper (cumulative, under the profiler).

{profile_table(results)}

### The slowest reads of pages (large partnership, EXPLAIN ANALYZE inside the request)

PostgreSQL's own planning and execution times, without the round trip; exports are left out (they read
every row of what they export). Each statement is planned for its own values (`plan_cache_mode` is
`force_custom_plan`, config.py), so planning is paid on every request.

{plans_table(results.plans) if results.plans else "(not measured in this run)"}
{END_MARK}
"""


INTRO = """# Performance

Measured by `bench/pages.py` (see its docstring, and issue #8 for the targets). Run it with

    .venv/bin/python bench/pages.py            # full: about 20 minutes on 2 cores
    .venv/bin/python bench/pages.py --quick    # sanity check: smaller data, 2 s per page, prints only

The section between the `bench:results` markers is rewritten by every full run; everything outside
it (analysis, profiles) is kept.

"""


def write_document(path: Path, results: Results) -> None:
    block = markdown(results)
    if path.exists():
        current = path.read_text()
        if START_MARK in current and END_MARK in current:
            before, rest = current.split(START_MARK, 1)
            after = rest.split(END_MARK, 1)[1]
            path.write_text(before + block.rstrip("\n") + after)
            return
        path.write_text(current.rstrip("\n") + "\n\n" + block)
        return
    path.write_text(INTRO + block)


def machine(postgres: str, load_start: str) -> dict[str, str]:
    memory = "?"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(terse=True),
        "postgres": postgres,
        "python": platform.python_version(),
        "load_start": load_start,
        "load_end": loadavg(),
    }


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _spread(values: list[float]) -> str:
    if not values:
        return "none"
    return f"{min(values):.0f}–{max(values):.0f} req/s"


# --- the run -------------------------------------------------------------------------------------


def _on_signal(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=None, help="seconds of wrk per page (5; 2 with --quick)")
    parser.add_argument("--quick", action="store_true", help="smaller data, 2 s per page, print only")
    parser.add_argument("--pages", default="", help="only pages whose rule matches this regular expression")
    parser.add_argument("--output", type=Path, default=None, help=f"markdown file (default {DEFAULT_OUTPUT})")
    parser.add_argument("--profile", default="", help="cProfile these endpoints (comma-separated; large, in process)")
    parser.add_argument("--deadline", type=float, default=60, help="give up after this many minutes (60)")
    parser.add_argument(
        "--keep",
        metavar="DBNAME",
        default="",
        help="only build and seed database DBNAME (replacing it) and keep it, for EXPLAIN ANALYZE; no load is run",
    )
    args = parser.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.WARNING)  # before create_app's INFO default: keep the output readable
    duration = args.duration or (2 if args.quick else 5)
    output = args.output or (None if args.quick else DEFAULT_OUTPUT)
    small_count, scale = (100, 0.1) if args.quick else (1000, 1.0)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_signal)
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(BenchError("deadline reached")))
    signal.alarm(int(args.deadline * 60))

    started = datetime.now(UTC)
    load_start = loadavg()
    clock = time.monotonic()
    tag = f"{os.getpid()}_{int(time.time())}"
    database = Database(name=f"ph_bench_{tag}", role=f"ph_bench_app_{tag}", password=secrets.token_hex(16))
    if args.keep:
        database = Database(name=args.keep, role=f"{args.keep}_app", password="bench")  # noqa: S106 -- a local throwaway role, printed for psql
        database.created = True
        database.drop()
    servers: list[Server] = []
    logdir = Path(tempfile.mkdtemp(prefix="ph_bench_"))
    try:
        wrk = "" if args.keep else ensure_wrk()
        postgres = database.create()
        log(f"database {database.name} on PostgreSQL {postgres}")
        env = app_env(database, secrets.token_urlsafe(48))
        build_schema(database, env)
        log("schema built by the migrations; app role provisioned")

        from seed_large import seed

        log(f"seeding {small_count} demo-sized partnerships and one large one (scale {scale}) ...")
        seeded = seed(database.owner_url, small_count=small_count, scale=scale, log=log)
        log(f"seeded in {seeded.seconds:.0f}s")
        rows = seeded.rows
        seed_summary = (
            f"{seeded.partnerships} partnerships ({small_count} the size of the demo, one large); "
            f"{rows.get('users', 0):,} users, {rows.get('memberships', 0):,} memberships, "
            f"{rows.get('invitations', 0):,} invitations, {rows.get('organizations', 0):,} organizations, "
            f"{rows.get('goals', 0):,} goals, {rows.get('objectives', 0):,} objectives, "
            f"{rows.get('progress_updates', 0):,} progress updates, {rows.get('action_items', 0):,} action items, "
            f"{rows.get('audit_entries', 0):,} audit entries in all; seeded in {seeded.seconds:.0f} s."
        )

        if args.keep:
            with admin_connect(database.name) as conn:
                conn.execute("ANALYZE")
            print(f"kept database {database.name}: psql -h {PG_HOST} -U {PG_ADMIN} {database.name}")
            print(f"  app role:  DATABASE_URL={database.app_url}")
            print(f"  small: /p/{seeded.small_slug}/ as {seeded.small_coordinator}")
            print(f"  large: /p/{seeded.large_slug}/ as {seeded.large_coordinator} (password {seeded.password})")
            print(f"  full page: /p/{seeded.full_page_slug}/ as {seeded.full_page_coordinator}")
            return 0

        with admin_connect(database.name) as conn:
            ids = {
                size: conn.execute("SELECT id FROM partnerships WHERE slug = %s", (slug,)).fetchone()[0]
                for size, slug in (
                    ("small", seeded.small_slug),
                    ("large", seeded.large_slug),
                    ("full", seeded.full_page_slug),
                )
            }
        # The web tier's own gunicorn settings (partnership_hub/web/gunicorn_conf.py), less recycling: the
        # budget is the memory of a worker that has served every page.
        app_server = Server(
            "app",
            "partnership_hub:create_app()",
            env,
            ROOT,
            options=("-c", "python:partnership_hub.web.gunicorn_conf", "--max-requests", "0"),
        )
        floor_server = Server("floor", "floor_app:create_app()", {**env, "FLOOR_RECORD_ID": str(ids["large"])}, BENCH)
        servers = [app_server, floor_server]
        for server in servers:
            server.start(logdir)
        log(f"gunicorn: app on :{app_server.port}, floor on :{floor_server.port} ({WORKERS} sync workers each)")

        cookies = {
            "small": sign_in(app_server.port, seeded.small_coordinator, seeded.password),
            "large": sign_in(app_server.port, seeded.large_coordinator, seeded.password),
            "full": sign_in(app_server.port, seeded.full_page_coordinator, seeded.password),
        }
        # Pages an area opens only to the people it admitted (the advisory board's restricted area and the
        # chair's pages) are measured as the demo board's chair in each copy; every other page as the
        # coordinator, who is not on the board.
        chair_cookies = {
            size: sign_in(app_server.port, email.replace("coordinator@", f"{BOARD_CHAIR}@", 1), seeded.password)
            for size, email in (
                ("small", seeded.small_coordinator),
                ("large", seeded.large_coordinator),
                ("full", seeded.full_page_coordinator),
            )
        }
        log(f"signed in as {seeded.small_coordinator} and {seeded.large_coordinator} (and each board's chair)")

        # The same app, in process, for the URL map and the statement counts (same cookie, same key).
        from partnership_hub import create_app
        from partnership_hub.config import load_config

        app = create_app(load_config(env))
        clients, chair_clients = {}, {}
        for size in cookies:
            clients[size], chair_clients[size] = app.test_client(), app.test_client()
            for client, cookie in ((clients[size], cookies[size]), (chair_clients[size], chair_cookies[size])):
                for name, value in (c.split("=", 1) for c in cookie.split("; ")):
                    client.set_cookie(name, value)

        pages = workspace_pages(app)
        if args.pages:
            pages = [p for p in pages if re.search(args.pages, p.rule)]
        from partnership_hub import areas

        gated = [pattern for area in areas.installed() for pattern in area.admitted_only]
        for page in pages:
            page.as_chair = any(
                page.endpoint.startswith(p[:-1]) if p.endswith("*") else page.endpoint == p for p in gated
            )

        def cookie_for(page: Page, size: str) -> str:
            return (chair_cookies if page.as_chair else cookies)[size]

        def client_for(page: Page, size: str):
            return (chair_clients if page.as_chair else clients)[size]

        fill_paths(pages, database, ids, client_for)
        for page in pages:
            if page.error:
                continue
            for size in ("small", "large", "full"):
                count, _status, error = count_statements(app, client_for(page, size), page.paths[size])
                page.statements[size] = count
                if error and not page.error:
                    page.error = f"{size}: {error}"

        split_limits = SPLIT_QUICK if args.quick else SPLIT
        floors = [run_wrk(wrk, floor_server.port, "/", "", duration).rps]
        log(f"floor: {floors[0]:.0f} req/s")
        for n, page in enumerate(pages, 1):
            if page.error:
                log(f"[{n}/{len(pages)}] {page.rule}: ERROR {page.error}")
                continue
            refresh_statistics(database)
            try:  # in process while gunicorn is idle; another helper's half-finished edit must not stop the run
                page.split = split_time(client_for(page, "large"), page.paths["large"], *split_limits)
                page.profile = layer_profile(
                    client_for(page, "large"), page.paths["large"], profile_requests(page.split, split_limits)
                )
            except Exception as exc:
                log(f"  in-process timing failed: {type(exc).__name__}: {exc}"[:200])
            page.floor = run_wrk(wrk, floor_server.port, "/", "", max(1, duration // 2)).rps
            for size in ("small", "large", "full"):
                if size == "full" and not _needs_full_page_run(page):
                    continue
                try:
                    status, body = http_get(app_server.port, page.paths[size], cookie_for(page, size))
                except OSError as exc:
                    page.error = f"{size}: {exc}"
                    break
                if status != 200:
                    page.error = f"{size}: HTTP {status} from gunicorn"
                    break
                load = run_wrk(wrk, app_server.port, page.paths[size], cookie_for(page, size), duration)
                page.load[size] = load
                wait_idle(servers, database)
                if not load.requests and not load.errors:
                    load.single_s = time_one(app_server.port, page.paths[size], cookie_for(page, size))
                if load.errors:
                    page.error = f"{size}: {load.errors}"
                    break
            small, large = page.load.get("small", Load()), page.load.get("large", Load())
            split = page.split
            log(
                f"[{n}/{len(pages)}] {page.rule}: {small.rps:.0f} / {large.rps:.0f} req/s (floor {page.floor:.0f}), "
                f"p95 {small.p95_ms:.0f} / {large.p95_ms:.0f} ms, SQL {page.statements.get('small')} / "
                f"{page.statements.get('large')}"
                + (
                    f"; in process {split.total_ms:.1f} ms = SQL {split.sql_ms:.1f} + templates "
                    f"{split.template_ms:.1f} + Python {split.python_ms:.1f}"
                    if split
                    else ""
                )
                + (f"  ERROR {page.error}" if page.error else "")
            )
        floors.append(run_wrk(wrk, floor_server.port, "/", "", duration).rps)
        log(f"floor: {floors[1]:.0f} req/s")

        refresh_statistics(database)
        big, plans = big_tables(database), []
        for page in pages:
            if page.error:
                continue
            try:
                plans.extend(explain_page(app, client_for(page, "large"), page, page.paths["large"], big))
            except Exception as exc:  # a plan the bench cannot read must not lose the run's results
                log(f"{page.rule}: EXPLAIN failed: {type(exc).__name__}: {exc}"[:200])
        log(plans_summary(plans))

        rss_app, rss_floor = app_server.rss_mb(), floor_server.rss_mb()
        peak_app = app_server.rss_mb("VmHWM")
        restarted = len(app_server.workers_seen) > WORKERS
        results = Results(
            pages=pages,
            floors=floors,
            rss_app=rss_app,
            rss_floor=rss_floor,
            peak_app=peak_app,
            restarted=restarted,
            machine=machine(postgres, load_start),
            command=f"{COMMAND} {shlex.join(sys.argv[1:] if argv is None else argv)}".strip(),
            started=started,
            seconds=time.monotonic() - clock,
            seed_summary=seed_summary,
            duration=duration,
            split=split_limits,
            plans=plans,
        )
        print()
        print(summary(results))
        print()
        print(table(results))
        if output:
            write_document(output, results)
            log(f"\nwrote {output}")

        for endpoint in filter(None, args.profile.split(",")):
            page = next((p for p in pages if p.endpoint == endpoint and p.paths.get("large")), None)
            if page is None:
                log(f"--profile: no measured page with endpoint {endpoint}")
                continue
            requests = 20
            log(f"\nprofile of {page.paths['large']} ({requests} requests in process):")
            print(profile_page(app, client_for(page, "large"), page.paths["large"], requests))
        return 0
    except BenchError as exc:
        log(f"bench: {exc}")
        return 1
    finally:
        signal.alarm(0)
        for server in servers:
            server.stop()
        if not args.keep:
            database.drop()  # WITH (FORCE): the in-process app's pooled connections do not hold it up
        if any(p.error and not p.skipped for p in locals().get("pages", [])):
            log(f"gunicorn logs kept in {logdir}")
        else:
            shutil.rmtree(logdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
