"""Recurring meetings: RFC 5545 recurrence rules, checked, described and expanded. Pure: no Flask, no database.

A series is stored as a rule (RRULE text without DTSTART, normalized by :func:`validate_rule`), the naive
local date and time of its first meeting, and the partnership's time zone name. The rules here:

* **Wall-clock time is kept.** Rules are expanded in local time (python-dateutil's ``rrule`` on naive
  datetimes) and each occurrence is converted to UTC afterwards, so "monthly on the second Tuesday at
  10:00 Europe/London" is at 10:00 in London in January and in July, and its UTC time moves by an hour.
* **A local time that does not exist** (the hour skipped when clocks go forward) moves forward by the
  length of the gap: 01:30 on the day London skips 01:00–02:00 becomes 02:30 BST (01:30 UTC).
  ``Occurrence.local_start`` is then the adjusted wall-clock time (02:30), the time people meet at.
* **A local time that happens twice** (the hour repeated when clocks go back) is the first of the two
  (``fold=0``, the earlier instant: 01:30 BST, not 01:30 GMT).
* **UNTIL is local.** Rules carry ``UNTIL`` as a local date-time without ``Z`` (``UNTIL=20270630T235959``,
  the end of the chosen day in the series' time zone); :func:`rule_for_ical` gives the UTC form a
  calendar file needs next to a DTSTART with a TZID.
* **The first meeting is an occurrence.** A rule must produce the series' first local start (RFC 5545
  says DTSTART should be synchronized with the rule); :func:`validate_rule` with ``first_start_local``
  and :func:`occurrences` refuse one that does not.
* **Bounded.** Only the subset the product offers is accepted (see :func:`validate_rule`); rules that can
  never produce a date are refused before dateutil is asked (dateutil would search to the year 9999);
  expansion stops at ``limit`` results, at the first occurrence past the window, and after
  ``MAX_SCANNED`` occurrences skipped on the way to the window.

Errors are :class:`RecurrenceError`, a ``ServiceError``, so forms show them at the field
(``repeat`` by default; ``repeat_until`` / ``repeat_count`` for the end of a choice).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, weekday

from partnership_hub.errors import ServiceError

MAX_COUNT: Final = 500
MAX_INTERVAL: Final = 99
# A rule without COUNT (open-ended, or with UNTIL) may not meet more often than twice a week.
MAX_PER_YEAR_WITHOUT_COUNT: Final = 2 * 53
# Occurrences skipped between the series start and the window asked for before giving up.
MAX_SCANNED: Final = 100_000
MAX_RULE_LENGTH: Final = 500

FIELD: Final = "repeat"
FIELD_UNTIL: Final = "repeat_until"
FIELD_COUNT: Final = "repeat_count"
FIELD_TIME_ZONE: Final = "time_zone"

WEEKDAY_CODES: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ORDINAL_WORDS: Final = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}

_FREQUENCIES: Final[dict[str, Literal[0, 1, 2, 3, 4, 5, 6]]] = {
    "DAILY": DAILY,
    "WEEKLY": WEEKLY,
    "MONTHLY": MONTHLY,
    "YEARLY": YEARLY,
}
_SUPPORTED_PARTS: Final = ("FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "WKST", "COUNT", "UNTIL")
_KNOWN_UNSUPPORTED: Final = ("BYSECOND", "BYMINUTE", "BYHOUR", "BYSETPOS", "BYYEARDAY", "BYWEEKNO", "RSCALE", "SKIP")
_BYDAY_RE: Final = re.compile(r"([+-]?)(\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_INT_RE: Final = re.compile(r"[+-]?\d{1,3}")
_UNTIL_RE: Final = re.compile(r"(\d{8})(?:T(\d{6})(Z?))?")
_DAYS_IN_MONTH: Final = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # the most each month can have


class RecurrenceError(ServiceError):
    """A repeat rule or choice the app cannot use; ``field`` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = FIELD):
        super().__init__(message, field)


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series: its local wall-clock start (naive) and the same instant in UTC (aware)."""

    local_start: datetime
    start_utc: datetime


# --- the parsed rule --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    freq: str
    interval: int = 1
    bymonth: tuple[int, ...] = ()
    bymonthday: tuple[int, ...] = ()
    byday: tuple[tuple[int, int], ...] = ()  # (ordinal or 0, weekday 0=Monday)
    wkst: int = 0
    count: int | None = None
    until: datetime | None = None  # naive local

    def text(self) -> str:
        parts = [f"FREQ={self.freq}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.bymonth:
            parts.append("BYMONTH=" + ",".join(str(m) for m in self.bymonth))
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(str(d) for d in self.bymonthday))
        if self.byday:
            parts.append("BYDAY=" + ",".join(f"{n or ''}{WEEKDAY_CODES[w]}" for n, w in self.byday))
        if self.wkst != 0:
            parts.append(f"WKST={WEEKDAY_CODES[self.wkst]}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={self.until:%Y%m%dT%H%M%S}")
        return ";".join(parts)

    def rrule(self, first_start_local: datetime) -> rrule:
        return rrule(
            _FREQUENCIES[self.freq],
            dtstart=first_start_local,
            interval=self.interval,
            wkst=self.wkst,
            count=self.count,
            until=self.until,
            bymonth=self.bymonth or None,
            bymonthday=self.bymonthday or None,
            byweekday=[weekday(w, n or None) for n, w in self.byday] or None,
            cache=False,
        )


def _parse(text: object, *, time_zone: str | None = None) -> _Rule:
    """The rule in ``text``, or RecurrenceError saying what is wrong with it."""
    if not isinstance(text, str):
        raise RecurrenceError("Enter a repeat rule.")
    text = text.strip()
    if not text:
        raise RecurrenceError("Enter a repeat rule.")
    if len(text) > MAX_RULE_LENGTH:
        raise RecurrenceError(f"That repeat rule is too long (at most {MAX_RULE_LENGTH} characters).")
    if "DTSTART" in text.upper():
        raise RecurrenceError("Give the rule without DTSTART: the first meeting's date and time set the start.")
    if not text.isascii() or not text.isprintable():
        raise RecurrenceError("That repeat rule contains characters a rule cannot have.")
    text = text.upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:") :]
    values: dict[str, str] = {}
    for part in text.strip(";").split(";"):
        name, sep, value = part.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise RecurrenceError("That is not a repeat rule: write parts like FREQ=WEEKLY;BYDAY=TU.")
        if name in _KNOWN_UNSUPPORTED or name.startswith("X-"):
            raise RecurrenceError(f"Repeat rules with {_shown(name)} are not supported.")
        if name not in _SUPPORTED_PARTS:
            raise RecurrenceError(f"{_shown(name)} is not part of a repeat rule this app supports.")
        if name in values:
            raise RecurrenceError(f"{name} appears more than once.")
        values[name] = value

    freq_text = values.get("FREQ")
    if freq_text is None:
        raise RecurrenceError("The rule needs a FREQ (DAILY, WEEKLY, MONTHLY or YEARLY).")
    if freq_text in ("HOURLY", "MINUTELY", "SECONDLY"):
        raise RecurrenceError("Meetings can repeat at most daily.")
    if freq_text not in _FREQUENCIES:
        raise RecurrenceError("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.")

    interval = 1
    if "INTERVAL" in values:
        interval = _int(values["INTERVAL"], "INTERVAL")
        if not 1 <= interval <= MAX_INTERVAL:
            raise RecurrenceError(f"INTERVAL must be between 1 and {MAX_INTERVAL}.")
    count = None
    if "COUNT" in values:
        count = _int(values["COUNT"], "COUNT")
        if not 1 <= count <= MAX_COUNT:
            raise RecurrenceError(f"A series can have between 1 and {MAX_COUNT} meetings.")
    until = _parse_until(values["UNTIL"], time_zone) if "UNTIL" in values else None
    if count is not None and until is not None:
        raise RecurrenceError("Give either an end date (UNTIL) or a number of meetings (COUNT), not both.")
    wkst = 0
    if "WKST" in values:
        if values["WKST"] not in WEEKDAY_CODES:
            raise RecurrenceError("WKST must be a day such as MO or SU.")
        wkst = WEEKDAY_CODES.index(values["WKST"])

    bymonth = _int_list(values.get("BYMONTH"), "BYMONTH", 1, 12, negative=False)
    bymonthday = _int_list(values.get("BYMONTHDAY"), "BYMONTHDAY", 1, 31, negative=True)
    byday = _byday_list(values.get("BYDAY"))

    rule = _Rule(freq_text, interval, bymonth, bymonthday, byday, wkst, count, until)
    _check_shape(rule)
    return rule


def _shown(name: str) -> str:
    """A part name safe to repeat in a message (it came from the person)."""
    return name if re.fullmatch(r"[A-Z-]{1,20}", name) else "That part"


def _int(value: str, name: str) -> int:
    if not _INT_RE.fullmatch(value):
        raise RecurrenceError(f"{name} must be a whole number.")
    return int(value)


def _int_list(value: str | None, name: str, low: int, high: int, *, negative: bool) -> tuple[int, ...]:
    if value is None:
        return ()
    numbers: set[int] = set()
    for item in value.split(","):
        number = _int(item.strip(), name)
        if not (low <= number <= high or (negative and -high <= number <= -low)):
            span = f"{low} to {high}" + (f" or -{high} to -{low}" if negative else "")
            raise RecurrenceError(f"{name} values must be {span}.")
        numbers.add(number)
    return tuple(sorted(numbers, key=lambda n: (n < 0, abs(n))))


def _byday_list(value: str | None) -> tuple[tuple[int, int], ...]:
    if value is None:
        return ()
    days: set[tuple[int, int]] = set()
    for item in value.split(","):
        match = _BYDAY_RE.fullmatch(item.strip())
        if not match:
            raise RecurrenceError("BYDAY values must be days such as TU, 2TU or -1FR.")
        sign, digits, code = match.groups()
        ordinal = int(digits) if digits else 0
        if digits and ordinal == 0:
            raise RecurrenceError(
                "A BYDAY position cannot be 0: use 1TU for the first Tuesday, -1FR for the last Friday."
            )
        if sign and not digits:
            raise RecurrenceError("BYDAY values must be days such as TU, 2TU or -1FR.")
        days.add((-ordinal if sign == "-" else ordinal, WEEKDAY_CODES.index(code)))
    return tuple(sorted(days, key=lambda d: (d[0] < 0, abs(d[0]), d[1])))


def _parse_until(value: str, time_zone: str | None) -> datetime:
    match = _UNTIL_RE.fullmatch(value)
    if not match:
        raise RecurrenceError("UNTIL must be a date like 20270630 or a date and time like 20270630T235959.")
    day_text, time_text, utc = match.groups()
    try:
        parsed = datetime.strptime(day_text + (time_text or "235959"), "%Y%m%d%H%M%S")
    except ValueError:
        raise RecurrenceError("UNTIL is not a real date.") from None
    if parsed.year < 1900:
        raise RecurrenceError("UNTIL is too far in the past.")
    if utc:
        if time_zone is None:
            raise RecurrenceError("Give UNTIL in local time (without Z).")
        zone = _zone(time_zone)
        try:
            parsed = parsed.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
        except (OverflowError, ValueError):
            raise RecurrenceError("UNTIL is out of range.") from None
    return parsed


def _check_shape(rule: _Rule) -> None:
    """Refuse combinations RFC 5545 forbids, the product does not offer, or that can never occur."""
    freq = rule.freq
    if rule.bymonthday and freq in ("DAILY", "WEEKLY"):
        raise RecurrenceError("Days of the month (BYMONTHDAY) go with FREQ=MONTHLY or YEARLY.")
    if rule.bymonthday and rule.byday:
        raise RecurrenceError("Use either days of the week (BYDAY) or days of the month (BYMONTHDAY), not both.")
    ordinals = [n for n, _ in rule.byday if n]
    if ordinals:
        if freq not in ("MONTHLY", "YEARLY"):
            raise RecurrenceError("Positions such as 2TU or -1FR go with FREQ=MONTHLY or YEARLY.")
        within_month = freq == "MONTHLY" or bool(rule.bymonth)
        top = 5 if within_month else 53
        if any(abs(n) > top for n in ordinals):
            where = "month" if within_month else "year"
            raise RecurrenceError(
                f"A BYDAY position must be 1 to {top} or -1 to -{top} (a weekday's place in its {where})."
            )
    if rule.bymonthday:
        months = rule.bymonth or tuple(range(1, 13))
        if not any(abs(d) <= _DAYS_IN_MONTH[m - 1] for m in months for d in rule.bymonthday):
            raise RecurrenceError("That rule never falls on a real date (no such day in those months).")
    if rule.count is None and _per_year(rule) > MAX_PER_YEAR_WITHOUT_COUNT:
        raise RecurrenceError(
            f"Meetings more often than twice a week need a number of meetings (COUNT, at most {MAX_COUNT})."
        )


def _per_year(rule: _Rule) -> float:
    """A generous estimate of how many meetings a year the rule gives."""
    month_share = len(rule.bymonth) / 12 if rule.bymonth else 1.0
    in_month = sum(1.0 if n else 4.35 for n, _ in rule.byday) or float(len(rule.bymonthday) or 1)
    if rule.freq == "DAILY":
        per = 366 * (len(rule.byday) / 7 if rule.byday else 1.0) * month_share
    elif rule.freq == "WEEKLY":
        per = 53 * (len(rule.byday) or 1) * month_share
    elif rule.freq == "MONTHLY":
        per = 12 * in_month * month_share
    elif rule.bymonth:
        per = len(rule.bymonth) * in_month
    elif rule.bymonthday:
        per = 12.0 * len(rule.bymonthday)
    else:
        per = sum(1.0 if n else 53.0 for n, _ in rule.byday) or 1.0
    return per / rule.interval


def _check_start(rule: _Rule, first_start_local: datetime) -> rrule:
    """The dateutil rule for a series starting at ``first_start_local``, which must be one of its dates."""
    if first_start_local.tzinfo is not None:
        raise ValueError("first_start_local must be a naive local datetime")
    if rule.until is not None and rule.until < first_start_local:
        raise RecurrenceError("The series would end before its first meeting.", FIELD_UNTIL)
    start_weekday = first_start_local.weekday()
    # A daily rule stepping whole weeks only ever visits the start's weekday: dateutil would search for
    # another to the year 9999. (Weekly rules visit every weekday; monthly and yearly ones are cheap.)
    if (
        rule.freq == "DAILY"
        and rule.interval % 7 == 0
        and rule.byday
        and start_weekday not in {w for _, w in rule.byday}
    ):
        raise RecurrenceError("The first meeting's day is not one the rule repeats on.")
    try:
        dateutil_rule = rule.rrule(first_start_local)
        first = dateutil_rule.after(first_start_local.replace(microsecond=0), inc=True)
    except (ValueError, OverflowError):
        raise RecurrenceError("That rule cannot be expanded from this start.") from None
    if first != first_start_local.replace(microsecond=0):
        raise RecurrenceError("The first meeting's date is not one the rule gives; pick a start that fits it.")
    return dateutil_rule


# --- public API ---------------------------------------------------------------------------------------


def validate_rule(text: str, *, first_start_local: datetime | None = None, time_zone: str | None = None) -> str:
    """The rule in normalized form (upper case, parts in a fixed order, UNTIL local); RecurrenceError if not.

    Accepted: FREQ=DAILY|WEEKLY|MONTHLY|YEARLY, INTERVAL (1–99), BYDAY (TU; 2TU/-1FR with MONTHLY or
    YEARLY), BYMONTHDAY (MONTHLY/YEARLY, not with BYDAY), BYMONTH, COUNT (1–500), UNTIL (a local date or
    date-time; with ``Z`` only when ``time_zone`` is given to convert it), WKST. Refused: everything else
    (BYHOUR, BYMINUTE, BYSECOND, BYSETPOS, BYYEARDAY, BYWEEKNO, HOURLY and finer, DTSTART in the text),
    rules that name no real date, and rules without COUNT meeting more than twice a week. With
    ``first_start_local`` the start must also be one of the rule's dates. Any input string gives either
    a string or RecurrenceError, never another exception.
    """
    rule = _parse(text, time_zone=time_zone)
    if first_start_local is not None:
        _check_start(rule, first_start_local)
    return rule.text()


def occurrences(
    rule: str,
    first_start_local: datetime,
    time_zone: str,
    *,
    after_utc: datetime,
    before_utc: datetime,
    limit: int = MAX_COUNT,
) -> list[Occurrence]:
    """The series' meetings starting in ``[after_utc, before_utc)``, earliest first, at most ``limit``.

    Expanded in local wall-clock time and converted to UTC (gap: forward by the gap; repeated hour: the
    first). RecurrenceError for a bad rule or zone, or when the window is more than ``MAX_SCANNED``
    meetings after the series start.
    """
    if after_utc.tzinfo is None or before_utc.tzinfo is None:
        raise ValueError("after_utc and before_utc must be aware datetimes")
    if limit < 1 or before_utc <= after_utc:
        return []
    zone = _zone(time_zone)
    parsed = _parse(rule, time_zone=time_zone)
    dateutil_rule = _check_start(parsed, first_start_local)
    # Local bounds with a day's margin either side (offsets differ by hours), then filtered exactly in UTC.
    after_local = _shift(_to_local(after_utc, zone), -1)
    before_local = _shift(_to_local(before_utc, zone), 1)
    found: list[Occurrence] = []
    for scanned, local in enumerate(dateutil_rule, start=1):
        if local >= before_local:
            break
        if local < after_local:
            if scanned > MAX_SCANNED:
                raise RecurrenceError("Those dates are too far from the start of the series.")
            continue
        occurrence = _resolve_or_none(local, zone)
        if occurrence is None:  # past the end of the calendar datetime can hold
            break
        if after_utc <= occurrence.start_utc < before_utc:
            found.append(occurrence)
            if len(found) >= limit:
                break
    return found


def resolve_local(local: datetime, zone: ZoneInfo) -> Occurrence:
    """The meeting at naive wall-clock ``local`` in ``zone``: a skipped time moves forward by the gap,
    a repeated time is the first of the two."""
    start_utc = local.replace(tzinfo=zone, fold=0).astimezone(UTC)
    return Occurrence(local_start=_to_local(start_utc, zone), start_utc=start_utc)


def describe(rule: str, first_start_local: datetime) -> str:
    """The rule in words: "Monthly on the second Tuesday at 10:00", "Every 2 weeks on Tuesday at 10:00,
    until 30 June 2027", "Yearly on 14 June at 09:30, 5 times"."""
    parsed = _parse(rule)
    start = first_start_local
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}[parsed.freq]
    if parsed.interval == 1:
        text = {"DAILY": "Daily", "WEEKLY": "Weekly", "MONTHLY": "Monthly", "YEARLY": "Yearly"}[parsed.freq]
    else:
        text = f"Every {parsed.interval} {unit}s"

    months = _join([MONTH_NAMES[m - 1] for m in parsed.bymonth])
    if parsed.freq == "YEARLY" and not parsed.byday and not parsed.bymonthday:
        month_list = parsed.bymonth or (start.month,)
        text += " on " + _join([f"{start.day} {MONTH_NAMES[m - 1]}" for m in month_list])
        months = ""
    elif parsed.freq == "YEARLY" and parsed.bymonth and parsed.bymonthday and min(parsed.bymonthday) > 0:
        text += " on " + _join([f"{d} {MONTH_NAMES[m - 1]}" for m in parsed.bymonth for d in parsed.bymonthday])
        months = ""
    elif parsed.bymonthday:
        text += " on the " + _join([_day_of_month(d) for d in parsed.bymonthday])
    elif parsed.byday:
        text += " on " + _join([_weekday_phrase(n, w) for n, w in parsed.byday])
        if any(n for n, _ in parsed.byday) and parsed.freq == "YEARLY" and not parsed.bymonth:
            text += " of the year"
    elif parsed.freq == "WEEKLY":
        text += f" on {WEEKDAY_NAMES[start.weekday()]}"
    elif parsed.freq == "MONTHLY":
        text += f" on the {_day_of_month(start.day)}"
    if months:
        text += f" in {months}"
    text += f" at {start:%H:%M}"
    if parsed.count is not None:
        text += ", once" if parsed.count == 1 else f", {parsed.count} times"
    if parsed.until is not None:
        text += f", until {_long_date(parsed.until.date())}"
    return text


