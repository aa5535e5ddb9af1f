"""The progress report costs the same at any size: a page of the goals that moved, one row per
objective (its value before the range, after it, and how many updates), never a row per update;
the same statements and the same rendered rows for 30 goals and for 300, with several updates each."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals import queries
from partnership_hub.goals.models import Objective, ProgressUpdate
from tests.budget import BUDGET
from tests.factories import create_partnership, create_user
from tests.goals.helpers import ctx_of, partnership_today
from tests.goals.test_bounded_pages import Sized, grow, shape, visit

EXTRA_DAYS = (1, 2, 3, 8, 12)  # on top of the two updates ``grow`` posts (5 and 15 days ago)


def busier(app, sized: Sized) -> Sized:
    """Seven updates on each objective, all in the report's default range (the last 90 days)."""
    today = partnership_today(app, sized.partnership)
    author = sized.partnership.membership_ids["coordinator"]
    with app.app_context():
        bind_tenant(db.session, sized.partnership.id)
        objective_ids = db.session.scalars(select(Objective.id)).all()
        db.session.add_all(
            ProgressUpdate(
                objective_id=oid,
                value=100 - days,
                recorded_on=today - timedelta(days=days),
                author_membership_id=author,
            )
            for oid in objective_ids
            for days in EXTRA_DAYS
        )
        db.session.commit()
    return sized


def _busy(app):
    small = busier(app, grow(app, create_partnership(app, create_user(app), "Small report"), 30))
    large = busier(app, grow(app, create_partnership(app, create_user(app), "Large report"), 300))
    return small, large


@pytest.fixture
def busy(keep):
    return keep(_busy)


def test_report_statements_and_rows_are_the_same_for_30_and_300_goals(app, busy):
    small, large = busy
    (small_count, small_body), (large_count, large_body) = (
        visit(app, small, "/goals/report"),
        visit(app, large, "/goals/report"),
    )
    assert small_count == large_count <= BUDGET
    assert shape(small_body) == shape(large_body)
    # One row per objective that moved on the page (two per goal) and the header; no row per update.
    assert large_body.count("<tr") == 1 + queries.REPORT_PAGE_SIZE * 2


@pytest.mark.parametrize("path", ["/goals/report?page=2", "/goals/report?page=999"])
def test_later_pages_cost_the_same_and_hold_at_most_a_page(app, busy, path):
    """Page 2 is the last page at 30 goals (5 of them) and a full one at 300; past the end is the last page."""
    small, large = busy
    (small_count, small_body), (large_count, large_body) = visit(app, small, path), visit(app, large, path)
    assert small_count == large_count <= BUDGET
    assert small_body.count("<tr") == 1 + 5 * 2
    assert large_body.count("<tr") == 1 + queries.REPORT_PAGE_SIZE * 2


def test_report_rows_say_before_after_and_how_many_updates(app, busy):
    _small, large = busy
    _count, body = visit(app, large, "/goals/report")
    # The count stops REPORT_COUNT_CAP (100) goals past the page: "of 100+" on page 1, exact near the end.
    assert f"Showing goals 1–25 of {queries.REPORT_COUNT_CAP}+ with progress posted in this period." in body
    assert 'aria-label="Pages of goals in the report"' in body
    row = re.search(r"<tr>\s*<th scope=\"row\"[^>]*>Objective 0-0.*?</tr>", body, re.S)
    assert row and ">7, <time" in row.group(0)  # seven updates in the range, shown as a count and two dates
    assert "stalled" in body.lower()
    _count, last = visit(app, large, "/goals/report?page=12")
    assert "Showing goals 276–300 of 300" in last and "Goal 0299" in last
    assert 'id="achieved-heading"' not in last  # achieved and stalled print once, on the first page


def test_report_keeps_values_before_and_after_the_range(app, busy):
    small, _large = busy
    today = partnership_today(app, small.partnership)
    with app.app_context():
        ctx = ctx_of(small.partnership)
        # Range: 4 to 10 days ago. Before it: the update 12 days ago (88); in it: 5 and 8 days ago, last is 5 (value 5).
        report = queries.progress_report(ctx, today - timedelta(days=10), today - timedelta(days=4))
        movement = report.moved[0]
        assert (movement.before, movement.after, movement.updates) == (88, 5, 2)
        assert (movement.first_on, movement.last_on) == (today - timedelta(days=8), today - timedelta(days=5))
        assert report.goals.total == 30 and len(report.moved) == queries.REPORT_PAGE_SIZE * 2


def test_report_counts_stop_at_a_cap_and_say_so(app, busy, monkeypatch):
    """Each counted goal costs index probes, so the report's counts stop REPORT_COUNT_CAP goals past
    the page ("of 100+", "and 75+ more") and are exact below it."""
    small, large = busy
    _count, body = visit(app, small, "/goals/report")
    assert "Showing goals 1–25 of 30 with progress posted in this period." in body
    monkeypatch.setattr(queries, "REPORT_COUNT_CAP", 10)
    _count, capped = visit(app, large, "/goals/report")
    assert "Showing goals 1–25 of 30+ with progress posted in this period." in capped  # the first multiple past 25
    assert "page 1 of" not in capped
    with app.app_context():
        report = queries.progress_report(ctx_of(large.partnership), *_default_range(app, large))
        assert report.goals.total == 30 and not report.goals.exact
    monkeypatch.setattr(queries, "REPORT_COUNT_CAP", 1000)
    _count, exact = visit(app, large, "/goals/report")
    assert "Showing goals 1–25 of 300 with progress posted in this period." in exact


def _default_range(app, sized):
    today = partnership_today(app, sized.partnership)
    return today - timedelta(days=90), today
