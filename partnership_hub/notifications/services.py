"""Queueing email in the outbox (exactly once), delivering it (at least once, with a stable Message-ID),
and sweeping up what the broker missed."""

from __future__ import annotations

import json
import logging
import smtplib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app, render_template
from sqlalchemy import ColumnElement, and_, case, func, insert, or_, select, text, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from partnership_hub import areas
from partnership_hub.db import after_commit, bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.notifications import mail
from partnership_hub.notifications.models import OutboxMessage, OutboxStatus
from partnership_hub.tasks import dispatch

log = logging.getLogger(__name__)

DELIVER_TASK = "notifications.deliver_email"
DELIVER_BATCH_TASK = "notifications.deliver_batch"
BATCH_SIZE = 20  # messages per delivery task when many are handed out at once (``batch_size``)
SWEEP_BATCH = 2000  # messages the sweep hands out per run, in batches
QUEUED_KEY = "outbox.queued"  # session.info: (transaction, ids) to hand out after its commit
IDS_KEY, IDS_BLOCK_KEY = "outbox.ids", "outbox.ids_block"  # session.info: ids taken from the sequence
ID_BLOCK_MAX = 64
NEXT_IDS = "SELECT nextval('outbox_messages_id_seq') FROM generate_series(1, :n)"
SUBJECT_MAX = 200  # OutboxMessage.subject
# The server's answers that mean "this message, never": a refused recipient or content. Refusals
# of the connection, the greeting, the login or our sender address are the server's or our
# configuration's problem, not the message's: those are retried like an outage.
PERMANENT_REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


def open_outbox() -> None:
    """Open the whole outbox to this transaction: the delivery work (deliver, sweep, the development
    mailbox). On PostgreSQL the policy otherwise shows a transaction only its partnership's mail; the
    setting is transaction-local, so it ends with the commit or rollback."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT set_config('app.outbox', 'deliver', true)"))


class DeliveryFailed(Exception):
    """The message could not be built, or the mail server refused or could not be reached;
    ``retry_in`` says when to try again (None: never)."""

    def __init__(self, retry_in: int | None):
        super().__init__("delivery failed")
        self.retry_in = retry_in


def absolute_url(endpoint: str, **values) -> str:
    """A link for an email: BASE_URL plus the route's path (works outside a request too)."""
    adapter = current_app.url_map.bind("localhost")
    return current_app.config["BASE_URL"] + adapter.build(endpoint, values)


# Safe mode (the advisory area's contact preferences): nothing of the message reaches the inbox.
SAFE_SUBJECT = "You have a new update"
SAFE_TEMPLATE = "safe_update"
VERDICTS = ("send", "safe", "drop")  # from the mildest to the strictest


def mail_verdict(partnership_id: int | None, to: str, kind: str) -> str:
    """What the installed areas' mail rules (``Area.mail_rule``) say about a message: the strictest of
    ``"send"``, ``"safe"`` and ``"drop"``. Account mail (no partnership: a reset, a confirmation) is always
    sent, so nobody is locked out of their own account."""
    if partnership_id is None:
        return "send"
    verdicts = [rule(partnership_id, to, kind) for rule in areas.mail_rules()]
    return max(verdicts, key=VERDICTS.index, default="send")


