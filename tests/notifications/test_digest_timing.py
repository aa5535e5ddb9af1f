"""When a digest is due: weekly by default on the partnership's day and local hour, or as each person chose
(daily, weekly, off; their day, hour and time zone), once per period, catching up within the period after
the beat was down and never late for a period that has ended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.notifications.digest import current_period
from partnership_hub.notifications.models import NotificationPreference, NotificationSettings
from tests.notifications.digest_helpers import add, digests, due, meeting, plan, prefer, sent_for

MONDAY = datetime(2026, 12, 7, tzinfo=UTC)  # ISO week 2026-W50
DENVER = ZoneInfo("America/Denver")


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


def test_coordinators_are_due_weekly_by_default_from_8_on_monday(app, world):
    coordinator = world.home.membership_ids["coordinator"]
    assert due(app, world.home, at(MONDAY, 7, 59)) == []
    assert due(app, world.home, at(MONDAY, 8)) == [(coordinator, "2026-W50")]
    # Members, advisors and observers have not opted in: nobody else is due.
    assert due(app, world.home, at(MONDAY + timedelta(days=3), 12)) == [(coordinator, "2026-W50")]


def test_the_partnerships_day_and_hour(app, world):
    add(app, world.home, NotificationSettings(digest_weekday=3, digest_hour=17))
    thursday = MONDAY + timedelta(days=3)
    assert due(app, world.home, at(thursday, 16, 59)) == []
    assert due(app, world.home, at(thursday, 17)) == [(world.home.membership_ids["coordinator"], "2026-W50")]


def test_a_persons_own_day_hour_and_time_zone(app, world):
    coordinator = world.home.membership_ids["coordinator"]
    prefer(app, world.home, coordinator, digest_weekday=1, digest_hour=6, time_zone="America/Denver")
    tuesday = MONDAY + timedelta(days=1)
    assert due(app, world.home, at(tuesday, 12, 59)) == []  # 05:59 in Denver (MST, UTC-7)
    assert due(app, world.home, at(tuesday, 13)) == [(coordinator, "2026-W50")]


def test_the_period_is_the_readers_local_week(app, world):
    """Monday 03:00 UTC is still Sunday evening in Denver: the week there is W49, already sent."""
    coordinator = world.home.membership_ids["coordinator"]
    prefer(app, world.home, coordinator, time_zone="America/Denver", digest_sent_for="2026-W49")
    assert due(app, world.home, at(MONDAY, 3)) == []
    assert due(app, world.home, at(MONDAY, 14, 59)) == []  # 07:59 in Denver
    assert due(app, world.home, at(MONDAY, 15)) == [(coordinator, "2026-W50")]


def test_the_local_hour_across_a_dst_change():
    """The day after Denver moves to daylight time, 08:00 local is 14:00 UTC (it was 15:00 the week before)."""
    after = datetime(2026, 3, 9, 14, 30, tzinfo=UTC)
    assert current_period("weekly", 0, 8, DENVER, after).due_at == datetime(2026, 3, 9, 14, tzinfo=UTC)
    before = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
    assert current_period("weekly", 0, 8, DENVER, before).due_at == datetime(2026, 3, 2, 15, tzinfo=UTC)
    # 02:00 does not exist on 8 March in Denver: that day's daily digest goes out at 03:00 MDT.
    gap = current_period("daily", 0, 2, DENVER, datetime(2026, 3, 8, 12, tzinfo=UTC))
    assert (gap.key, gap.due_at) == ("2026-03-08", datetime(2026, 3, 8, 9, tzinfo=UTC))


def test_daily_digests_are_due_every_day_at_the_chosen_hour(app, world):
    coordinator = world.home.membership_ids["coordinator"]
    prefer(app, world.home, coordinator, digest="daily", digest_hour=6)
    tuesday = MONDAY + timedelta(days=1)
    assert due(app, world.home, at(tuesday, 5, 59)) == []
    assert due(app, world.home, at(tuesday, 6)) == [(coordinator, "2026-12-08")]
    prefer(app, world.home, coordinator, digest_sent_for="2026-12-08")
    assert due(app, world.home, at(tuesday, 23)) == []
    assert due(app, world.home, at(tuesday + timedelta(days=1), 6)) == [(coordinator, "2026-12-09")]


@pytest.mark.parametrize(
    ("role", "choice", "expected"),
    [
        ("coordinator", {"digest": "off"}, False),
        ("member", {}, False),
        ("member", {"digest": "weekly", "member_digest": True}, True),
        ("member", {"digest": "daily"}, True),
        ("member", {"member_digest": True}, True),  # opted in, frequency left to the default: weekly
        ("member", {"digest": "off", "member_digest": True}, False),
        ("survivor_advisor", {"digest": "weekly"}, True),
        ("observer", {"digest": "weekly"}, False),  # observers have no work of their own: never
    ],
)
def test_who_gets_a_digest_at_all(app, world, role, choice, expected):
    membership_id = world.home.membership_ids[role]
    if choice:
        prefer(app, world.home, membership_id, **choice)
    due_ids = {membership_id for membership_id, _ in due(app, world.home, at(MONDAY + timedelta(days=1), 23))}
    assert (membership_id in due_ids) is expected


def test_a_beat_that_was_down_catches_up_within_the_period_only(app, world):
    coordinator = world.home.membership_ids["coordinator"]
    email = world.home.members["coordinator"].email
    add(app, world.home, meeting("Planning team", MONDAY + timedelta(days=4, hours=10)))
    wednesday = at(MONDAY + timedelta(days=2), 10)
    assert plan(app, world.home, wednesday) == 1  # Monday 08:00 passed while the beat was down
    assert sent_for(app, world.home, coordinator) == "2026-W50"
    assert plan(app, world.home, wednesday + timedelta(minutes=5)) == 0
    assert plan(app, world.home, at(MONDAY + timedelta(days=7), 7, 59)) == 0  # next week's not due yet
    assert [message.dedup_key for message in digests(app, to=email)] == [f"digest:2026-W50:{coordinator}"]


def test_a_period_that_ended_unsent_is_not_sent_late(app, world):
    coordinator = world.home.membership_ids["coordinator"]
    prefer(app, world.home, coordinator, digest_sent_for="2026-W49")
    add(app, world.home, meeting("Planning team", MONDAY + timedelta(days=8)))
    # The beat was down the whole of W50; on Monday of W51 before 08:00 nothing is due, W50 is gone.
    assert due(app, world.home, at(MONDAY + timedelta(days=7), 7)) == []


def test_never_twice_for_a_period_even_if_two_runs_race(app, world):
    coordinator = world.home.membership_ids["coordinator"]
    add(app, world.home, meeting("Planning team", MONDAY + timedelta(days=2)))
    now = at(MONDAY, 9)
    assert plan(app, world.home, now) == 1
    assert plan(app, world.home, now) == 0  # the period is marked
    # A second run that read the preferences before the first committed: the outbox key holds.
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(
            update(NotificationPreference)
            .where(NotificationPreference.membership_id == coordinator)
            .values(digest_sent_for=None)
        )
        db.session.commit()
    assert plan(app, world.home, now) == 0
    assert len(digests(app)) == 1
