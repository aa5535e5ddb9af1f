"""Queueing email in the outbox, delivering it once, and sweeping up what the broker missed."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from partnership_hub.db import after_commit, utcnow
from partnership_hub.extensions import db
from partnership_hub.notifications import mail
from partnership_hub.notifications.models import OutboxMessage, OutboxStatus
from partnership_hub.tasks import dispatch

log = logging.getLogger(__name__)

DELIVER_TASK = "notifications.deliver_email"
SWEEP_BATCH = 500


class DeliveryFailed(Exception):
    """The mail server refused or could not be reached; ``retry_in`` says when to try again."""

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
    **context,
) -> OutboxMessage | None:
    """Write one message to the outbox in the current transaction; deliver it after the commit.

    Returns None when a message with the same ``dedup_key`` already exists (nothing is added)."""
    context.setdefault("subject", subject)
    msg = OutboxMessage(
        kind=kind,
        dedup_key=dedup_key[:200],
        partnership_id=partnership_id,
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


def deliver(message_id: int) -> str:
    """Send one outbox message if it is still pending. Returns 'sent' or 'skipped'.

    The row is locked (PostgreSQL: FOR UPDATE SKIP LOCKED) while it is sent, so two workers given
    the same id cannot both send it; a row already sent is skipped."""
    stmt = select(OutboxMessage).where(OutboxMessage.id == message_id).with_for_update(skip_locked=True)
    msg = db.session.scalars(stmt).one_or_none()
    if msg is None or msg.status != OutboxStatus.PENDING:
        db.session.rollback()
        return "skipped"
    try:
        mail.send(msg)
    except (smtplib.SMTPException, OSError) as exc:
        msg.attempts += 1
        code = getattr(exc, "smtp_code", None)
        msg.last_error = f"{type(exc).__name__}{f' {code}' if code else ''}"[:200]
        final = msg.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
        retry_in = None if final else _backoff(msg.attempts)
        msg.status = OutboxStatus.FAILED if final else OutboxStatus.PENDING
        msg.next_attempt_at = None if retry_in is None else utcnow() + timedelta(seconds=retry_in)
        db.session.commit()
        log.warning("outbox: message %s attempt %s failed (%s)", msg.id, msg.attempts, msg.last_error)
        raise DeliveryFailed(retry_in) from exc
    msg.attempts += 1
    msg.status = OutboxStatus.SENT
    msg.sent_at = utcnow()
    msg.next_attempt_at = None
    msg.last_error = ""
    if current_app.config["MAIL_BACKEND"] != "outbox":
        # Sent mail may hold single-use links; once delivered the outbox forgets the bodies.
        msg.text_body = msg.html_body = ""
    db.session.commit()
    log.info("outbox: message %s (%s) sent", msg.id, msg.kind)
    return "sent"


def sweep() -> int:
    """Hand every overdue pending message to a worker again. Returns how many were re-queued."""
    overdue_before = utcnow() - current_app.config["OUTBOX_SWEEP_AFTER"]
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
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def get_message(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)