def queue_email(
    *,
    kind: str,
    dedup_key: str,
    to: str,
    subject: str,
    template: str,
    partnership_id: int | None = None,
    sender_id: int | None = None,
    send_at: datetime | None = None,
    valid_while: str | None = None,
    attachments: Sequence[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    **context,
) -> OutboxMessage | None:
    """Write one message to the outbox in the current transaction; deliver it after the commit.
    ``sender_id``: the person whose action sends it (counted by ``recent_sends``).

    ``send_at``: not before then (a meeting reminder queued ahead); the sweep hands it to a worker when
    the time comes. ``valid_while``: "<prefix>:<ref>", checked by the area that declared ``prefix``
    (``Area.mail_checks``) just before sending: a message about a meeting that has moved since is
    superseded, never sent. ``attachments``: text files (``filename``, ``content_type``, ``content``);
    ``headers``: extra headers (List-Unsubscribe).

    Returns None when a message with the same ``dedup_key`` already exists (nothing is added), or when
    the areas' mail rules drop it (``mail_verdict``). In safe mode the message keeps its kind, recipient
    and ``dedup_key`` but says only ``SAFE_SUBJECT`` with one link to the front page."""
    verdict = mail_verdict(partnership_id, to, kind)
    if verdict == "drop":
        log.info("outbox: %s not queued: its recipient takes no email from this partnership", kind)
        return None
    if verdict == "safe":
        subject, template, context = SAFE_SUBJECT, SAFE_TEMPLATE, {"link": absolute_url("workspaces.home")}
    subject = mail.header_value(subject, limit=SUBJECT_MAX)  # names in it may come from anyone's typing
    context.setdefault("subject", subject)
    values: dict[str, Any] = {
        "kind": kind,
        "dedup_key": dedup_key[:200],
        "partnership_id": partnership_id,
        "sender_id": sender_id,
        "to_address": to,
        "subject": subject,
        "text_body": render_template(f"email/{template}.txt", **context),
        "html_body": render_template(f"email/{template}.html", **context),
        "next_attempt_at": send_at,
        "valid_while": valid_while if verdict == "send" else None,
        "attachments": json.dumps(list(map(dict, attachments))) if attachments and verdict == "send" else None,
        # In safe mode no List-Unsubscribe either: its signed (not encrypted) token names the kind.
        "headers": json.dumps(dict(headers)) if headers and verdict == "send" else None,
    }
    message_id = _insert_message(values)
    if message_id is None:
        log.info("outbox: %s already queued, not adding it again", kind)
        return None
    if send_at is None or send_at <= utcnow():
        _hand_out_after_commit(message_id)
    return OutboxMessage(id=message_id, **values)  # what was written (not in the session)


def _insert_message(values: Mapping[str, Any]) -> int | None:
    """Write the row without the ORM's unit of work; its id, or None when the ``dedup_key`` is taken.
    PostgreSQL: the id from the sequence beforehand (``_next_message_id``), not from RETURNING — row-level
    security would otherwise require a request to read back account mail it may only write — and the
    INSERT in a savepoint, as ON CONFLICT needs that reading right too. SQLite: ON CONFLICT DO NOTHING."""
    if db.session.get_bind().dialect.name == "postgresql":
        message_id = _next_message_id()
        try:
            with db.session.begin_nested():
                db.session.execute(insert(OutboxMessage).values(id=message_id, **values))
        except IntegrityError:
            return None
        return message_id
    stmt = sqlite.insert(OutboxMessage).values(**values).on_conflict_do_nothing(index_elements=["dedup_key"])
    written = db.session.execute(stmt)
    return int(written.inserted_primary_key[0]) if written.rowcount else None  # type: ignore[attr-defined]


def _next_message_id() -> int:
    """An id from the outbox's sequence, taken in blocks that double up to ``ID_BLOCK_MAX`` within a session
    (a planning run queueing thousands takes one round trip per block; a request queueing one, one id).
    Ids taken and not used leave gaps, as rolled-back inserts do."""
    ids: list[int] = db.session.info.setdefault(IDS_KEY, [])
    if not ids:
        block = min(2 * db.session.info.get(IDS_BLOCK_KEY, 0) or 1, ID_BLOCK_MAX)
        db.session.info[IDS_BLOCK_KEY] = block
        ids.extend(db.session.scalars(text(NEXT_IDS), {"n": block}))
    return ids.pop(0)


def _hand_out_after_commit(message_id: int) -> None:
    """Hand ``message_id`` to a worker once this transaction commits, with every other message the
    transaction queued: a fan-out (a notice to many, a planning run) goes out in batches, not a task each."""
    transaction = db.session().get_transaction()
    held: tuple[object, list[int]] | None = db.session.info.get(QUEUED_KEY)
    if held is None or held[0] is not transaction:  # the first message of this transaction
        held = (transaction, [])
        db.session.info[QUEUED_KEY] = held
        after_commit(db.session, hand_out, held[1])
    held[1].append(message_id)


def hand_to_worker(message_id: int) -> bool:
    """Start delivery of a committed outbox row. A broker outage only delays it: the sweep retries."""
    try:
        dispatch(DELIVER_TASK, message_id)
    except Exception as exc:  # noqa: BLE001 - any broker failure means "later", never "lost"
        log.warning(
            "outbox: could not hand message %s to a worker (%s); the sweep will retry", message_id, type(exc).__name__
        )
        return False
    return True


def batch_size() -> int:
    """Messages per delivery task when many are handed out at once (``OUTBOX_BATCH_SIZE``, 20): enough to
    spread the cost of a task and a transaction, few enough that a worker killed mid-batch delays only
    the rest of its batch (by the in-flight grace period)."""
    return max(int(current_app.config.get("OUTBOX_BATCH_SIZE", BATCH_SIZE)), 1)


def hand_out(message_ids: Sequence[int]) -> None:
    """Hand committed messages to workers: one alone as ``deliver_email``, more in batches
    (``deliver_batch``). When the broker refuses one hand-out it is away: the rest wait for the sweep too,
    rather than each waiting out the publish retries while a request or the planner waits."""
    ids = list(message_ids)
    if len(ids) == 1:
        hand_to_worker(ids[0])
        return
    size = batch_size()
    for start in range(0, len(ids), size):
        try:
            dispatch(DELIVER_BATCH_TASK, *ids[start : start + size])
        except Exception as exc:  # noqa: BLE001 - any broker failure means "later", never "lost"
            log.warning(
                "outbox: could not hand %s messages to a worker (%s); the sweep will retry",
                len(ids) - start,
                type(exc).__name__,
            )
            return


def _backoff(attempts: int) -> int:
    """Seconds until the next attempt: ``OUTBOX_RETRY_BASE`` (30 s) · 2ⁿ⁻¹, at most an hour. Only the
    fault runs (bench/faults.py, tests/postgres/test_faults.py) set a shorter base."""
    base = int(current_app.config["OUTBOX_RETRY_BASE"])
    return min(base * 2 ** max(attempts - 1, 0), 3600)


def _is_permanent(exc: Exception) -> bool:
    """Whether retrying cannot help: a 5xx refusal of this message, or anything that is not an SMTP
    or network failure (the message itself can't be encoded or sent as it is)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, PERMANENT_REFUSALS):
        return getattr(exc, "smtp_code", 0) >= 500
    return not isinstance(exc, smtplib.SMTPException | OSError)


def _is_the_servers(exc: Exception) -> bool:
    """Whether a failure is the server's or the connection's rather than this message's: the next
    message would fail the same way (refused connection, greeting, login or sender; a timeout)."""
    return isinstance(exc, smtplib.SMTPException | OSError) and not isinstance(exc, PERMANENT_REFUSALS)


def _error_label(exc: Exception) -> str:
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:200]


def _forget_bodies(msg: OutboxMessage) -> None:
    # They may hold single-use links: a message sent (or never to be sent) no longer needs them.
    msg.text_body = msg.html_body = ""


def _in_flight_expired(now: datetime) -> ColumnElement[bool]:
    """No send under way, or one whose worker has surely died (older than the grace period)."""
    grace = current_app.config["OUTBOX_IN_FLIGHT_GRACE"]
    return OutboxMessage.sending_at.is_(None) | (OutboxMessage.sending_at <= now - grace)


def _scheduled(now: datetime | None = None) -> ColumnElement[bool]:
    """A message queued ahead (``send_at``: no attempt yet, a time set), due by ``now`` if one is given."""
    queued_ahead = and_(OutboxMessage.attempts == 0, OutboxMessage.next_attempt_at.is_not(None))
    return queued_ahead if now is None else and_(queued_ahead, OutboxMessage.next_attempt_at <= now)


def _not_ahead_of_time(now: datetime) -> ColumnElement[bool]:
    """Not a message queued ahead whose time has not come (retries are timed by the worker's countdown)."""
    scheduled = OutboxMessage.next_attempt_at
    return or_(OutboxMessage.attempts > 0, scheduled.is_(None), scheduled <= now)


def _open_outbox_for_outcomes() -> None:
    """``open_outbox`` for recording what the server answered, with an asynchronous commit on PostgreSQL
    (in the same statement): one commit per message must not wait for the disk. A database crash can
    lose the last fraction of a second of such records; a message whose "sent" was lost is sent again
    after the grace period, with the same Message-ID — the at-least-once the outbox promises anyway.
    The in-flight mark before a send is committed durably."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT set_config('app.outbox', 'deliver', true), set_config('synchronous_commit', 'off', true)")
        )


def _mark_failed(msg: OutboxMessage, exc: Exception) -> DeliveryFailed:
    """Record a failed attempt on the (locked) row, uncommitted: failed for good, or pending with backoff."""
    msg.sending_at = None
    msg.last_error = _error_label(exc)
    final = _is_permanent(exc) or msg.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    retry_in = None if final else _backoff(msg.attempts)
    msg.status = OutboxStatus.FAILED if final else OutboxStatus.PENDING
    msg.next_attempt_at = None if retry_in is None else utcnow() + timedelta(seconds=retry_in)
    if final:
        _forget_bodies(msg)
    return DeliveryFailed(retry_in)


def _log_failure(message_id: int, attempts: int, error: str, failed: DeliveryFailed) -> None:
    given_up = "; given up" if failed.retry_in is None else ""
    log.warning("outbox: message %s attempt %s failed (%s)%s", message_id, attempts, error, given_up)


def _mark_sent(msg: OutboxMessage) -> None:
    msg.status = OutboxStatus.SENT
    msg.sent_at = utcnow()
    msg.sending_at = None
    msg.next_attempt_at = None
    msg.last_error = ""
    if current_app.config["MAIL_BACKEND"] != "outbox":
        _forget_bodies(msg)


def _record_sent(message_id: int) -> bool:
    """Our send of ``message_id`` was accepted: on record (one statement, its own commit) before the next
    message goes out. False when the row is no longer ours to mark (an operator's hand)."""
    _open_outbox_for_outcomes()
    marked = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(
            status=OutboxStatus.SENT,
            sent_at=utcnow(),
            sending_at=None,
            next_attempt_at=None,
            last_error="",
            text_body="",
            html_body="",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(marked.rowcount)  # type: ignore[attr-defined]  # an UPDATE's CursorResult


def _record_failure(message_id: int, exc: Exception) -> DeliveryFailed | None:
    """Our send of ``message_id`` failed: on record, committed (None when the row is no longer ours)."""
    _open_outbox_for_outcomes()
    msg = db.session.scalars(
        select(OutboxMessage)
        .options(defer(OutboxMessage.text_body), defer(OutboxMessage.html_body))
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        .with_for_update()
    ).one_or_none()
    if msg is None:
        db.session.rollback()
        return None
    failed = _mark_failed(msg, exc)
    attempts, error = msg.attempts, msg.last_error  # after the commit the row is out of sight (RLS)
    db.session.commit()
    _log_failure(message_id, attempts, error, failed)
    return failed


def _release(message_ids: Sequence[int], retry_at: datetime | None) -> None:
    """Give back messages this worker marked in flight but did not send: no longer in flight, the attempt
    not counted, tried again at ``retry_at`` (None: as soon as a worker takes them)."""
    if not message_ids:
        return
    _open_outbox_for_outcomes()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids), OutboxMessage.status == OutboxStatus.PENDING)
        .values(sending_at=None, attempts=OutboxMessage.attempts - 1, next_attempt_at=retry_at)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _still_valid(msg: OutboxMessage) -> bool:
    """Ask the area that declared the message's ``valid_while`` prefix whether it is still true, with the
    session bound to the message's partnership for the question (unbound after)."""
    prefix, _, ref = (msg.valid_while or "").partition(":")
    check = areas.mail_checks().get(prefix)
    if check is None or msg.partnership_id is None:
        log.warning("outbox: no check for %r; the message is sent as it is", prefix)
        return True
    bind_tenant(db.session, msg.partnership_id)
    try:
        return bool(areas.resolve(check)(ref, utcnow()))
    finally:
        bind_tenant(db.session, None)
        open_outbox()


@dataclass(frozen=True)
class _Claimed:
    """A message this worker marked in flight, built and ready to send."""

    id: int
    kind: str
    email: EmailMessage


@dataclass
class BatchResult:
    """What became of each message handed to ``deliver_batch``: ``outcomes[id]`` is "sent", "skipped"
    (sent already, given up, in flight elsewhere, not due yet), "superseded", "failed" (for good), "retry"
    (a temporary failure) or "released" (not sent, given back); ``retry_in[id]``: seconds until a
    message to retry (or released) should be tried again."""

    outcomes: dict[int, str] = field(default_factory=dict)
    retry_in: dict[int, int] = field(default_factory=dict)


def _claim(message_ids: Sequence[int], result: BatchResult) -> list[_Claimed]:
    """ONE transaction for the batch: lock the rows that are pending, idle (no send in flight within the
    grace period) and due, FOR UPDATE SKIP LOCKED (a second worker given the same ids moves on); supersede
    those whose ``valid_while`` no longer holds (asked once per record); count an attempt and build the
    email of the others and mark them in flight (``sending_at``); commit, before the server sees a byte."""
    now = utcnow()
    open_outbox()
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.id.in_(message_ids),
            OutboxMessage.status == OutboxStatus.PENDING,
            _in_flight_expired(now),
            _not_ahead_of_time(now),
        )
        .order_by(OutboxMessage.id)
        .with_for_update(skip_locked=True)
    ).all()
    if not rows:
        db.session.rollback()
        return []
    development = current_app.config["MAIL_BACKEND"] == "outbox"
    still_valid: dict[tuple[int | None, str], bool] = {}
    claimed: list[_Claimed] = []
    failures: list[tuple[int, int, str, DeliveryFailed]] = []
    superseded: list[tuple[int, str]] = []
    kept: list[tuple[int, str]] = []
    for msg in rows:
        if msg.sending_at is not None:
            log.warning("outbox: message %s was left in flight by a worker; sending it again (same Message-ID)", msg.id)
        if msg.valid_while:
            record = (msg.partnership_id, msg.valid_while)
            if record not in still_valid:
                still_valid[record] = _still_valid(msg)
            if not still_valid[record]:
                msg.status = OutboxStatus.SUPERSEDED
                msg.next_attempt_at = None
                _forget_bodies(msg)
                result.outcomes[msg.id] = "superseded"
                superseded.append((msg.id, msg.kind))
                continue
        msg.attempts += 1
        try:
            email = mail.build_message(msg)
        except Exception as exc:  # noqa: BLE001 - a message that can't be built fails for good, recorded
            failed = _mark_failed(msg, exc)
            result.outcomes[msg.id] = "failed" if failed.retry_in is None else "retry"
            failures.append((msg.id, msg.attempts, msg.last_error, failed))
            continue
        if development:  # building is the check; the development mailbox shows it
            _mark_sent(msg)
            result.outcomes[msg.id] = "sent"
            kept.append((msg.id, msg.kind))
            continue
        msg.sending_at = now
        claimed.append(_Claimed(msg.id, msg.kind, email))
    db.session.commit()  # in flight, on record before the server sees a byte
    for message_id, kind in superseded:
        log.info("outbox: message %s (%s) superseded: its record changed before it went out", message_id, kind)
    for message_id, kind in kept:
        log.info("outbox: message %s (%s) kept in the development mailbox", message_id, kind)
    for message_id, attempts, error, failed in failures:
        _log_failure(message_id, attempts, error, failed)
        if failed.retry_in is not None:
            result.retry_in[message_id] = failed.retry_in
    return claimed


