"""The benchmark's full-page copy (bench/seed_large.py) fills the board's meeting list as the large
partnership does: a page of upcoming board meetings with more behind it, and a page of past ones."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from partnership_hub.advisory.restricted import PAGE_SIZE

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from seed_large import board_starts_to_fill  # noqa: E402 - the bench's own module, not a package

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
