"""The notification guarantees (issue #15), proven on PostgreSQL with a real Redis, real Celery workers
and an aiosmtpd sink:

* nothing lost, nothing twice: 1,000 due notifications (``notices.notify`` with ``send_at`` now, so with
  their real deduplication keys) through a prefork worker, a sink refusing ~30 %, the worker killed with
  SIGKILL partway through, Redis restarted, the worker started again: every notification reaches its
  recipient, one Message-ID per key; the only copies beyond one are of messages in flight at the kill;
* a duplicated beat tick, a redelivered task and two workers racing never queue or send twice;
* with Redis down the web tier keeps working and notices wait in the outbox; when it is back (and the beat
  with it) they go out, and so do notices queued ahead that came due while the beat was away.

The outbox's clock is shortened as in ``test_faults.py`` (retries 1 s·2ⁿ⁻¹, sweep after 2 s, in-flight
grace 5 s, ``MAIL_TIMEOUT`` 2 s, a sweep every second).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from partnership_hub import areas
from partnership_hub.accounts.models import User
from partnership_hub.areas import Area, NoticeKind
from partnership_hub.config import load_config
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.notifications import notices, services, tasks
from partnership_hub.notifications.models import Notification, OutboxMessage, OutboxStatus
from partnership_hub.tasks import dispatch
from partnership_hub.workspaces.models import Membership, Role
from tests.conftest import DATABASE_URL
from tests.postgres.test_faults import ROOT, SHORT_CLOCK, RefusingSink, Worker, _worker_story

pytestmark = [pytest.mark.postgres]

KIND = "guarantee_test"
PEOPLE = 250  # recipients; 4 notices each: 1,000 notifications
OCCASIONS = 4
PROCESSES = 2

# A real Celery worker as production runs it (prefork, two processes), on the shortened clock.
PREFORK_WORKER = f"""\
from datetime import timedelta
from partnership_hub import create_app
app = create_app({{
    "OUTBOX_RETRY_BASE": 1,
    "OUTBOX_SWEEP_AFTER": timedelta(seconds=2),
    "OUTBOX_IN_FLIGHT_GRACE": timedelta(seconds=5),
    "MAIL_TIMEOUT": 2.0,
}})
app.extensions["celery"].worker_main(
    ["worker", "--concurrency={PROCESSES}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
     "--without-heartbeat"]
)
"""


class PreforkWorker(Worker):
    """``test_faults.Worker`` with a pool of ``PROCESSES``; ``kill`` is SIGKILL to all of them at once."""

    def start(self) -> None:
        self.started += 1
        self.log = self.logdir / f"worker-{self.started}.log"
        with self.log.open("wb") as handle:
            self.process = subprocess.Popen(
                [sys.executable, "-c", PREFORK_WORKER],
                cwd=ROOT,
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and self.process.poll() is None:
            if "ready." in self.log.read_text(errors="replace"):
                return
            time.sleep(0.1)
        pytest.fail("the Celery worker did not start:\n" + self.log.read_text(errors="replace")[-3000:])

    def kill(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        super().stop()
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # any pool process the main one left behind


@pytest.fixture
def notice_kind(monkeypatch) -> str:
    """A notice kind of the test's own, on by email and in the app for every role."""
    kinds = areas.notice_kinds()
    monkeypatch.setattr(areas, "notice_kinds", lambda: [*kinds, NoticeKind(KIND, "Guarantee test")])
    return KIND


def add_people(app, partnership_id: int, count: int) -> list[int]:
    """``count`` members (one account each) in the partnership, in one transaction; their membership ids."""
    with app.app_context():
        users = [
            User(email=f"notified-{n:04d}@example.org", name=f"Notified {n:04d}", password_hash="x")
            for n in range(count)
        ]
        db.session.add_all(users)
        db.session.flush()
        bind_tenant(db.session, partnership_id)
        memberships = [Membership(user_id=user.id, role=Role.MEMBER) for user in users]
        db.session.add_all(memberships)
        db.session.commit()
        return [membership.id for membership in memberships]


