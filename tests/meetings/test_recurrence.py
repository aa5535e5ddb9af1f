"""Recurring meetings' rules (partnership_hub/meetings/recurrence.py): wall-clock time across DST, the
gap and repeated-hour decisions, the form's choices, ends, splits, words, refusals and bounded expansion."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnership_hub.errors import ServiceError
from partnership_hub.meetings import recurrence
from partnership_hub.meetings.recurrence import (
    Occurrence,
    RecurrenceError,
    RepeatChoice,
    choice_from_key,
    describe,
    occurrences,
    repeat_choices,
    rule_for_ical,
    rule_for_remainder,
    rule_from_choice,
    rule_until_before,
    validate_rule,
)

LONDON = "Europe/London"
NEW_YORK = "America/New_York"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def between(rule: str, start: datetime, zone: str, after: datetime, before: datetime, limit: int = 500):
    return occurrences(rule, start, zone, after_utc=after, before_utc=before, limit=limit)


# --- wall-clock time across DST -------------------------------------------------------------------------


def test_second_tuesday_in_london_keeps_10_00_through_spring_and_autumn():
    start = datetime(2026, 3, 10, 10, 0)  # second Tuesday; London moves to BST on 29 March, back on 25 Oct
    found = between("FREQ=MONTHLY;BYDAY=2TU", start, LONDON, utc(2026, 1, 1), utc(2027, 1, 1))

    assert [o.local_start for o in found] == [
        datetime(2026, m, d, 10, 0)
        for m, d in [(3, 10), (4, 14), (5, 12), (6, 9), (7, 14), (8, 11), (9, 8), (10, 13), (11, 10), (12, 8)]
    ]
    assert found[0].start_utc == utc(2026, 3, 10, 10, 0)  # GMT
    assert found[1].start_utc == utc(2026, 4, 14, 9, 0)  # BST: an hour earlier in UTC
    assert found[7].start_utc == utc(2026, 10, 13, 9, 0)
    assert found[8].start_utc == utc(2026, 11, 10, 10, 0)  # GMT again
    assert all(o.start_utc.tzinfo is UTC and o.local_start.tzinfo is None for o in found)


def test_weekly_in_new_york_keeps_9_00_and_shifts_in_utc():
    start = datetime(2026, 3, 2, 9, 0)  # a Monday; New York springs forward on 8 March, falls back on 1 Nov
    spring = between("FREQ=WEEKLY;BYDAY=MO", start, NEW_YORK, utc(2026, 3, 1), utc(2026, 3, 17))
    assert [(o.local_start.hour, o.start_utc.hour) for o in spring] == [(9, 14), (9, 13), (9, 13)]

    autumn = between("FREQ=WEEKLY;BYDAY=MO", start, NEW_YORK, utc(2026, 10, 25), utc(2026, 11, 10))
    assert [o.local_start for o in autumn] == [
        datetime(2026, 10, 26, 9),
        datetime(2026, 11, 2, 9),
        datetime(2026, 11, 9, 9),
    ]
    assert [o.start_utc.hour for o in autumn] == [13, 14, 14]


def test_a_skipped_local_time_moves_forward_by_the_gap():
    # London skips 01:00-02:00 on 29 March 2026: 01:30 that day is 02:30 BST (01:30 UTC).
    found = between("FREQ=DAILY;COUNT=3", datetime(2026, 3, 28, 1, 30), LONDON, utc(2026, 3, 1), utc(2026, 4, 1))
    assert found == [
        Occurrence(datetime(2026, 3, 28, 1, 30), utc(2026, 3, 28, 1, 30)),
        Occurrence(datetime(2026, 3, 29, 2, 30), utc(2026, 3, 29, 1, 30)),
        Occurrence(datetime(2026, 3, 30, 1, 30), utc(2026, 3, 30, 0, 30)),
    ]
    # New York skips 02:00-03:00 on 8 March 2026: 02:30 becomes 03:30 EDT (07:30 UTC).
    (skipped,) = between(
        "FREQ=WEEKLY;BYDAY=SU", datetime(2026, 3, 1, 2, 30), NEW_YORK, utc(2026, 3, 8), utc(2026, 3, 9)
    )
    assert skipped == Occurrence(datetime(2026, 3, 8, 3, 30), utc(2026, 3, 8, 7, 30))


def test_a_repeated_local_time_is_the_first_of_the_two():
    # London repeats 01:00-02:00 on 25 October 2026: 01:30 is taken in BST (00:30 UTC), not GMT (01:30 UTC).
    (london,) = between(
        "FREQ=WEEKLY;BYDAY=SU", datetime(2026, 10, 18, 1, 30), LONDON, utc(2026, 10, 25), utc(2026, 10, 26)
    )
    assert london == Occurrence(datetime(2026, 10, 25, 1, 30), utc(2026, 10, 25, 0, 30))
    # New York repeats 01:00-02:00 on 1 November 2026: 01:30 EDT is 05:30 UTC (EST would be 06:30).
    (new_york,) = between(
        "FREQ=WEEKLY;BYDAY=SU", datetime(2026, 10, 25, 1, 30), NEW_YORK, utc(2026, 11, 1), utc(2026, 11, 2)
    )
    assert new_york == Occurrence(datetime(2026, 11, 1, 1, 30), utc(2026, 11, 1, 5, 30))


# --- the form's choices ---------------------------------------------------------------------------------


def test_choices_for_a_second_tuesday():
    choices = dict(repeat_choices(datetime(2026, 3, 10, 10, 0)))
    assert choices == {
        "none": "Does not repeat",
        "weekly:1": "Weekly on Tuesday",
        "weekly:2": "Every 2 weeks on Tuesday",
        "weekly:3": "Every 3 weeks on Tuesday",
        "weekly:4": "Every 4 weeks on Tuesday",
        "monthly_by_weekday": "Monthly on the second Tuesday",
        "monthly_by_date": "Monthly on the 10th",
        "yearly": "Yearly on 10 March",
    }


def test_choices_offer_last_for_a_last_weekday_and_not_fifth():
    fourth_and_last = dict(repeat_choices(datetime(2026, 6, 26, 10)))  # June 2026 has four Fridays
    assert fourth_and_last["monthly_by_weekday"] == "Monthly on the fourth Friday"
    assert fourth_and_last["monthly_by_last_weekday"] == "Monthly on the last Friday"

    fifth = dict(repeat_choices(datetime(2026, 5, 29, 10)))  # the fifth Friday of May 2026
    assert "monthly_by_weekday" not in fifth
    assert fifth["monthly_by_last_weekday"] == "Monthly on the last Friday"
    assert fifth["monthly_by_date"] == "Monthly on the 29th (skipping months without one)"

    assert "monthly_by_last_weekday" not in dict(repeat_choices(datetime(2026, 3, 10, 10)))
    assert dict(repeat_choices(datetime(2028, 2, 29, 10)))["yearly"] == "Yearly on 29 February (leap years only)"


def test_every_choice_key_round_trips_and_builds_a_valid_rule():
    start = datetime(2026, 6, 26, 18, 0)
    for key, _label in repeat_choices(start):
        choice = choice_from_key(key)
        assert choice.key == key
        if choice.repeats:
            rule = rule_from_choice(choice, start)
            assert validate_rule(rule, first_start_local=start) == rule
            first = between(rule, start, LONDON, utc(2026, 1, 1), utc(2030, 1, 1), limit=1)
            assert first[0].local_start == start
    assert not choice_from_key("none").repeats


@pytest.mark.parametrize(
    ("key", "start", "expected"),
    [
        ("weekly:1", datetime(2026, 3, 10, 10), "FREQ=WEEKLY;BYDAY=TU"),
        ("weekly:2", datetime(2026, 3, 10, 10), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ("monthly_by_weekday", datetime(2026, 3, 10, 10), "FREQ=MONTHLY;BYDAY=2TU"),
        ("monthly_by_last_weekday", datetime(2026, 5, 29, 10), "FREQ=MONTHLY;BYDAY=-1FR"),
        ("monthly_by_date", datetime(2026, 3, 10, 10), "FREQ=MONTHLY;BYMONTHDAY=10"),
        ("yearly", datetime(2026, 3, 10, 10), "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=10"),
    ],
)
def test_rule_from_choice(key, start, expected):
    assert rule_from_choice(choice_from_key(key), start) == expected


def test_second_tuesday_and_last_friday_dates():
    second_tuesday = rule_from_choice(RepeatChoice("monthly_by_weekday"), datetime(2026, 3, 10, 10))
    found = between(second_tuesday, datetime(2026, 3, 10, 10), LONDON, utc(2026, 1, 1), utc(2027, 1, 1), limit=3)
    assert [o.local_start.date() for o in found] == [date(2026, 3, 10), date(2026, 4, 14), date(2026, 5, 12)]

    last_friday = rule_from_choice(RepeatChoice("monthly_by_last_weekday"), datetime(2026, 5, 29, 10))
    found = between(last_friday, datetime(2026, 5, 29, 10), LONDON, utc(2026, 1, 1), utc(2027, 1, 1), limit=4)
    assert [o.local_start.date() for o in found] == [
        date(2026, 5, 29),
        date(2026, 6, 26),
        date(2026, 7, 31),
        date(2026, 8, 28),
    ]


def test_every_two_weeks():
    start = datetime(2026, 3, 10, 10)
    rule = rule_from_choice(RepeatChoice("weekly", interval=2), start)
    found = between(rule, start, LONDON, utc(2026, 3, 1), utc(2026, 4, 30))
    assert [o.local_start.date() for o in found] == [
        date(2026, 3, 10),
        date(2026, 3, 24),
        date(2026, 4, 7),
        date(2026, 4, 21),
    ]


def test_ends_after_a_count_or_on_a_date_inclusive():
    start = datetime(2026, 3, 10, 10)
    counted = rule_from_choice(RepeatChoice("weekly", count=3), start)
    assert counted == "FREQ=WEEKLY;BYDAY=TU;COUNT=3"
    assert len(between(counted, start, LONDON, utc(2026, 1, 1), utc(2030, 1, 1))) == 3

    until = rule_from_choice(RepeatChoice("weekly", until=date(2026, 4, 7)), start)
    assert until == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260407T235959"
    found = between(until, start, LONDON, utc(2026, 1, 1), utc(2030, 1, 1))
    assert found[-1].local_start == datetime(2026, 4, 7, 10)  # the end date's meeting is included
    assert len(found) == 5


def test_bad_choices_are_refused_at_their_fields():
    start = datetime(2026, 3, 10, 10)
    with pytest.raises(RecurrenceError) as caught:
        choice_from_key("fortnightly")
    assert caught.value.field == "repeat"
    with pytest.raises(RecurrenceError):
        choice_from_key("monthly_by_date:3")
    with pytest.raises(RecurrenceError) as caught:
        choice_from_key("weekly:2", count=501)
    assert caught.value.field == "repeat_count"
    with pytest.raises(RecurrenceError) as caught:
        choice_from_key("weekly:2", count=3, until=date(2027, 1, 1))
    assert caught.value.field == "repeat_count"
    with pytest.raises(RecurrenceError) as caught:
        rule_from_choice(RepeatChoice("weekly", until=date(2026, 3, 9)), start)
    assert caught.value.field == "repeat_until"
    with pytest.raises(RecurrenceError):
        rule_from_choice(RepeatChoice("monthly_by_last_weekday"), start)  # 10 March is not the last Tuesday
    with pytest.raises(ValueError):
        rule_from_choice(RepeatChoice(), start)


def test_recurrence_error_is_a_service_error_with_a_field():
    with pytest.raises(ServiceError) as caught:
        validate_rule("FREQ=HOURLY")
    assert caught.value.field == "repeat"
    assert caught.value.message == "Meetings can repeat at most daily."


# --- splitting a series ("this and all following") ------------------------------------------------------


def test_split_ends_the_first_half_before_the_cut_and_keeps_the_count():
    start = datetime(2026, 3, 10, 10)
    rule = "FREQ=MONTHLY;BYDAY=2TU;COUNT=10"
    cut = datetime(2026, 6, 9, 10)  # the fourth meeting

    earlier = rule_until_before(rule, start, LONDON, cut)
    assert earlier == "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260512T100000"
    assert [o.local_start.date() for o in between(earlier, start, LONDON, utc(2026, 1, 1), utc(2030, 1, 1))] == [
        date(2026, 3, 10),
        date(2026, 4, 14),
        date(2026, 5, 12),
    ]
    later = rule_for_remainder(rule, start, LONDON, cut)
    assert later == "FREQ=MONTHLY;BYDAY=2TU;COUNT=7"
    assert len(between(later, cut, LONDON, utc(2026, 1, 1), utc(2030, 1, 1))) == 7

    assert rule_until_before(rule, start, LONDON, utc(2026, 6, 9, 9)) == earlier  # the cut as a UTC instant
    assert rule_until_before(rule, start, LONDON, start) is None  # nothing left before the first meeting
    assert rule_for_remainder("FREQ=WEEKLY;BYDAY=TU", start, LONDON, cut) == "FREQ=WEEKLY;BYDAY=TU"
    with pytest.raises(RecurrenceError):
        rule_for_remainder(rule, start, LONDON, datetime(2027, 6, 1))


def test_split_at_a_meeting_moved_by_the_gap():
    start = datetime(2026, 3, 28, 1, 30)
    rule = "FREQ=DAILY;COUNT=5"
    # The 29 March meeting is at 02:30 on the clock (01:30 on the rule): either names it.
    assert rule_until_before(rule, start, LONDON, datetime(2026, 3, 29, 2, 30)) == "FREQ=DAILY;UNTIL=20260328T013000"
    assert rule_until_before(rule, start, LONDON, datetime(2026, 3, 29, 1, 30)) == "FREQ=DAILY;UNTIL=20260328T013000"


# --- words ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        ("FREQ=MONTHLY;BYDAY=2TU", datetime(2026, 3, 10, 10), "Monthly on the second Tuesday at 10:00"),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270630T235959",
            datetime(2026, 3, 10, 10),
            "Every 2 weeks on Tuesday at 10:00, until 30 June 2027",
        ),
        (
            "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6",
            datetime(2026, 5, 29, 14, 30),
            "Monthly on the last Friday at 14:30, 6 times",
        ),
        ("FREQ=MONTHLY;BYMONTHDAY=10", datetime(2026, 3, 10, 9), "Monthly on the 10th at 09:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", datetime(2026, 3, 31, 9), "Monthly on the last day at 09:00"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=10", datetime(2026, 3, 10, 9), "Yearly on 10 March at 09:00"),
        ("FREQ=YEARLY", datetime(2026, 3, 22, 9), "Yearly on 22 March at 09:00"),
        ("FREQ=WEEKLY", datetime(2026, 3, 10, 9), "Weekly on Tuesday at 09:00"),
        ("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=1", datetime(2026, 3, 9, 9), "Weekly on Monday and Thursday at 09:00, once"),
        ("FREQ=DAILY;INTERVAL=3;COUNT=4", datetime(2026, 3, 9, 9), "Every 3 days at 09:00, 4 times"),
        (
            "FREQ=MONTHLY;BYDAY=1MO;BYMONTH=1,4,7,10",
            datetime(2026, 1, 5, 9),
            "Monthly on the first Monday in January, April, July and October at 09:00",
        ),
        (
            "FREQ=MONTHLY;INTERVAL=3;BYDAY=-2WE",
            datetime(2026, 3, 18, 9),
            "Every 3 months on the second-to-last Wednesday at 09:00",
        ),
    ],
)
def test_describe(rule, start, expected):
    assert describe(rule, start) == expected


# --- refusals -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a repeat rule"),
        ("FREQ=HOURLY", "at most daily"),
        ("FREQ=MINUTELY;COUNT=5", "at most daily"),
        ("FREQ=SECONDLY", "at most daily"),
        ("FREQ=FORTNIGHTLY", "FREQ must be"),
        ("BYDAY=TU", "needs a FREQ"),
        ("FREQ=WEEKLY;BYHOUR=10", "BYHOUR are not supported"),
        ("FREQ=WEEKLY;BYMINUTE=30", "BYMINUTE are not supported"),
        ("FREQ=WEEKLY;BYSECOND=1", "BYSECOND are not supported"),
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "BYSETPOS are not supported"),
        ("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO are not supported"),
        ("FREQ=WEEKLY;X-NAME=1", "not supported"),
        ("FREQ=WEEKLY;COLOUR=RED", "not part of a repeat rule"),
        ("FREQ=WEEKLY;COUNT=501", "between 1 and 500"),
        ("FREQ=WEEKLY;COUNT=0", "between 1 and 500"),
        ("FREQ=WEEKLY;INTERVAL=100", "INTERVAL must be between 1 and 99"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL must be between 1 and 99"),
        ("FREQ=WEEKLY;INTERVAL=two", "whole number"),
        ("FREQ=WEEKLY;FREQ=DAILY", "more than once"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "not both"),
        ("FREQ=WEEKLY;UNTIL=20270230", "not a real date"),
        ("FREQ=WEEKLY;UNTIL=tomorrow", "UNTIL must be"),
        ("FREQ=WEEKLY;UNTIL=20270101T000000Z", "local time"),
        ("DTSTART:20260310T100000\nRRULE:FREQ=WEEKLY", "without DTSTART"),
        ("FREQ=WEEKLY;DTSTART=20260310T100000", "without DTSTART"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY values"),
        ("FREQ=MONTHLY;BYDAY=0TU", "cannot be 0"),
        ("FREQ=MONTHLY;BYDAY=6TU", "1 to 5"),
        ("FREQ=WEEKLY;BYDAY=2TU", "go with FREQ=MONTHLY or YEARLY"),
        ("FREQ=WEEKLY;BYMONTHDAY=3", "go with FREQ=MONTHLY or YEARLY"),
        ("FREQ=MONTHLY;BYMONTHDAY=3;BYDAY=FR", "not both"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY values"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never falls on a real date"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH values"),
        ("FREQ=DAILY", "twice a week"),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "twice a week"),
        ("FREQ=WEEKLY;WKST=XX", "WKST"),
        ("FREQ==WEEKLY", "FREQ must be"),
        ("just text", "not a repeat rule"),
        ("FREQ=WEEKLY;\u00a0BYDAY=TU", "characters"),
        ("FREQ=WEEKLY;" + "BYDAY=TU," * 60, "too long"),
    ],
)
def test_validate_rule_refuses(text, message):
    with pytest.raises(RecurrenceError) as caught:
        validate_rule(text)
    assert message in caught.value.message


def test_validate_rule_normalizes():
    assert validate_rule(" rrule:byday=-1fr;freq=monthly ") == "FREQ=MONTHLY;BYDAY=-1FR"
    assert validate_rule("FREQ=WEEKLY;INTERVAL=1;WKST=MO;BYDAY=TH,MO") == "FREQ=WEEKLY;BYDAY=MO,TH"
    assert validate_rule("FREQ=WEEKLY;UNTIL=20270630") == "FREQ=WEEKLY;UNTIL=20270630T235959"
    assert validate_rule("FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=TU") == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=SU"
    assert validate_rule("FREQ=WEEKLY;") == "FREQ=WEEKLY"  # a trailing ';' is tolerated
    assert validate_rule("FREQ=DAILY;COUNT=5") == "FREQ=DAILY;COUNT=5"  # daily is fine with a count
    # UTC UNTIL (as calendars write it) is accepted when the zone is known, and stored local.
    assert validate_rule("FREQ=WEEKLY;UNTIL=20270630T225959Z", time_zone=LONDON) == "FREQ=WEEKLY;UNTIL=20270630T235959"
    assert rule_for_ical("FREQ=WEEKLY;UNTIL=20270630T235959", LONDON) == "FREQ=WEEKLY;UNTIL=20270630T225959Z"


def test_validate_rule_with_a_start_that_does_not_fit():
    with pytest.raises(RecurrenceError) as caught:
        validate_rule("FREQ=MONTHLY;BYDAY=2TU", first_start_local=datetime(2026, 3, 17, 10))  # third Tuesday
    assert "not one the rule gives" in caught.value.message
    with pytest.raises(RecurrenceError) as caught:
        validate_rule("FREQ=WEEKLY;UNTIL=20260101", first_start_local=datetime(2026, 3, 17, 10))
    assert caught.value.field == "repeat_until"
    with pytest.raises(RecurrenceError) as caught:
        occurrences(
            "FREQ=WEEKLY",
            datetime(2026, 3, 17, 10),
            "Mars/Olympus",
            after_utc=utc(2026, 1, 1),
            before_utc=utc(2027, 1, 1),
        )
    assert caught.value.field == "time_zone"


RULE_PARTS = st.sampled_from(
    [
        "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY", "FREQ=YEARLY", "FREQ=HOURLY", "INTERVAL=2", "INTERVAL=7",
        "INTERVAL=14", "INTERVAL=99", "INTERVAL=100", "INTERVAL=-1", "BYDAY=TU", "BYDAY=2TU", "BYDAY=-1FR",
        "BYDAY=MO,TH", "BYDAY=5SU", "BYDAY=+53MO", "BYMONTHDAY=29", "BYMONTHDAY=-1", "BYMONTHDAY=31",
        "BYMONTH=2", "BYMONTH=2,4", "COUNT=3", "COUNT=500", "COUNT=501", "UNTIL=20270630", "UNTIL=99991231",
        "UNTIL=19000101T000000", "UNTIL=20270630T235959Z", "WKST=SU", "BYSETPOS=1", "BYHOUR=9", "DTSTART=1",
        "", "=", ";", "FREQ", "BYDAY=", "BYDAY=0MO", "BYDAY=-0MO", "BYMONTHDAY=0",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(RULE_PARTS, max_size=6).map(";".join)))
def test_validate_rule_never_raises_anything_else(text):
    try:
        normalized = validate_rule(text)
    except RecurrenceError:
        return
    assert validate_rule(normalized) == normalized  # normalizing is stable
    assert describe(normalized, datetime(2026, 3, 10, 10))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(RULE_PARTS, min_size=1, max_size=5).map(";".join),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2200, 12, 31)),
    st.sampled_from([LONDON, NEW_YORK, "UTC", "Australia/Lord_Howe"]),
)
def test_accepted_rules_expand_quickly_or_are_refused(text, start, zone):
    began = time.perf_counter()
    try:
        found = occurrences(text, start, zone, after_utc=utc(2026, 1, 1), before_utc=utc(2031, 1, 1), limit=50)
    except RecurrenceError:
        found = []
    assert len(found) <= 50
    assert time.perf_counter() - began < 2
    assert found == sorted(found, key=lambda o: o.start_utc)


# --- bounded expansion ----------------------------------------------------------------------------------


def test_a_sparse_rule_expands_quickly_and_stops_at_the_limit():
    start = datetime(2024, 2, 29, 18)
    rule = validate_rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", first_start_local=start)
    began = time.perf_counter()
    found = between(rule, start, LONDON, utc(2024, 1, 1), utc(2041, 1, 1))
    assert [o.local_start.year for o in found] == [2024, 2028, 2032, 2036, 2040]
    assert len(between(rule, start, LONDON, utc(2024, 1, 1), utc(9000, 1, 1), limit=3)) == 3
    # No 29 February after 9996 fits in a datetime: the search ends at the end of the calendar.
    assert between(rule, start, LONDON, utc(9997, 1, 1), utc(9999, 12, 1)) == []
    assert time.perf_counter() - began < 3


def test_a_rule_that_never_meets_again_is_refused_before_searching():
    began = time.perf_counter()
    with pytest.raises(RecurrenceError):  # a Tuesday start stepping whole weeks never reaches a Monday
        between("FREQ=DAILY;INTERVAL=7;BYDAY=MO", datetime(2026, 3, 3, 10), LONDON, utc(2026, 1, 1), utc(2027, 1, 1))
    assert time.perf_counter() - began < 0.2


def test_the_window_is_half_open_and_limited():
    start = datetime(2026, 3, 10, 10)
    rule = "FREQ=WEEKLY;BYDAY=TU"
    found = between(rule, start, LONDON, utc(2026, 3, 10, 10), utc(2026, 3, 24, 10))
    assert [o.local_start.day for o in found] == [10, 17]
    assert len(between(rule, start, LONDON, utc(2026, 1, 1), utc(2036, 1, 1), limit=7)) == 7
    assert between(rule, start, LONDON, utc(2026, 5, 1), utc(2026, 4, 1)) == []
    with pytest.raises(ValueError):
        occurrences(rule, start, LONDON, after_utc=datetime(2026, 1, 1), before_utc=utc(2027, 1, 1), limit=5)


def test_a_window_far_beyond_the_start_gives_up(monkeypatch):
    monkeypatch.setattr(recurrence, "MAX_SCANNED", 100)
    start = datetime(2026, 3, 10, 10)
    assert len(between("FREQ=WEEKLY;BYDAY=TU", start, LONDON, utc(2027, 6, 1), utc(2027, 7, 1))) == 5  # 64 skipped
    with pytest.raises(RecurrenceError):
        between("FREQ=WEEKLY;BYDAY=TU", start, LONDON, utc(2030, 1, 1), utc(2030, 2, 1))
    assert start + timedelta(weeks=100) < datetime(2030, 1, 1)
