"""The action plan costs the same number of queries for 5 items as for 200."""

from __future__ import annotations

from datetime import date

import pytest

from partnership_hub.workspaces.models import Role
from tests.actions.conftest import add_goal, add_items, add_objective
from tests.budget import BUDGET, assert_fixed_cost, statements_for
from tests.factories import add_member, create_partnership, create_user


def grow(app, partnership, size: int) -> None:
    """``size`` action items under three goals (two of them leadership), some with an objective."""
    member = add_member(app, partnership, create_user(app), Role.MEMBER)
    goals = [add_goal(app, partnership, f"Goal {n}", "leadership" if n else "workspace") for n in range(3)]
    objective = add_objective(app, partnership, goals[0])
    add_items(
        app,
        partnership,
        *(
            {
                "title": f"Item {n}",
                "goal_id": goals[n % 3],
                "objective_id": objective if n % 3 == 0 else None,
                "assignee_membership_id": member if n % 2 else partnership.membership_ids["coordinator"],
                "due_date": date(2020, 1, 1 + n % 28),  # long past: overdue whatever the day
            }
            for n in range(size)
        ),
    )


@pytest.mark.parametrize(
    "path",
    [
        "/actions",
        "/actions.csv",
        "/actions?status=open&overdue=1",
        # Past the end for both (an old link): the list shows the last page instead.
        "/actions?status=open&overdue=1&page=99",
        "/actions?assignee=me",
    ],
)
def test_action_plan_costs_the_same_for_5_and_for_200_items(app, path):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 5)
    grow(app, large, 200)

    assert_fixed_cost(app, small, large, path)


def test_a_later_page_costs_the_same_as_the_first(app):
    large = create_partnership(app, create_user(app), "Large")
    grow(app, large, 200)

    first = statements_for(app, large, "/actions?status=open&overdue=1")
    later = statements_for(app, large, "/actions?status=open&overdue=1&page=2")
    assert first == later <= BUDGET, (first, later)