def rule_until_before(rule: str, first_start_local: datetime, time_zone: str, cut_local: datetime) -> str | None:
    """The rule ended just before the meeting at ``cut_local`` — the earlier half of a "this and all
    following" split; None when no meeting is left before it. ``cut_local`` is the meeting's naive local
    start (as the rule gives it or as ``Occurrence.local_start``: both name the same instant) or its aware
    start; meetings are compared as instants.

    The end becomes ``UNTIL`` = the last remaining meeting's local start (COUNT is dropped)."""
    zone = _zone(time_zone)
    parsed = _parse(rule, time_zone=time_zone)
    dateutil_rule = _check_start(parsed, first_start_local)
    _, last = _occurrences_before(dateutil_rule, zone, _cut_utc(cut_local, zone))
    if last is None:
        return None
    return replace(parsed, count=None, until=last).text()


def rule_for_remainder(rule: str, first_start_local: datetime, time_zone: str, cut_local: datetime) -> str:
    """The rule for the later half of a split starting at ``cut_local`` (which becomes its first start):
    the same rule, with COUNT reduced by the meetings left behind."""
    zone = _zone(time_zone)
    parsed = _parse(rule, time_zone=time_zone)
    dateutil_rule = _check_start(parsed, first_start_local)
    if parsed.count is None:
        return parsed.text()
    left_behind, _ = _occurrences_before(dateutil_rule, zone, _cut_utc(cut_local, zone))
    if left_behind >= parsed.count:
        raise RecurrenceError("No meetings of the series are left from that date.")
    return replace(parsed, count=parsed.count - left_behind).text()


