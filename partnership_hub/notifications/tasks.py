"""Background work for notifications. Tasks take ids, call a service, and are safe to repeat."""

from __future__ import annotations

from celery import shared_task

from partnership_hub.notifications import services


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


@shared_task(name="notifications.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    """Periodic: re-queue pending messages the broker never delivered."""
    return services.sweep()


@shared_task(name="notifications.plan", acks_late=True)
def plan() -> int:
    """Periodic: queue what has come due in every partnership (reminders, notices, digests). Safe to repeat:
    everything it queues has a deduplication key."""
    from partnership_hub.notifications import notices

    return notices.plan_every_partnership()
