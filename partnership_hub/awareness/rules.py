"""Date rules of awareness days, built on python-dateutil's rrule.

A rule is one of: a fixed date every year (June 12), the nth or last weekday of a month (the fourth
Thursday of November), a whole month (January), a one-off date, or an offset from another day (the
Tuesday after Thanksgiving = 5 days after the fourth Thursday of November). ``occurrence(rule, year)``
gives the day (or the month) a rule falls on in a year, or None when it has none that year (the fifth
Monday of a month; February 29). ``check(rule)`` refuses rules that can never produce a date (the 31st
of February) with a message for the field at fault.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dateutil.rrule import YEARLY, rrule, weekday

from partnership_hub import toolkit
from partnership_hub.errors import ServiceError

OFFSET_MAX = 180  # days before or after another day
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NTH_LABELS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


class RuleKind(enum.StrEnum):
    FIXED = "fixed"
    NTH_WEEKDAY = "nth_weekday"
    MONTH = "month"
    ONE_OFF = "one_off"
    OFFSET = "offset"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    RuleKind.FIXED: "The same date every year",
    RuleKind.NTH_WEEKDAY: "A weekday of a month (e.g. the fourth Thursday of November)",
    RuleKind.MONTH: "A whole month",
    RuleKind.ONE_OFF: "Once, on one date",
    RuleKind.OFFSET: "Some days before or after another day",
}


@dataclass(frozen=True)
class DayRule:
    kind: RuleKind
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # 0 = Monday
    nth: int | None = None  # 1..5, or -1 for the last
    on: date | None = None  # ONE_OFF
    base: DayRule | None = None  # OFFSET: the day it counts from
    offset_days: int = 0


@dataclass(frozen=True)
class Occurrence:
    start: date
    end: date  # == start for a day; the month's last day for a month-long observance

    @property
    def is_month(self) -> bool:
        return self.end != self.start


def builtin_rule(day: toolkit.AwarenessDay) -> DayRule:
    """The rule of one of the toolkit's days."""
    if day.day is not None:
        rule = DayRule(RuleKind.FIXED, month=day.month, day=day.day)
    elif day.weekday is not None and day.nth is not None:
        rule = DayRule(RuleKind.NTH_WEEKDAY, month=day.month, weekday=day.weekday, nth=day.nth)
    else:
        rule = DayRule(RuleKind.MONTH, month=day.month)
    if day.offset_days:
        rule = DayRule(RuleKind.OFFSET, base=rule, offset_days=day.offset_days)
    return rule


@lru_cache(maxsize=8192)
def occurrence(rule: DayRule, year: int) -> Occurrence | None:
    """When ``rule`` falls in ``year`` (for an offset: when its base falls in ``year``, shifted — so it may
    land in the next or previous year), or None when it has no date that year. Memoised per rule and year
    (rules are frozen values): the calendars ask for every observed day's dates on every page."""
    if rule.kind == RuleKind.ONE_OFF:
        return Occurrence(rule.on, rule.on) if rule.on is not None and rule.on.year == year else None
    if rule.kind == RuleKind.OFFSET:
        if rule.base is None:
            return None
        base = occurrence(rule.base, year)
        if base is None:
            return None
        shifted = base.start + timedelta(days=rule.offset_days)
        return Occurrence(shifted, shifted)
    assert rule.month is not None
    if rule.kind == RuleKind.MONTH:
        last = calendar.monthrange(year, rule.month)[1]
        return Occurrence(date(year, rule.month, 1), date(year, rule.month, last))
    start, until = date(year, 1, 1), date(year, 12, 31)
    if rule.kind == RuleKind.FIXED:
        dates = rrule(YEARLY, dtstart=start, until=until, bymonth=rule.month, bymonthday=rule.day)
    else:  # NTH_WEEKDAY: with BYMONTH in a yearly rule, the nth counts within the month (RFC 5545)
        assert rule.weekday is not None and rule.nth is not None
        dates = rrule(YEARLY, dtstart=start, until=until, bymonth=rule.month, byweekday=weekday(rule.weekday, rule.nth))
    found = next(iter(dates), None)
    return Occurrence(found.date(), found.date()) if found is not None else None