def rule_for_ical(rule: str, time_zone: str) -> str:
    """The rule as an iCalendar RRULE value next to a DTSTART with a TZID: UNTIL in UTC (``...Z``)."""
    zone = _zone(time_zone)
    parsed = _parse(rule, time_zone=time_zone)
    text = replace(parsed, until=None).text()
    if parsed.until is None:
        return text
    until_utc = parsed.until.replace(tzinfo=zone, fold=1).astimezone(UTC)
    return f"{text};UNTIL={until_utc:%Y%m%dT%H%M%SZ}"


# --- the schedule form's choices ----------------------------------------------------------------------

NONE: Final = "none"
WEEKLY_CHOICE: Final = "weekly"
MONTHLY_BY_WEEKDAY: Final = "monthly_by_weekday"
MONTHLY_BY_LAST_WEEKDAY: Final = "monthly_by_last_weekday"
MONTHLY_BY_DATE: Final = "monthly_by_date"
YEARLY_CHOICE: Final = "yearly"
FREQUENCIES: Final = (NONE, WEEKLY_CHOICE, MONTHLY_BY_WEEKDAY, MONTHLY_BY_LAST_WEEKDAY, MONTHLY_BY_DATE, YEARLY_CHOICE)
WEEKLY_INTERVALS_OFFERED: Final = (1, 2, 3, 4)


