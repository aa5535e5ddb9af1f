"""The periodic work, in Celery beat's format. The embedded scheduler reads the same table."""

from __future__ import annotations

BEAT_SCHEDULE: dict[str, dict] = {
    "sweep-outbox": {"task": "notifications.sweep_outbox", "schedule": 60.0},
}
