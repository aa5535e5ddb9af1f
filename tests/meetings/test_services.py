"""Scheduling rules: one-off meetings, series and their generated occurrences, editing and cancelling
one occurrence or all following, the daily extension, and bad input."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from partnership_hub.confidentiality import Level
from partnership_hub.errors import ServiceError
from partnership_hub.meetings import services
from partnership_hub.meetings.models import MeetingStatus
from tests.meetings.conftest import NOW, ZONE, call, rows, schedule, series_of

DENVER = ZoneInfo(ZONE)


def local(meeting) -> datetime:
    return meeting.starts_at.astimezone(DENVER).replace(tzinfo=None)


def test_a_one_off_meeting_is_stored_in_utc_from_the_partnerships_time(app, home):
    meeting_id = schedule(app, home, online_url="https://meet.example.org/abc", location="Library")
    [meeting] = rows(app, home)
    assert meeting.id == meeting_id
    # 10 March 2026 is after Denver's change to daylight time (UTC-6).
    assert meeting.starts_at == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)
    assert meeting.ends_at == datetime(2026, 3, 10, 17, 30, tzinfo=UTC)
    assert (meeting.time_zone, meeting.series_id, meeting.original_start) == (ZONE, None, None)
    assert (meeting.status, meeting.sequence, meeting.confidentiality) == (MeetingStatus.SCHEDULED, 0, Level.WORKSPACE)
    assert meeting.author_membership_id == home.membership_ids["coordinator"]


def test_advisory_board_meetings_default_to_the_advisory_level(app, home):
    schedule(app, home, kind="advisory_board")
    schedule(app, home, kind="advisory_board", confidentiality="workspace")
    assert [m.confidentiality for m in rows(app, home)] == [Level.ADVISORY, Level.WORKSPACE]


def monthly(app, home, **overrides) -> int:
    """Monthly on the second Tuesday at 10:00 from 10 February 2026 (one past occurrence at NOW)."""
    return schedule(app, home, date="2026-02-10", repeat="monthly_by_weekday", **overrides)


def test_a_series_generates_its_occurrences_a_year_ahead_keeping_the_local_time(app, home):
    first_id = monthly(app, home)
    meetings = rows(app, home)
    [series] = series_of(app, home)
    assert meetings[0].id == first_id
    assert series.rule == "FREQ=MONTHLY;BYDAY=2TU"
    days = [date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14), date(2026, 5, 12)]
    assert [local(m).date() for m in meetings[:4]] == days
    assert {local(m).time().isoformat() for m in meetings} == {"10:00:00"}
    # The UTC time moves with daylight saving time.
    assert meetings[0].starts_at.hour == 17 and meetings[1].starts_at.hour == 16
    assert all(m.series_id == series.id and m.original_start == m.starts_at for m in meetings)
    horizon = NOW + timedelta(days=services.AHEAD_DAYS)
    assert meetings[-1].starts_at < horizon <= meetings[-1].starts_at + timedelta(days=31)
    assert series.generated_until == horizon


def test_a_weekly_series_holds_at_most_the_upcoming_count(app, home):
    schedule(app, home, repeat="weekly:1")
    [series] = series_of(app, home)
    meetings = rows(app, home)
    assert len(meetings) == services.AHEAD_COUNT
    assert series.generated_until == meetings[-1].starts_at


def test_extending_is_idempotent_and_moves_on_with_time(app, home):
    monthly(app, home)
    before = len(rows(app, home))
    assert call(app, home, services.extend_all_series, NOW) == 0
    assert call(app, home, services.extend_all_series, NOW + timedelta(hours=1)) == 0
    later = NOW + timedelta(days=40)
    assert call(app, home, services.extend_all_series, later) >= 1
    assert call(app, home, services.extend_all_series, later) == 0
    meetings = rows(app, home)
    assert len(meetings) > before
    assert max(Counter(m.original_start for m in meetings).values()) == 1


def test_the_daily_task_extends_every_partnership(app, home):
    monthly(app, home)
    before = len(rows(app, home))
    with app.app_context():
        added = services.extend_every_partnership(NOW + timedelta(days=70))
    assert added == len(rows(app, home)) - before >= 2


def edit(app, home, meeting_id, scope, **overrides):
    def change(ctx):
        meeting, series = services.get_meeting(ctx, meeting_id)
        data = services.form_values(meeting, series) | overrides
        return services.update_meeting(ctx, meeting, series, data, scope, NOW).id

    return call(app, home, change)


def test_editing_one_occurrence_changes_only_it_and_the_extension_keeps_it(app, home):
    monthly(app, home)
    meetings = rows(app, home)
    april = meetings[2]
    edit(app, home, april.id, "one", start_time="14:00", end_time="15:00", location="Town hall")
    after = {m.id: m for m in rows(app, home)}
    changed = after[april.id]
    assert (local(changed).time().isoformat(), changed.location) == ("14:00:00", "Town hall")
    assert changed.original_start == april.original_start and changed.series_id == april.series_id
    assert (changed.sequence, changed.version) == (1, 2)
    assert all(local(m).hour == 10 and m.sequence == 0 for m in after.values() if m.id != april.id)
    assert call(app, home, services.extend_all_series, NOW + timedelta(days=60)) >= 1
    assert sum(1 for m in rows(app, home) if m.original_start == april.original_start) == 1


def test_editing_this_and_following_splits_the_series(app, home):
    monthly(app, home)
    meetings = rows(app, home)
    april = meetings[2]
    edit(app, home, april.id, "following", start_time="15:00", end_time="16:00", title="Partnership meeting")
    old, new = series_of(app, home)
    assert old.rule == "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260310T100000"
    assert (new.rule, new.first_start_local) == ("FREQ=MONTHLY;BYDAY=2TU", datetime(2026, 4, 14, 15, 0))
    after = rows(app, home)
    earlier, later = after[:2], after[2:]
    assert [(m.id, local(m).hour, m.title, m.series_id) for m in earlier] == [
        (m.id, 10, "Full partnership meeting", old.id) for m in meetings[:2]
    ]
    assert later[0].id == april.id  # the edited occurrence keeps its identity (and its agenda)
    assert {(local(m).hour, m.title, m.series_id) for m in later} == {(15, "Partnership meeting", new.id)}
    assert all(m.sequence >= 1 for m in later)
    assert call(app, home, services.extend_all_series, NOW) == 0


def test_editing_following_from_the_first_occurrence_changes_the_series_itself(app, home):
    first = monthly(app, home)
    edit(app, home, first, "following", repeat="monthly_by_date")
    [series] = series_of(app, home)
    assert series.rule == "FREQ=MONTHLY;BYMONTHDAY=10"
    assert [local(m).day for m in rows(app, home)[:3]] == [10, 10, 10]


def test_a_one_off_given_a_repeat_becomes_a_series(app, home):
    meeting_id = schedule(app, home)
    edit(app, home, meeting_id, "one", repeat="monthly_by_weekday")
    [series] = series_of(app, home)
    meetings = rows(app, home)
    assert meetings[0].id == meeting_id and meetings[0].series_id == series.id and len(meetings) > 6


def cancel(app, home, meeting_id, scope):
    def run(ctx):
        meeting, series = services.get_meeting(ctx, meeting_id)
        return services.cancel_meeting(ctx, meeting, series, scope, NOW)

    return call(app, home, run)


def test_cancelling_one_occurrence_keeps_it_listed_as_cancelled(app, home):
    monthly(app, home)
    april = rows(app, home)[2]
    assert cancel(app, home, april.id, "one") == 1
    after = {m.id: m for m in rows(app, home)}
    assert (after[april.id].status, after[april.id].sequence) == (MeetingStatus.CANCELLED, 1)
    assert sum(1 for m in after.values() if m.cancelled) == 1
    with pytest.raises(ServiceError, match="already cancelled"):
        cancel(app, home, april.id, "one")


def test_cancelling_this_and_following_ends_the_series(app, home):
    monthly(app, home)
    meetings = rows(app, home)
    april = meetings[2]
    assert cancel(app, home, april.id, "following") == len(meetings) - 2
    [series] = series_of(app, home)
    assert series.rule.endswith("UNTIL=20260310T100000")
    after = rows(app, home)
    assert [m.cancelled for m in after] == [False, False] + [True] * (len(meetings) - 2)
    assert call(app, home, services.extend_all_series, NOW + timedelta(days=200)) == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_time": "09:00"}, "end_time"),
        ({"end_time": "10:00"}, "end_time"),
        ({"start_time": "25:00"}, "start_time"),
        ({"date": "2026-02-30"}, "date"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"online_url": "ftp://files.example.org"}, "online_url"),
        ({"title": "  "}, "title"),
        ({"kind": "party"}, "kind"),
        ({"confidentiality": "secret"}, "confidentiality"),
        ({"facilitator_membership_id": "99999"}, "facilitator_membership_id"),
        ({"repeat": "FREQ=SECONDLY"}, "repeat"),
        ({"repeat": "monthly_by_weekday", "repeat_until": "2025-01-01"}, "repeat_until"),
        ({"repeat": "weekly:1", "repeat_count": "0"}, "repeat_count"),
        ({"repeat": "weekly:1", "repeat_count": "3", "repeat_until": "2026-12-01"}, "repeat_count"),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_written(app, home, overrides, field):
    with pytest.raises(ServiceError) as refused:
        schedule(app, home, **overrides)
    assert refused.value.field == field
    assert rows(app, home) == [] and series_of(app, home) == []


def test_an_observer_cannot_be_the_facilitator(app, home):
    with pytest.raises(ServiceError) as refused:
        schedule(app, home, facilitator_membership_id=str(home.membership_ids["observer"]))
    assert refused.value.field == "facilitator_membership_id"


def test_the_suggestion_names_who_has_not_facilitated_recently(app, home):
    coordinator = home.membership_ids["coordinator"]
    schedule(app, home, date="2026-02-03", facilitator_membership_id=str(coordinator))

    def suggest(ctx):
        return services.facilitator_suggestions(ctx, NOW)

    suggestions = call(app, home, suggest)
    assert suggestions and suggestions[-1].membership_id == coordinator
    assert suggestions[-1].last_facilitated == datetime(2026, 2, 3, 17, 0, tzinfo=UTC)
    assert all(s.last_facilitated is None for s in suggestions[:-1])