@dataclass(frozen=True)
class RepeatChoice:
    """What the schedule form chose: how the meeting repeats (from its first start) and how it ends.

    ``frequency`` is one of FREQUENCIES; ``interval`` counts weeks for "weekly" (1 otherwise);
    ``until`` (a local date, inclusive) or ``count`` ends the series, or neither (open-ended)."""

    frequency: str = NONE
    interval: int = 1
    until: date | None = None
    count: int | None = None

    @property
    def repeats(self) -> bool:
        return self.frequency != NONE

    @property
    def key(self) -> str:
        """The value of this choice in the form's select (without its end): "weekly:2", "monthly_by_date"."""
        return f"{self.frequency}:{self.interval}" if self.frequency == WEEKLY_CHOICE else self.frequency


def choice_from_key(key: str, *, until: date | None = None, count: int | None = None) -> RepeatChoice:
    """The choice a submitted select value names, with its end; RecurrenceError for anything else."""
    frequency, sep, interval_text = (key or "").strip().partition(":")
    if frequency not in FREQUENCIES or (sep and frequency != WEEKLY_CHOICE):
        raise RecurrenceError("Choose how the meeting repeats from the list.")
    interval = 1
    if frequency == WEEKLY_CHOICE and sep:
        if not re.fullmatch(r"\d{1,2}", interval_text) or not 1 <= int(interval_text) <= MAX_INTERVAL:
            raise RecurrenceError("Choose how the meeting repeats from the list.")
        interval = int(interval_text)
    if frequency == NONE:
        return RepeatChoice()
    if until is not None and count is not None:
        raise RecurrenceError("End the series on a date or after a number of meetings, not both.", FIELD_COUNT)
    if count is not None and not 1 <= count <= MAX_COUNT:
        raise RecurrenceError(f"A series can have between 1 and {MAX_COUNT} meetings.", FIELD_COUNT)
    return RepeatChoice(frequency, interval, until, count)


