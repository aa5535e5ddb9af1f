"""Pooled connections the server has closed are replaced without a failed request (PostgreSQL)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text

from partnership_hub.extensions import db

pytestmark = pytest.mark.postgres


def _backend_pid() -> int:
    pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    db.session.remove()  # back to the pool
    return int(pid)


def test_a_connection_the_server_ended_is_replaced_at_checkout(app, owner_engine):
    with app.app_context():
        assert db.engine.pool._pre_ping is False  # the check below stands in for the ping
        db.engine.dispose()
        first = _backend_pid()
        assert _backend_pid() == first  # the pool hands the same connection back

        with owner_engine.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar_one()
        time.sleep(0.2)  # the server's goodbye reaches the socket

        second = _backend_pid()  # would raise OperationalError with a dead connection handed out
    assert second != first


def test_a_healthy_idle_connection_is_kept(app):
    with app.app_context():
        db.engine.dispose()
        pids = {_backend_pid() for _ in range(5)}
    assert len(pids) == 1
