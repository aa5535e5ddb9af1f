"""The partnership's own awareness days, the toolkit days it observes, its lead time, and what the
calendars compute from them; bad input is refused at its field and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from partnership_hub import toolkit
from partnership_hub.awareness import days, queries
from partnership_hub.awareness.models import AwarenessDay, AwarenessHiddenDay, AwarenessSettings
from partnership_hub.awareness.rules import occurrences_between
from partnership_hub.context import context_for
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db


@pytest.fixture
def ctx(app, world):
    with app.app_context():
        yield context_for(world.home.id, world.user("coordinator").id)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("data", "year", "expected"),
    [
        ({"kind": "fixed", "month": "3", "day": "14"}, 2027, date(2027, 3, 14)),
        ({"kind": "nth_weekday", "month": "5", "nth": "2", "weekday": "5"}, 2026, date(2026, 5, 9)),
        ({"kind": "nth_weekday", "month": "5", "nth": "-1", "weekday": "0"}, 2027, date(2027, 5, 31)),
        ({"kind": "month", "month": "9"}, 2026, date(2026, 9, 1)),
        ({"kind": "one_off", "on_date": "2027-06-01"}, 2027, date(2027, 6, 1)),
        (
            {"kind": "offset", "base": "toolkit:tip_day", "offset_days": "3", "direction": "before"},
            2026,
            date(2026, 7, 27),
        ),
    ],
)
def test_each_kind_of_rule_lands_on_its_date(ctx, data, year, expected):
    day = days.create_day(ctx, {"name": "Our day", **data})
    db.session.commit()
    entry = next(d for d in days.observed_days(ctx).days if d.day_id == day.id)
    hits = occurrences_between(entry.rule, date(year, 1, 1), date(year, 12, 31))
    assert hits[0].start == expected


def test_an_offset_may_count_from_another_of_the_partnerships_days(ctx):
    second_saturday = {"kind": "nth_weekday", "month": "5", "nth": "2", "weekday": "5"}
    base = days.create_day(ctx, {"name": "Leadership Day", **second_saturday})
    after = days.create_day(
        ctx, {"name": "Volunteer week", "kind": "offset", "base": f"custom:{base.id}", "offset_days": "7"}
    )
    db.session.commit()
    entry = next(d for d in days.observed_days(ctx).days if d.day_id == after.id)
    assert occurrences_between(entry.rule, date(2026, 1, 1), date(2026, 12, 31))[0].start == date(2026, 5, 16)
    assert entry.when == "7 days after Leadership Day"
    with pytest.raises(ServiceError) as refused:
        days.create_day(ctx, {"name": "Chained", "kind": "offset", "base": f"custom:{after.id}", "offset_days": "1"})
    assert refused.value.field == "base"
    with pytest.raises(ServiceError) as refused:
        days.delete_day(ctx, base)
    assert "count from this one" in str(refused.value)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "kind": "fixed", "month": "3", "day": "1"}, "name", "Give the day a name"),
        ({"name": "X", "kind": "sometimes"}, "kind", "Choose how the date is set"),
        ({"name": "X", "kind": "fixed", "month": "2", "day": "31"}, "day", "February never has a 31st day"),
        ({"name": "X", "kind": "fixed", "month": "4", "day": "31"}, "day", "April never has a 31st day"),
        ({"name": "X", "kind": "fixed", "month": "spring", "day": "1"}, "month", "Choose a month"),
        ({"name": "X", "kind": "fixed", "month": "3", "day": "ten"}, "day", "from 1 to 31"),
        ({"name": "X", "kind": "nth_weekday", "month": "3", "nth": "9", "weekday": "1"}, "nth", "first to fifth"),
        ({"name": "X", "kind": "one_off", "on_date": "2027-02-30"}, "on_date", "Enter the date"),
        ({"name": "X", "kind": "offset", "base": "toolkit:nope", "offset_days": "2"}, "base", "Choose the day"),
        ({"name": "X", "kind": "offset", "base": "toolkit:tip_day", "offset_days": "999"}, "offset_days", "1 to 180"),
        ({"name": "X", "kind": "offset", "base": "toolkit:tip_day", "offset_days": "-x"}, "offset_days", "1 to 180"),
    ],
)
def test_bad_days_are_refused_at_the_field_and_write_nothing(ctx, data, field, message):
    before = _count(AwarenessDay)
    with pytest.raises(ServiceError) as refused:
        days.create_day(ctx, data)
    db.session.rollback()
    assert refused.value.field == field
    assert message in str(refused.value)
    assert _count(AwarenessDay) == before


def test_a_fifth_weekday_is_accepted_and_skips_the_years_without_one(ctx):
    fifth_monday = {"kind": "nth_weekday", "month": "3", "nth": "5", "weekday": "0"}
    day = days.create_day(ctx, {"name": "Fifth Monday", **fifth_monday})
    db.session.commit()
    entry = next(d for d in days.observed_days(ctx).days if d.day_id == day.id)
    years = [hit.start.year for hit in occurrences_between(entry.rule, date(2026, 1, 1), date(2031, 12, 31))]
    assert years == [2026, 2027, 2031]


def test_hiding_a_toolkit_day_takes_it_off_the_calendar_and_observing_brings_it_back(ctx):
    assert days.set_observed(ctx, {"key": "tip_day", "observe": "0"}) is False
    db.session.commit()
    observed = days.observed_days(ctx)
    assert "toolkit:tip_day" not in {d.ref for d in observed.days}
    assert [d.key for d in observed.hidden] == ["tip_day"]
    rules = queries.observed_rules(ctx)
    assert "toolkit:tip_day" not in {ref for ref, _, _ in rules.days} and rules.hidden_keys == {"tip_day"}
    listed = [day.key for month in range(1, 13) for day, _ in queries.year_month(rules, 2026, month, 1).page.items]
    assert "tip_day" not in listed and len(listed) == len(toolkit.AWARENESS_DAYS) - 1
    days.set_observed(ctx, {"key": "tip_day", "observe": "1"})
    db.session.commit()
    assert _count(AwarenessHiddenDay) == 0
    with pytest.raises(ServiceError):
        days.set_observed(ctx, {"key": "not_a_day", "observe": "0"})


def test_the_lead_time_is_the_partnerships_and_bounded(ctx):
    assert days.observed_days(ctx).lead_days == 14
    days.set_lead_days(ctx, {"lead_days": "30"})
    db.session.commit()
    assert days.observed_days(ctx).lead_days == 30
    for bad in ("0", "121", "soon", ""):
        with pytest.raises(ServiceError) as refused:
            days.set_lead_days(ctx, {"lead_days": bad})
        assert refused.value.field == "lead_days"
    db.session.rollback()
    assert db.session.scalar(select(AwarenessSettings.lead_days)) == 30


def test_upcoming_is_soonest_first_with_the_lead_time(ctx):
    observed = days.observed_days(ctx)
    coming = days.upcoming(ctx, observed, date(2026, 11, 20), horizon=42)
    labels = [(u.day.key, u.when.start) for u in coming]
    assert labels == [
        ("evaw_day", date(2026, 11, 25)),
        ("giving_tuesday", date(2026, 12, 1)),
        ("human_rights_day", date(2026, 12, 10)),
        ("ht_awareness_month", date(2027, 1, 1)),
    ]
    assert coming[0].days_away == 5 and coming[0].in_lead_time
    assert not coming[-1].in_lead_time  # 42 days away, beyond the 14 days' notice
    running = days.upcoming(ctx, observed, date(2027, 1, 15), horizon=5)
    assert running[0].day.key == "ht_awareness_month" and running[0].days_away == 0
