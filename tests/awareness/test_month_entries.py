"""The meetings' month view reads only the awareness days that can fall in the weeks it shows (#8), and
shows exactly the days it showed when it placed every observed day in Python: fixed dates, yearly
weekdays and months, one-off dates, and offsets from a toolkit day or an own day — at month edges, with
a base in the month before, across a year's end, up to 180 days either way."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from flask import g, url_for

from partnership_hub.areas import CalendarEntry
from partnership_hub.awareness import days, queries
from partnership_hub.awareness.models import AwarenessDay, AwarenessHiddenDay
from partnership_hub.awareness.rules import occurrences_between
from partnership_hub.context import context_for
from partnership_hub.extensions import db
from partnership_hub.meetings.calendars import WEEK_STARTS_ON
from tests.budget import assert_fixed_cost, counting
from tests.factories import create_partnership, create_user, sign_in

FIXED = [(1, 1), (1, 31), (2, 28), (2, 29), (3, 1), (4, 30), (6, 15), (12, 1), (12, 31)]
NTH = [(1, 0, 1), (2, 4, -1), (3, 6, 5), (5, 0, -1), (8, 2, 4), (11, 3, 4), (11, 6, 5), (12, 4, -1)]
ONE_OFF = [date(2025, 12, 31), date(2026, 1, 1), date(2026, 2, 28), date(2027, 11, 30), date(2029, 3, 3)]
OFFSETS = [-180, -45, -5, -1, 1, 3, 5, 29, 60, 180]


def _window(year: int, month: int) -> tuple[date, date]:
    """The weeks the month view shows for a month."""
    weeks = calendar.Calendar(WEEK_STARTS_ON).monthdatescalendar(year, month)
    return weeks[0][0], weeks[-1][-1]


def _everything_in_python(ctx, first: date, last: date) -> list[CalendarEntry]:
    """How the month view placed its awareness days before #8: every observed day, in Python."""
    entries = []
    for day in days.observed_days(ctx).days:
        for hit in occurrences_between(day.rule, first, last):
            label = f"{day.label} (all month)" if hit.is_month else day.label
            start, anchor = hit.start, f"day-{day.ref.replace(':', '-')}"
            url = url_for("awareness.year_view", year=start.year, month=start.month, show=day.ref, _anchor=anchor)
            entries.append(CalendarEntry(max(hit.start, first), label, url, "awareness"))
    return entries


def _seed() -> int:
    """Own days of every kind near month and year edges, offsets from them and from toolkit days."""
    own = [AwarenessDay(name=f"Fixed {m}-{d}", kind="fixed", month=m, day=d) for m, d in FIXED]
    own += [AwarenessDay(name=f"Nth {m}/{w}/{n}", kind="nth_weekday", month=m, weekday=w, nth=n) for m, w, n in NTH]
    own += [AwarenessDay(name=f"Month {m}", kind="month", month=m) for m in (1, 2, 12)]
    own += [AwarenessDay(name=f"Once {on}", kind="one_off", on_date=on) for on in ONE_OFF]
    db.session.add_all(own)
    db.session.flush()
    offsets = [
        AwarenessDay(name=f"{base.name} {n:+}", kind="offset", base_day_id=base.id, offset_days=n)
        for base in own
        for n in OFFSETS
    ]
    offsets += [
        AwarenessDay(name=f"{key} {n:+}", kind="offset", base_key=key, offset_days=n)
        for key in queries.BUILTIN
        for n in OFFSETS
    ]
    db.session.add_all(offsets)
    db.session.flush()
    # An offset from an offset has no date (the services refuse one; old rows may hold it).
    db.session.add(AwarenessDay(name="Offset of an offset", kind="offset", base_day_id=offsets[0].id, offset_days=2))
    db.session.add(AwarenessHiddenDay(day_key="tip_day"))
    db.session.commit()
    return len(own) + len(offsets) + 1


@pytest.fixture
def seeded(app, world):
    with app.app_context():
        context_for(world.home.id, world.user("coordinator").id)  # binds the session to the partnership
        size = _seed()
    assert size <= days.CUSTOM_MAX
    return world


