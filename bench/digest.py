"""Digest benchmark (issue #15): build and deliver every coordinator digest of 2,000 partnerships through
the real Celery worker to a local SMTP sink, next to a bare smtplib loop sending the same messages.

    .venv/bin/python bench/digest.py [--quick] [--partnerships 2000] [--concurrency 2]
                                     [--all-planners] [--output docs/PERFORMANCE.md]

What a run does (all on loopback, bounded in time, everything it starts is stopped on exit):

1. creates a throwaway PostgreSQL database and app role (as ``bench/pages.py`` does) and builds the
   schema with the real migrations;
2. seeds ``--partnerships`` partnerships in bulk (``bench/seed_large.py``: the demo partnership through
   the services once, then COPYs of it: eight people, meetings with agendas and RSVPs, action items,
   goals with objectives and progress, disputes, agreements, funding deadlines, awareness days...), with
   five coordinators in each (10,000 at full size) whose weekly digest is due (the partnership's digest
   day and hour set to Monday 00:00, so the current week's digest is due whenever the run happens);
3. starts its own redis-server, an aiosmtpd sink in a subprocess (it appends every message it accepts to
   a spool file, with the time it accepted it) and the worker as production runs it,
   ``celery -A worker:celery worker --concurrency 2`` (prefork), with ``MAIL_BACKEND=smtp`` to the sink;
4. **priming** (not timed): a planning run with every digest off, delivered into the development
   mailbox, so that the other areas' notices due in the seeded data (deadlines, awareness days...) are
   told before the timed run — which is then the steady state of a digest hour;
   **the pipeline**: sends ``notifications.plan`` (what beat sends every five minutes) and waits until
   the sink holds every digest the planners queued. ``plan`` shares the partnerships out among the
   worker processes (``notifications.plan_partnerships``, ``PLAN_SHARE`` each); every area's
   ``notice_planner`` runs per partnership (the digests come from the notifications area's), each
   partnership's commit hands its digests to delivery in a batch, delivered over the process's SMTP
   connection. Timed from the moment the task is sent to the last digest the sink accepted. The timed
   run's worker plans digests only (``DIGESTS_ONLY_WORKER``: the other areas' planners, with nothing due
   after priming, are the beat's fixed cost, not the digests'); ``--all-planners`` times the whole beat;
5. **the bare loop**: the same number of messages — the very bytes the sink received, read back from its
   spool — sent again to the same sink by one ``smtplib`` connection in a loop, timed the same way;
6. prints messages/s of both and their ratio (target: the pipeline at least half the bare rate), checks
   that every digest arrived once (one Message-ID per deduplication key) and nothing is left pending, and
   with ``--output`` writes the result into the document between the ``digest:results`` markers.

``--quick``: 100 partnerships (500 coordinators). The run fails with a clear message when the planners
queued no digest (the digest builder not installed).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import pages  # noqa: E402 - the page benchmark's throwaway database and helpers
from faults import RedisServer  # noqa: E402 - a redis-server of the run's own
from pages import BenchError, Database, admin_connect, build_schema, free_port, log  # noqa: E402

from partnership_hub.notifications.tasks import PLAN_SHARE  # noqa: E402

COMMAND = ".venv/bin/python bench/digest.py"
START_MARK, END_MARK = "<!-- digest:results:start -->", "<!-- digest:results:end -->"
TARGET_RATIO = 0.5
COORDINATORS_PER_PARTNERSHIP = 5
# The demo's people made coordinators, on top of its two (Dana Whitfield and Luis Ortega).
PROMOTED = ("priya.raman", "marcus.bell", "helen.cho")
DIGEST_KIND = "digest"
SECTION_TITLE = "## Digest delivery"
SHARE_DONE = re.compile(r"Task notifications\.plan_partnerships\[[^\]]+\] succeeded in [0-9.]+s: (\d+)")

# The sink: aiosmtpd in a process of its own (as a mail catcher is), appending every accepted message to
# ``spool`` and a line "<accepted at, ns since the epoch> <size> <recipient> <Message-ID>" to ``index``.
SINK = """\
import re, sys, time
from aiosmtpd.controller import Controller
port, spool, index = int(sys.argv[1]), open(sys.argv[2], "ab"), open(sys.argv[3], "a")
MESSAGE_ID = re.compile(rb"^Message-ID: *(\\S+)", re.MULTILINE | re.IGNORECASE)
class Handler:
    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        spool.write(content)
        spool.flush()
        found = MESSAGE_ID.search(content)
        message_id = found.group(1).decode() if found else "-"
        index.write(f"{time.time_ns()} {len(content)} {envelope.rcpt_tos[0]} {message_id}\\n")
        index.flush()
        return "250 Message accepted for delivery"
