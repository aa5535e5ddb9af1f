"""Two people asking the board at the same moment, on PostgreSQL: each request in its own thread and
connection. The partnership's row lock makes the second filing count after the first has committed, so an
advisor who takes one request a month receives one, not two, and nobody gets a 500."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from partnership_hub.advisory import requests as participation
from partnership_hub.advisory.requests_models import RequestStatus
from tests.advisory.requests_helpers import SECOND, board, count_deliveries, form, requests_of, set_limit

pytestmark = pytest.mark.postgres


def _together(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_two_filings_at_once_do_not_exceed_a_limit_of_one(app, world, login_as, monkeypatch):
    board(app, world)
    set_limit(app, world, "survivor_advisor", 1)
    set_limit(app, world, SECOND, 0)
    original = participation._load_statement

    def slowly(*args, **kwargs):  # both filings would count before either writes, were it not for the lock
        stmt = original(*args, **kwargs)
        time.sleep(0.3)
        return stmt

    monkeypatch.setattr(participation, "_load_statement", slowly)
    base = f"/p/{world.home.slug}/advisory/requests/new"
    first, second = login_as("member"), login_as("coordinator")

    responses = _together(
        [
            lambda: first.post(base, data=form(title="First")),
            lambda: second.post(base, data=form(title="Second")),
        ]
    )

    assert [r.status_code for r in responses] == [302, 302]
    assert count_deliveries(app, world.home) == 1
    assert sorted(r.status for r in requests_of(app, world.home)) == sorted(
        [RequestStatus.OPEN, RequestStatus.AT_CAPACITY]
    )