def repeat_choices(first_start_local: datetime) -> list[tuple[str, str]]:
    """(key, label) pairs for the form's select, worded for this start: "Monthly on the second Tuesday"."""
    start = first_start_local
    day_name = WEEKDAY_NAMES[start.weekday()]
    nth = (start.day - 1) // 7 + 1
    is_last = start.day + 7 > calendar.monthrange(start.year, start.month)[1]
    choices = [(NONE, "Does not repeat")]
    for interval in WEEKLY_INTERVALS_OFFERED:
        label = f"Weekly on {day_name}" if interval == 1 else f"Every {interval} weeks on {day_name}"
        choices.append((f"{WEEKLY_CHOICE}:{interval}", label))
    if nth <= 4:
        choices.append((MONTHLY_BY_WEEKDAY, f"Monthly on the {ORDINAL_WORDS[nth]} {day_name}"))
    if is_last:
        choices.append((MONTHLY_BY_LAST_WEEKDAY, f"Monthly on the last {day_name}"))
    by_date = f"Monthly on the {_day_of_month(start.day)}"
    if start.day > 28:
        by_date += " (skipping months without one)"
    choices.append((MONTHLY_BY_DATE, by_date))
    yearly = f"Yearly on {start.day} {MONTH_NAMES[start.month - 1]}"
    if start.month == 2 and start.day == 29:
        yearly += " (leap years only)"
    choices.append((YEARLY_CHOICE, yearly))
    return choices


