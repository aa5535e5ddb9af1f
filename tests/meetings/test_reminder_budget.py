"""The planner's statements do not grow with the meetings or the people: the same count for one meeting
with three invitees and for six meetings with thirteen each, both when it queues reminders (what it
reads; each message's own writes are the outbox's) and when everything due was queued already."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from partnership_hub.workspaces.models import Role
from tests.budget import counting
from tests.factories import add_member, create_user
from tests.meetings.test_reminders import START, frozen_clock, mail, plan, schedule_at

# What queueing messages costs the outbox (``queue_email``: the mail rule, ids from the sequence in growing
# blocks, the row; on PostgreSQL the tenant settings sent again after a savepoint) and each ``notify`` call
# (the centre's entries, one INSERT): writes that grow with what is told, not the planner's reads.
PER_MESSAGE = re.compile(
    r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|INSERT INTO (outbox_messages|notifications))"
    r"|FROM advisor_profiles|nextval\('outbox_messages_id_seq'\)|set_config\('app\.partnership_id'",
    re.IGNORECASE,
)


@pytest.fixture
def clock(monkeypatch):
    return frozen_clock(monkeypatch)


def run(app, partnership, now, clock) -> tuple[int, list[str]]:
    with counting(app) as statements:
        told = plan(app, partnership, now, clock)
    return told, [s for s in statements if not PER_MESSAGE.search(s)]


def test_the_planner_costs_the_same_for_1_meeting_and_for_6_with_13_invitees(app, world, home, clock):
    schedule_at(app, home, clock)
    queued = START - timedelta(hours=1, minutes=10)
    told, small_reads = run(app, home, queued, clock)
    assert told == 3
    _, small_idle = run(app, home, queued + timedelta(minutes=5), clock)

    for n in range(10):
        add_member(app, home, create_user(app), Role.MEMBER, key=f"extra{n}")
    for n in range(6):
        schedule_at(app, home, clock, date="2026-03-11", title=f"Meeting {n}")
    later = queued + timedelta(days=1)
    told, large_reads = run(app, home, later, clock)
    assert told == 6 * 13
    _, large_idle = run(app, home, later + timedelta(minutes=5), clock)

    assert len(large_reads) == len(small_reads), (small_reads, large_reads)
    assert len(large_idle) == len(small_idle), (small_idle, large_idle)
    assert len(small_idle) <= 8, small_idle
    assert len(mail(app)) == 3 + 6 * 13
