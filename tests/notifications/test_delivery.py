"""Delivery throughput without giving up a guarantee: fan-outs handed out in batches after the commit, one
SMTP connection per process reused across messages and tasks, each outcome on record before the next send,
and what a refusal, an outage, a kill mid-batch, a superseded or a not-yet-due message do to a batch."""

from __future__ import annotations

import email
import socket
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from partnership_hub import areas
from partnership_hub.db import utcnow
from partnership_hub.extensions import db
from partnership_hub.notifications import mail, services, tasks
from partnership_hub.notifications.models import OutboxMessage, OutboxStatus


class Sink:
    """An SMTP server that notes which connection (client port) carried each message it accepted, and
    refuses the recipients in ``refuse`` (address -> "450 ..." / "550 ...") at RCPT."""

    def __init__(self) -> None:
        self.accepted: list[tuple[int, str, str]] = []  # (client port, recipient, Message-ID)
        self.refuse: dict[str, str] = {}
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = self._controller()

    def _controller(self) -> Controller:
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
                if address in sink.refuse:
                    return sink.refuse[address]
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                message_id = email.message_from_bytes(envelope.content)["Message-ID"]
                for rcpt in envelope.rcpt_tos:
                    sink.accepted.append((session.peer[1], rcpt, message_id))
                return "250 Message accepted for delivery"

        return Controller(Handler(), hostname="127.0.0.1", port=self.port)

    @property
    def connections(self) -> int:
        return len({port for port, _, _ in self.accepted})

    @property
    def recipients(self) -> list[str]:
        return [rcpt for _, rcpt, _ in self.accepted]

    def restart(self) -> None:
        """Stop (closing every client's connection, as a server restart does) and start again."""
        self.controller.stop()
        self.controller = self._controller()
        self.controller.start()


@pytest.fixture
def sink():
    server = Sink()
    server.controller.start()
    yield server
    server.controller.stop()
    mail.close_connection()  # no connection to a stopped server outlives the test


@pytest.fixture
def handed(monkeypatch) -> list[tuple]:
    """What was handed to the broker (task name and ids); nothing runs."""
    calls: list[tuple] = []
    monkeypatch.setattr(services, "dispatch", lambda *args: calls.append(args))
    return calls


def smtp_app(make_app, sink, **overrides):
    return make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port, **overrides)


def queue(app, count: int, *, start: int = 0, send_at=None, valid_while=None) -> list[int]:
    """``count`` messages to person<n>@example.org in ONE transaction (a fan-out); their ids."""
    ids = []
    with app.app_context():
        for n in range(start, start + count):
            msg = services.queue_email(
                kind="test",
                dedup_key=f"test:{n}",
                to=f"person{n}@example.org",
                subject="Hello",
                template="verify_email",
                send_at=send_at,
                valid_while=valid_while,
                user=None,
                link="http://localhost/x",
                expires_hours=1,
            )
            assert msg is not None
            ids.append(msg.id)
        db.session.commit()
    return ids


def rows(app, ids) -> list[OutboxMessage]:
    with app.app_context():
        services.open_outbox()
        found = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by("id")))
        db.session.expunge_all()
        return found


def deliver(app, ids) -> services.BatchResult:
    with app.app_context():
        return services.deliver_batch(ids)


# --- handing out ---------------------------------------------------------------------------------------


def test_a_fan_out_committed_at_once_goes_to_workers_in_batches_and_one_message_alone(make_app, handed):
    app = make_app()
    ids = queue(app, 45)
    assert handed == [
        (services.DELIVER_BATCH_TASK, *ids[:20]),
        (services.DELIVER_BATCH_TASK, *ids[20:40]),
        (services.DELIVER_BATCH_TASK, *ids[40:]),
    ]
    handed.clear()
    [single] = queue(app, 1, start=100)
    assert handed == [(services.DELIVER_TASK, single)]


