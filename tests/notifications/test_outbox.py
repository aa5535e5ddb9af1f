"""The outbox: written with the change, delivered once, retried with backoff, swept when missed."""

from __future__ import annotations

import email
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from partnership_hub.db import utcnow
from partnership_hub.extensions import db
from partnership_hub.notifications import services
from partnership_hub.notifications.models import OutboxMessage, OutboxStatus
from tests.factories import outbox


def queue(app, key="test:1", to="someone@example.org") -> int | None:
    with app.app_context():
        msg = services.queue_email(
            kind="test",
            dedup_key=key,
            to=to,
            subject="Hello",
            template="verify_email",
            user=None,
            link="http://localhost/x",
            expires_hours=1,
        )
        message_id = msg.id if msg else None  # read before the commit: the row is the outbox's, not the request's
        db.session.commit()
        return message_id


def row(app, message_id) -> OutboxMessage:
    with app.app_context():
        services.open_outbox()
        msg = db.session.get(OutboxMessage, message_id)
        db.session.expunge(msg)
        return msg


def smtp_app(make_app, sink, **overrides):
    return make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, **overrides)


def test_the_same_dedup_key_is_queued_once(app):
    first = queue(app)
    assert first is not None
    assert queue(app) is None
    assert len(outbox(app)) == 1


def test_nothing_is_queued_or_sent_when_the_change_rolls_back(app):
    with app.app_context():
        services.queue_email(
            kind="test",
            dedup_key="rolled:back",
            to="x@example.org",
            subject="Hi",
            template="verify_email",
            user=None,
            link="http://localhost/x",
            expires_hours=1,
        )
        db.session.rollback()
    assert outbox(app) == []


def test_delivery_over_smtp_sends_one_multipart_message_and_forgets_the_body(make_app, smtp_sink):
    app = smtp_app(make_app, smtp_sink)
    message_id = queue(app)

    assert len(smtp_sink.messages) == 1
    envelope = smtp_sink.messages[0]
    assert envelope.rcpt_tos == ["someone@example.org"]
    parsed = email.message_from_bytes(envelope.content)
    assert parsed["Subject"] == "Hello"
    assert sorted(part.get_content_type() for part in parsed.walk() if not part.is_multipart()) == [
        "text/html",
        "text/plain",
    ]
    sent = row(app, message_id)
    assert sent.status == OutboxStatus.SENT and sent.attempts == 1
    assert sent.text_body == sent.html_body == ""  # single-use links don't linger in the database

    with app.app_context():
        assert services.deliver(message_id) == "skipped"
    assert len(smtp_sink.messages) == 1


def test_smtp_failures_are_retried_with_backoff_then_given_up(make_app, smtp_sink):
    smtp_sink.refuse_with = "451 4.3.0 Try again later"
    app = smtp_app(make_app, smtp_sink, OUTBOX_MAX_ATTEMPTS=3)
    message_id = queue(app)

    first = row(app, message_id)
    assert first.status == OutboxStatus.PENDING and first.attempts == 1
    assert first.last_error == "SMTPDataError 451"
    assert timedelta(seconds=25) < first.next_attempt_at - utcnow() <= timedelta(seconds=30)

    with app.app_context():
        with pytest.raises(services.DeliveryFailed) as second:
            services.deliver(message_id)
        assert second.value.retry_in == 60  # exponential
        with pytest.raises(services.DeliveryFailed) as third:
            services.deliver(message_id)
        assert third.value.retry_in is None
    assert row(app, message_id).status == OutboxStatus.FAILED
    assert smtp_sink.messages == []


def test_the_sweep_delivers_what_the_broker_missed(make_app, smtp_sink):
    # A broker that can't be reached: the request still succeeds and the mail waits in the outbox.
    offline = smtp_app(
        make_app,
        smtp_sink,
        TASKS_EAGER=False,
        CELERY={"broker_url": "redis://127.0.0.1:1/0", "task_serializer": "json", "accept_content": ["json"]},
    )
    message_id = queue(offline)
    assert row(offline, message_id).status == OutboxStatus.PENDING
    assert smtp_sink.messages == []

    online = smtp_app(make_app, smtp_sink)
    with online.app_context():
        assert services.sweep() == 0  # not overdue yet
        services.open_outbox()
        db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
        assert services.sweep() == 1
    assert len(smtp_sink.messages) == 1
    assert row(online, message_id).status == OutboxStatus.SENT
    with online.app_context():
        assert services.sweep() == 0


