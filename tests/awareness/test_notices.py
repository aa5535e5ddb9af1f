"""Awareness-day notices (issue #15, point 3): a lead-time notice (the partnership's lead time, 14 days by
default) and a day-of notice for each day the partnership observes, with its campaign plans and their open
tasks, to everyone but observers, once per day, year and person, from 08:00 in the partnership's time zone
(Los Angeles here, across the end of daylight time), caught up after a beat that was down but never for a
day already over, as each person chose, in a fixed number of statements whatever the partnership's size."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert, select, update

from partnership_hub import toolkit
from partnership_hub.actions.models import ActionItem, ActionStatus
from partnership_hub.awareness import campaigns, days
from partnership_hub.awareness import notices as awareness_notices
from partnership_hub.awareness.models import AwarenessDay
from partnership_hub.awareness.rules import RuleKind
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.notifications import notices
from partnership_hub.notifications.models import Notification, NotificationPreference
from partnership_hub.workspaces.models import Partnership, Role
from tests.actions.conftest import add_goal
from tests.budget import counting, planned_with_count
from tests.factories import add_member, create_partnership, create_user, outbox

LOS_ANGELES = "America/Los_Angeles"  # standard time (UTC-8) from Sunday 1 November 2026
UPCOMING, TODAY = "awareness_upcoming", "awareness_today"
# #GivingTuesday 2026: the fourth Thursday of November is the 26th, so the Tuesday after is 1 December.
GIVING_TUESDAY = "toolkit:giving_tuesday"
# 14 days ahead: Tuesday 17 November, 08:00 PST = 16:00 UTC. The day itself: 1 December, 08:00 PST.
LEAD_MORNING = datetime(2026, 11, 17, 16, 0, tzinfo=UTC)
DAY_MORNING = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
TOLD = ("coordinator", "member", "survivor_advisor")  # everyone but the observer


def set_zone(app, partnership, zone: str = LOS_ANGELES) -> None:
    with app.app_context():
        db.session.execute(update(Partnership).where(Partnership.id == partnership.id).values(time_zone=zone))
        db.session.commit()


def as_coordinator(app, partnership, fn, *args):
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        value = fn(ctx, *args)
        db.session.commit()
        return getattr(value, "id", value)


def observe_only(app, partnership, *keys: str) -> None:
    """Hide every toolkit day but ``keys`` (so a test hears about the days it is about)."""
    for day in toolkit.AWARENESS_DAYS:
        if day.key not in keys:
            as_coordinator(app, partnership, days.set_observed, {"key": day.key, "observe": "0"})


def prefer(app, partnership, who: str, **fields) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add(NotificationPreference(membership_id=partnership.membership_ids[who], **fields))
        db.session.commit()


def plan(app, partnership, now: datetime) -> int:
    """The awareness planner for ``partnership`` at ``now``, committed, as the beat runs it."""
    with app.app_context():
        told = awareness_notices.plan(context_for(partnership.id), now)
        db.session.commit()
        return told


def mail(app, kind: str, ref: str = GIVING_TUESDAY):
    return [m for m in outbox(app, kind=kind) if m.dedup_key.startswith(f"{kind}:{ref}:")]


def centre(app, partnership, kind: str | None = None) -> list[tuple[int, str, str, str]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(Notification.membership_id, Notification.kind, Notification.title, Notification.url)
        if kind:
            stmt = stmt.where(Notification.kind == kind)
        return [tuple(row) for row in db.session.execute(stmt.order_by(Notification.id))]


def addresses(partnership, *who: str) -> set[str]:
    return {partnership.members[key].email for key in who}


def tasks(app, partnership, *rows: dict) -> None:
    """Action items (campaign tasks), added directly."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add_all(ActionItem(**row) for row in rows)
        db.session.commit()


@pytest.fixture
def home(app, world):
    set_zone(app, world.home)
    observe_only(app, world.home, "giving_tuesday")
    return world.home


# --- when, to whom, once --------------------------------------------------------------------------------