def test_nothing_is_handed_out_before_the_commit_nor_after_a_rollback(make_app, handed):
    app = make_app()
    with app.app_context():
        for n in range(3):  # each insert is a savepoint of its own: releasing one is not the commit
            services.queue_email(
                kind="test", dedup_key=f"t:{n}", to="a@example.org", subject="Hi", template="verify_email",
                user=None, link="http://localhost/x", expires_hours=1,
            )  # fmt: skip
        assert handed == []
        db.session.rollback()
        assert handed == []
        ids = []
        for n in range(3, 5):
            ids.append(services.queue_email(
                kind="test", dedup_key=f"t:{n}", to="a@example.org", subject="Hi", template="verify_email",
                user=None, link="http://localhost/x", expires_hours=1,
            ).id)  # fmt: skip
        # A duplicate (its savepoint rolled back) drops nothing queued before it in the transaction.
        assert services.queue_email(
            kind="test", dedup_key="t:3", to="a@example.org", subject="Hi", template="verify_email",
            user=None, link="http://localhost/x", expires_hours=1,
        ) is None  # fmt: skip
        db.session.commit()
    assert handed == [(services.DELIVER_BATCH_TASK, *ids)]


def test_a_broker_that_refuses_a_hand_out_is_not_asked_again_for_the_rest(make_app, monkeypatch, caplog):
    app = make_app()
    tries = []

    def away(*args):
        tries.append(args)
        raise ConnectionError("broker down")

    monkeypatch.setattr(services, "dispatch", away)
    ids = queue(app, 45)
    assert len(tries) == 1  # not 45, nor 3: the request does not wait out the broker 3 times over
    assert {row.status for row in rows(app, ids)} == {OutboxStatus.PENDING}
    assert "could not hand 45 messages" in caplog.text


# --- one connection, each outcome on record before the next send ---------------------------------------


def test_a_batch_goes_over_one_connection_and_each_send_is_on_record_before_the_next(
    make_app, sink, handed, monkeypatch
):
    app = smtp_app(make_app, sink)
    ids = queue(app, 5)
    statuses_at_each_send = []
    transport = mail.transport

    def watching(built):
        statuses_at_each_send.append([row.status for row in rows(app, ids)])  # another connection's view
        transport(built)

    monkeypatch.setattr(mail, "transport", watching)
    result = deliver(app, ids)

    assert result.outcomes == dict.fromkeys(ids, "sent")
    assert sink.recipients == [f"person{n}@example.org" for n in range(5)] and sink.connections == 1
    sent, pending = OutboxStatus.SENT, OutboxStatus.PENDING
    assert statuses_at_each_send == [[sent] * k + [pending] * (5 - k) for k in range(5)]
    assert all(row.status == sent and row.sending_at is None and row.text_body == "" for row in rows(app, ids))


def test_the_connection_is_kept_across_tasks_and_opened_again_when_idle_or_closed_by_the_server(
    make_app, sink, handed, monkeypatch
):
    app = smtp_app(make_app, sink)
    first = queue(app, 1)
    second = queue(app, 1, start=1)
    deliver(app, first)
    deliver(app, second)  # another task, the same connection
    assert sink.connections == 1

    clock = [time.monotonic()]
    monkeypatch.setattr(mail, "_clock", lambda: clock[0])
    deliver(app, queue(app, 1, start=2))
    clock[0] += mail.KEEPALIVE + 1  # idle past its keepalive: not trusted any more
    deliver(app, queue(app, 1, start=3))
    assert sink.connections == 2

    sink.restart()  # the server closed it; the next message finds out and goes on a new connection
    result = deliver(app, queue(app, 1, start=4))
    assert list(result.outcomes.values()) == ["sent"]
    assert sink.recipients == [f"person{n}@example.org" for n in range(5)]  # each once
    assert sink.connections == 3


def test_an_idle_connection_is_closed(make_app, sink, handed):
    app = smtp_app(make_app, sink, MAIL_KEEPALIVE=0.05)
    deliver(app, queue(app, 1))
    deadline = time.monotonic() + 5
    while mail._open is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert mail._open is None


# --- refusals, outages, kills --------------------------------------------------------------------------


