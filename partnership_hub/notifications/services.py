"""Queueing email in the outbox (exactly once), delivering it (at least once, with a stable Message-ID),
and sweeping up what the broker missed."""

from __future__ import annotations

import json
import logging
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import ColumnElement, and_, func, or_, select, text
from sqlalchemy.exc import IntegrityError

from partnership_hub import areas
from partnership_hub.db import after_commit, bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.notifications import mail
from partnership_hub.notifications.models import OutboxMessage, OutboxStatus
from partnership_hub.tasks import dispatch

log = logging.getLogger(__name__)

DELIVER_TASK = "notifications.deliver_email"
SWEEP_BATCH = 500
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
    msg = OutboxMessage(
        kind=kind,
        dedup_key=dedup_key[:200],
        partnership_id=partnership_id,
        sender_id=sender_id,
        to_address=to,
        subject=subject,
        text_body=render_template(f"email/{template}.txt", **context),
        html_body=render_template(f"email/{template}.html", **context),
        next_attempt_at=send_at,
        valid_while=valid_while if verdict == "send" else None,
        attachments=json.dumps(list(map(dict, attachments))) if attachments and verdict == "send" else None,
        headers=json.dumps(dict(headers)) if headers else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(msg)
    except IntegrityError:
        log.info("outbox: %s already queued, not adding it again", kind)
        return None
    if send_at is None or send_at <= utcnow():
        after_commit(db.session, hand_to_worker, msg.id)
    return msg


def hand_to_worker(message_id: int) -> None:
    """Start delivery of a committed outbox row. A broker outage only delays it: the sweep retries."""
    try:
        dispatch(DELIVER_TASK, message_id)
    except Exception as exc:  # noqa: BLE001 - any broker failure means "later", never "lost"
        log.warning(
            "outbox: could not hand message %s to a worker (%s); the sweep will retry", message_id, type(exc).__name__
        )


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


def _scheduled_due(now: datetime) -> ColumnElement[bool]:
    """A message queued ahead (``send_at``: no attempt yet, a time set) whose time has come."""
    return and_(
        OutboxMessage.attempts == 0, OutboxMessage.next_attempt_at.is_not(None), OutboxMessage.next_attempt_at <= now
    )


def _not_ahead_of_time(now: datetime) -> ColumnElement[bool]:
    """Not a message queued ahead whose time has not come (retries are timed by the worker's countdown)."""
    scheduled = OutboxMessage.next_attempt_at
    return or_(OutboxMessage.attempts > 0, scheduled.is_(None), scheduled <= now)


def _lock(message_id: int, *, only_idle: bool) -> OutboxMessage | None:
    """The pending row, locked for this transaction. ``only_idle`` (before a send): not while another
    worker's send is in flight, not before its ``send_at``, and FOR UPDATE SKIP LOCKED, so a second worker
    given the same id moves on. Otherwise (recording the outcome of our own send) it waits for the lock."""
    open_outbox()
    stmt = select(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
    if only_idle:
        now = utcnow()
        stmt = stmt.where(_in_flight_expired(now), _not_ahead_of_time(now))
    return db.session.scalars(stmt.with_for_update(skip_locked=only_idle)).one_or_none()


def _record_failure(msg: OutboxMessage, exc: Exception) -> DeliveryFailed:
    msg.sending_at = None
    msg.last_error = _error_label(exc)
    final = _is_permanent(exc) or msg.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    retry_in = None if final else _backoff(msg.attempts)
    msg.status = OutboxStatus.FAILED if final else OutboxStatus.PENDING
    msg.next_attempt_at = None if retry_in is None else utcnow() + timedelta(seconds=retry_in)
    if final:
        _forget_bodies(msg)
    message_id, attempts, error = msg.id, msg.attempts, msg.last_error  # after the commit the row is out of sight (RLS)
    db.session.commit()
    log.warning(
        "outbox: message %s attempt %s failed (%s)%s", message_id, attempts, error, "; given up" if final else ""
    )
    return DeliveryFailed(retry_in)


def _record_sent(msg: OutboxMessage) -> None:
    msg.status = OutboxStatus.SENT
    msg.sent_at = utcnow()
    msg.sending_at = None
    msg.next_attempt_at = None
    msg.last_error = ""
    if current_app.config["MAIL_BACKEND"] != "outbox":
        _forget_bodies(msg)


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


def deliver(message_id: int) -> str:
    """Send one outbox message if it is still pending. Returns 'sent' or 'skipped'.

    The guarantee is at-least-once delivery with a stable Message-ID (``mail.message_id``); queueing
    is exactly-once (the unique ``dedup_key``). Three short transactions, none held open across the
    network: (1) lock the pending row, count the attempt, build the email and mark the send in
    flight (``sending_at``), commit; (2) the SMTP transaction; (3) mark it sent, or record the failure.
    A row in flight is skipped by every other worker and by the sweep until ``OUTBOX_IN_FLIGHT_GRACE``
    has passed: only a worker that died between the server's acceptance and step 3 leaves a message
    that is sent again, and the copy carries the same Message-ID.

    A message that can't be built or that the server refuses for good (5xx) fails at once and its
    bodies are blanked; an outage is retried with backoff, up to ``OUTBOX_MAX_ATTEMPTS``. A message whose
    ``valid_while`` no longer holds is superseded (returns 'superseded')."""
    msg = _lock(message_id, only_idle=True)
    if msg is None:  # sent, given up, or another worker's send is in flight
        db.session.rollback()
        return "skipped"
    if msg.sending_at is not None:
        log.warning("outbox: message %s was left in flight by a worker; sending it again (same Message-ID)", message_id)
    if msg.valid_while and not _still_valid(msg):
        msg.status = OutboxStatus.SUPERSEDED
        msg.next_attempt_at = None
        _forget_bodies(msg)
        kind = msg.kind
        db.session.commit()
        log.info("outbox: message %s (%s) superseded: its record changed before it went out", message_id, kind)
        return "superseded"
    msg.attempts += 1
    try:
        email = mail.build_message(msg)
    except Exception as exc:  # noqa: BLE001 - a message that can't be built fails for good, recorded
        raise _record_failure(msg, exc) from exc
    if current_app.config["MAIL_BACKEND"] == "outbox":  # development: building is the check
        _record_sent(msg)
        kind = msg.kind
        db.session.commit()
        log.info("outbox: message %s (%s) kept in the development mailbox", message_id, kind)
        return "sent"
    msg.sending_at = utcnow()
    kind = msg.kind
    db.session.commit()  # in flight, on record before the server sees a byte

    failure: Exception | None = None
    try:
        mail.transport(email)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded; none may leave the row in flight
        failure = exc

    msg = _lock(message_id, only_idle=False)
    if msg is None:  # only an operator's hand can get here: nothing left to record
        db.session.rollback()
        return "skipped"
    if failure is not None:
        raise _record_failure(msg, failure) from failure
    _record_sent(msg)
    db.session.commit()
    log.info("outbox: message %s (%s) sent", message_id, kind)
    return "sent"


def sweep() -> int:
    """Hand every overdue pending message to a worker again (a send still in flight only once its
    grace period is over), and every message queued ahead whose time has come (``send_at``). Returns how
    many were handed out."""
    now = utcnow()
    overdue_before = now - current_app.config["OUTBOX_SWEEP_AFTER"]
    open_outbox()
    due = func.coalesce(OutboxMessage.next_attempt_at, OutboxMessage.created_at)
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                or_(due <= overdue_before, _scheduled_due(now)),
                _in_flight_expired(now),
            )
            .order_by(OutboxMessage.id)
            .limit(SWEEP_BATCH)
        )
    )
    db.session.rollback()
    for message_id in ids:
        hand_to_worker(message_id)
    return len(ids)