def test_giving_tuesday_is_announced_two_weeks_ahead_and_on_the_day(app, home):
    assert plan(app, home, LEAD_MORNING - MINUTE) == 0  # 07:59 PST
    assert plan(app, home, LEAD_MORNING - timedelta(days=1)) == 0  # 15 days ahead
    assert outbox(app) == [] and centre(app, home) == []

    assert plan(app, home, LEAD_MORNING) == 3
    ahead = mail(app, UPCOMING)
    assert {m.to_address for m in ahead} == addresses(home, *TOLD)  # not the observer
    assert {m.dedup_key for m in ahead} == {
        f"{UPCOMING}:{GIVING_TUESDAY}:2026-12-01:{home.membership_ids[who]}" for who in TOLD
    }
    first = ahead[0]
    assert first.subject == "In 14 days: #GivingTuesday, 1 December"
    assert "Tuesday 1 December 2026" in first.text_body and toolkit.GIVING_TUESDAY_NOTE in first.text_body
    assert "no campaign plan for it this year yet" in first.text_body
    assert f"/p/{home.slug}/awareness" in first.text_body
    assert "Choose which emails you get" in first.text_body and "Choose which emails you get" in first.html_body
    assert sorted(row[0] for row in centre(app, home, UPCOMING)) == sorted(home.membership_ids[w] for w in TOLD)
    assert centre(app, home)[0][2:] == ("#GivingTuesday is coming up on 1 Dec 2026", f"/p/{home.slug}/awareness")

    # The beat again, every day until the day, and on the eve (1 December already in UTC): nothing more.
    for later in (LEAD_MORNING + MINUTE, LEAD_MORNING + timedelta(days=8), datetime(2026, 12, 1, 7, 0, tzinfo=UTC)):
        assert plan(app, home, later) == 0
    assert plan(app, home, DAY_MORNING - MINUTE) == 0  # 07:59 on the day
    assert len(outbox(app)) == 3

    assert plan(app, home, DAY_MORNING) == 3
    on_the_day = mail(app, TODAY)
    assert {m.to_address for m in on_the_day} == addresses(home, *TOLD)
    assert on_the_day[0].subject == "Today: #GivingTuesday"
    assert on_the_day[0].dedup_key.startswith(f"{TODAY}:{GIVING_TUESDAY}:2026-12-01:")
    assert plan(app, home, DAY_MORNING + timedelta(hours=10)) == 0
    assert plan(app, home, DAY_MORNING + timedelta(days=1)) == 0
    assert len(outbox(app)) == 6 and len(centre(app, home)) == 6


def test_giving_tuesday_falls_on_the_tuesday_after_thanksgiving_every_year(app, home):
    """A computed day: each year's notices come on that year's own date, named in the key (2027: Thanksgiving
    is 25 November, so #GivingTuesday is 30 November and the lead notice is due 16 November)."""
    assert plan(app, home, datetime(2027, 11, 15, 16, 0, tzinfo=UTC)) == 0
    assert plan(app, home, datetime(2027, 11, 16, 16, 0, tzinfo=UTC)) == 3
    assert {m.dedup_key.rsplit(":", 1)[0] for m in mail(app, UPCOMING)} == {f"{UPCOMING}:{GIVING_TUESDAY}:2027-11-30"}
    assert plan(app, home, datetime(2027, 11, 30, 15, 59, tzinfo=UTC)) == 0
    assert plan(app, home, datetime(2027, 11, 30, 16, 0, tzinfo=UTC)) == 3
    assert {m.dedup_key.rsplit(":", 1)[0] for m in mail(app, TODAY)} == {f"{TODAY}:{GIVING_TUESDAY}:2027-11-30"}


def test_a_beat_that_was_down_catches_up_but_never_for_a_day_already_over(app, home):
    # Down from before the lead morning until 29 November: the lead notice goes, two days ahead.
    assert plan(app, home, datetime(2026, 11, 29, 20, 0, tzinfo=UTC)) == 3
    [ahead, *_] = mail(app, UPCOMING)
    assert ahead.subject == "In 2 days: #GivingTuesday, 1 December" and "is in 2 days" in ahead.text_body
    # Down again through the day itself: on 2 December nothing is left to say.
    assert plan(app, home, datetime(2026, 12, 2, 17, 0, tzinfo=UTC)) == 0
    assert mail(app, TODAY) == []


def test_a_lead_notice_missed_entirely_gives_way_to_the_day_of_notice(app, home):
    assert plan(app, home, DAY_MORNING + timedelta(hours=2)) == 3
    assert mail(app, UPCOMING) == [] and len(mail(app, TODAY)) == 3


def test_the_partnerships_lead_time_decides_when_a_day_is_announced(app, home):
    as_coordinator(app, home, days.set_lead_days, {"lead_days": "30"})
    # 30 days before 1 December is Sunday 1 November, the day daylight time ends: 08:00 PST = 16:00 UTC.
    assert plan(app, home, datetime(2026, 11, 1, 15, 59, tzinfo=UTC)) == 0
    assert plan(app, home, datetime(2026, 11, 1, 16, 0, tzinfo=UTC)) == 3
    assert mail(app, UPCOMING)[0].subject == "In 30 days: #GivingTuesday, 1 December"


