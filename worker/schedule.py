"""The periodic work, in Celery beat's format: every installed area's ``beat`` entries. The embedded
scheduler reads the same table."""

from __future__ import annotations

from typing import Any

from partnership_hub import areas

BEAT_SCHEDULE: dict[str, dict[str, Any]] = areas.beat_schedule()
