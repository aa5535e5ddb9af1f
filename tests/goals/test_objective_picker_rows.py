"""The objective picker shows the first objectives by "Goal › Objective" label among the goals the viewer
may read — skipping goals with no (matching) objective, searched by either title, keeping the chosen ones —
at a fixed number of statements, whatever the number of goals. Written against a partnership with many
more goals than a page, so a picker that sought its goals some other way (an index walk of the goals by
title rather than a sort of every goal) must still show exactly these rows."""

from __future__ import annotations

import pytest

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals import queries
from partnership_hub.goals.models import Goal, Horizon, Level, Objective
from partnership_hub.picking import PICK_LIMIT
from partnership_hub.workspaces.models import Role
from tests.budget import BUDGET, statements_for
from tests.factories import add_member, create_partnership, create_user
from tests.goals.helpers import ctx_of

SIZE = 120


def _goals(app):
    """``SIZE`` goals titled out of id order and in mixed case; every fifth has no objective, every seventh
    is for leadership only; the others have one to three objectives, a few of them "budget" ones."""
    partnership = create_partnership(app, create_user(app), "Objectives")
    add_member(app, partnership, create_user(app), Role.MEMBER, "member")
    coordinator = partnership.membership_ids["coordinator"]
    rows: list[tuple[int, str, str, bool]] = []  # (objective id, goal title, objective title, leadership)
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        made = []
        for n in range(SIZE):
            number = (n * 53) % SIZE
            goal = Goal(
                title=("Goal" if n % 2 else "GOAL") + f" {number:03d}",
                horizon=Horizon.SHORT,
                confidentiality=Level.LEADERSHIP if n % 7 == 3 else Level.WORKSPACE,
                author_membership_id=coordinator,
            )
            made.append((n, goal))
        db.session.add_all(goal for _n, goal in made)
        db.session.flush()
        objectives = [
            (
                goal,
                Objective(
                    goal_id=goal.id,
                    title=("Budget" if (n + k) % 9 == 0 else "Outreach") + f" {k}",
                    metric="m",
                    unit="u",
                    baseline=0,
                    target=10,
                    current_value=0,
                ),
            )
            for n, goal in made
            if n % 5
            for k in range(1 + n % 3)
        ]
        db.session.add_all(objective for _goal, objective in objectives)
        db.session.commit()
        for goal, objective in objectives:
            rows.append((objective.id, goal.title, objective.title, goal.confidentiality == Level.LEADERSHIP))
    return partnership, rows


@pytest.fixture
def goals(keep):
    return keep(_goals)


def _expected(rows, *, leadership: bool, query: str = "") -> list[tuple[str, str]]:
    shown = [
        (str(oid), f"{goal} › {title}")
        for oid, goal, title, for_leaders in rows
        if (leadership or not for_leaders) and (query in goal.lower() or query in title.lower())
    ]
    return sorted(shown, key=lambda r: (r[1].lower(), int(r[0])))[:PICK_LIMIT]


@pytest.mark.parametrize("who, leadership", [("coordinator", True), ("member", False)])
@pytest.mark.parametrize("query", ["", "budget", "goal 01", "outreach 2"])
def test_the_picker_shows_the_first_objectives_the_viewer_may_read(app, goals, who, leadership, query):
    partnership, rows = goals
    with app.app_context():
        pick = queries.pick_objectives(ctx_of(partnership, who), query)
    assert pick.matches == _expected(rows, leadership=leadership, query=query)


def test_the_picker_keeps_the_chosen_beyond_the_first_page(app, goals):
    partnership, rows = goals
    last = max(rows, key=lambda r: (f"{r[1]} › {r[2]}".lower(), r[0]))
    with app.app_context():
        pick = queries.pick_objectives(ctx_of(partnership), "", [last[0]])
    assert pick.chosen == [(str(last[0]), f"{last[1]} › {last[2]}")]
    assert pick.matches == [m for m in _expected(rows, leadership=True) if m[0] != str(last[0])][:PICK_LIMIT]


def test_the_picker_costs_the_same_statements_for_few_goals_or_many(app, goals):
    partnership, rows = goals
    small = create_partnership(app, create_user(app), "Few goals")
    for path in ("/pick/objectives?field=objective", "/pick/objectives?field=objective&objective__q=budget"):
        counts = [statements_for(app, small, path), statements_for(app, partnership, path)]
        assert counts[0] == counts[1] <= BUDGET, (path, counts)
    workspace = [r[0] for r in rows if not r[3]]  # (one above "workspace" adds its access-log entry)
    chosen = [
        statements_for(app, partnership, f"/pick/objectives?field=objective&objective={objective_id}")
        for objective_id in (workspace[0], workspace[-1])
    ]
    assert chosen[0] == chosen[1] <= BUDGET, chosen
