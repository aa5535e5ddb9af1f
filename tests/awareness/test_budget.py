"""The awareness pages cost the same number of statements for a handful of days and plans as for 200 of
each (the large partnership of the benchmark)."""

from __future__ import annotations

import pytest

from partnership_hub.awareness import campaigns, days
from partnership_hub.extensions import db
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, assert_fixed_cost, statements_for
from tests.factories import create_partnership, create_user


def grow(app, partnership, size: int) -> int:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        plan_id = 0
        for n in range(size):
            day = days.create_day(ctx, {"name": f"Day {n}", "kind": "fixed", "month": str(n % 12 + 1), "day": "5"})
            plan = campaigns.create_plan(ctx, {"day": f"custom:{day.id}", "year": "2026", "title": f"Plan {n}"})
            campaigns.add_task(ctx, plan, {"title": f"Task {n}"})
            plan_id = plan.id
        db.session.commit()
        return plan_id


@pytest.fixture
def sizes(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    return small, large, grow(app, small, 2), grow(app, large, 200)


@pytest.mark.parametrize(
    "path",
    [
        "/awareness",
        "/awareness/calendar?year=2026",
        "/awareness/calendar?year=2031",
        "/awareness/campaigns",
        "/awareness/campaigns?year=2026&page=99",
        "/awareness/campaigns/new",
        "/awareness/days/new",
        "/meetings/month?month=2026-05",
    ],
)
def test_awareness_pages_cost_the_same_for_2_and_for_200(app, sizes, path):
    small, large, _small_plan, _large_plan = sizes
    assert_fixed_cost(app, small, large, path)


def test_a_plan_page_costs_the_same(app, sizes):
    small, large, small_plan, large_plan = sizes
    for suffix in ("", "/edit"):
        counts = (
            statements_for(app, small, f"/awareness/campaigns/{small_plan}{suffix}"),
            statements_for(app, large, f"/awareness/campaigns/{large_plan}{suffix}"),
        )
        assert counts[0] == counts[1] <= BUDGET, (suffix, counts)