def occurrences_between(rule: DayRule, first: date, last: date) -> list[Occurrence]:
    """Every occurrence of ``rule`` overlapping ``first``..``last`` (a calendar month, a year, the
    coming weeks); an offset's base may fall in the year before or after."""
    found = []
    for year in range(first.year - 1, last.year + 2):
        hit = occurrence(rule, year)
        if hit is not None and hit.end >= first and hit.start <= last and hit not in found:
            found.append(hit)
    return sorted(found, key=lambda o: o.start)


def next_occurrence(rule: DayRule, today: date) -> Occurrence | None:
    """The occurrence still running today or the next to come (looking a few years ahead, since a fifth
    weekday or February 29 skips years)."""
    for year in range(today.year - 1, today.year + 8):
        hit = occurrence(rule, year)
        if hit is not None and hit.end >= today:
            return hit
    return None


def check(rule: DayRule) -> DayRule:
    """Refuse a rule that can never produce a date, at the field at fault; return it unchanged."""
    if rule.kind == RuleKind.ONE_OFF:
        if rule.on is None:
            raise ServiceError("Enter the date like 2027-03-31.", "on")
        return rule
    if rule.kind == RuleKind.OFFSET:
        if rule.base is None:
            raise ServiceError("Choose the day it counts from.", "base")
        if not -OFFSET_MAX <= rule.offset_days <= OFFSET_MAX or rule.offset_days == 0:
            raise ServiceError(f"Enter a number of days from 1 to {OFFSET_MAX}.", "offset_days")
        if rule.base.kind == RuleKind.OFFSET:
            raise ServiceError("Count from a day with a date of its own, not from another offset.", "base")
        return rule
    if rule.month is None or not 1 <= rule.month <= 12:
        raise ServiceError("Choose a month.", "month")
    if rule.kind == RuleKind.FIXED:
        longest = calendar.monthrange(2024, rule.month)[1]  # a leap year: February 29 is a date (some years)
        if rule.day is None or not 1 <= rule.day <= 31:
            raise ServiceError("Enter the day of the month, from 1 to 31.", "day")
        if rule.day > longest:
            month = calendar.month_name[rule.month]
            raise ServiceError(f"{month} never has a {_ordinal(rule.day)} day; choose a date that exists.", "day")
    elif rule.kind == RuleKind.NTH_WEEKDAY:
        if rule.weekday is None or not 0 <= rule.weekday <= 6:
            raise ServiceError("Choose a weekday.", "weekday")
        if rule.nth not in NTH_LABELS:
            raise ServiceError("Choose which one: first to fifth, or last.", "nth")
    return rule


def describe(rule: DayRule, base_label: str = "") -> str:
    """The rule in words: 'Every 12 June', 'The fourth Thursday of November', '5 days after …'."""
    if rule.kind == RuleKind.ONE_OFF and rule.on is not None:
        return f"On {rule.on:%-d %B %Y}"
    if rule.kind == RuleKind.OFFSET:
        days = abs(rule.offset_days)
        side = "after" if rule.offset_days > 0 else "before"
        if base_label:
            base = base_label  # a day's name keeps its capitals
        elif rule.base is not None:
            words = describe(rule.base)
            base = words[0].lower() + words[1:]  # "the fourth Thursday of November"
        else:
            base = "another day"
        return f"{days} day{'s' if days != 1 else ''} {side} {base}"
    month = calendar.month_name[rule.month or 1]
    if rule.kind == RuleKind.MONTH:
        return f"All of {month}"
    if rule.kind == RuleKind.FIXED:
        return f"Every {rule.day} {month}"
    return f"The {NTH_LABELS.get(rule.nth or 1, '')} {WEEKDAYS[rule.weekday or 0]} of {month}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
