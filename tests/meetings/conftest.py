"""Helpers for the meetings tests: meetings scheduled through the real services, read back."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select, update

from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.meetings import services
from partnership_hub.meetings.models import Meeting, MeetingKind, MeetingSeries
from partnership_hub.workspaces.models import Partnership

# A fixed "now" for the services: Monday 2 March 2026, 12:00 UTC (Denver goes to daylight time on
# Sunday 8 March 2026).
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
ZONE = "America/Denver"


def set_zone(app, partnership, zone: str = ZONE) -> None:
    with app.app_context():
        db.session.execute(update(Partnership).where(Partnership.id == partnership.id).values(time_zone=zone))
        db.session.commit()


def form(**overrides) -> dict:
    """A valid schedule form: a one-off full partnership meeting on Tuesday 10 March 2026, 10:00–11:30."""
    data = services.ScheduleRequest(
        "Full partnership meeting", MeetingKind.FULL_PARTNERSHIP, date(2026, 3, 10), time(10, 0), time(11, 30)
    ).data()
    return data | overrides


def schedule(app, partnership, now: datetime = NOW, who: str = "coordinator", **overrides) -> int:
    """Schedule a meeting through the service as ``who``; returns the (first) meeting's id."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[who].id)
        meeting = services.schedule_meeting(ctx, form(**overrides), now)
        db.session.commit()
        return meeting.id


def rows(app, partnership) -> list[Meeting]:
    """Every meeting of ``partnership``, by start (detached, attributes loaded)."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = list(db.session.scalars(select(Meeting).order_by(Meeting.starts_at, Meeting.id)))
        db.session.expunge_all()
        return found


def series_of(app, partnership) -> list[MeetingSeries]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = list(db.session.scalars(select(MeetingSeries).order_by(MeetingSeries.id)))
        db.session.expunge_all()
        return found


def call(app, partnership, fn, *args, who: str = "coordinator", **kwargs):
    """Run ``fn(ctx, *args, **kwargs)`` for ``who`` and commit; returns its value."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[who].id)
        value = fn(ctx, *args, **kwargs)
        db.session.commit()
        return value


@pytest.fixture
def home(app, world):
    set_zone(app, world.home)
    return world.home


@pytest.fixture
def base(world) -> str:
    return f"/p/{world.home.slug}/meetings"