def test_a_refused_message_does_not_stop_the_batch_nor_close_the_connection(make_app, sink, handed):
    sink.refuse = {"person1@example.org": "450 4.2.1 Busy", "person2@example.org": "550 5.1.1 No such user"}
    app = smtp_app(make_app, sink)
    ids = queue(app, 4)
    result = deliver(app, ids)
    assert [result.outcomes[i] for i in ids] == ["sent", "retry", "failed", "sent"]
    assert result.retry_in == {ids[1]: 30}
    assert sink.recipients == ["person0@example.org", "person3@example.org"] and sink.connections == 1
    retrying, failed = rows(app, ids)[1:3]
    assert retrying.status == OutboxStatus.PENDING and retrying.attempts == 1 and retrying.next_attempt_at
    assert failed.status == OutboxStatus.FAILED and failed.last_error == "SMTPRecipientsRefused"


def test_an_outage_ends_the_batch_and_gives_the_rest_back_without_counting_an_attempt(make_app, handed):
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    ids = queue(app, 3)
    result = deliver(app, ids)
    assert [result.outcomes[i] for i in ids] == ["retry", "released", "released"]
    assert result.retry_in == dict.fromkeys(ids, 30)  # tried again together
    first, *rest = rows(app, ids)
    assert first.attempts == 1 and first.last_error == "ConnectionRefusedError"
    for row in rest:
        assert row.attempts == 0 and row.sending_at is None and row.status == OutboxStatus.PENDING
        assert abs(row.next_attempt_at - first.next_attempt_at) < timedelta(seconds=1)


class WorkerKilled(BaseException):
    """Stands in for ``kill -9``: nothing after it runs, no handler records anything."""


