"""Background work for meetings. Beat runs ``meetings.extend_series`` daily: every live series gets its
occurrences generated ahead again (idempotent: an occurrence that exists is not added twice)."""

from __future__ import annotations

from celery import shared_task

from partnership_hub.meetings import services


@shared_task(name="meetings.extend_series", acks_late=True)
def extend_series() -> int:
    """Periodic: generate the occurrences every series needs next, partnership by partnership."""
    return services.extend_every_partnership()
