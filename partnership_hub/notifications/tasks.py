"""Background work for notifications. Tasks take ids, call a service, and are safe to repeat."""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import UTC, datetime

from celery import shared_task
from celery.signals import worker_process_shutdown, worker_shutdown

from partnership_hub.db import utcnow
from partnership_hub.notifications import mail, services
from partnership_hub.tasks import PUBLISH_RETRY

log = logging.getLogger(__name__)

PLAN_SHARE = 25  # partnerships per planning task (``plan``)


@shared_task(name="notifications.deliver_email", bind=True, acks_late=True, max_retries=None)
def deliver_email(self, message_id: int) -> str:
    """Deliver one outbox message; retry a temporary failure with exponential backoff (a permanent one is
    recorded as failed by the service, and not retried)."""
    try:
        return services.deliver(message_id)
    except services.DeliveryFailed as exc:
        if exc.retry_in is None:
            return "failed"
        if self.request.is_eager:
            return "retry-later"  # in process there is no countdown: the periodic sweep retries it
        raise self.retry(countdown=exc.retry_in, exc=exc) from None


@shared_task(name="notifications.deliver_batch", bind=True, acks_late=True)
def deliver_batch(self, *message_ids: int) -> dict[str, int]:
    """Deliver messages handed out together (a fan-out, the sweep) over one SMTP connection, each one's
    outcome on record before the next is sent. The messages to try again (a temporary refusal, or the rest
    of a batch the server stopped taking) go back to the broker with a countdown, grouped by when; in
    process (eager) the periodic sweep retries them."""
    result = services.deliver_batch(message_ids)
    if not self.request.is_eager:
        later: defaultdict[int, list[int]] = defaultdict(list)
        for message_id, seconds in result.retry_in.items():
            later[seconds].append(message_id)
        for seconds, ids in sorted(later.items()):
            try:
                deliver_batch.apply_async(args=ids, countdown=seconds, retry=True, retry_policy=PUBLISH_RETRY)
            except Exception as exc:  # noqa: BLE001 - the broker is away: the sweep hands them out later
                log.warning("outbox: %s retries not queued (%s); the sweep will retry", len(ids), type(exc).__name__)
    return dict(Counter(result.outcomes.values()))


@shared_task(name="notifications.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    """Periodic: re-queue pending messages the broker never delivered."""
    return services.sweep()


@shared_task(name="notifications.plan", bind=True, acks_late=True)
def plan(self) -> int:
    """Periodic: queue what has come due in every partnership (reminders, notices, digests). Safe to repeat:
    everything it queues has a deduplication key. With a broker the partnerships are shared out among the
    workers, ``PLAN_SHARE`` to a task, all planned for the same instant (each share's digests go to
    delivery as each partnership commits); in process it plans them all itself. Returns how many
    partnerships it planned or shared out."""
    from partnership_hub.notifications import notices

    now = utcnow()
    if self.request.is_eager:
        return notices.plan_every_partnership(now)
    ids = notices.all_partnership_ids()
    for start in range(0, len(ids), PLAN_SHARE):
        plan_partnerships.apply_async(args=[now.timestamp(), *ids[start : start + PLAN_SHARE]])
    return len(ids)


@shared_task(name="notifications.plan_partnerships", acks_late=True)
def plan_partnerships(at: float, *partnership_ids: int) -> int:
    """A share of the planning beat: these partnerships, as of ``at`` (seconds since the epoch)."""
    from partnership_hub.notifications import notices

    return notices.plan_partnerships(partnership_ids, datetime.fromtimestamp(at, UTC))


@shared_task(name="notifications.prune_retention", acks_late=True)
def prune_retention() -> dict[str, int]:
    """Periodic: delete sent mail and notification centre entries past their retention (``retention.prune``).
    Safe to repeat: what is left after its time budget goes on the next run."""
    from partnership_hub.notifications import retention

    pruned = retention.prune()
    return {"outbox": pruned.outbox, "notifications": pruned.notifications, "finished": int(pruned.finished)}


@worker_process_shutdown.connect
@worker_shutdown.connect
def _close_smtp_connection(**_: object) -> None:
    """A worker process going away says goodbye to the SMTP server (QUIT) instead of just vanishing."""
    mail.close_connection()