def deliver_batch(message_ids: Sequence[int]) -> BatchResult:
    """Send the pending messages among ``message_ids`` over this process's SMTP connection (``mail.transport``).

    The guarantee is at-least-once delivery with a stable Message-ID (``mail.message_id``); queueing is
    exactly-once (the unique ``dedup_key``). (1) ONE transaction claims the batch (``_claim``: due, idle
    rows, superseded ones set aside, the rest built and marked in flight, committed); (2) each message in
    turn: the SMTP transaction, then its outcome in a transaction of its own (sent; or the failure), so
    every accepted message is on record before the next one goes out. Other workers and the sweep leave a
    row in flight alone until ``OUTBOX_IN_FLIGHT_GRACE`` has passed: a worker killed mid-batch leaves at
    most the one message between the server's acceptance and its record to be sent again (with the same
    Message-ID), and the rest of its batch to wait out the grace period, unsent.

    A message the server refuses (``PERMANENT_REFUSALS``) fails for good on a 5xx and is retried with
    backoff on a 4xx, and the batch goes on; a failure of the server or the connection (refused, timed
    out, sender refused) is recorded for the message being sent and ends the batch: the rest are released
    (their attempt not counted) to be tried with it. A batch never keeps a message in flight past half
    the grace period: what is left by then is released, to be handed out again at once."""
    result = BatchResult({message_id: "skipped" for message_id in message_ids})
    started = time.monotonic()
    claimed = _claim(message_ids, result)
    limit = current_app.config["OUTBOX_IN_FLIGHT_GRACE"].total_seconds() / 2
    for n, claim in enumerate(claimed):
        if n and time.monotonic() - started > limit:  # the first always goes: no batch loops on a slow claim
            _release_rest(claimed[n:], result, 0)
            break
        failure: Exception | None = None
        try:
            mail.transport(claim.email)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded; none may leave the row in flight
            failure = exc
        if failure is None:
            result.outcomes[claim.id] = "sent" if _record_sent(claim.id) else "skipped"
            if result.outcomes[claim.id] == "sent":
                log.info("outbox: message %s (%s) sent", claim.id, claim.kind)
            continue
        failed = _record_failure(claim.id, failure)
        if failed is None:
            continue
        result.outcomes[claim.id] = "failed" if failed.retry_in is None else "retry"
        if failed.retry_in is not None:
            result.retry_in[claim.id] = failed.retry_in
        if _is_the_servers(failure):
            _release_rest(claimed[n + 1 :], result, failed.retry_in or 0)
            break
    return result