def test_a_day_the_partnership_does_not_observe_is_not_announced(app, home):
    as_coordinator(app, home, days.set_observed, {"key": "giving_tuesday", "observe": "0"})
    assert plan(app, home, LEAD_MORNING) == 0 and plan(app, home, DAY_MORNING) == 0


def test_the_partnerships_own_days_are_announced_too(app, home):
    with app.app_context():
        bind_tenant(db.session, home.id)
        db.session.add(AwarenessDay(name="Walk for Freedom", kind=RuleKind.ONE_OFF, on_date=date(2026, 10, 17)))
        db.session.commit()
        day_id = db.session.scalar(select(AwarenessDay.id))
    assert plan(app, home, datetime(2026, 10, 17, 15, 0, tzinfo=UTC)) == 3  # 08:00 PDT
    [first, *_] = mail(app, TODAY, f"custom:{day_id}")
    assert first.subject == "Today: Walk for Freedom" and "Saturday 17 October 2026" in first.text_body


def test_a_month_long_observance_is_told_on_its_first_morning_and_caught_up_within_the_month(app, world):
    set_zone(app, world.home)
    observe_only(app, world.home, "ht_awareness_month")
    ref = "toolkit:ht_awareness_month"
    assert plan(app, world.home, datetime(2026, 12, 18, 16, 0, tzinfo=UTC)) == 3  # 14 days before 1 January
    assert mail(app, UPCOMING, ref)[0].subject == "In 14 days: Human Trafficking Awareness Month, 1 January"
    assert plan(app, world.home, datetime(2027, 1, 5, 20, 0, tzinfo=UTC)) == 3  # the beat was down on the 1st
    [first, *_] = mail(app, TODAY, ref)
    assert first.subject == "This month: Human Trafficking Awareness Month"
    assert "runs this month, January 2027" in first.text_body
    assert first.dedup_key.startswith(f"{TODAY}:{ref}:2027-01-01:")
    assert plan(app, world.home, datetime(2027, 2, 1, 20, 0, tzinfo=UTC)) == 0


# --- preferences ------------------------------------------------------------------------------------------


def test_each_person_is_told_as_they_chose(app, home):
    prefer(app, home, "member", email_off=TODAY)  # the centre only, and only on the day
    prefer(app, home, "survivor_advisor", app_off=f"{UPCOMING} {TODAY}")  # email only
    prefer(app, home, "coordinator", email_off=f"{UPCOMING} {TODAY}", app_off=f"{UPCOMING} {TODAY}")  # nothing
    assert plan(app, home, LEAD_MORNING) == 2
    assert {m.to_address for m in mail(app, UPCOMING)} == addresses(home, "member", "survivor_advisor")
    assert [row[0] for row in centre(app, home, UPCOMING)] == [home.membership_ids["member"]]
    assert plan(app, home, DAY_MORNING) == 2
    assert {m.to_address for m in mail(app, TODAY)} == addresses(home, "survivor_advisor")
    assert [row[0] for row in centre(app, home, TODAY)] == [home.membership_ids["member"]]
    # Told either way, once: the repeated beat writes nothing (the outbox counts as told, not only the centre).
    with counting(app) as statements:
        assert plan(app, home, DAY_MORNING + MINUTE) == 0
    assert not [s for s in statements if s.lstrip().upper().startswith("INSERT")]


# --- the campaign plan ------------------------------------------------------------------------------------


