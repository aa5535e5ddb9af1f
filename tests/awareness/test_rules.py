"""The awareness days' date rules (python-dateutil underneath): every toolkit day over several years,
the partnership's own kinds of rule, the years a rule has no date, and the rules refused outright."""

from __future__ import annotations

from datetime import date

import pytest

from partnership_hub import toolkit
from partnership_hub.awareness.rules import (
    DayRule,
    Occurrence,
    RuleKind,
    builtin_rule,
    check,
    describe,
    next_occurrence,
    occurrence,
    occurrences_between,
)
from partnership_hub.errors import ServiceError

BUILTIN = {day.key: builtin_rule(day) for day in toolkit.AWARENESS_DAYS}


def on(rule: DayRule, year: int) -> date | None:
    hit = occurrence(rule, year)
    return hit.start if hit else None


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2023, date(2023, 11, 28)),
        (2024, date(2024, 12, 3)),
        (2025, date(2025, 12, 2)),
        (2026, date(2026, 12, 1)),
        (2027, date(2027, 11, 30)),
        (2028, date(2028, 11, 28)),
        (2029, date(2029, 11, 27)),
    ],
)
def test_giving_tuesday_is_the_tuesday_after_us_thanksgiving(year, expected):
    assert on(BUILTIN["giving_tuesday"], year) == expected
    assert expected.weekday() == 1  # a Tuesday


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2028, 2100])
@pytest.mark.parametrize(
    ("key", "month", "day"),
    [
        ("social_justice_day", 2, 20),
        ("child_labour_day", 6, 12),
        ("tip_day", 7, 30),
        ("girl_child_day", 10, 11),
        ("evaw_day", 11, 25),
        ("human_rights_day", 12, 10),
    ],
)
def test_the_fixed_toolkit_days_fall_on_their_date_every_year(key, month, day, year):
    assert occurrence(BUILTIN[key], year) == Occurrence(date(year, month, day), date(year, month, day))


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2028])
@pytest.mark.parametrize(
    ("key", "month", "last"),
    [("ht_awareness_month", 1, 31), ("child_abuse_month", 4, 30), ("sexual_assault_month", 4, 30)],
)
def test_the_toolkit_months_run_the_whole_month(key, month, last, year):
    hit = occurrence(BUILTIN[key], year)
    assert hit == Occurrence(date(year, month, 1), date(year, month, last))
    assert hit.is_month


def test_every_toolkit_day_has_a_rule_and_a_date_every_year():
    assert len(BUILTIN) == 10
    for key, rule in BUILTIN.items():
        for year in range(2020, 2040):
            assert occurrence(rule, year) is not None, (key, year)


def test_the_nth_and_last_weekday_of_a_month():
    memorial = DayRule(RuleKind.NTH_WEEKDAY, month=5, weekday=0, nth=-1)  # last Monday of May
    assert [on(memorial, y) for y in (2025, 2026, 2027)] == [date(2025, 5, 26), date(2026, 5, 25), date(2027, 5, 31)]
    second_saturday = DayRule(RuleKind.NTH_WEEKDAY, month=5, weekday=5, nth=2)
    assert on(second_saturday, 2026) == date(2026, 5, 9)


def test_a_fifth_weekday_skips_the_years_without_one():
    fifth_monday_of_march = DayRule(RuleKind.NTH_WEEKDAY, month=3, weekday=0, nth=5)
    found = {y: on(fifth_monday_of_march, y) for y in range(2024, 2032)}
    assert found[2026] == date(2026, 3, 30)
    assert found[2025] == date(2025, 3, 31)
    assert found[2027] == date(2027, 3, 29)
    assert found[2028] is None and found[2029] is None and found[2030] is None  # no fifth Monday in March
    assert next_occurrence(fifth_monday_of_march, date(2027, 4, 1)) == Occurrence(date(2031, 3, 31), date(2031, 3, 31))


def test_february_29_is_a_date_in_leap_years_only():
    leap_day = check(DayRule(RuleKind.FIXED, month=2, day=29))
    assert on(leap_day, 2028) == date(2028, 2, 29)
    assert on(leap_day, 2027) is None and on(leap_day, 2100) is None  # 2100 is not a leap year


def test_offsets_count_from_another_day_and_may_cross_the_year():
    after = DayRule(RuleKind.OFFSET, base=BUILTIN["human_rights_day"], offset_days=25)
    assert on(after, 2026) == date(2027, 1, 4)
    assert occurrences_between(after, date(2027, 1, 1), date(2027, 1, 31)) == [
        Occurrence(date(2027, 1, 4), date(2027, 1, 4))
    ]
    before = DayRule(RuleKind.OFFSET, base=BUILTIN["tip_day"], offset_days=-7)
    assert on(before, 2026) == date(2026, 7, 23)


def test_a_one_off_day_is_in_its_year_only():
    once = DayRule(RuleKind.ONE_OFF, on=date(2027, 3, 8))
    assert on(once, 2027) == date(2027, 3, 8) and on(once, 2026) is None and on(once, 2028) is None


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        (DayRule(RuleKind.FIXED, month=2, day=31), "day", "February never has a 31st day"),
        (DayRule(RuleKind.FIXED, month=2, day=30), "day", "February never has a 30th day"),
        (DayRule(RuleKind.FIXED, month=4, day=31), "day", "April never has a 31st day"),
        (DayRule(RuleKind.FIXED, month=13, day=1), "month", "Choose a month"),
        (DayRule(RuleKind.FIXED, month=6, day=0), "day", "from 1 to 31"),
        (DayRule(RuleKind.NTH_WEEKDAY, month=6, weekday=7, nth=1), "weekday", "Choose a weekday"),
        (DayRule(RuleKind.NTH_WEEKDAY, month=6, weekday=1, nth=6), "nth", "first to fifth, or last"),
        (DayRule(RuleKind.ONE_OFF), "on", "Enter the date"),
        (DayRule(RuleKind.OFFSET, base=None, offset_days=3), "base", "Choose the day"),
        (DayRule(RuleKind.OFFSET, base=DayRule(RuleKind.MONTH, month=1), offset_days=0), "offset_days", "1 to 180"),
        (DayRule(RuleKind.OFFSET, base=DayRule(RuleKind.MONTH, month=1), offset_days=400), "offset_days", "1 to 180"),
        (
            DayRule(RuleKind.OFFSET, base=BUILTIN["giving_tuesday"], offset_days=3),
            "base",
            "not from another offset",
        ),
    ],
)
def test_rules_that_can_never_produce_a_date_are_refused_at_their_field(rule, field, message):
    with pytest.raises(ServiceError) as refused:
        check(rule)
    assert refused.value.field == field
    assert message in str(refused.value)


def test_rules_read_as_words():
    assert describe(DayRule(RuleKind.FIXED, month=6, day=12)) == "Every 12 June"
    assert describe(DayRule(RuleKind.NTH_WEEKDAY, month=11, weekday=3, nth=4)) == "The fourth Thursday of November"
    assert describe(DayRule(RuleKind.MONTH, month=1)) == "All of January"
    assert describe(BUILTIN["giving_tuesday"]) == "5 days after the fourth Thursday of November"
    assert (
        describe(DayRule(RuleKind.OFFSET, base=None, offset_days=-2), "Leadership Day")
        == "2 days before Leadership Day"
    )
