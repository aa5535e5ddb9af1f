"""Liveness and readiness probes for load balancers and orchestration."""

from __future__ import annotations

import logging

import redis
from flask import Blueprint, Response, current_app, g, jsonify
from sqlalchemy import text

from partnership_hub.extensions import db, login_manager

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.before_request
def _nobody_signed_in() -> None:
    """Probes answer for the process, not for a person: a cookie sent along must not make the hooks
    after the view load a user (a query, which with the database down would fail a second time)."""
    g._login_user = login_manager.anonymous_user()


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up and answering."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready to serve: the database answers. The web tier needs nothing else: with the broker down,
    pages and writes still work (mail waits in the outbox, the rate limiter counts in memory), so a
    broker outage must not take every web instance out of a load balancer. Its state is reported in
    the body (``checks.broker``) for operators, and never fails readiness."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        log.warning("readyz: database unreachable (%s)", type(exc).__name__)
        checks["database"] = "unreachable"
    finally:
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection is already gone; the pool discards it
            log.debug("readyz: rollback failed", exc_info=True)
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
    failed = ["database"] if checks["database"] != "ok" else []
    degraded = sorted(name for name, state in checks.items() if state != "ok" and name not in failed)
    status = 503 if failed else 200
    return jsonify(
        status="ready" if not failed else "unavailable", checks=checks, failed=failed, degraded=degraded
    ), status