def test_a_worker_killed_mid_batch_resends_only_the_message_in_flight_and_the_rest_waits_out_the_grace(
    make_app, sink, handed, monkeypatch
):
    app = smtp_app(make_app, sink)
    ids = queue(app, 5)
    record_sent = services._record_sent
    recorded = []

    def dies_on_the_third(message_id):
        if len(recorded) == 2:
            raise WorkerKilled  # the server accepted message 3; its record never happens
        recorded.append(message_id)
        return record_sent(message_id)

    with monkeypatch.context() as patch:
        patch.setattr(services, "_record_sent", dies_on_the_third)
        with pytest.raises(WorkerKilled):
            deliver(app, ids)
    assert len(sink.accepted) == 3
    assert [row.status for row in rows(app, ids)] == ["sent", "sent", "pending", "pending", "pending"]
    assert all(row.sending_at is not None for row in rows(app, ids)[2:])  # in flight: hands off

    with app.app_context():
        services.open_outbox()
        db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
        assert services.sweep() == 0  # within the grace period: maybe a slow server, not a dead worker
        services.open_outbox()
        db.session.execute(update(OutboxMessage).values(sending_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
        handed.clear()
        assert services.sweep() == 3
    [(name, *again)] = handed
    assert name == services.DELIVER_BATCH_TASK and again == ids[2:]
    deliver(app, again)

    copies = [message_id for _, _, message_id in sink.accepted]
    assert len(copies) == 6 and len(set(copies)) == 5  # one duplicate: the message in flight at the kill
    assert copies[2] == copies[3]  # ... with the same Message-ID
    assert [row.status for row in rows(app, ids)] == ["sent"] * 5


def test_a_batch_never_keeps_messages_in_flight_past_half_the_grace(make_app, sink, handed):
    app = smtp_app(make_app, sink, OUTBOX_IN_FLIGHT_GRACE=timedelta(microseconds=2))
    ids = queue(app, 3)
    result = deliver(app, ids)
    assert [result.outcomes[i] for i in ids] == ["sent", "released", "released"]
    assert result.retry_in == {ids[1]: 0, ids[2]: 0}  # handed out again at once
    assert [row.attempts for row in rows(app, ids)] == [1, 0, 0]


# --- superseded, queued ahead, the development mailbox -------------------------------------------------

checked: list[str] = []


def meeting_unchanged(ref: str, now) -> bool:
    checked.append(ref)
    return ref != "moved"


def test_a_batch_supersedes_messages_whose_record_changed_asking_once_per_record(
    make_app, world, sink, handed, monkeypatch
):
    app = smtp_app(make_app, sink)
    monkeypatch.setattr(areas, "mail_checks", lambda: {"meeting": f"{__name__}:meeting_unchanged"})
    checked.clear()
    ids = []
    with app.app_context():
        from partnership_hub.context import context_for

        context_for(world.home.id)
        for n, ref in enumerate(("moved", "moved", "moved", "kept")):
            ids.append(services.queue_email(
                kind="test", dedup_key=f"test:{n}", to=f"person{n}@example.org", subject="Reminder",
                template="verify_email", partnership_id=world.home.id, valid_while=f"meeting:{ref}",
                user=None, link="http://localhost/x", expires_hours=1,
            ).id)  # fmt: skip
        db.session.commit()
    result = deliver(app, ids)
    assert [result.outcomes[i] for i in ids] == ["superseded"] * 3 + ["sent"]
    assert sorted(checked) == ["kept", "moved"]
    assert sink.recipients == ["person3@example.org"]
    assert [row.status for row in rows(app, ids)][:3] == [OutboxStatus.SUPERSEDED] * 3


def test_a_message_queued_ahead_waits_and_the_sweep_hands_it_out_once_due_even_late(make_app, sink, handed):
    app = smtp_app(make_app, sink)
    ids = queue(app, 2, send_at=utcnow() + timedelta(hours=1))
    assert handed == []  # not before its time
    assert deliver(app, ids).outcomes == dict.fromkeys(ids, "skipped")  # a stray task does not send it early
    with app.app_context():
        assert services.sweep() == 0
        status = services.outbox_status()
        assert (status.pending, status.scheduled, status.oldest_pending) == (0, 2, None)
        # The beat was down while they came due (an hour ago): the first sweep after catches up.
        services.open_outbox()
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
        status = services.outbox_status()
        assert (status.pending, status.scheduled) == (2, 0)
        assert timedelta(minutes=59) < status.oldest_pending < timedelta(minutes=61)  # late since it was due
        assert services.sweep() == 2
    assert handed == [(services.DELIVER_BATCH_TASK, *ids)]
    assert deliver(app, ids).outcomes == dict.fromkeys(ids, "sent")
    assert sink.recipients == ["person0@example.org", "person1@example.org"]


def test_the_development_mailbox_keeps_a_batch_without_smtp(make_app, handed):
    app = make_app()  # MAIL_BACKEND="outbox"
    ids = queue(app, 3)
    assert deliver(app, ids).outcomes == dict.fromkeys(ids, "sent")
    assert all("http://localhost/x" in row.text_body for row in rows(app, ids))  # kept for the mailbox


# --- the tasks -----------------------------------------------------------------------------------------


def test_the_batch_task_sends_what_to_retry_back_to_the_broker_grouped_by_when(make_app, sink, handed, monkeypatch):
    sink.refuse = {"person0@example.org": "450 4.2.1 Busy", "person2@example.org": "451 4.3.0 Later"}
    app = smtp_app(make_app, sink)
    ids = queue(app, 3)
    later = []
    monkeypatch.setattr(
        tasks.deliver_batch, "apply_async", lambda args, countdown, **_: later.append((countdown, args))
    )
    with app.app_context():
        counts = tasks.deliver_batch(*ids)  # as a worker runs it (not eager)
    assert counts == {"retry": 2, "sent": 1}
    assert later == [(30, [ids[0], ids[2]])]


def test_in_process_a_fan_out_is_delivered_in_batches_at_once(make_app, sink):
    app = smtp_app(make_app, sink)  # TASKS_EAGER: the embedded mode
    ids = queue(app, 25)
    assert len(sink.accepted) == 25 and sink.connections == 1
    assert {row.status for row in rows(app, ids)} == {OutboxStatus.SENT}
