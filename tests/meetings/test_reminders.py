"""Meeting reminders planned by the beat: offsets in minutes and in days (the same wall-clock time across a
DST change), queued ahead and sent on time, catch-up after the beat was down, one message per person per
offset however often the planner runs, who is reminded (declined, unanswered only, confidentiality), what a
reminder says (the recipient's zone, the agenda as they may see it, RSVP links, the .ics) and the mail check.

The helpers at the top (a clock the outbox reads, the planner run as the beat runs it, what was queued)
serve the other ``test_reminder*`` files too. Time is frozen by passing ``now`` and by the ``clock``
fixture; nothing sleeps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select, update

from partnership_hub.accounts.models import User
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.meetings import attendance, reminders, services
from partnership_hub.meetings.models import AgendaItem, AgendaItemStatus, Meeting
from partnership_hub.notifications import notices
from partnership_hub.notifications import services as outbox_services
from partnership_hub.notifications.models import (
    Notification,
    NotificationPreference,
    NotificationSettings,
    OutboxMessage,
)
from tests.factories import outbox, seat_on_board
from tests.meetings.conftest import NOW, ZONE, rows, schedule

# Tuesday 10 March 2026, 10:00 in Denver (MDT since Sunday 8 March): the meetings conftest's meeting.
START = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)


class Clock:
    """The time the outbox and the notification centre read (queueing, delivery, the sweep)."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def frozen_clock(monkeypatch) -> Clock:
    """The outbox's and the centre's clock, frozen at ``NOW`` until a helper moves it."""
    clock = Clock(NOW)
    monkeypatch.setattr(outbox_services, "utcnow", clock)
    monkeypatch.setattr(notices, "utcnow", clock)
    return clock


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return frozen_clock(monkeypatch)


def plan(app, partnership, now: datetime, clock: Clock) -> int:
    """One run of the planner for ``partnership`` at ``now``, as the beat runs it (bound, committed)."""
    clock.now = now
    with app.app_context():
        told = reminders.plan_reminders(context_for(partnership.id), now)
        db.session.commit()
        return told


def sweep(app, now: datetime, clock: Clock) -> None:
    """The outbox sweep at ``now``: messages queued ahead whose time has come are delivered (in process)."""
    clock.now = now
    with app.app_context():
        outbox_services.sweep()


def mail(app, kind: str = reminders.REMINDER, to: str | None = None) -> list[OutboxMessage]:
    return outbox(app, kind=kind, to=to)


def sent(app, kind: str = reminders.REMINDER) -> list[OutboxMessage]:
    return [message for message in mail(app, kind) if message.status == "sent"]


def entries(app, partnership, kind: str = reminders.REMINDER) -> list[Notification]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = list(
            db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id))
        )
        db.session.expunge_all()
        return found


def calendar_of(message: OutboxMessage) -> Calendar:
    import json

    [attachment] = json.loads(message.attachments)
    assert attachment["content_type"] == "text/calendar"
    calendar = Calendar.from_ical(attachment["content"])
    assert str(calendar["METHOD"]) == attachment["method"]
    return calendar


def edit(app, partnership, meeting_id: int, now: datetime, clock: Clock, scope: str = "one", **overrides) -> None:
    clock.now = now
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        meeting, series = services.get_meeting(ctx, meeting_id)
        data = services.form_values(meeting, series) | overrides
        services.update_meeting(ctx, meeting, series, data, scope, now)
        db.session.commit()


def cancel(app, partnership, meeting_id: int, now: datetime, clock: Clock, scope: str = "one") -> None:
    clock.now = now
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        meeting, series = services.get_meeting(ctx, meeting_id)
        services.cancel_meeting(ctx, meeting, series, scope, now)
        db.session.commit()


def schedule_at(app, partnership, clock: Clock, now: datetime = NOW, **overrides) -> int:
    clock.now = now
    return schedule(app, partnership, now=now, **overrides)


def addresses(messages) -> list[str]:
    return sorted(message.to_address for message in messages)


def invited_emails(world, *roles: str) -> list[str]:
    return sorted(world.user(role).email for role in roles)


CONTRIBUTORS = ("coordinator", "member", "survivor_advisor")


# --- when reminders fall due ------------------------------------------------------------------------


def meeting_at(start: datetime, zone: str = ZONE) -> Meeting:
    return Meeting(id=1, starts_at=start, ends_at=start + timedelta(hours=1), time_zone=zone, sequence=0)