def notify_everyone(app, partnership_id: int, membership_ids, occasion: str, **options) -> int:
    """One notice to everyone in ``membership_ids`` (its own transaction, as a request or a planner has)."""
    with app.app_context():
        ctx = context_for(partnership_id)
        people = notices.recipients(ctx, KIND, membership_ids)
        told = notices.notify(
            ctx,
            KIND,
            people,
            key=occasion,
            subject="Something happened",
            title="Something happened",
            endpoint="workspace.home",
            template="safe_update",
            **options,
        )
        db.session.commit()
        return told


def outbox_rows(app) -> dict[int, tuple[str, str, str]]:
    """Outbox id -> (dedup key, status, recipient) of the test kind's messages."""
    with app.app_context():
        services.open_outbox()
        found = db.session.execute(
            select(OutboxMessage.id, OutboxMessage.dedup_key, OutboxMessage.status, OutboxMessage.to_address).where(
                OutboxMessage.kind == KIND
            )
        ).all()
        db.session.rollback()
    return {row[0]: (row[1], row[2], row[3]) for row in found}


def centre_keys(app, partnership_id: int) -> Counter[str]:
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        keys = db.session.scalars(select(Notification.dedup_key).where(Notification.kind == KIND)).all()
        db.session.rollback()
    return Counter(keys)


def outbox_id(message_id: str) -> int:
    found = re.match(r"<outbox-(\d+)\.", message_id)
    assert found, message_id
    return int(found.group(1))


def worker_env(redis_url: str, sink_port: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": redis_url,  # the test's own server: only it is restarted
        "TASKS_EAGER": "0",
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(sink_port),
        "BASE_URL": "http://localhost",
    }


def broker_app(make_app, redis_url: str, sink_port: int):
    return make_app(
        REDIS_URL=redis_url,
        TASKS_EAGER=False,
        CELERY=load_config({"REDIS_URL": redis_url})["CELERY"],
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=sink_port,
        **SHORT_CLOCK,
    )


# --- nothing lost, nothing twice, through a SIGKILL and a Redis restart --------------------------------


