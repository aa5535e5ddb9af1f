"""The action plan costs the same number of queries for 5 items as for 200."""

from __future__ import annotations

from datetime import date

import pytest

from partnership_hub.workspaces.models import Role
from tests.actions.conftest import add_goal, add_items, add_objective
from tests.budget import assert_fixed_cost
from tests.factories import add_member, create_partnership, create_user


@pytest.mark.parametrize(
    "path", ["/actions", "/actions.csv", "/actions?status=open&overdue=1&page=2", "/actions?assignee=me"]
)
def test_action_plan_costs_the_same_for_5_and_for_200_items(app, path):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    for partnership, size in ((small, 5), (large, 200)):
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
                    "due_date": date(2026, 1, 1 + n % 28),
                }
                for n in range(size)
            ),
        )

    assert_fixed_cost(app, small, large, path)