@pytest.mark.parametrize("year", [2025, 2026, 2027, 2028])
def test_every_month_shows_the_days_it_showed_when_python_placed_them_all(app, seeded, year):
    with app.test_request_context():
        g.ctx = ctx = context_for(seeded.home.id, seeded.user("coordinator").id)
        shown = 0
        for month in range(1, 13):
            first, last = _window(year, month)
            expected = _everything_in_python(ctx, first, last)
            assert queries.month_entries(ctx, first, last) == expected, (year, month)
            shown += len(expected)
        assert shown > 12 * 10  # the comparison is not between two empty lists


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2026, 12, 27), date(2027, 1, 9)),  # across a year's end
        (date(2027, 2, 28), date(2027, 3, 1)),  # two days either side of a month's end
        (date(2028, 2, 29), date(2028, 2, 29)),  # one day: a leap day
        (date(2026, 1, 1), date(2026, 2, 11)),  # six weeks from a year's first day
    ],
)
def test_windows_at_the_edges_show_the_same_days(app, seeded, first, last):
    with app.test_request_context():
        g.ctx = ctx = context_for(seeded.home.id, seeded.user("coordinator").id)
        assert queries.month_entries(ctx, first, last) == _everything_in_python(ctx, first, last)


def test_a_base_in_the_month_before_and_a_year_boundary_place_the_offset(app, seeded):
    with app.test_request_context():
        g.ctx = ctx = context_for(seeded.home.id, seeded.user("coordinator").id)
        first, last = _window(2027, 1)
        labels = {(e.day, e.label) for e in queries.month_entries(ctx, first, last)}
        assert (date(2027, 1, 5), "Fixed 12-31 +5") in labels  # its base in the year before
        assert (date(2026, 12, 27), "Fixed 1-1 -5") in labels  # its base in the year after, shown in the grid
        assert (date(2027, 1, 30), "Fixed 12-1 +60") in labels  # from two months before
        assert not any("Offset of an offset" in label for _, label in labels)
        assert (date(2027, 1, 1), "Month 1 (all month)") in labels
        assert (first, "Month 12 (all month)") in labels  # a month begun before the grid: on its first day


def test_the_statement_reads_only_the_days_near_the_weeks_shown(app, seeded):
    """Bounded rows: of the several hundred own days, the month view's statement reads those whose
    month (or base's, shifted) is near the weeks shown — and the same number of statements."""
    with app.test_request_context():
        g.ctx = ctx = context_for(seeded.home.id, seeded.user("coordinator").id)
        total = db.session.query(AwarenessDay).count()
        with counting(app) as statements:
            observed = queries.month_rules(ctx, *_window(2026, 6))
    assert len(statements) == 1  # ONE statement
    assert len(observed.rows) < total / 3, (len(observed.rows), total)
    assert observed.hidden_keys == {"tip_day"}


def test_the_month_view_costs_the_same_with_hundreds_of_days(app):
    small = create_partnership(app, create_user(app), "Few days")
    large = create_partnership(app, create_user(app), "Many days")
    with app.app_context():
        context_for(large.id)
        _seed()
    assert_fixed_cost(app, small, large, "/meetings/month?month=2027-01")
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    html = client.get(f"/p/{large.slug}/meetings/month?month=2027-01").text
    assert "Fixed 12-31 +5" in html and "Fixed 6-15" not in html


def test_a_one_off_base_counts_by_its_date(app, seeded):
    with app.test_request_context():
        g.ctx = ctx = context_for(seeded.home.id, seeded.user("coordinator").id)
        first = date(2026, 2, 27)
        entries = queries.month_entries(ctx, first, first + timedelta(days=3))
        assert (date(2026, 3, 1), "Fixed 3-1") in {(e.day, e.label) for e in entries}
        later = queries.month_entries(ctx, date(2026, 6, 29), date(2026, 6, 30))
        assert (date(2026, 6, 30), "Once 2026-01-01 +180") in {(e.day, e.label) for e in later}