def test_a_thousand_due_notifications_survive_a_killed_worker_and_a_redis_restart_one_message_id_per_key(
    make_app, world, own_redis, notice_kind, tmp_path
):
    kill_at = 300
    killed = threading.Event()
    worker: PreforkWorker | None = None

    def on_accept(count: int) -> None:
        # The sink has accepted message no. 300; its 250 never reaches the worker, killed with it in flight.
        if count == kill_at and worker is not None:
            worker.kill()
            killed.set()

    sink = RefusingSink(on_accept)
    worker = PreforkWorker(worker_env(own_redis.url, sink.port), tmp_path)
    app = broker_app(make_app, own_redis.url, sink.port)
    home = world.home.id
    people = add_people(app, home, PEOPLE)
    in_flight_at_kill: set[int] = set()
    accepted_at_kill = 0
    redis_restarted = False
    counts: Counter[str] = Counter()
    sink.controller.start()
    try:
        worker.start()
        for occasion in range(OCCASIONS):  # 250 at a commit: handed out in batches of 20
            assert notify_everyone(app, home, people, f"occasion-{occasion}", send_at=utcnow()) == PEOPLE
        ids = sorted(outbox_rows(app))
        assert len(ids) == PEOPLE * OCCASIONS
        with app.app_context():  # every batch handed out twice more, and some alone: redelivered tasks
            for start in range(0, len(ids), 20):
                dispatch(services.DELIVER_BATCH_TASK, *ids[start : start + 20])
            for message_id in ids[::50]:
                dispatch(services.DELIVER_TASK, message_id)

        deadline = time.monotonic() + 75
        next_sweep = time.monotonic() + 1
        while time.monotonic() < deadline:
            if killed.is_set() and not redis_restarted:
                accepted_at_kill = len(sink.accepted)
                with app.app_context():
                    services.open_outbox()
                    in_flight_at_kill = set(
                        db.session.scalars(
                            select(OutboxMessage.id).where(
                                OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.sending_at.is_not(None)
                            )
                        )
                    )
                    db.session.rollback()
                own_redis.stop()  # nothing persisted: every queued task and countdown is lost
                own_redis.start()
                redis_restarted = True
                worker.start()
            elif redis_restarted and worker.exited():
                worker.start()  # supervised, as docker-compose's `restart: unless-stopped` does
            if time.monotonic() >= next_sweep:  # what beat does, every second instead of every minute
                next_sweep = time.monotonic() + 1
                try:
                    with app.app_context():
                        dispatch("notifications.sweep_outbox")
                except Exception:  # noqa: BLE001, S110 - beat, too, misses a tick the broker can't take
                    pass
            counts = Counter(status for _, status, _ in outbox_rows(app).values())
            if redis_restarted and counts[OutboxStatus.PENDING] == 0:
                break
            time.sleep(0.2)
    finally:
        worker.stop()
        sink.controller.stop()
    logs = "\n".join(_worker_story(path) for path in sorted(tmp_path.glob("worker-*.log")))

    assert killed.is_set() and worker.started >= 2, logs
    assert sink.refused > 0
    assert dict(counts) == {OutboxStatus.SENT: PEOPLE * OCCASIONS}, (counts, logs)
    rows = outbox_rows(app)
    per_key: dict[str, set[str]] = {}
    for rcpt, message_id in sink.accepted:
        key, _, to = rows[outbox_id(message_id)]
        assert rcpt == to
        per_key.setdefault(key, set()).add(message_id)
    assert len(per_key) == PEOPLE * OCCASIONS  # every notification reached its recipient...
    assert all(len(found) == 1 for found in per_key.values())  # ...as one message (one Message-ID per key)
    # At-least-once, honestly: a message the sink accepted whose worker died before recording it is sent
    # again after the grace period, with the same Message-ID. Only messages in flight at the kill (at most
    # one per worker process: each outcome is recorded before the next send) are sent twice.
    copies = Counter(outbox_id(message_id) for _, message_id in sink.accepted)
    twice = {message_id for message_id, n in copies.items() if n > 1}
    assert 1 <= len(twice) <= PROCESSES, (twice, in_flight_at_kill)
    assert twice <= in_flight_at_kill
    assert all(copies[message_id] == 2 for message_id in twice)
    assert len(sink.accepted) - len(copies) == len(twice)
    assert accepted_at_kill >= kill_at
    # The notification centre has one entry per key too, whatever happened to the mail.
    assert set(centre_keys(app, home).values()) == {1} and sum(centre_keys(app, home).values()) == len(per_key)


# --- a duplicated beat tick, a redelivered task, two workers racing --------------------------------------

barrier = threading.Barrier(2, timeout=30)


def plan_test_notice(ctx, now) -> int:
    """A planner that tells every member of the partnership once about "this week" (one key)."""
    barrier.wait()  # both beats reach the same partnership together
    people = notices.recipients(ctx, KIND, select(Membership.id))
    return notices.notify(
        ctx,
        KIND,
        people,
        key="this-week",
        subject="This week",
        title="This week",
        endpoint="workspace.home",
        template="safe_update",
    )