@dataclass(frozen=True)
class OutboxStatusCounts:
    """What an operator needs to see a stuck queue: counts and the oldest waiting message's age."""

    pending: int  # waiting for a first send or a retry
    retrying: int  # of those, at least one attempt failed already
    in_flight: int  # a worker has begun the SMTP transaction
    failed: int  # given up for good (all time)
    failed_last_day: int  # of those, queued within the last day
    oldest_pending: timedelta | None


def outbox_status() -> OutboxStatusCounts:
    """Pending, in-flight and failed outbox counts across every partnership (one statement)."""
    now = utcnow()
    open_outbox()
    pending = OutboxMessage.status == OutboxStatus.PENDING
    failed = OutboxMessage.status == OutboxStatus.FAILED
    row = db.session.execute(
        select(
            func.count().filter(pending),
            func.count().filter(pending & (OutboxMessage.attempts > 0)),
            func.count().filter(pending & OutboxMessage.sending_at.is_not(None)),
            func.count().filter(failed),
            func.count().filter(failed & (OutboxMessage.created_at >= now - timedelta(days=1))),
            func.min(OutboxMessage.created_at).filter(pending),
        ).where(OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)))
    ).one()
    db.session.rollback()
    oldest = row[5]
    if oldest is not None and oldest.tzinfo is None:  # SQLite's aggregate comes back without a zone
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return OutboxStatusCounts(
        int(row[0]), int(row[1]), int(row[2]), int(row[3]), int(row[4]), None if oldest is None else now - oldest
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
