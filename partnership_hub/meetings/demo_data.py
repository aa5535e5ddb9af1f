"""Demo meetings for the Front Range partnership: the monthly full partnership meeting (second Tuesday,
10:00, three past occurrences and the coming ones) and a one-off planning team meeting next week.
Dates are relative to the day the demo is seeded."""

from __future__ import annotations

from datetime import date, time, timedelta

from partnership_hub.context import WorkspaceContext
from partnership_hub.meetings import services
from partnership_hub.meetings.models import MeetingKind


def second_tuesday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)


def _months_back(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The area's part of the demo: a recurring monthly meeting and a planning team meeting."""
    today = ctx.today()
    ids = _membership_ids(ctx, people)
    # Three second Tuesdays before today: the series starts at the earliest.
    year, month = _months_back(today, 3)
    first = second_tuesday(year, month)
    if second_tuesday(today.year, today.month) < today:  # this month's is past too: start a month later
        year, month = _months_back(today, 2)
        first = second_tuesday(year, month)
    services.schedule_meeting(
        ctx,
        services.ScheduleRequest(
            "Full partnership meeting",
            MeetingKind.FULL_PARTNERSHIP,
            first,
            time(10, 0),
            time(11, 30),
            location="Denver Central Library, Conference Room B",
            online_url="https://meet.example.org/front-range-partnership",
            facilitator_membership_id=ids.get("luis.ortega"),
            note_taker_membership_id=ids.get("priya.raman"),
            repeat="monthly_by_weekday",
        ).data(),
    )
    services.schedule_meeting(
        ctx,
        services.ScheduleRequest(
            "Planning team: spring training",
            MeetingKind.PLANNING_TEAM,
            today + timedelta(days=6),
            time(14, 0),
            time(15, 0),
            online_url="https://meet.example.org/front-range-planning",
            facilitator_membership_id=ids.get("coordinator"),
            note_taker_membership_id=ids.get("marcus.bell"),
        ).data(),
    )


def _membership_ids(ctx: WorkspaceContext, people: dict) -> dict[str, int]:
    from sqlalchemy import select

    from partnership_hub.db import scoped
    from partnership_hub.extensions import db
    from partnership_hub.workspaces.models import Membership

    by_user = {user.id: local for local, user in people.items()}
    rows = db.session.execute(scoped(select(Membership.user_id, Membership.id))).tuples().all()
    return {by_user[user_id]: membership_id for user_id, membership_id in rows if user_id in by_user}