def test_a_day_before_a_10_00_meeting_the_day_after_the_spring_change_is_10_00_local():
    # Monday 9 March 2026, 10:00 MDT; the clocks went forward early on Sunday 8 March.
    meeting = meeting_at(datetime(2026, 3, 9, 16, 0, tzinfo=UTC))
    assert reminders.due_at(meeting, 1440) == datetime(2026, 3, 8, 16, 0, tzinfo=UTC)  # Sunday 10:00 MDT
    assert reminders.due_at(meeting, 60) == datetime(2026, 3, 9, 15, 0, tzinfo=UTC)


def test_a_day_before_a_meeting_on_the_day_of_the_change_keeps_the_wall_clock_time():
    # Sunday 8 March 2026, 10:00 MDT: a day before is Saturday 10:00 MST, 23 hours earlier (not 09:00 MST).
    meeting = meeting_at(datetime(2026, 3, 8, 16, 0, tzinfo=UTC))
    assert reminders.due_at(meeting, 1440) == datetime(2026, 3, 7, 17, 0, tzinfo=UTC)
    assert reminders.due_at(meeting, 2 * 1440) == datetime(2026, 3, 6, 17, 0, tzinfo=UTC)
    # Minutes are minutes: two hours before is 08:00 MDT = 14:00 UTC, across nothing.
    assert reminders.due_at(meeting, 120) == datetime(2026, 3, 8, 14, 0, tzinfo=UTC)


def test_a_week_before_a_meeting_after_the_autumn_change_is_the_same_local_time():
    # Sunday 1 November 2026, 10:00 MST (clocks went back at 02:00): a day before is Saturday 10:00 MDT, 25 h.
    meeting = meeting_at(datetime(2026, 11, 1, 17, 0, tzinfo=UTC))
    assert reminders.due_at(meeting, 1440) == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert reminders.due_at(meeting, 7 * 1440) == datetime(2026, 10, 25, 16, 0, tzinfo=UTC)


def test_catch_up_takes_only_the_latest_offset_past_and_none_once_started():
    meeting = meeting_at(START)
    offsets = [7 * 1440, 1440, 60]
    # The beat was down for days: the week and the day before are past, the hour before is still ahead.
    [due] = reminders.due_reminders(meeting, offsets, START - timedelta(hours=3))
    assert (due.offset, due.ahead) == (1440, False)
    # Half an hour before: every offset is past; the latest (the hour before) is due at once.
    [due] = reminders.due_reminders(meeting, offsets, START - timedelta(minutes=30))
    assert (due.offset, due.ahead) == (60, False)
    # An offset falling due within PLAN_AHEAD wins over one past.
    [due] = reminders.due_reminders(meeting, offsets, START - timedelta(minutes=70))
    assert (due.offset, due.at, due.ahead) == (60, START - timedelta(hours=1), True)
    assert reminders.due_reminders(meeting, offsets, START) == []
    assert reminders.due_reminders(meeting, offsets, START + timedelta(minutes=5)) == []
    # Far ahead: nothing yet.
    assert reminders.due_reminders(meeting, offsets, START - timedelta(days=8)) == []


# --- the planner --------------------------------------------------------------------------------------


def test_the_day_before_reminder_is_queued_ahead_and_sent_at_its_instant(app, world, home, clock):
    # Monday 9 March, 10:00 MDT: the day after the change. The day-before reminder is due Sunday 16:00 UTC.
    meeting_id = schedule_at(app, home, clock, date="2026-03-09")
    due = datetime(2026, 3, 8, 16, 0, tzinfo=UTC)

    assert plan(app, home, due - timedelta(minutes=20), clock) == 0  # not within PLAN_AHEAD yet
    assert plan(app, home, due - timedelta(minutes=10), clock) == len(CONTRIBUTORS)
    queued = mail(app)
    assert addresses(queued) == invited_emails(world, *CONTRIBUTORS)  # observers are never invited
    assert {m.next_attempt_at for m in queued} == {due}
    assert {m.status for m in queued} == {"pending"}
    assert {m.dedup_key.rsplit(":", 1)[0] for m in queued} == {f"meeting_reminder:{meeting_id}:2026-03-09T16:00:1440"}
    assert {m.valid_while for m in queued} == {f"meeting:{meeting_id}:0"}

    sweep(app, due - timedelta(seconds=30), clock)
    assert sent(app) == []
    sweep(app, due, clock)
    assert addresses(sent(app)) == invited_emails(world, *CONTRIBUTORS)