def rule_from_choice(choice: RepeatChoice, first_start_local: datetime) -> str:
    """The normalized rule for ``choice`` starting at ``first_start_local``: "FREQ=MONTHLY;BYDAY=2TU".
    A choice that does not repeat has no rule: check ``choice.repeats`` first (ValueError otherwise)."""
    start = first_start_local
    code = WEEKDAY_CODES[start.weekday()]
    if choice.frequency == NONE:
        raise ValueError("a meeting that does not repeat has no rule")
    if choice.frequency == WEEKLY_CHOICE:
        if not 1 <= choice.interval <= MAX_INTERVAL:
            raise RecurrenceError(f"Repeat every 1 to {MAX_INTERVAL} weeks.")
        parts = ["FREQ=WEEKLY"] + ([f"INTERVAL={choice.interval}"] if choice.interval > 1 else []) + [f"BYDAY={code}"]
    elif choice.frequency == MONTHLY_BY_WEEKDAY:
        parts = ["FREQ=MONTHLY", f"BYDAY={(start.day - 1) // 7 + 1}{code}"]
    elif choice.frequency == MONTHLY_BY_LAST_WEEKDAY:
        if start.day + 7 <= calendar.monthrange(start.year, start.month)[1]:
            raise RecurrenceError(
                f"The first meeting is not on the last {WEEKDAY_NAMES[start.weekday()]} of its month."
            )
        parts = ["FREQ=MONTHLY", f"BYDAY=-1{code}"]
    elif choice.frequency == MONTHLY_BY_DATE:
        parts = ["FREQ=MONTHLY", f"BYMONTHDAY={start.day}"]
    elif choice.frequency == YEARLY_CHOICE:
        parts = ["FREQ=YEARLY", f"BYMONTH={start.month}", f"BYMONTHDAY={start.day}"]
    else:
        raise RecurrenceError("Choose how the meeting repeats from the list.")
    if choice.count is not None:
        if not 1 <= choice.count <= MAX_COUNT:
            raise RecurrenceError(f"A series can have between 1 and {MAX_COUNT} meetings.", FIELD_COUNT)
        parts.append(f"COUNT={choice.count}")
    if choice.until is not None:
        if choice.count is not None:
            raise RecurrenceError("End the series on a date or after a number of meetings, not both.", FIELD_COUNT)
        if choice.until < start.date():
            raise RecurrenceError("The end date is before the first meeting.", FIELD_UNTIL)
        parts.append(f"UNTIL={datetime.combine(choice.until, time(23, 59, 59)):%Y%m%dT%H%M%S}")
    return validate_rule(";".join(parts), first_start_local=start)


