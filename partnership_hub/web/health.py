"""Liveness and readiness probes for load balancers and orchestration."""

from __future__ import annotations

import logging

import redis
from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from partnership_hub.extensions import db

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and answering."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready to serve: the database (and the broker, where one is configured) answers."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        log.warning("readyz: database unreachable (%s)", type(exc).__name__)
        checks["database"] = "unreachable"
    finally:
        db.session.rollback()
    redis_url = current_app.config["REDIS_URL"]
    if redis_url:
        try:
            client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
            client.ping()
            client.close()
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            log.warning("readyz: broker unreachable (%s)", type(exc).__name__)
            checks["broker"] = "unreachable"
    failed = sorted(name for name, state in checks.items() if state != "ok")
    status = 503 if failed else 200
    return jsonify(status="ready" if not failed else "unavailable", checks=checks, failed=failed), status