def test_a_reminder_for_a_meeting_on_the_day_of_the_change_waits_for_10_00_the_day_before(app, home, clock):
    schedule_at(app, home, clock, date="2026-03-08")  # Sunday 8 March, 10:00 MDT = 16:00 UTC
    plan(app, home, datetime(2026, 3, 7, 16, 50, tzinfo=UTC), clock)
    assert {m.next_attempt_at for m in mail(app)} == {datetime(2026, 3, 7, 17, 0, tzinfo=UTC)}  # Saturday 10:00 MST
    assert "Sun 8 Mar, 10:00 MDT" in mail(app)[0].subject


def test_running_the_planner_again_queues_nothing_twice(app, world, home, clock):
    meeting_id = schedule_at(app, home, clock)
    first = START - timedelta(hours=1, minutes=10)
    assert plan(app, home, first, clock) == 3
    assert plan(app, home, first, clock) == 0
    assert plan(app, home, first + timedelta(minutes=5), clock) == 0
    # The same runs with the centre entries too: one per person and offset.
    assert len(mail(app)) == 3 and len(entries(app, home)) == 3
    with app.app_context():  # the beat itself, twice (a duplicated tick)
        notices.plan_every_partnership(first + timedelta(minutes=10))
        notices.plan_every_partnership(first + timedelta(minutes=10))
    assert len(mail(app)) == 3
    keys = {m.dedup_key for m in mail(app)}
    assert keys == {
        f"meeting_reminder:{meeting_id}:2026-03-10T16:00:60:{i}" for i in world.home.membership_ids.values()
    } - {f"meeting_reminder:{meeting_id}:2026-03-10T16:00:60:{world.home.membership_ids['observer']}"}


def test_the_beat_catches_up_with_only_the_latest_reminder_and_skips_meetings_already_started(app, world, home, clock):
    schedule_at(app, home, clock)  # 10:00 on Tuesday 10 March (16:00 UTC)
    schedule_at(app, home, clock, date="2026-03-09", title="Yesterday's meeting")  # Monday, long started
    # The beat was down from Sunday until 30 minutes before the meeting: the day-before and the hour-before
    # reminders are both past. Only the hour-before one goes, at once.
    back = START - timedelta(minutes=30)
    assert plan(app, home, back, clock) == 3
    queued = mail(app)
    assert {m.dedup_key.split(":")[4] for m in queued} == {"60"}
    assert all("Yesterday" not in m.subject for m in queued)
    sweep(app, back, clock)  # due now: sent on the commit or by the sweep at the same instant
    assert len(sent(app)) == 3
    assert plan(app, home, back + timedelta(minutes=5), clock) == 0
    assert plan(app, home, START + timedelta(minutes=1), clock) == 0  # started: nothing more, ever
    assert len(mail(app)) == 3


def test_a_meeting_scheduled_30_minutes_ahead_gets_its_hour_before_reminder_at_once(app, world, home, clock):
    now = START - timedelta(minutes=30)
    schedule_at(app, home, clock, now=now)  # queued in the transaction that scheduled it
    assert addresses(mail(app)) == invited_emails(world, *CONTRIBUTORS)
    assert {m.dedup_key.split(":")[4] for m in mail(app)} == {"60"}
    sweep(app, now, clock)  # due now: sent on the commit or by the sweep at the same instant
    assert len(sent(app)) == 3
    assert plan(app, home, now + timedelta(minutes=5), clock) == 0  # the beat finds it done


def test_a_meetings_own_offsets_replace_the_partnerships(app, home, clock):
    schedule_at(app, home, clock, reminder_offsets=["15"])
    assert plan(app, home, START - timedelta(hours=1, minutes=10), clock) == 0  # no hour-before reminder
    assert plan(app, home, START - timedelta(minutes=25), clock) == 3
    assert {m.next_attempt_at for m in mail(app)} == {START - timedelta(minutes=15)}


def test_the_partnerships_offsets_are_the_default(app, home, clock):
    with app.app_context():
        bind_tenant(db.session, home.id)
        db.session.add(NotificationSettings(reminder_offsets="120"))
        db.session.commit()
    schedule_at(app, home, clock)
    assert plan(app, home, START - timedelta(hours=3), clock) == 0  # not a day before: the partnership said 2 h
    assert plan(app, home, START - timedelta(hours=2, minutes=10), clock) == 3
    assert plan(app, home, START - timedelta(hours=1, minutes=10), clock) == 0  # and no hour-before one
    assert {m.next_attempt_at for m in mail(app)} == {START - timedelta(hours=2)}


def test_reminders_off_sends_none(app, home, clock):
    schedule_at(app, home, clock, reminders_on="")
    assert plan(app, home, START - timedelta(minutes=30), clock) == 0
    assert mail(app) == []