# --- small helpers ----------------------------------------------------------------------------------


def _zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise RecurrenceError("Choose a time zone from the list.", FIELD_TIME_ZONE) from None


def _to_local(moment: datetime, zone: ZoneInfo) -> datetime:
    try:
        return moment.astimezone(zone).replace(tzinfo=None)
    except OverflowError:
        return datetime.max if moment.year > 5000 else datetime.min


def _shift(moment: datetime, days: int) -> datetime:
    try:
        return moment + timedelta(days=days)
    except OverflowError:
        return datetime.max if days > 0 else datetime.min


def _resolve_or_none(local: datetime, zone: ZoneInfo) -> Occurrence | None:
    try:
        return resolve_local(local, zone)
    except OverflowError:
        return None


def _cut_utc(cut_local: datetime, zone: ZoneInfo) -> datetime:
    """The instant of a split point given as naive local (resolved like an occurrence) or aware."""
    if cut_local.tzinfo is not None:
        return cut_local.astimezone(UTC)
    return resolve_local(cut_local, zone).start_utc


def _occurrences_before(dateutil_rule: rrule, zone: ZoneInfo, cut_utc: datetime) -> tuple[int, datetime | None]:
    """How many of the rule's meetings start before ``cut_utc``, and the last one's local start."""
    count, last = 0, None
    for local in dateutil_rule:
        occurrence = _resolve_or_none(local, zone)
        if occurrence is None or occurrence.start_utc >= cut_utc:
            break
        if count >= MAX_SCANNED:
            raise RecurrenceError("That date is too far from the start of the series.")
        count, last = count + 1, local
    return count, last


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ordinal_number(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _day_of_month(day: int) -> str:
    if day == -1:
        return "last day"
    if day < 0:
        return f"{_ordinal_number(-day)}-to-last day"
    return _ordinal_number(day)


def _weekday_phrase(ordinal: int, day: int) -> str:
    name = WEEKDAY_NAMES[day]
    if ordinal == 0:
        return name
    if ordinal == -1:
        return f"the last {name}"
    if ordinal < 0:
        return f"the {_ordinal_word(-ordinal)}-to-last {name}"
    return f"the {_ordinal_word(ordinal)} {name}"


def _ordinal_word(n: int) -> str:
    return ORDINAL_WORDS.get(n) or _ordinal_number(n)


def _long_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


__all__ = [
    "FIELD",
    "FIELD_COUNT",
    "FIELD_TIME_ZONE",
    "FIELD_UNTIL",
    "FREQUENCIES",
    "MAX_COUNT",
    "MAX_INTERVAL",
    "MONTHLY_BY_DATE",
    "MONTHLY_BY_LAST_WEEKDAY",
    "MONTHLY_BY_WEEKDAY",
    "NONE",
    "WEEKLY_CHOICE",
    "YEARLY_CHOICE",
    "Occurrence",
    "RecurrenceError",
    "RepeatChoice",
    "choice_from_key",
    "describe",
    "occurrences",
    "repeat_choices",
    "resolve_local",
    "rule_for_ical",
    "rule_for_remainder",
    "rule_from_choice",
    "rule_until_before",
    "validate_rule",
]
