"""Two people reordering one agenda at once, on PostgreSQL: each request in its own thread and
connection. The meeting's row lock serializes them and the version check refuses the one made on
the agenda as it was: nothing is lost or duplicated, and nobody gets a 500."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from partnership_hub.meetings import agenda
from tests.meetings.test_agenda import built, items, version

pytestmark = pytest.mark.postgres


def _together(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_two_reorders_at_once_lose_and_duplicate_nothing(app, world, home, login_as, base, monkeypatch):
    meeting_id, (one, two, three, four) = built(app, home, ("One", "Two", "Three", "Four"))
    seen = version(app, home, meeting_id)
    original = agenda._accepted_items

    def slowly(meeting):  # widen the window between reading the order and writing it
        found = original(meeting)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(agenda, "_accepted_items", slowly)
    first, second = login_as("coordinator"), login_as("coordinator")

    responses = _together(
        [
            lambda: first.post(f"{base}/agenda-items/{four}/move", data={"version": seen, "before": str(one)}),
            lambda: second.post(f"{base}/agenda-items/{one}/move", data={"version": seen, "before": "end"}),
        ]
    )

    assert sorted(r.status_code for r in responses) == [302, 422]
    assert "The agenda changed" in next(r for r in responses if r.status_code == 422).text
    found = items(app, home, meeting_id)
    assert sorted(i.id for i in found) == sorted([one, two, three, four])
    assert sorted(i.position for i in found) == [1, 2, 3, 4]
    assert version(app, home, meeting_id) == seen + 1
