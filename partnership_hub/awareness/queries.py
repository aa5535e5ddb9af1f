"""The awareness pages' reads, each the same cost for a handful of the partnership's own days as for
hundreds (#8): a page of the coming days, a page of its own days (searched), a month of a year, the
day pickers, one day.

``observed_rules`` reads what the dates are computed from — every observed day's rule (with its base's,
for an offset), the hidden toolkit keys and the lead time — in ONE statement of plain values (at most
``days.CUSTOM_MAX`` own days). Each day's dates in a window are memoised on those values
(``_hits``), so a page costs one look-up per day and builds labels, descriptions and rows only for the
page it shows.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from flask import url_for
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from partnership_hub import toolkit
from partnership_hub.awareness.days import BUILTIN, CUSTOM_MAX, UPCOMING_DAYS, DayEntry, Upcoming
from partnership_hub.awareness.models import (
    DEFAULT_LEAD_DAYS,
    AwarenessDay,
    AwarenessHiddenDay,
    AwarenessSettings,
)
from partnership_hub.awareness.rules import (
    OFFSET_MAX,
    DayRule,
    Occurrence,
    RuleKind,
    builtin_rule,
    describe,
    occurrence,
    occurrences_between,
)
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.pagination import Page, paginate
from partnership_hub.parsing import parse_id
from partnership_hub.picking import PICK_LIMIT, Pick, clean_query, contains

COMING_PAGE_SIZE = 20  # the index's coming days, soonest first
OWN_PAGE_SIZE = 10  # the partnership's own days on the index, by name
MONTH_PAGE_SIZE = 20  # a month of the year calendar

# A rule as plain values: (kind, month, day, weekday, nth, on_date, offset_days, base_key,
# base_kind, base_month, base_day, base_weekday, base_nth, base_on_date).
RuleValues = tuple[Any, ...]


# --- rules from plain values, memoised ------------------------------------------------------------


def _plain_rule(kind: Any, month: Any, day: Any, weekday: Any, nth: Any, on: Any) -> DayRule:
    return DayRule(RuleKind(kind), month=month, day=day, weekday=weekday, nth=nth, on=on)


@lru_cache(maxsize=4096)
def rule_of(values: RuleValues) -> DayRule:
    """The rule these values describe (an offset with its base's rule; None as base when it is gone)."""
    kind, month, day, weekday, nth, on, offset_days, base_key, *base = values
    if RuleKind(kind) != RuleKind.OFFSET:
        return _plain_rule(kind, month, day, weekday, nth, on)
    if base_key:
        base_rule = builtin_rule(BUILTIN[base_key]) if base_key in BUILTIN else None
    else:
        base_rule = _plain_rule(*base) if base[0] is not None else None
    return DayRule(RuleKind.OFFSET, base=base_rule, offset_days=offset_days)


@lru_cache(maxsize=16384)
def _hits(values: RuleValues, first: date, last: date) -> tuple[Occurrence, ...]:
    return tuple(occurrences_between(rule_of(values), first, last))


@lru_cache(maxsize=1)
def _toolkit() -> tuple[tuple[toolkit.AwarenessDay, RuleValues, DayEntry], ...]:
    """The toolkit's days: each with its rule's values and its entry (reference data, built once)."""
    found = []
    for day in toolkit.AWARENESS_DAYS:
        rule = builtin_rule(day)
        base = rule.base if rule.kind == RuleKind.OFFSET else None
        values: RuleValues = (rule.kind, rule.month, rule.day, rule.weekday, rule.nth, rule.on, rule.offset_days, None)
        values += (base.kind, base.month, base.day, base.weekday, base.nth, base.on) if base else (None,) * 6
        entry = DayEntry(f"toolkit:{day.key}", day.label, rule, day.when or describe(rule), key=day.key)
        found.append((day, values, entry))
    return tuple(found)


@lru_cache(maxsize=1)
def _toolkit_by_ref() -> dict[str, DayEntry]:
    return {entry.ref: entry for _, _, entry in _toolkit()}


def toolkit_entries(hidden_keys: frozenset[str]) -> tuple[list[DayEntry], list[DayEntry]]:
    """The toolkit days the partnership observes and those it hides, in the brief's order."""
    shown = [entry for day, _, entry in _toolkit() if day.key not in hidden_keys]
    hidden = [replace(entry, hidden=True) for day, _, entry in _toolkit() if day.key in hidden_keys]
    return shown, hidden


# --- the one read the dates come from ---------------------------------------------------------------

_BASE = aliased(AwarenessDay)
_OWN_COLUMNS = (
    AwarenessDay.kind,
    AwarenessDay.month,
    AwarenessDay.day,
    AwarenessDay.weekday,
    AwarenessDay.nth,
    AwarenessDay.on_date,
    AwarenessDay.offset_days,
    AwarenessDay.base_key,
    _BASE.kind,
    _BASE.month,
    _BASE.day,
    _BASE.weekday,
    _BASE.nth,
    _BASE.on_date,
)


def _own_days() -> Select[Any]:
    """The partnership's own days: id, name, the base's name, then the rule's values (not the
    description, which no calendar shows and which may be long)."""
    return select(AwarenessDay.id, AwarenessDay.name, _BASE.name.label("base_name"), *_OWN_COLUMNS).outerjoin(
        _BASE, _BASE.id == AwarenessDay.base_day_id
    )


def _entry(row: Any) -> DayEntry:
    """The entry of one own day from a ``_own_days`` row (a Row or a plain tuple, as ``paginate`` gives)."""
    day_id, name, base_name = row[:3]
    rule = rule_of(tuple(row[3 : 3 + len(_OWN_COLUMNS)]))
    return DayEntry(f"custom:{day_id}", name, rule, describe(rule, base_name or ""), day_id=day_id)


@dataclass(frozen=True)
class ObservedRules:
    """What the calendars compute from: every observed day as (ref, label, rule values), the hidden
    toolkit keys, the lead time; and the own days' rows, to build the entries of the days shown."""

    days: list[tuple[str, str, RuleValues]]
    rows: dict[str, Any]  # "custom:<id>" → its ``_own_days`` row
    hidden_keys: frozenset[str]
    lead_days: int

    def entry(self, ref: str) -> DayEntry:
        if ref in self.rows:
            return _entry(self.rows[ref])
        return _toolkit_by_ref()[ref]


def observed_rules(ctx: WorkspaceContext) -> ObservedRules:
    """Every observed day's rule values, the hidden toolkit keys and the lead time: ONE statement."""
    width = 3 + len(_OWN_COLUMNS)
    own = _own_days().add_columns(literal("day").label("row_kind")).limit(CUSTOM_MAX)
    hidden = select(null(), AwarenessHiddenDay.day_key, *(null(),) * (width - 2), literal("hidden"))
    # The lead time rides in the month's column (both small integers).
    lead = select(*(null(),) * 4, AwarenessSettings.lead_days, *(null(),) * (width - 5), literal("settings"))
    # SQLite takes no LIMIT on a bare member of a UNION: the limited part goes in as a subquery.
    rows = db.session.execute(union_all(scoped(own).subquery().select(), scoped(hidden), scoped(lead))).all()
    hidden_keys = frozenset(row[1] for row in rows if row.row_kind == "hidden")
    lead_days = next((row[4] for row in rows if row.row_kind == "settings"), None) or DEFAULT_LEAD_DAYS
    found = [(entry.ref, entry.label, values) for day, values, entry in _toolkit() if day.key not in hidden_keys]
    own_rows = {f"custom:{row.id}": row for row in rows if row.row_kind == "day"}
    found.extend((ref, row.name, tuple(row[3:width])) for ref, row in own_rows.items())
    return ObservedRules(found, own_rows, hidden_keys, lead_days)


# --- the index: a page of the coming days, a page of the partnership's own days ----------------------


def coming_page(observed: ObservedRules, today: date, page: int, horizon: int = UPCOMING_DAYS) -> Page[Upcoming]:
    """One page of the observed days still running or starting within ``horizon`` days, soonest first
    (every day's dates are memoised look-ups; entries are built for the page only)."""
    last = today + timedelta(days=horizon)
    found = sorted(
        (hit.start, label, ref, hit) for ref, label, values in observed.days for hit in _hits(values, today, last)
    )
    pages = max(1, -(-len(found) // COMING_PAGE_SIZE))
    page = min(max(1, page), pages)
    lead = timedelta(days=observed.lead_days)
    items = [
        Upcoming(observed.entry(ref), hit, max((start - today).days, 0), start - lead)
        for start, _, ref, hit in found[(page - 1) * COMING_PAGE_SIZE : page * COMING_PAGE_SIZE]
    ]
    return Page(items, len(found), page, COMING_PAGE_SIZE)


def own_days_page(ctx: WorkspaceContext, query: str, page: int) -> Page[DayEntry]:
    """One page of the partnership's own days by name, those matching ``query`` (ONE statement; the
    name index serves the order)."""
    stmt = _own_days().order_by(AwarenessDay.name, AwarenessDay.id)
    if query:
        stmt = stmt.where(contains((AwarenessDay.name,), query))
    return paginate(scoped(stmt), page, OWN_PAGE_SIZE, row=_entry)


# --- the year calendar, a month at a time -------------------------------------------------------------


@dataclass(frozen=True)
class MonthTab:
    month: date  # its first day
    days: int  # observed days starting in it

    @property
    def name(self) -> str:
        return calendar.month_name[self.month.month]


@dataclass(frozen=True)
class YearMonth:
    months: list[MonthTab]  # the year's twelve, with how many days start in each
    month: date  # the month shown
    page: Page[tuple[DayEntry, Occurrence]]  # one page of its days, by date


def year_month(observed: ObservedRules, year: int, month: int, page: int, show: str = "") -> YearMonth:
    """The year's months with how many observed days start in each, and one page of ``month``'s days
    (a month-long observance first on the 1st; the page holding ``show``, a day's ref, if given)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    counts = dict.fromkeys(range(1, 13), 0)
    found = []
    for ref, label, values in observed.days:
        for hit in _hits(values, first, last):
            if hit.start.year == year:
                counts[hit.start.month] += 1
                if hit.start.month == month:
                    found.append((hit.start, not hit.is_month, label, ref, hit))
    found.sort()
    if show and (at := next((n for n, item in enumerate(found) if item[3] == show), None)) is not None:
        page = at // MONTH_PAGE_SIZE + 1
    pages = max(1, -(-len(found) // MONTH_PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = found[(page - 1) * MONTH_PAGE_SIZE : page * MONTH_PAGE_SIZE]
    items = [(observed.entry(ref), hit) for *_, ref, hit in shown]
    tabs = [MonthTab(date(year, m, 1), counts[m]) for m in range(1, 13)]
    return YearMonth(tabs, date(year, month, 1), Page(items, len(found), page, MONTH_PAGE_SIZE))


# --- one day, and the pickers of a day ----------------------------------------------------------------


def day_entry(ctx: WorkspaceContext, ref: str) -> DayEntry | None:
    """The day ``ref`` names (a toolkit day, observed or not, or one of the partnership's own: ONE
    statement), or None when there is no such day."""
    if ref.startswith("toolkit:"):
        return _toolkit_by_ref().get(ref)
    day_id = parse_id(ref.removeprefix("custom:")) if ref.startswith("custom:") else None
    if day_id is None:
        return None
    row = db.session.execute(scoped(_own_days().where(AwarenessDay.id == day_id))).first()
    return _entry(row) if row is not None else None


def pick_days(
    ctx: WorkspaceContext, query: str, chosen: str, *, counts_from: bool = False, excluding: int | None = None
) -> Pick:
    """A day picker: the chosen day (kept), then at most ``PICK_LIMIT`` days whose name holds ``query``,
    the toolkit's first, then the partnership's own by name (ONE bounded statement).

    ``counts_from``: the days an offset may count from — every toolkit day and the own days with a date
    of their own, never ``excluding`` (the day being edited). Otherwise the days a campaign may be
    planned for: the toolkit days the partnership observes and all its own. The services still check
    the value sent."""
    query = clean_query(query)
    pick = Pick(query=query, blank="Choose a day")
    chosen_id = parse_id(chosen.removeprefix("custom:")) if chosen.startswith("custom:") else None
    own = select(AwarenessDay.id, AwarenessDay.name)
    if counts_from:
        own = own.where(AwarenessDay.kind != RuleKind.OFFSET)
    if excluding is not None:
        own = own.where(AwarenessDay.id != excluding)
    matching = own.where(contains((AwarenessDay.name,), query)) if query else own
    if chosen_id is not None:
        matching = matching.where(AwarenessDay.id != chosen_id)
    place = func.row_number().over(order_by=(AwarenessDay.name, AwarenessDay.id))
    limited = (
        scoped(matching.add_columns(place.label("place")))
        .order_by(AwarenessDay.name, AwarenessDay.id)
        .limit(PICK_LIMIT + 1)
        .subquery()
    )
    parts: list[Select[Any]] = [select(literal("match"), limited.c.id, limited.c.name, limited.c.place)]
    if chosen_id is not None:
        chosen_row = own.where(AwarenessDay.id == chosen_id)
        parts.append(chosen_row.with_only_columns(literal("chosen"), AwarenessDay.id, AwarenessDay.name, literal(0)))
    if not counts_from:
        parts.append(select(literal("hidden"), null(), AwarenessHiddenDay.day_key, literal(0)))
    rows = db.session.execute(union_all(*(scoped(part) for part in parts))).all()
    hidden = {row[2] for row in rows if row[0] == "hidden"}
    if chosen_id is not None:
        pick.chosen = [(chosen, row[2]) for row in rows if row[0] == "chosen"]
    elif chosen in _toolkit_by_ref():
        pick.chosen = [(chosen, _toolkit_by_ref()[chosen].label)]
    needle = query.lower()
    toolkit_matches = [
        (entry.ref, entry.label)
        for day, _, entry in _toolkit()
        if needle in entry.label.lower() and entry.ref != chosen and (counts_from or day.key not in hidden)
    ]
    own_matches = [
        (f"custom:{row[1]}", row[2]) for row in sorted((r for r in rows if r[0] == "match"), key=lambda r: r[3])
    ]
    matches = toolkit_matches + own_matches
    pick.matches = matches[:PICK_LIMIT]
    pick.more = len(matches) > PICK_LIMIT
    return pick


# --- the meetings' month view: only the days that can fall in the weeks it shows ----------------------
#
# The view shows at most six weeks, so SQL keeps the own days that can fall in them and Python places
# those exactly (``_hits``, the same rules as every other page): the SQL condition only has to keep every
# day with a date in the window, and few others — a small statement, planned on every run. It works in
# "slots": a date's slot in its year is ``month * 31 + day``, a year of 372 slots ordered like the dates.
# A day recurring yearly falls every year in its month, slots ``month * 31 + 1..31``. An offset falls in
# its base's month shifted by the offset, give or take ``_SLACK`` (slots run 0–3 ahead of real days a
# month, at most 7 in under a year); a toolkit base's month is worked out once from its rule. A row is
# kept when its slots and the window's meet on the circle of a year's slots (either range starts inside
# the other, modulo 372): that holds in every year one of its dates falls in the window. One-off dates
# are compared as dates, and an offset from a one-off day by its base's date, within ``OFFSET_MAX`` days
# of the window.

_YEAR = 372  # slots in a year: 12 months of 31
_SLACK = 7  # 372 - 365: how far slots and real days drift apart in under a year
_WIDTH = 30 + 2 * _SLACK  # a row's slots: a month, and the slack either side for an offset


def _slot(day: date, year: int) -> int:
    return (day.year - year) * _YEAR + day.month * 31 + day.day


def _number(value: int) -> ColumnElement[int]:
    """An integer written into the statement (a constant, not a parameter)."""
    return literal_column(str(int(value)), Integer)


@lru_cache(maxsize=1)
def _toolkit_months() -> dict[str, int]:
    """Each toolkit day as a base: the slot before its dates' range (``month * 31`` for a day of one
    month), over a whole 28-year cycle of weekdays; its range fits in the 31 slots after it."""
    found = {}
    for key, day in BUILTIN.items():
        rule = builtin_rule(day)
        slots = [_slot(hit.start, year) for year in range(2000, 2028) if (hit := occurrence(rule, year))]
        assert max(slots) - min(slots) <= 30, key
        assert key.isidentifier(), key  # written into the statement
        found[key] = min(slots) - 1
    return found


@lru_cache(maxsize=1)
def _month_statement() -> Any:
    """The observed days that can fall in a window (parameters from ``_window``) and the hidden toolkit
    keys: ONE statement, built once."""
    width = 3 + len(_OWN_COLUMNS)
    toolkit = case(
        {literal_column(f"'{key}'"): _number(slot) for key, slot in _toolkit_months().items()},
        value=AwarenessDay.base_key,
    )
    # The slot before the row's month (its base's, for an offset), shifted by the offset; NULL for a
    # one-off date, an offset from a one-off date, from another offset or from no day.
    shifted = func.coalesce(AwarenessDay.month * _number(31), _BASE.month * _number(31), toolkit) + (
        AwarenessDay.offset_days
    )
    start = bindparam("start", type_=Integer)  # the window's first slot, shifted like the rows' (_window)
    turn = _number(2 * _YEAR)  # keeps the operands of % positive: slots lie within a year of the window's
    meets = or_(
        (start - shifted + turn) % _number(_YEAR) <= _number(_WIDTH),
        (shifted - start + turn) % _number(_YEAR) <= bindparam("span", type_=Integer),
    )
    one_off: ColumnElement[str] = literal_column(f"'{RuleKind.ONE_OFF.value}'")
    near = or_(
        meets,
        and_(AwarenessDay.kind == one_off, AwarenessDay.on_date.between(bindparam("first"), bindparam("last"))),
        and_(_BASE.kind == one_off, _BASE.on_date.between(bindparam("base_from"), bindparam("base_to"))),
    )
    own = _own_days().add_columns(literal_column("'day'").label("row_kind")).where(near).limit(CUSTOM_MAX)
    hidden = select(null(), AwarenessHiddenDay.day_key, *(null(),) * (width - 2), literal_column("'hidden'"))
    return union_all(scoped(own).subquery().select(), scoped(hidden))


def _window(first: date, last: date) -> dict[str, Any]:
    """The month statement's parameters for the window ``first``..``last`` (at most six weeks)."""
    assert 0 <= (last - first).days < 7 * 7, "the slots' arithmetic holds for a window of a few weeks"
    margin = timedelta(days=OFFSET_MAX)
    return {
        # A row's slots begin ``_SLACK - 1`` after its ``shifted`` (the 1st of its month, less the slack).
        "start": _slot(first, first.year) + _SLACK - 1,
        "span": _slot(last, first.year) - _slot(first, first.year),
        "first": first,
        "last": last,
        "base_from": first - margin,
        "base_to": last + margin,
    }


def month_rules(ctx: WorkspaceContext, first: date, last: date) -> ObservedRules:
    """The observed days that can fall in ``first``..``last`` (at most six weeks), with the hidden
    toolkit keys: ONE statement whose rows are the days in and near the window, not every day the
    partnership observes. The days in the calendars' order: the toolkit's, then the own days by name
    (the lead time is not read; the default stands in)."""
    width = 3 + len(_OWN_COLUMNS)
    rows = db.session.execute(_month_statement(), _window(first, last)).all()
    hidden_keys = frozenset(row[1] for row in rows if row.row_kind == "hidden")
    found = [(entry.ref, entry.label, values) for day, values, entry in _toolkit() if day.key not in hidden_keys]
    own_rows = {f"custom:{row.id}": row for row in rows if row.row_kind == "day"}
    by_name = sorted(own_rows.items(), key=lambda item: (item[1].name.lower(), item[1].id))
    found.extend((ref, row.name, tuple(row[3:width])) for ref, row in by_name)
    return ObservedRules(found, own_rows, hidden_keys, DEFAULT_LEAD_DAYS)


def month_entries(ctx: WorkspaceContext, first: date, last: date) -> list[Any]:
    """The month view's awareness entries (``Area.calendar_entries``): each observed day on its date in
    ``first``..``last``, a month-long one on the first day shown; toolkit days first, then the
    partnership's own by name. Each links to its month of the year calendar, at the page listing it."""
    from partnership_hub.areas import CalendarEntry

    entries = []
    for ref, label, values in month_rules(ctx, first, last).days:
        for hit in _hits(values, first, last):
            start = hit.start
            url = url_for(
                "awareness.year_view",
                year=start.year,
                month=start.month,
                show=ref,
                _anchor=f"day-{ref.replace(':', '-')}",
            )
            shown = f"{label} (all month)" if hit.is_month else label
            entries.append(CalendarEntry(max(start, first), shown, url, "awareness"))
    return entries
