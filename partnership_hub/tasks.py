"""Celery, bound to the Flask app (the Flask docs' pattern), and the one way to start a task.

``dispatch`` is only ever called after a commit (see ``db.after_commit``). With a broker it
publishes the task; in the embedded mode and in tests (``TASKS_EAGER``) it runs the task here,
in a fresh app context and so a fresh database session.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery, Task
from flask import Flask, current_app

log = logging.getLogger(__name__)

PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}


def init_celery(app: Flask) -> Celery:
    class FlaskTask(Task):  # type: ignore[misc]  # Celery ships no type hints: Task is Any here
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.import_name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.conf.task_always_eager = app.config["TASKS_EAGER"]
    celery_app.conf.broker_connection_timeout = 3
    celery_app.set_default()
    from partnership_hub import areas

    for module in areas.task_modules():
        __import__(module)
    app.extensions["celery"] = celery_app
    return celery_app


def dispatch(task_name: str, *args: int) -> None:
    """Start ``task_name`` with JSON-safe ids. Broker errors propagate; callers decide what 'later' is."""
    celery_app: Celery = current_app.extensions["celery"]
    if celery_app.conf.task_always_eager:
        celery_app.tasks[task_name].apply(args=args)
    else:
        celery_app.send_task(task_name, args=args, retry=True, retry_policy=PUBLISH_RETRY)
