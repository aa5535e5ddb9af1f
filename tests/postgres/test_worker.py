"""A real Celery worker on Redis delivers an invitation to a real SMTP server exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from partnership_hub.extensions import db
from partnership_hub.notifications import services
from partnership_hub.notifications.models import OutboxMessage, OutboxStatus
from partnership_hub.tasks import dispatch
from tests.conftest import DATABASE_URL, REDIS_URL

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def worker(smtp_sink, tmp_path):
    from redis import Redis

    Redis.from_url(REDIS_URL).flushdb()  # no stale tasks from earlier runs
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "TASKS_EAGER": "0",
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_sink.port),
        "BASE_URL": "http://localhost",
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "worker:celery",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    ready = wait_for(lambda: "ready." in (tmp_path / "worker.log").read_text() or process.poll() is not None, 60)
    if not ready or process.poll() is not None:
        process.kill()
        pytest.fail("the Celery worker did not start:\n" + (tmp_path / "worker.log").read_text()[-3000:])
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def test_an_invitation_reaches_the_smtp_server_exactly_once(make_app, world, login_as, smtp_sink, worker):
    app = make_app(TASKS_EAGER=False, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_sink.port)
    assert app.config["CELERY"]["broker_url"] == REDIS_URL
    client = login_as("coordinator", on=app)

    response = client.post(
        f"/p/{world.home.slug}/people/invite", data={"email": "worker.test@example.org", "role": "member"}
    )
    assert response.status_code == 302

    assert wait_for(lambda: len(smtp_sink.messages) >= 1), "no message reached the SMTP sink"
    [envelope] = smtp_sink.messages
    assert envelope.rcpt_tos == ["worker.test@example.org"]
    assert b"/join/" in envelope.content

    with app.app_context():
        services.open_outbox()  # the outbox is readable by delivery work only
        message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invitation")).one()
        assert message.status == OutboxStatus.SENT
        # A redelivered task (or a duplicate sweep) finds the message sent and does nothing.
        dispatch("notifications.deliver_email", message.id)
        dispatch("notifications.sweep_outbox")
    time.sleep(3)
    assert len(smtp_sink.messages) == 1
