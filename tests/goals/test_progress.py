"""Progress computation: pure functions."""

from __future__ import annotations

import pytest

from partnership_hub.goals.progress import goal_progress, objective_progress, percent


@pytest.mark.parametrize(
    ("baseline", "target", "current", "expected"),
    [
        (0, 200, 50, 25.0),  # increasing
        (0, 200, 200, 100.0),
        (40, 10, 25, 50.0),  # decreasing target: 40 -> 25 is half way to 10
        (40, 10, 10, 100.0),
        (0, 200, 260, 100.0),  # clamped above
        (0, 200, -20, 0.0),  # clamped below
        (40, 10, 55, 0.0),  # a decreasing target moving the wrong way
        (40, 10, 0, 100.0),
    ],
)
def test_objective_progress(baseline, target, current, expected):
    assert objective_progress(baseline, target, current) == pytest.approx(expected)


def test_goal_progress_is_the_mean_of_its_objectives():
    assert goal_progress([25.0, 75.0, 50.0]) == pytest.approx(50.0)
    assert percent(goal_progress([33.3, 33.4])) == 33


def test_a_goal_without_objectives_has_no_progress():
    assert goal_progress([]) is None
    assert percent(None) is None