def _release_rest(rest: Sequence[_Claimed], result: BatchResult, retry_in: int) -> None:
    if not rest:
        return
    retry_at = utcnow() + timedelta(seconds=retry_in) if retry_in else None
    _release([claim.id for claim in rest], retry_at)
    for claim in rest:
        result.outcomes[claim.id] = "released"
        result.retry_in[claim.id] = retry_in
    log.warning("outbox: %s messages of a batch given back unsent, to be tried again in %s s", len(rest), retry_in)


def deliver(message_id: int) -> str:
    """Send one outbox message if it is still pending (``deliver_batch`` of one). Returns "sent", "skipped"
    or "superseded"; raises ``DeliveryFailed`` when it failed (``retry_in`` None: for good)."""
    result = deliver_batch([message_id])
    outcome = result.outcomes[message_id]
    if outcome in ("failed", "retry"):
        raise DeliveryFailed(result.retry_in.get(message_id))
    return outcome


def sweep() -> int:
    """Hand every overdue pending message to a worker again (a send still in flight only once its
    grace period is over), and every message queued ahead whose time has come (``send_at``), in batches.
    Returns how many were handed out."""
    now = utcnow()
    overdue_before = now - current_app.config["OUTBOX_SWEEP_AFTER"]
    open_outbox()
    due = func.coalesce(OutboxMessage.next_attempt_at, OutboxMessage.created_at)
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                or_(due <= overdue_before, _scheduled(now)),
                _in_flight_expired(now),
            )
            .order_by(OutboxMessage.id)
            .limit(SWEEP_BATCH)
        )
    )
    db.session.rollback()
    if ids:
        hand_out(ids)
    return len(ids)


