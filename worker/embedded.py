"""A small in-process scheduler for the embedded mode (no Redis, no beat): it calls the same tasks
beat would, on the same schedule, in a daemon thread of the web process."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from flask import Flask

from partnership_hub.tasks import dispatch

log = logging.getLogger(__name__)


class EmbeddedScheduler(threading.Thread):
    def __init__(self, app: Flask, schedule: dict[str, dict[str, Any]]) -> None:
        super().__init__(name="embedded-scheduler", daemon=True)
        self.app = app
        self.entries = {name: float(entry["schedule"]) for name, entry in schedule.items()}
        self.tasks = {name: entry["task"] for name, entry in schedule.items()}
        self.stopped = threading.Event()

    def run(self) -> None:
        next_run = {name: time.monotonic() + 5 for name in self.entries}
        while not self.stopped.wait(1.0):
            now = time.monotonic()
            for name, due in next_run.items():
                if now < due:
                    continue
                next_run[name] = now + self.entries[name]
                try:
                    with self.app.app_context():
                        dispatch(self.tasks[name])
                except Exception:
                    log.exception("embedded scheduler: %s failed", name)

    def stop(self) -> None:
        self.stopped.set()
