"""The benchmark's full-page copy (bench/seed_large.py) fills the lists the large partnership fills: the
board's meetings (a page of upcoming ones with more behind it, and a page of past ones), the awareness
days' lists, the year calendar's month day for day, every column of the funding pipeline's board, and
advisor compensation's list of the people who can be paid."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from partnership_hub.advisory.compensation import PEOPLE_LIMIT
from partnership_hub.advisory.restricted import PAGE_SIZE
from partnership_hub.awareness.campaigns import PLANS_PAGE_SIZE
from partnership_hub.awareness.queries import COMING_PAGE_SIZE, OWN_PAGE_SIZE
from partnership_hub.funding.pipeline import COLUMN_CARDS
from partnership_hub.funding.pipeline_models import FundingStatus

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from seed_large import (  # noqa: E402 - the bench's own module, not a package
    FULL_PAGE_SCALE,
    FULL_SIZE,
    board_starts_to_fill,
    full_page_advisors,
    full_page_day_numbers,
    full_page_opportunities,
)

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def _meeting(kind: str, days: int) -> dict:
    return {"kind": kind, "starts_at": NOW + timedelta(days=days, hours=1)}


@pytest.mark.parametrize(
    ("grown", "added_upcoming", "added_past"),
    [
        ([], PAGE_SIZE + 1, PAGE_SIZE),
        (
            [_meeting("advisory_board", 3), _meeting("advisory_board", -4), _meeting("committee", 1)],
            PAGE_SIZE,
            PAGE_SIZE - 1,
        ),
        ([_meeting("advisory_board", days) for days in range(-30, 30)], 0, 0),  # the large partnership's case
    ],
)
def test_the_board_gets_a_page_of_upcoming_meetings_and_one_of_past_ones(grown, added_upcoming, added_past):
    added = board_starts_to_fill(grown, NOW)
    assert sum(start >= NOW for start in added) == added_upcoming
    assert sum(start < NOW for start in added) == added_past
    assert len(set(added)) == len(added)


@pytest.mark.parametrize("month", range(1, 13))
def test_the_awareness_days_fill_each_list_and_the_calendars_month(month):
    days = full_page_day_numbers(month)
    large_in_month = {n for n in range(FULL_SIZE["awareness_days"]) if n % 12 + 1 == month}
    assert large_in_month <= set(days)  # the month the calendar opens on, as the large partnership has it
    assert len(set(days)) == len(days) >= max(PLANS_PAGE_SIZE, COMING_PAGE_SIZE, OWN_PAGE_SIZE)


def test_the_funding_board_gets_every_column_filled():
    share = max(1, int(FULL_SIZE["funding_opportunities"] * FULL_PAGE_SCALE))
    count = full_page_opportunities(share)
    statuses = list(FundingStatus)  # the board's columns, dealt out in turn as the seed does
    dealt = [statuses[n % len(statuses)] for n in range(count)]
    assert min(dealt.count(status) for status in statuses) >= COLUMN_CARDS


def test_advisor_compensation_gets_a_full_list_of_people():
    people = max(1, int(FULL_SIZE["members"] * FULL_PAGE_SCALE))
    assert full_page_advisors(people) == PEOPLE_LIMIT < people  # the rest keep the usual mix of roles