def test_an_invitation_request_survives_a_broker_outage(make_app, world, login_as):
    app = make_app(
        TASKS_EAGER=False,
        CELERY={"broker_url": "redis://127.0.0.1:1/0", "task_serializer": "json", "accept_content": ["json"]},
    )
    client = login_as("coordinator", on=app)
    response = client.post(f"/p/{world.home.slug}/people/invite", data={"email": "later@example.org", "role": "member"})
    assert response.status_code == 302
    [mail] = outbox(app, kind="invitation")
    assert mail.status == OutboxStatus.PENDING


def test_development_mailbox_shows_queued_mail(app, client):
    queue(app)
    page = client.get("/dev/mail/")
    assert page.status_code == 200 and "someone@example.org" in page.text
    with app.app_context():
        services.open_outbox()
        message_id = db.session.scalars(select(OutboxMessage.id)).one()
    assert "http://localhost/x" in client.get(f"/dev/mail/{message_id}").text


# --- failures that retrying cannot fix (issue #9, finding 4) ---------------------------------------


def test_a_message_that_cannot_be_built_fails_at_once_and_forgets_its_link(make_app, smtp_sink, monkeypatch):
    app = smtp_app(make_app, smtp_sink)

    def refuse(msg):
        raise ValueError("Header values may not contain linefeed or carriage return characters")

    monkeypatch.setattr(services.mail, "build_message", refuse)
    message_id = queue(app)  # delivered in process after the commit: the task answers "failed"

    failed = row(app, message_id)
    assert failed.status == OutboxStatus.FAILED and failed.attempts == 1
    assert failed.last_error == "ValueError" and failed.next_attempt_at is None
    assert failed.text_body == failed.html_body == ""  # the live link is gone
    assert smtp_sink.messages == []
    with app.app_context():
        assert services.sweep() == 0  # never handed out again
        assert services.deliver(message_id) == "skipped"


def test_a_permanent_smtp_refusal_fails_at_once(make_app, smtp_sink):
    smtp_sink.refuse_with = "554 5.7.1 Message rejected"
    app = smtp_app(make_app, smtp_sink, OUTBOX_MAX_ATTEMPTS=5)
    message_id = queue(app)

    failed = row(app, message_id)
    assert failed.status == OutboxStatus.FAILED and failed.attempts == 1
    assert failed.last_error == "SMTPDataError 554"
    assert failed.text_body == failed.html_body == ""
    with app.app_context():
        assert services.deliver(message_id) == "skipped"


def test_a_temporary_failure_keeps_the_body_until_it_is_given_up(make_app, smtp_sink):
    smtp_sink.refuse_with = "451 4.3.0 Try again later"
    app = smtp_app(make_app, smtp_sink, OUTBOX_MAX_ATTEMPTS=2)
    message_id = queue(app)
    waiting = row(app, message_id)
    assert waiting.status == OutboxStatus.PENDING and "http://localhost/x" in waiting.text_body
    with app.app_context(), pytest.raises(services.DeliveryFailed):
        services.deliver(message_id)
    given_up = row(app, message_id)
    assert given_up.status == OutboxStatus.FAILED and given_up.text_body == ""


def test_an_unreachable_server_is_a_temporary_failure(make_app):
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1, OUTBOX_MAX_ATTEMPTS=3)
    message_id = queue(app)
    waiting = row(app, message_id)
    assert waiting.status == OutboxStatus.PENDING and waiting.attempts == 1
    assert waiting.last_error == "ConnectionRefusedError"


# --- at-least-once delivery with a stable Message-ID (issue #16, finding 4) ------------------------


class WorkerKilled(BaseException):
    """Stands in for ``kill -9``: nothing after it runs, no handler records anything."""


@pytest.fixture
def held_app(make_app, smtp_sink, monkeypatch):
    """An SMTP app whose queued mail waits for an explicit ``deliver`` (no broker hands it out)."""
    monkeypatch.setattr(services, "dispatch", lambda *args: None)
    return smtp_app(make_app, smtp_sink)


def message_ids(sink) -> list[str]:
    return [email.message_from_bytes(envelope.content)["Message-ID"] for envelope in sink.messages]


