"""Queueing email in the outbox, delivering it once, and sweeping up what the broker missed."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from partnership_hub.db import after_commit, utcnow
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


def queue_email(
    *,
    kind: str,
    dedup_key: str,
    to: str,
    subject: str,
    template: str,
    partnership_id: int | None = None,
    sender_id: int | None = None,
    **context,
) -> OutboxMessage | None:
    """Write one message to the outbox in the current transaction; deliver it after the commit.
    ``sender_id``: the person whose action sends it (counted by ``recent_sends``).

    Returns None when a message with the same ``dedup_key`` already exists (nothing is added)."""
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
    )
    try:
        with db.session.begin_nested():
            db.session.add(msg)
    except IntegrityError:
        log.info("outbox: %s already queued, not adding it again", kind)
        return None
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
    return min(30 * 2 ** max(attempts - 1, 0), 3600)


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


def deliver(message_id: int) -> str:
    """Send one outbox message if it is still pending. Returns 'sent' or 'skipped'.

    The row is locked (PostgreSQL: FOR UPDATE SKIP LOCKED) while it is sent, so two workers given
    the same id cannot both send it; a row already sent is skipped. Any failure counts as an attempt:
    a message that can't be built or that the server refuses for good (5xx) fails at once and its
    bodies are blanked; an outage is retried with backoff, up to ``OUTBOX_MAX_ATTEMPTS``."""
    open_outbox()
    stmt = select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update(skip_locked=True)
    msg = db.session.scalars(stmt).one_or_none()
    if msg is None or msg.status != OutboxStatus.PENDING:
        db.session.rollback()
        return "skipped"
    msg.attempts += 1
    try:
        mail.send(msg)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded; none may leave the row untouched
        msg.last_error = _error_label(exc)
        final = _is_permanent(exc) or msg.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
        retry_in = None if final else _backoff(msg.attempts)
        msg.status = OutboxStatus.FAILED if final else OutboxStatus.PENDING
        msg.next_attempt_at = None if retry_in is None else utcnow() + timedelta(seconds=retry_in)
        if final:
            _forget_bodies(msg)
        attempts, error = msg.attempts, msg.last_error  # after the commit the row is out of sight (RLS)
        db.session.commit()
        log.warning(
            "outbox: message %s attempt %s failed (%s)%s", message_id, attempts, error, "; given up" if final else ""
        )
        raise DeliveryFailed(retry_in) from exc
    msg.status = OutboxStatus.SENT
    msg.sent_at = utcnow()
    msg.next_attempt_at = None
    msg.last_error = ""
    if current_app.config["MAIL_BACKEND"] != "outbox":
        _forget_bodies(msg)
    kind = msg.kind
    db.session.commit()
    log.info("outbox: message %s (%s) sent", message_id, kind)
    return "sent"


def sweep() -> int:
    """Hand every overdue pending message to a worker again. Returns how many were re-queued."""
    overdue_before = utcnow() - current_app.config["OUTBOX_SWEEP_AFTER"]
    open_outbox()
    due = func.coalesce(OutboxMessage.next_attempt_at, OutboxMessage.created_at)
    ids = list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == OutboxStatus.PENDING, due <= overdue_before)
            .order_by(OutboxMessage.id)
            .limit(SWEEP_BATCH)
        )
    )
    db.session.rollback()
    for message_id in ids:
        hand_to_worker(message_id)
    return len(ids)


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