controller = Controller(Handler(), hostname="127.0.0.1", port=port, data_size_limit=None)
controller.start()
print("sink ready", flush=True)
sys.stdin.read()
controller.stop()
"""

# The timed run's worker with the digest planner only (unless ``--all-planners``): the production worker
# (``worker:celery``), with every other area's ``notice_planner`` left out of the planning beat. After
# priming those planners find nothing due, but they still cost their statements on every beat whether
# or not a digest is due (~50 ms per partnership): the beat's cost, not the digests'. Nothing else
# changes (the areas' digest contributions, mail rules and setup facts are all still there).
DIGESTS_ONLY_WORKER = """\
import dataclasses, functools, sys
from celery.bin.celery import main
from partnership_hub import areas
every = areas.installed()
areas.installed = functools.cache(lambda: tuple(
    area if area.name == "notifications" else dataclasses.replace(area, notice_planner=None) for area in every
))
sys.argv = ["celery", *sys.argv[1:]]
sys.exit(main())
"""


class Sink:
    """The SMTP sink subprocess and what it received."""

    def __init__(self, logdir: Path) -> None:
        self.port = free_port()
        self.spool = logdir / "sink.spool"
        self.index = logdir / "sink.index"
        self.process: subprocess.Popen | None = None
        self._read = 0
        self.entries: list[tuple[int, int, str, str]] = []  # (accepted at ns, size, recipient, Message-ID)

    def start(self) -> None:
        self.spool.write_bytes(b"")
        self.index.write_text("")
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            [sys.executable, "-c", SINK, str(self.port), str(self.spool), str(self.index)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != b"sink ready":
            raise BenchError("the SMTP sink did not start")

    def received(self) -> int:
        """How many messages the sink has accepted so far (reads what is new in its index)."""
        with self.index.open() as handle:
            handle.seek(self._read)
            chunk = handle.read()
        complete = chunk[: chunk.rfind("\n") + 1]
        self._read += len(complete.encode())
        for line in complete.splitlines():
            at, size, rcpt, message_id = line.split(" ", 3)
            self.entries.append((int(at), int(size), rcpt, message_id))
        return len(self.entries)

    def messages(self, positions: list[int]) -> list[tuple[str, bytes]]:
        """(recipient, bytes) of the accepted messages at ``positions`` (ascending), read from the spool."""
        offsets, offset = [], 0
        for _, size, _, _ in self.entries:
            offsets.append(offset)
            offset += size
        found = []
        with self.spool.open("rb") as handle:
            for n in positions:
                handle.seek(offsets[n])
                found.append((self.entries[n][2], handle.read(self.entries[n][1])))
        return found

    def stop(self) -> None:
        if self.process is not None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.close()
                self.process.wait(timeout=10)
            except (subprocess.TimeoutExpired, OSError):
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None


class Worker:
    """``celery -A worker:celery worker`` as production runs it (prefork, ``--concurrency``)."""

    def __init__(
        self, env: dict[str, str], logdir: Path, concurrency: int, name: str = "worker", digests_only: bool = False
    ) -> None:
        self.env, self.log_path, self.concurrency = env, logdir / f"{name}.log", concurrency
        self.digests_only = digests_only
        self.process: subprocess.Popen | None = None
        self._read = self._shares = self._queued = 0

    def start(self, timeout: float = 90) -> None:
        self._read = self._shares = self._queued = 0
        command = [
            sys.executable,
            *(["-c", DIGESTS_ONLY_WORKER] if self.digests_only else ["-m", "celery"]),
            "-A",
            "worker:celery",
            "worker",
            f"--concurrency={self.concurrency}",
            "--loglevel=INFO",
        ]
        with self.log_path.open("wb") as handle:
            self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
                command, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log_path.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise BenchError(f"the worker did not start:\n{self.log_path.read_text(errors='replace')[-3000:]}")

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace")

    def shares_done(self) -> tuple[int, int]:
        """(planning shares done, notices they queued), reading only what the log gained since last time."""
        with self.log_path.open("rb") as handle:
            handle.seek(self._read)
            chunk = handle.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self._read += len(complete)
        for found in SHARE_DONE.finditer(complete.decode(errors="replace")):
            self._shares += 1
            self._queued += int(found.group(1))
        return self._shares, self._queued

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)
        self.process = None


# --- the data ------------------------------------------------------------------------------------------


def seed(database: Database, partnerships: int) -> dict[str, int]:
    """``partnerships`` copies of the demo (the demo itself is the first), five coordinators each, and
    every partnership's weekly digest due (Monday 00:00, local). Returns row counts of what matters."""
    import seed_large
    from sqlalchemy import create_engine, text

    started = time.perf_counter()
    demo_id = seed_large._seed_demo(database.owner_url, log)
    engine = create_engine(database.owner_url)
    try:
        tables = seed_large._tables()
        copier = seed_large._Copier(engine, tables, demo_id)
        tags = [f"p{k}" for k in range(1, partnerships)]
        for start in range(0, len(tags), 100):
            copier.write(engine, tags[start : start + 100], first_index=start + 1)
        log(f"  {partnerships} partnerships written ({time.perf_counter() - started:.1f}s)")
        with engine.begin() as conn:
            seed_large._reset_sequences(conn, tables)
            promoted = " OR ".join(f"u.email LIKE '{local}@%'" for local in PROMOTED)
            conn.execute(
                text(
                    "UPDATE memberships m SET role = 'coordinator' FROM users u "  # noqa: S608 - our constants
                    f"WHERE u.id = m.user_id AND ({promoted})"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO notification_settings (partnership_id, reminder_offsets, digest_weekday, digest_hour,"
                    " updated_at) SELECT id, '1440 60', 0, 0, now() FROM partnerships"
                    " ON CONFLICT (partnership_id) DO UPDATE SET digest_weekday = 0, digest_hour = 0"
                )
            )
            # Digests off for the priming run (``prime``); the timed run turns them back on (the default).
            conn.execute(
                text(
                    "INSERT INTO notification_preferences (partnership_id, membership_id, email_off, app_off, digest,"
                    " member_digest, updated_at) SELECT partnership_id, id, '', '', 'off', false, now()"
                    " FROM memberships WHERE role = 'coordinator'"
                    " ON CONFLICT (membership_id) DO UPDATE SET digest = 'off'"
                )
            )
            # The demo seed's own mail (invitations) is not this run's.
            conn.execute(text("UPDATE outbox_messages SET status = 'sent'"))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        with engine.connect() as conn:
            counts = {
                name: conn.execute(text(sql)).scalar_one()
                for name, sql in {
                    "partnerships": "SELECT count(*) FROM partnerships",
                    "coordinators": "SELECT count(*) FROM memberships WHERE role = 'coordinator'",
                    "memberships": "SELECT count(*) FROM memberships",
                    "meetings": "SELECT count(*) FROM meetings",
                    "action items": "SELECT count(*) FROM action_items",
                    "goals": "SELECT count(*) FROM goals",
                }.items()
            }
    finally:
        engine.dispose()
    counts["seconds"] = round(time.perf_counter() - started)
    return counts


def outbox_counts(database: Database) -> dict[str, int]:
    """The digests' outbox rows by status."""
    with admin_connect(database.name) as conn:
        rows = conn.execute(
            "SELECT status, count(*) FROM outbox_messages WHERE kind = %s GROUP BY status", (DIGEST_KIND,)
        ).fetchall()
    return {status: count for status, count in rows}


def digest_keys(database: Database) -> dict[int, str]:
    """Outbox id -> deduplication key of every digest queued."""
    with admin_connect(database.name) as conn:
        rows = conn.execute("SELECT id, dedup_key FROM outbox_messages WHERE kind = %s", (DIGEST_KIND,)).fetchall()
    return dict(rows)


def outbox_id(message_id: str) -> int | None:
    found = re.match(r"<outbox-(\d+)\.", message_id)
    return int(found.group(1)) if found else None


# --- the two runs --------------------------------------------------------------------------------------


@dataclass
class Result:
    partnerships: int
    seeded: dict[str, int]
    messages: int = 0
    pipeline_s: float = 0.0
    planned_s: float | None = None
    bare_s: float = 0.0
    mean_size: int = 0
    facts: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def pipeline_rate(self) -> float:
        return self.messages / self.pipeline_s if self.pipeline_s else 0.0

    @property
    def bare_rate(self) -> float:
        return self.messages / self.bare_s if self.bare_s else 0.0

    @property
    def ratio(self) -> float:
        return self.pipeline_rate / self.bare_rate if self.bare_rate else 0.0


def send_plan(env: dict[str, str]) -> None:
    """Send ``notifications.plan`` to the run's broker, as beat does."""
    from partnership_hub import create_app
    from partnership_hub.config import load_config
    from partnership_hub.extensions import db
    from partnership_hub.tasks import dispatch

    app = create_app(load_config(env))
    with app.app_context():
        dispatch("notifications.plan")
        db.engine.dispose()


def prime(database: Database, env: dict[str, str], worker: Worker, shares: int) -> dict[str, int]:
    """A planning run with every digest off, delivered into the development mailbox (no SMTP): the other
    areas' notices due in the seeded data (deadlines, awareness days, ...) go out here, so that the timed
    run is the steady state of a digest hour — every other notice told already, the digests due."""
    worker.start()
    send_plan(env)
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        done, _ = worker.shares_done()
        if done >= shares:
            with admin_connect(database.name) as conn:
                pending = conn.execute("SELECT count(*) FROM outbox_messages WHERE status = 'pending'").fetchone()[0]
            if not pending:
                break
        time.sleep(0.5)
    else:
        raise BenchError("the priming run did not finish in time")
    worker.stop()
    with admin_connect(database.name) as conn:
        rows = conn.execute("SELECT kind, count(*) FROM outbox_messages GROUP BY kind ORDER BY kind").fetchall()
        conn.execute("SELECT set_config('app.outbox', 'deliver', false)")
        conn.execute("UPDATE notification_preferences SET digest = NULL WHERE digest = 'off'")
        # The outbox grew from nothing to tens of thousands of rows in the priming run: fresh statistics, as
        # autovacuum would have them by the next beat (stale ones make the planner scan it for each lookup).
        conn.execute("ANALYZE")
    return dict(rows)


def run_pipeline(
    result: Result, database: Database, env: dict[str, str], sink: Sink, worker: Worker, shares: int
) -> list[int]:
    """Send ``notifications.plan`` and wait for every digest it queued to reach the sink. Returns the
    positions of the digests among the messages the sink received."""
    worker.start()
    before = sink.received()
    started_ns = time.time_ns()
    send_plan(env)
    deadline = time.monotonic() + 3600
    keys: dict[int, str] | None = None
    while time.monotonic() < deadline:
        done, queued = worker.shares_done()
        if keys is None and done >= shares:
            result.planned_s = (time.time_ns() - started_ns) / 1e9
            keys = digest_keys(database)
            log(f"  the planners queued {queued} notices, {len(keys)} digests, in {result.planned_s:.1f}s")
            if not keys:
                raise BenchError(
                    "no digests were queued: the notifications area's notice_planner (the digest builder, "
                    "partnership_hub/notifications/digest.py) is not installed, or found nothing due"
                )
        if keys is not None:
            sink.received()
            arrived = sum(1 for entry in sink.entries[before:] if outbox_id(entry[3]) in keys)
            counts = outbox_counts(database)
            if not counts.get("pending") and arrived >= counts.get("sent", 0):
                break
        if worker.process is not None and worker.process.poll() is not None:
            raise BenchError("the worker exited:\n" + worker.log_text()[-3000:])
        time.sleep(0.2)
    else:
        raise BenchError(f"the digests did not all arrive in time: {outbox_counts(database)}")
    assert keys is not None
    sink.received()
    positions = [n for n, entry in enumerate(sink.entries) if n >= before and outbox_id(entry[3]) in keys]
    if not positions:
        raise BenchError("no digest reached the sink")
    digests = [sink.entries[n] for n in positions]
    result.messages = len(digests)
    result.pipeline_s = (digests[-1][0] - started_ns) / 1e9
    result.mean_size = sum(size for _, size, _, _ in digests) // len(digests)

    by_key: dict[str, set[str]] = {}
    for _, _, _, message_id in digests:
        by_key.setdefault(keys[outbox_id(message_id) or 0], set()).add(message_id)
    counts = outbox_counts(database)
    result.facts.update(
        {
            "digests queued": len(keys),
            "digests received": len(digests),
            "copies beyond one per digest": len(digests) - len(by_key),
            "other notices received": len(sink.entries) - before - len(digests),
            "digest outbox at the end": counts,
        }
    )
    if len(by_key) != len(keys) or any(len(ids) != 1 for ids in by_key.values()):
        result.problems.append("not every digest arrived exactly once (one Message-ID per deduplication key)")
    if counts.get("pending") or counts.get("failed"):
        result.problems.append(f"left in the outbox: {counts}")
    return positions


def run_bare(result: Result, sink: Sink, positions: list[int], sender: str) -> None:
    """The same messages (the bytes the sink received) sent again over one smtplib connection, in a loop."""
    messages = sink.messages(positions)
    before = sink.received()
    started_ns = time.time_ns()
    with smtplib.SMTP("127.0.0.1", sink.port, timeout=30) as client:
        for rcpt, content in messages:
            client.sendmail(sender, [rcpt], content)
    deadline = time.monotonic() + 60
    while sink.received() - before < len(messages) and time.monotonic() < deadline:
        time.sleep(0.05)
    result.bare_s = (sink.entries[-1][0] - started_ns) / 1e9


# --- the report ----------------------------------------------------------------------------------------


def markdown(result: Result, started: datetime, argv: list[str]) -> str:
    seeded = ", ".join(f"{k}: {v:,}" for k, v in result.seeded.items() if k != "seconds")
    verdict = "met" if result.ratio >= TARGET_RATIO and not result.problems else "NOT met"
    lines = [
        SECTION_TITLE,
        "",
        f"Last run: {started:%Y-%m-%d %H:%M} UTC, `{' '.join([COMMAND, *argv])}`",
        f"({os.cpu_count()} cores; seeded in {result.seeded.get('seconds', 0)} s: {seeded})",
        "",
        "| run | messages | mean size (bytes) | time (s) | messages/s |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| pipeline: `notifications.plan` → digests built → worker → sink | {result.messages:,} | "
        f"{result.mean_size:,} | {result.pipeline_s:.1f} | {result.pipeline_rate:.0f} |",
        f"| bare smtplib loop, one connection, the same bytes | {result.messages:,} | {result.mean_size:,} | "
        f"{result.bare_s:.1f} | {result.bare_rate:.0f} |",
        "",
        f"**Ratio: {result.ratio:.2f}** of the bare rate (target ≥ {TARGET_RATIO}: {verdict}). "
        + (
            f"Building took {result.planned_s:.1f} s of it (until the last planning share was done). "
            if result.planned_s
            else ""
        )
        + "; ".join(f"{k}: {v}" for k, v in result.facts.items()),
    ]
    if result.problems:
        lines += ["", "Problems: " + "; ".join(result.problems)]
    return "\n".join(lines)


def write_document(path: Path, text: str) -> None:
    block = f"{START_MARK}\n{text}\n{END_MARK}"
    document = path.read_text() if path.exists() else ""
    if START_MARK in document and END_MARK in document:
        head, _, rest = document.partition(START_MARK)
        _, _, tail = rest.partition(END_MARK)
        path.write_text(f"{head}{block}{tail}")
    else:
        path.write_text(document.rstrip("\n") + "\n\n" + block + "\n")


def _on_signal(signum, frame):
    raise BenchError(f"stopped by signal {signum}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGTERM, _on_signal)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100 partnerships")
    parser.add_argument("--partnerships", type=int, help="partnerships to seed (2000; --quick 100)")
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes (2)")
    parser.add_argument(
        "--all-planners",
        action="store_true",
        help="time the whole planning beat (every area's planner), not the digest planner alone",
    )
    parser.add_argument("--output", type=Path, help="write the result into this document (docs/PERFORMANCE.md)")
    args = parser.parse_args(argv)
    partnerships = args.partnerships or (100 if args.quick else 2000)
    started = datetime.now(UTC)

    database = Database(f"ph_digest_{secrets.token_hex(4)}", f"ph_digest_{secrets.token_hex(4)}", secrets.token_hex(16))
    logdir = Path(tempfile.mkdtemp(prefix="ph-digest-"))
    redis, sink = RedisServer(), Sink(logdir)
    env = {
        **pages.app_env(database, secrets.token_hex(32)),
        "REDIS_URL": redis.url,
        "TASKS_EAGER": "0",
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(sink.port),
        "BASE_URL": "http://localhost",
    }
    worker_env = {**os.environ, **env}
    worker = Worker(worker_env, logdir, args.concurrency, digests_only=not args.all_planners)
    primer = Worker({**worker_env, "MAIL_BACKEND": "outbox"}, logdir, args.concurrency, name="primer")
    result = Result(partnerships, {})
    result.facts["planners timed"] = (
        "every area's (--all-planners)" if args.all_planners else "the digest planner only (the other areas' left out)"
    )
    try:
        log(f"database {database.name} (PostgreSQL {database.create()}), logs in {logdir}")
        build_schema(database, env)
        log(f"seeding {partnerships} partnerships, {COORDINATORS_PER_PARTNERSHIP} coordinators each")
        result.seeded = seed(database, partnerships)
        log(f"  seeded: {result.seeded}")
        redis.start()
        sink.start()
        shares = -(-partnerships // PLAN_SHARE)
        log("priming: a planning run with the digests off, into the development mailbox")
        result.facts["primed (other notices told before the timed run)"] = prime(database, env, primer, shares)
        log(f"  {result.facts['primed (other notices told before the timed run)']}")
        log(f"pipeline: notifications.plan through the worker (--concurrency {args.concurrency}) to the sink")
        positions = run_pipeline(result, database, env, sink, worker, shares)
        log(f"  {result.messages} digests in {result.pipeline_s:.1f}s: {result.pipeline_rate:.0f}/s")
        worker.stop()  # the bare loop has the machine to itself, as the pipeline had
        log("bare: the same messages over one smtplib connection")
        run_bare(result, sink, positions, "no-reply@partnershiphub.local")
        log(f"  {result.messages} messages in {result.bare_s:.1f}s: {result.bare_rate:.0f}/s")
    except BenchError as exc:
        log(f"ERROR: {exc}")
        return 2
    finally:
        for stop in (primer.stop, worker.stop, sink.stop, redis.stop):
            try:
                stop()
            except Exception as exc:  # noqa: BLE001 - keep cleaning up
                log(f"WARNING: cleanup step failed: {exc}")
        database.drop()
    text = markdown(result, started, argv)
    print(text)
    if args.output:
        write_document(args.output, text)
    return 0 if result.ratio >= TARGET_RATIO and not result.problems else 1


if __name__ == "__main__":
    sys.exit(main())