@dataclass(frozen=True)
class OutboxStatusCounts:
    """What an operator needs to see a stuck queue: counts and the oldest waiting message's age."""

    pending: int  # due and waiting for a first send or a retry (not those queued ahead)
    retrying: int  # of those, at least one attempt failed already
    in_flight: int  # a worker has begun the SMTP transaction
    failed: int  # given up for good (all time)
    failed_last_day: int  # of those, queued within the last day
    oldest_pending: timedelta | None  # since it was due: queued, or its ``send_at``
    scheduled: int = 0  # queued ahead (``send_at``), not due yet


def outbox_status() -> OutboxStatusCounts:
    """Pending, in-flight, failed and queued-ahead outbox counts across every partnership (one statement).
    A message queued ahead counts as waiting only from its ``send_at`` on: a reminder queued a week
    before its meeting is not a stuck queue."""
    now = utcnow()
    open_outbox()
    pending = OutboxMessage.status == OutboxStatus.PENDING
    failed = OutboxMessage.status == OutboxStatus.FAILED
    ahead = pending & _scheduled() & (OutboxMessage.next_attempt_at > now)
    due = pending & ~ahead
    due_since = case((_scheduled(), OutboxMessage.next_attempt_at), else_=OutboxMessage.created_at)
    row = db.session.execute(
        select(
            func.count().filter(due),
            func.count().filter(due & (OutboxMessage.attempts > 0)),
            func.count().filter(due & OutboxMessage.sending_at.is_not(None)),
            func.count().filter(failed),
            func.count().filter(failed & (OutboxMessage.created_at >= now - timedelta(days=1))),
            func.min(due_since).filter(due),
            func.count().filter(ahead),
        ).where(OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)))
    ).one()
    db.session.rollback()
    oldest = row[5]
    if isinstance(oldest, str):  # SQLite's aggregate over a CASE comes back as text
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:  # ... and without a zone
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return OutboxStatusCounts(
        int(row[0]),
        int(row[1]),
        int(row[2]),
        int(row[3]),
        int(row[4]),
        None if oldest is None else max(now - oldest, timedelta(0)),
        int(row[6]),
    )