def test_the_notice_carries_the_campaign_plan_and_the_open_tasks_everyone_may_see(app, home):
    plan_id = as_coordinator(
        app,
        home,
        campaigns.create_plan,
        {
            "day": GIVING_TUESDAY,
            "year": "2026",
            "title": "GivingTuesday appeal 2026",
            "owner_membership_id": str(home.membership_ids["member"]),
            "goal_text": "Raise $5,000 for the emergency shelter fund.",
        },
    )
    as_coordinator(app, home, campaigns.create_plan, {"day": GIVING_TUESDAY, "year": "2027", "title": "Next year"})
    leadership_goal = add_goal(app, home, title="Board-only goal", confidentiality="leadership")
    tasks(
        app,
        home,
        {"title": "Draft the appeal letter", "due_date": date(2026, 11, 20), "campaign_plan_id": plan_id},
        {"title": "Book the photographer", "campaign_plan_id": plan_id},
        {"title": "Thank last year's donors", "status": ActionStatus.DONE, "campaign_plan_id": plan_id},
        {"title": "Confidential donor call", "goal_id": leadership_goal, "campaign_plan_id": plan_id},
    )
    assert plan(app, home, LEAD_MORNING) == 3
    [first, *_] = mail(app, UPCOMING)
    body = first.text_body
    assert "Campaign plan: GivingTuesday appeal 2026 (led by Member Person)" in body
    assert "Raise $5,000 for the emergency shelter fund." in body
    assert "Open tasks (2):" in body and "- Draft the appeal letter (due 20 Nov 2026)" in body
    assert "- Book the photographer" in body
    assert "Thank last year's donors" not in body  # done
    assert "Confidential donor call" not in body  # under a goal only coordinators see
    assert "Next year" not in body  # another year's plan
    link = f"/p/{home.slug}/awareness/campaigns/{plan_id}"
    assert link in body and "Draft the appeal letter" in first.html_body
    assert {row[3] for row in centre(app, home, UPCOMING)} == {link}


def test_a_plan_lists_at_most_five_tasks_and_counts_the_rest(app, home):
    plan_id = as_coordinator(
        app, home, campaigns.create_plan, {"day": GIVING_TUESDAY, "year": "2026", "title": "Appeal"}
    )
    tasks(
        app,
        home,
        *(
            {"title": f"Task {n}", "due_date": date(2026, 11, 20) + timedelta(days=n), "campaign_plan_id": plan_id}
            for n in range(8)
        ),
    )
    plan(app, home, DAY_MORNING)
    body = mail(app, TODAY)[0].text_body
    assert "Open tasks (8):" in body and "- Task 4 " in body and "Task 5" not in body
    assert "And 3 more on the plan." in body


# --- cost -------------------------------------------------------------------------------------------------


def grow(app, partnership, size: int) -> None:
    """``size`` members and ``size`` days of the partnership's own falling over the coming weeks, each with a
    campaign plan and tasks."""
    set_zone(app, partnership)
    for n in range(size):
        add_member(app, partnership, create_user(app), Role.MEMBER, f"member{n}")
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.execute(
            insert(AwarenessDay),
            [
                {
                    "partnership_id": partnership.id,
                    "name": f"Day {n}",
                    "kind": RuleKind.ONE_OFF,
                    "on_date": date(2026, 11, 20) + timedelta(days=n % 20),
                }
                for n in range(size)
            ],
        )
        db.session.commit()
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        for row_id in db.session.scalars(select(AwarenessDay.id).order_by(AwarenessDay.id)).all():
            found = campaigns.create_plan(ctx, {"day": f"custom:{row_id}", "year": "2026", "title": f"Plan {row_id}"})
            db.session.add_all(ActionItem(title=f"Task {n}", campaign_plan_id=found.id) for n in range(3))
        db.session.commit()


def test_planning_costs_the_same_for_a_small_and_a_large_partnership(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 2)
    grow(app, large, 10)
    nothing_due = datetime(2026, 3, 3, 17, 0, tzinfo=UTC)  # no toolkit day within 14 days of 3 March
    quiet = {
        name: planned_with_count(app, p, awareness_notices.plan, nothing_due)
        for name, p in (("small", small), ("large", large))
    }
    assert quiet["small"] == quiet["large"] and quiet["small"][0] == 0, quiet
    assert quiet["small"][1] <= 2, quiet  # the observed days (and, on PostgreSQL, the partnership's binding)
    first = {
        name: planned_with_count(app, p, awareness_notices.plan, LEAD_MORNING)
        for name, p in (("small", small), ("large", large))
    }
    assert 0 < first["small"][0] < first["large"][0], first
    # Reading who to tell and what to say costs the same; only the notices' own writes grow with them.
    again = {
        name: planned_with_count(app, p, awareness_notices.plan, LEAD_MORNING + MINUTE)
        for name, p in (("small", small), ("large", large))
    }
    assert again["small"] == again["large"] and again["small"][0] == 0, again
    assert again["small"][1] <= 4, again  # the days, who is left to tell (+ on PostgreSQL: binding, outbox)


def test_the_beat_asks_the_awareness_planner(app, home):
    with app.app_context():
        notices.plan_every_partnership(LEAD_MORNING)
    mine = [m for m in mail(app, UPCOMING) if m.partnership_id == home.id]
    assert {m.to_address for m in mine} == addresses(home, *TOLD)