# --- who is reminded ----------------------------------------------------------------------------------


def answer(app, partnership, meeting_id: int, who: str, value: str) -> None:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[who].id)
        meeting, _ = services.get_meeting(ctx, meeting_id)
        attendance.rsvp(ctx, meeting, value, NOW)
        db.session.commit()


def test_people_who_declined_are_not_reminded(app, world, home, clock):
    meeting_id = schedule_at(app, home, clock)
    answer(app, home, meeting_id, "member", "no")
    answer(app, home, meeting_id, "survivor_advisor", "yes")
    plan(app, home, START - timedelta(minutes=70), clock)
    assert addresses(mail(app)) == invited_emails(world, "coordinator", "survivor_advisor")


def test_only_those_who_have_not_answered_when_the_meeting_says_so(app, world, home, clock):
    meeting_id = schedule_at(app, home, clock, remind_unanswered_only="y")
    answer(app, home, meeting_id, "member", "maybe")
    answer(app, home, meeting_id, "survivor_advisor", "no")
    plan(app, home, START - timedelta(minutes=70), clock)
    assert addresses(mail(app)) == invited_emails(world, "coordinator")


def test_a_leadership_meeting_reminds_no_member_and_another_partnership_never(app, world, home, clock):
    schedule_at(app, home, clock, title="Coordinators only", confidentiality="leadership")
    other_coordinator = world.other.members["coordinator"]
    schedule_at(app, world.other, clock, title="Elsewhere")  # the other partnership's own meeting
    plan(app, home, START - timedelta(minutes=70), clock)
    queued = mail(app)
    assert addresses(queued) == invited_emails(world, "coordinator")
    assert all("Coordinators only" in m.subject for m in queued)
    assert other_coordinator.email not in addresses(queued)


def test_a_board_meeting_reminds_only_its_seats(app, world, home, clock):
    seat_on_board(app, home, "survivor_advisor")
    schedule_at(app, home, clock, title="Board", kind="advisory_board")
    plan(app, home, START - timedelta(minutes=70), clock)
    assert addresses(mail(app)) == invited_emails(world, "survivor_advisor")


def test_people_who_turned_reminders_off_get_none_by_email_and_who_keep_the_centre_get_an_entry(
    app, world, home, clock
):
    with app.app_context():
        bind_tenant(db.session, home.id)
        db.session.add(
            NotificationPreference(membership_id=home.membership_ids["member"], email_off="meeting_reminder")
        )
        db.session.commit()
    schedule_at(app, home, clock)
    plan(app, home, START - timedelta(minutes=70), clock)
    assert addresses(mail(app)) == invited_emails(world, "coordinator", "survivor_advisor")
    assert sorted(e.membership_id for e in entries(app, home)) == sorted(home.membership_ids[r] for r in CONTRIBUTORS)
    # The centre shows the entry from the reminder's instant on.
    assert {e.created_at for e in entries(app, home)} == {START - timedelta(hours=1)}


# --- what a reminder says ----------------------------------------------------------------------------