def recent_messages(limit: int = 100) -> list[OutboxMessage]:
    """The newest outbox rows, for the development mailbox."""
    open_outbox()
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def get_message(message_id: int) -> OutboxMessage | None:
    """One outbox row, for the development mailbox."""
    open_outbox()
    return db.session.get(OutboxMessage, message_id)


@dataclass(frozen=True)
class RecentSends:
    by_partnership: int
    by_sender: int


def recent_sends(kind: str, partnership_id: int, sender_id: int, since: datetime) -> RecentSends:
    """How many ``kind`` messages were queued since ``since`` for the partnership, and by the person
    in any partnership (one statement). On PostgreSQL through ``outbox_recent_sends`` (migration 0009),
    which counts across partnerships without opening their mail to the request."""
    if db.session.get_bind().dialect.name == "postgresql":
        row = db.session.execute(
            text("SELECT by_partnership, by_sender FROM outbox_recent_sends(:kind, :partnership, :sender, :since)"),
            {"kind": kind, "partnership": partnership_id, "sender": sender_id, "since": since},
        ).one()
    else:
        recent = (OutboxMessage.kind == kind) & (OutboxMessage.created_at >= since)
        row = db.session.execute(
            select(
                func.count().filter(OutboxMessage.partnership_id == partnership_id),
                func.count().filter(OutboxMessage.sender_id == sender_id),
            ).where(recent, (OutboxMessage.partnership_id == partnership_id) | (OutboxMessage.sender_id == sender_id))
        ).one()
    return RecentSends(int(row[0] or 0), int(row[1] or 0))