def test_two_beats_at_once_queue_each_notice_once_and_racing_deliveries_send_it_once(
    make_app, world, notice_kind, smtp_sink, monkeypatch
):
    installed = areas.installed()
    planner = Area(name="guarantees", label="", notice_planner=f"{__name__}:plan_test_notice")
    monkeypatch.setattr(areas, "installed", lambda: (*installed, planner))
    monkeypatch.setattr(services, "dispatch", lambda *args: None)  # the outbox is delivered below
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    now = utcnow()
    told: list[int] = []

    def beat() -> None:
        with app.app_context():
            notices.plan_every_partnership(now)
            told.append(1)

    beats = [threading.Thread(target=beat) for _ in range(2)]
    for thread in beats:
        thread.start()
    for thread in beats:
        thread.join(timeout=60)
    assert told == [1, 1]

    rows = outbox_rows(app)
    keys = Counter(key for key, _, _ in rows.values())
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        members = db.session.scalar(select(func.count(Membership.id)))
    assert len(keys) == members + 1 and set(keys.values()) == {1}  # both partnerships' members, once each
    assert set(centre_keys(app, world.home.id).values()) == {1}

    # Two workers given the same batch at once (a redelivered task racing the original): FOR UPDATE SKIP
    # LOCKED and the in-flight mark hand each message to one of them.
    ids = sorted(rows)
    start = threading.Barrier(2, timeout=30)
    outcomes: list[dict[int, str]] = []

    def worker() -> None:
        with app.app_context():
            start.wait()
            outcomes.append(services.deliver_batch(ids).outcomes)

    racing = [threading.Thread(target=worker) for _ in range(2)]
    for thread in racing:
        thread.start()
    for thread in racing:
        thread.join(timeout=60)
    sent = Counter(outcome for found in outcomes for outcome in found.values())
    assert sent == {"sent": len(ids), "skipped": len(ids)}
    # ... and once more, as a task redelivered after it all went out: nothing.
    with app.app_context():
        assert tasks.deliver_batch(*ids) == {"skipped": len(ids)}
        assert tasks.deliver_email(ids[0]) == "skipped"
    assert sorted(envelope.rcpt_tos[0] for envelope in smtp_sink.messages) == sorted(to for _, _, to in rows.values())


# --- Redis down: the web tier works, notices wait; Redis and the beat back: they go out -------------------


def test_with_redis_down_notices_wait_in_the_outbox_and_go_out_with_what_came_due_while_the_beat_was_away(
    make_app, world, login_as, own_redis, smtp_sink, notice_kind, tmp_path
):
    app = broker_app(make_app, own_redis.url, smtp_sink.port)
    coordinator = login_as("coordinator", on=app)
    home = world.home.id
    people = [world.home.membership_ids[role] for role in ("member", "observer")]

    own_redis.stop()
    assert coordinator.get(f"/p/{world.home.slug}/").status_code == 200
    began = time.monotonic()
    assert notify_everyone(app, home, people, "now") == 2  # due: handed out after the commit, or not
    assert time.monotonic() - began < 10  # the broker is asked once, not once per message
    assert notify_everyone(app, home, people, "soon", send_at=utcnow() + timedelta(minutes=5)) == 2
    assert notify_everyone(app, home, people, "later", send_at=utcnow() + timedelta(days=1)) == 2
    assert coordinator.get(f"/p/{world.home.slug}/").status_code == 200
    rows = outbox_rows(app)
    assert {status for _, status, _ in rows.values()} == {OutboxStatus.PENDING} and smtp_sink.messages == []
    assert sum(centre_keys(app, home).values()) == 6  # the centre has them at once (from their time on)

    with app.app_context():
        # Time passes while Redis and the beat are away: the "now" notices are overdue for the sweep, the
        # "soon" ones come due; "later" is still a day ahead.
        services.open_outbox()
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedup_key.like(f"{KIND}:now:%"))
            .values(created_at=utcnow() - timedelta(minutes=5))
        )
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.dedup_key.like(f"{KIND}:soon:%"))
            .values(next_attempt_at=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
    own_redis.start()
    worker = Worker(worker_env(own_redis.url, smtp_sink.port), tmp_path)
    try:
        worker.start()
        with app.app_context():
            dispatch("notifications.sweep_outbox")  # the beat's first tick after it came back
        deadline = time.monotonic() + 30
        while len(smtp_sink.messages) < 4 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # room for a copy too many to show up
    finally:
        worker.stop()
    statuses = {key.split(":")[1]: status for key, status, _ in outbox_rows(app).values()}
    assert statuses == {"now": OutboxStatus.SENT, "soon": OutboxStatus.SENT, "later": OutboxStatus.PENDING}
    received = Counter(envelope.rcpt_tos[0] for envelope in smtp_sink.messages)
    assert received == {world.user("member").email: 2, world.user("observer").email: 2}