def test_a_reminder_says_when_in_the_recipients_zone_with_the_agenda_rsvp_links_and_the_ics(app, world, home, clock):
    meeting_id = schedule_at(
        app,
        home,
        clock,
        location="Community room",
        online_url="https://meet.example.org/x",
        reminder_note="Bring the draft budget.",
    )
    with app.app_context():
        bind_tenant(db.session, home.id)
        db.session.execute(update(User).where(User.id == world.user("member").id).values(time_zone="Europe/Berlin"))
        advisor = home.membership_ids["survivor_advisor"]
        db.session.add_all(
            [
                AgendaItem(meeting_id=meeting_id, position=1, title="Budget", minutes_allotted=20),
                AgendaItem(
                    meeting_id=meeting_id,
                    position=2,
                    title="Survivor voices",
                    minutes_allotted=15,
                    presenter_membership_id=advisor,
                ),
                AgendaItem(meeting_id=meeting_id, position=3, title="A proposal", status=AgendaItemStatus.PROPOSED),
            ]
        )
        db.session.commit()
    plan(app, home, START - timedelta(minutes=70), clock)

    [to_member] = mail(app, to=world.user("member").email)
    # 10:00 in Denver is 17:00 in Berlin (Europe has not changed its clocks yet).
    assert to_member.subject == "Reminder: Full partnership meeting starts Tue 10 Mar, 17:00 CET"
    text = to_member.text_body
    assert "Tuesday 10 March 2026, 17:00–18:30 (Europe/Berlin)" in text
    assert "10:00–11:30 (America/Denver, the meeting's time zone)" in text
    assert "Community room" in text and "https://meet.example.org/x" in text
    assert "Bring the draft budget." in text
    assert "1. Budget (20 min)" in text and "2. Survivor voices (15 min), A survivor advisor" in text
    assert "A proposal" not in text  # proposed, not on the agenda yet
    assert "Agenda (not final yet)" in text and "Time allotted: 35 minutes." in text
    assert f"/p/{home.slug}/meetings/{meeting_id}" in text
    assert "Your answer so far: No answer yet." in text
    assert "Choose which emails you get:" in text
    assert "Survivor voices" in to_member.html_body and "A survivor advisor" in to_member.html_body

    [to_coordinator] = mail(app, to=world.user("coordinator").email)
    assert to_coordinator.subject == "Reminder: Full partnership meeting starts Tue 10 Mar, 10:00 MDT"
    assert world.user("survivor_advisor").name in to_coordinator.text_body  # coordinators see advisors' names
    assert "the meeting's time zone" not in to_coordinator.text_body

    calendar = calendar_of(to_coordinator)
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event["SEQUENCE"] == 0 and event["DTSTART"].dt == START
    assert str(event["SUMMARY"]) == "Full partnership meeting"
    assert json.loads(to_coordinator.headers)["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [entry] = [e for e in entries(app, home) if e.membership_id == home.membership_ids["coordinator"]]
    assert entry.title == "Reminder: Full partnership meeting starts Tue 10 Mar, 10:00 MDT"
    assert entry.url == f"/p/{home.slug}/meetings/{meeting_id}"


def test_the_rsvp_links_answer_for_the_recipient(app, world, home, clock, client):
    meeting_id = schedule_at(app, home, clock)
    plan(app, home, START - timedelta(minutes=70), clock)
    [message] = mail(app, to=world.user("member").email)
    with app.app_context():
        ctx = context_for(home.id)
        meeting, _ = services.get_meeting(ctx, meeting_id)
        links = attendance.rsvp_links(meeting, home.membership_ids["member"])
    assert all(link in message.text_body for link in links.values())


# --- the mail check ----------------------------------------------------------------------------------


def test_still_valid_answers_for_the_meeting_as_it_is_now(app, home, clock):
    meeting_id = schedule_at(app, home, clock)
    other_id = schedule_at(app, home, clock, title="Off", reminders_on="")
    with app.app_context():
        bind_tenant(db.session, home.id)
        before = START - timedelta(hours=1)
        assert reminders.still_valid(f"{meeting_id}:0", before)
        assert not reminders.still_valid(f"{meeting_id}:1", before)  # changed since
        assert not reminders.still_valid(f"{meeting_id}:0", START)  # started
        assert not reminders.still_valid(f"{other_id}:0", before)  # reminders turned off
        assert not reminders.still_valid("999999:0", before)  # gone
        assert not reminders.still_valid("nonsense", before)
        db.session.rollback()
    cancel(app, home, meeting_id, NOW, clock)
    with app.app_context():
        bind_tenant(db.session, home.id)
        assert not reminders.still_valid(f"{meeting_id}:1", START - timedelta(hours=1))  # cancelled


def test_the_meetings_area_registers_the_planner_the_check_and_the_kinds(app):
    from partnership_hub import areas

    assert areas.mail_checks()["meeting"] == "partnership_hub.meetings.reminders:still_valid"
    kinds = {kind.key: kind for kind in areas.notice_kinds()}
    for key in (reminders.REMINDER, reminders.CHANGED, reminders.CANCELLED):
        assert kinds[key].label and kinds[key].help
        assert kinds[key].roles is not None and "observer" not in kinds[key].roles
    meetings = next(area for area in areas.installed() if area.name == "meetings")
    assert meetings.notice_planner == "partnership_hub.meetings.reminders:plan_reminders"


def test_series_occurrences_carry_the_reminder_settings(app, home, clock):
    schedule_at(
        app,
        home,
        clock,
        repeat="weekly:1",
        repeat_count="3",
        reminder_offsets=["120", "15"],
        reminder_note="Doors open at 9:45.",
        remind_unanswered_only="y",
    )
    found = rows(app, home)
    assert len(found) == 3
    assert {(m.reminder_offsets, m.reminder_note, m.remind_unanswered_only, m.reminders_on) for m in found} == {
        ("120 15", "Doors open at 9:45.", True, True)
    }
