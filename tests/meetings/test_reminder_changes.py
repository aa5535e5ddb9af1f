"""A meeting moved or cancelled: the reminders queued before are superseded when their time comes (never
sent in their old form), their centre entries go at once, the people invited get ONE message about the
change (with the .ics: REQUEST and the new SEQUENCE, or CANCEL), a change to following meetings of a
series is one message per person, and a change that keeps the start queues the reminder again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.meetings.conftest import NOW, rows
from tests.meetings.test_reminders import (
    CONTRIBUTORS,
    START,
    addresses,
    calendar_of,
    cancel,
    edit,
    entries,
    frozen_clock,
    invited_emails,
    mail,
    plan,
    schedule_at,
    sent,
    sweep,
)


@pytest.fixture
def clock(monkeypatch):
    return frozen_clock(monkeypatch)


QUEUED = START - timedelta(hours=1, minutes=10)  # the hour-before reminder is queued ahead now
DUE = START - timedelta(hours=1)


def test_a_reminder_queued_before_a_move_is_superseded_and_the_invitees_are_told(app, world, home, clock):
    meeting_id = schedule_at(app, home, clock)
    assert plan(app, home, QUEUED, clock) == 3
    assert len(entries(app, home)) == 3  # waiting in the centre until DUE

    # Moved to Wednesday 14:00 (MDT), five minutes later.
    edit(
        app,
        home,
        meeting_id,
        QUEUED + timedelta(minutes=5),
        clock,
        date="2026-03-11",
        start_time="14:00",
        end_time="15:00",
    )

    assert entries(app, home) == []  # the old reminders' centre entries went with the move
    changed = mail(app, "meeting_changed")
    assert addresses(changed) == invited_emails(world, *CONTRIBUTORS)
    [to_member] = [m for m in changed if m.to_address == world.user("member").email]
    assert to_member.subject == "Changed: Full partnership meeting, now Wed 11 Mar, 14:00 MDT"
    assert "Wednesday 11 March 2026, 14:00–15:00 (America/Denver)" in to_member.text_body
    assert "Can you still come?" in to_member.text_body
    calendar = calendar_of(to_member)
    assert str(calendar["METHOD"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt == datetime(2026, 3, 11, 20, 0, tzinfo=UTC)

    sweep(app, DUE, clock)  # the old reminders' time comes
    old = mail(app)
    assert len(old) == 3 and {m.status for m in old} == {"superseded"}
    assert sent(app) == []  # nothing of them reached the mailbox

    # The meeting's new time gets its own reminders, under a key naming the new start.
    assert plan(app, home, datetime(2026, 3, 11, 18, 50, tzinfo=UTC), clock) == 3
    fresh = [m for m in mail(app) if m.status == "pending"]
    assert {m.dedup_key.split(":", 2)[2].rsplit(":", 2)[0] for m in fresh} == {"2026-03-11T20:00"}
    assert {m.valid_while for m in fresh} == {f"meeting:{meeting_id}:1"}
    sweep(app, datetime(2026, 3, 11, 19, 0, tzinfo=UTC), clock)
    assert len(sent(app)) == 3


def test_a_meeting_moved_close_gets_its_due_reminder_at_once(app, home, clock):
    meeting_id = schedule_at(app, home, clock, date="2026-03-20")
    now = START - timedelta(minutes=40)
    edit(app, home, meeting_id, now, clock, date="2026-03-10")  # moved to 10:00 today, 40 minutes away
    queued = mail(app)
    assert len(queued) == 3
    assert {m.dedup_key.split(":")[4] for m in queued} == {"60"}
    assert {m.valid_while for m in queued} == {f"meeting:{meeting_id}:1"}
    sweep(app, now, clock)  # due now: sent on the commit or by the sweep at the same instant
    assert len(sent(app)) == 3


def test_a_reminder_queued_before_a_cancellation_is_superseded_and_a_cancellation_sent(app, world, home, clock):
    meeting_id = schedule_at(app, home, clock)
    plan(app, home, QUEUED, clock)
    cancel(app, home, meeting_id, QUEUED + timedelta(minutes=1), clock)

    assert entries(app, home) == []
    cancelled = mail(app, "meeting_cancelled")
    assert addresses(cancelled) == invited_emails(world, *CONTRIBUTORS)
    message = cancelled[0]
    assert message.subject == "Cancelled: Full partnership meeting, Tue 10 Mar, 10:00 MDT"
    calendar = calendar_of(message)
    assert str(calendar["METHOD"]) == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and event["SEQUENCE"] == 1
    assert "Choose which emails you get:" in message.text_body

    sweep(app, DUE, clock)
    assert {m.status for m in mail(app)} == {"superseded"}
    assert plan(app, home, DUE - timedelta(minutes=5), clock) == 0  # a cancelled meeting reminds no one


def test_a_change_that_keeps_the_start_queues_the_reminder_again_in_its_new_form(app, home, clock):
    meeting_id = schedule_at(app, home, clock, location="Room 1")
    plan(app, home, QUEUED, clock)
    edit(app, home, meeting_id, QUEUED + timedelta(minutes=2), clock, location="Room 2")

    pending = [m for m in mail(app) if "Room 2" in m.text_body]
    assert len(pending) == 3
    assert {m.dedup_key.split(":")[5] for m in pending} == {"1"}  # the key with the new sequence
    assert {m.next_attempt_at for m in pending} == {DUE}
    assert len(mail(app, "meeting_changed")) == 3  # a new place is a change people are told about
    assert len(entries(app, home)) == 3  # the new entries replace the old ones
    assert plan(app, home, QUEUED + timedelta(minutes=5), clock) == 0  # the beat finds it done

    sweep(app, DUE, clock)
    by_key = {m.dedup_key: m.status for m in mail(app)}
    assert sorted(by_key.values()) == ["sent"] * 3 + ["superseded"] * 3
    assert {by_key[m.dedup_key] for m in pending} == {"sent"}  # the new form went; the old one never


def test_a_new_title_queues_again_without_telling_anyone_it_moved(app, home, clock):
    meeting_id = schedule_at(app, home, clock)
    plan(app, home, QUEUED, clock)
    edit(app, home, meeting_id, QUEUED + timedelta(minutes=2), clock, title="Renamed meeting")
    assert mail(app, "meeting_changed") == []
    # The beat after it, before the new reminders went anywhere, neither duplicates nor drops them.
    assert plan(app, home, QUEUED + timedelta(minutes=4), clock) == 0
    sweep(app, DUE, clock)
    assert sorted(m.subject.split(" starts")[0] for m in sent(app)) == ["Reminder: Renamed meeting"] * 3


def test_a_change_after_the_day_before_reminder_went_out_does_not_send_it_again(app, home, clock):
    meeting_id = schedule_at(app, home, clock)
    day_before = START - timedelta(days=1)
    plan(app, home, day_before - timedelta(minutes=10), clock)
    sweep(app, day_before, clock)
    assert len(sent(app)) == 3
    edit(app, home, meeting_id, START - timedelta(hours=5), clock, title="Renamed meeting")
    for minutes in (0, 5, 10):
        assert plan(app, home, START - timedelta(hours=5) + timedelta(minutes=minutes), clock) == 0
    assert len(mail(app)) == 3  # the day-before reminder is not repeated; the hour-before one comes later
    assert plan(app, home, QUEUED, clock) == 3


def test_a_change_to_following_meetings_is_one_message_per_person(app, world, home, clock):
    first_id = schedule_at(app, home, clock, repeat="weekly:1", repeat_count="4")
    ids = [m.id for m in rows(app, home)]
    assert ids[0] == first_id and len(ids) == 4
    # From the second meeting on: 14:00 instead of 10:00.
    edit(app, home, ids[1], NOW, clock, scope="following", start_time="14:00", end_time="15:30")

    changed = mail(app, "meeting_changed")
    assert addresses(changed) == invited_emails(world, *CONTRIBUTORS)  # one each, not one per meeting
    message = changed[0]
    assert message.subject == "Changed: 3 meetings of Full partnership meeting, from Tue 17 Mar, 14:00 MDT"
    for day in ("Tuesday 17 March", "Tuesday 24 March", "Tuesday 31 March"):
        assert f"{day} 2026, 14:00–15:30" in message.text_body
    assert "Tuesday 10 March" not in message.text_body
    calendar = calendar_of(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert len(calendar.walk("VEVENT")) == 3


def test_a_series_cut_short_says_which_meetings_no_longer_take_place(app, world, home, clock):
    schedule_at(app, home, clock, repeat="weekly:1", repeat_count="4")
    ids = [m.id for m in rows(app, home)]
    # From the third on: no repeat. The third stays (a one-off), the fourth is removed.
    edit(app, home, ids[2], NOW, clock, scope="following", repeat="none", repeat_count="")
    [message] = mail(app, "meeting_changed", to=world.user("member").email)
    assert "No longer takes place: Full partnership meeting, Tuesday 31 March 2026" in message.text_body


def test_cancelling_following_meetings_is_one_cancellation_per_person(app, world, home, clock):
    schedule_at(app, home, clock, repeat="weekly:1", repeat_count="4")
    ids = [m.id for m in rows(app, home)]
    cancel(app, home, ids[1], NOW, clock, scope="following")

    cancelled = mail(app, "meeting_cancelled")
    assert addresses(cancelled) == invited_emails(world, *CONTRIBUTORS)
    message = cancelled[0]
    assert message.subject == "Cancelled: 3 meetings of Full partnership meeting, from Tue 17 Mar, 10:00 MDT"
    calendar = calendar_of(message)
    assert str(calendar["METHOD"]) == "CANCEL"
    events = calendar.walk("VEVENT")
    assert len(events) == 3 and {str(e["STATUS"]) for e in events} == {"CANCELLED"}


def test_a_past_meeting_changed_or_cancelled_tells_no_one(app, home, clock):
    meeting_id = schedule_at(app, home, clock)
    after = START + timedelta(hours=3)
    edit(app, home, meeting_id, after, clock, location="Where it was")
    cancel(app, home, meeting_id, after, clock)
    assert mail(app, "meeting_changed") == [] and mail(app, "meeting_cancelled") == []


def test_a_leadership_meeting_moved_tells_only_coordinators(app, world, home, clock):
    meeting_id = schedule_at(app, home, clock, confidentiality="leadership")
    edit(app, home, meeting_id, NOW, clock, start_time="11:00", end_time="12:00")
    assert addresses(mail(app, "meeting_changed")) == invited_emails(world, "coordinator")