def test_the_message_id_is_derived_from_the_row_and_the_same_on_every_attempt(held_app, smtp_sink):
    message_id = queue(held_app)
    smtp_sink.refuse_with = "451 4.3.0 Try again later"
    with held_app.app_context(), pytest.raises(services.DeliveryFailed):
        services.deliver(message_id)
    smtp_sink.refuse_with = None
    with held_app.app_context():
        assert services.deliver(message_id) == "sent"
        expected = services.mail.message_id(row(held_app, message_id))
    assert message_ids(smtp_sink) == [expected]
    assert expected.startswith(f"<outbox-{message_id}.") and expected.endswith("@partnershiphub.local>")
    assert "someone" not in expected  # the dedup key names the recipient: only its hash goes out


def test_a_send_is_on_record_as_in_flight_before_the_smtp_transaction(held_app, smtp_sink, monkeypatch):
    message_id = queue(held_app)
    seen = []
    transport = services.mail.transport

    def watching(built):
        # Another connection, as a second worker or the sweep would look at the row.
        seen.append(row(held_app, message_id).sending_at)
        transport(built)

    monkeypatch.setattr(services.mail, "transport", watching)
    with held_app.app_context():
        assert services.deliver(message_id) == "sent"
    assert seen[0] is not None
    done = row(held_app, message_id)
    assert done.status == OutboxStatus.SENT and done.sending_at is None


def test_a_worker_killed_after_the_server_accepted_leaves_one_harmless_duplicate(held_app, smtp_sink, monkeypatch):
    message_id = queue(held_app)

    def killed(msg):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(services, "_record_sent", killed)
        with held_app.app_context(), pytest.raises(WorkerKilled):
            services.deliver(message_id)
    assert len(smtp_sink.messages) == 1
    stranded = row(held_app, message_id)
    assert stranded.status == OutboxStatus.PENDING and stranded.sending_at is not None

    with held_app.app_context():
        # Within the grace period nobody touches it: it may be a slow server, not a dead worker.
        services.open_outbox()
        db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
        assert services.sweep() == 0
        assert services.deliver(message_id) == "skipped"
        assert len(smtp_sink.messages) == 1
        # After it, the sweep sends it again, with the same Message-ID.
        services.open_outbox()
        db.session.execute(update(OutboxMessage).values(sending_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
        queued = []
        monkeypatch.setattr(services, "hand_to_worker", queued.append)
        assert services.sweep() == 1
        assert services.deliver(queued[0]) == "sent"
    first, second = message_ids(smtp_sink)
    assert first == second
    assert row(held_app, message_id).attempts == 2


def test_a_failed_send_is_no_longer_in_flight(held_app, smtp_sink):
    message_id = queue(held_app)
    smtp_sink.refuse_with = "451 4.3.0 Try again later"
    with held_app.app_context(), pytest.raises(services.DeliveryFailed):
        services.deliver(message_id)
    waiting = row(held_app, message_id)
    assert waiting.status == OutboxStatus.PENDING and waiting.sending_at is None


# --- what operators see (issue #16, finding 5) ----------------------------------------------------


def test_outbox_status_counts_pending_in_flight_and_failed(held_app, smtp_sink):
    ids = [queue(held_app, key=f"test:{n}", to=f"p{n}@example.org") for n in range(4)]
    with held_app.app_context():
        assert services.deliver(ids[0]) == "sent"
        smtp_sink.refuse_with = "554 5.7.1 Message rejected"
        with pytest.raises(services.DeliveryFailed):
            services.deliver(ids[1])
        smtp_sink.refuse_with = "451 4.3.0 Try again later"
        with pytest.raises(services.DeliveryFailed):
            services.deliver(ids[2])
        services.open_outbox()
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == ids[3]).values(sending_at=utcnow()))
        db.session.commit()
        status = services.outbox_status()
    assert (status.pending, status.retrying, status.in_flight) == (2, 1, 1)
    assert (status.failed, status.failed_last_day) == (1, 1)
    assert status.oldest_pending is not None and status.oldest_pending < timedelta(minutes=1)

    result = held_app.test_cli_runner().invoke(args=["outbox-status"])
    assert result.exit_code == 0, result.output
    assert "pending: 2" in result.output and "failed: 1" in result.output
    stuck = held_app.test_cli_runner().invoke(args=["outbox-status", "--fail-if-older-than", "0"])
    assert stuck.exit_code == 1
