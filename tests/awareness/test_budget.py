"""The awareness pages cost the same number of statements for a handful of days and plans as for 200 of
each (the large partnership of the benchmark)."""

from __future__ import annotations

import pytest

from partnership_hub.awareness import campaigns, days
from partnership_hub.awareness.models import CampaignPlan
from partnership_hub.db import bind_tenant
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


def _sizes(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    return small, large, grow(app, small, 2), grow(app, large, 200)


@pytest.fixture
def sizes(keep):
    return keep(_sizes)


@pytest.mark.parametrize(
    "path",
    [
        "/awareness",
        "/awareness?page=2",
        "/awareness/days?q=Day 1",
        "/awareness/calendar?year=2026",
        "/awareness/calendar?year=2026&month=1&page=2",
        "/awareness/calendar?year=2031",
        "/awareness/campaigns",
        "/awareness/campaigns?year=2026&page=99",
        "/awareness/campaigns/new",
        "/awareness/days/new",
        "/awareness/pick/counts-from?field=base&base__q=Day",
        "/awareness/pick/days?field=day&day__q=Day&day=toolkit:giving_tuesday",
        "/meetings/month?month=2026-05",
    ],
)
def test_awareness_pages_cost_the_same_for_2_and_for_200(app, sizes, path):
    small, large, _small_plan, _large_plan = sizes
    assert_fixed_cost(app, small, large, path)


def test_a_plan_page_and_a_day_form_cost_the_same(app, sizes):
    small, large, small_plan, large_plan = sizes
    for suffix in ("", "/edit"):
        counts = (
            statements_for(app, small, f"/awareness/campaigns/{small_plan}{suffix}"),
            statements_for(app, large, f"/awareness/campaigns/{large_plan}{suffix}"),
        )
        assert counts[0] == counts[1] <= BUDGET, (suffix, counts)
    day_ids = []
    for partnership, plan_id in ((small, small_plan), (large, large_plan)):
        with app.app_context():
            bind_tenant(db.session, partnership.id)
            day_ids.append(db.session.get(CampaignPlan, plan_id).awareness_day_id)
    small_day, large_day = day_ids
    counts = (
        statements_for(app, small, f"/awareness/days/{small_day}/edit"),
        statements_for(app, large, f"/awareness/days/{large_day}/edit"),
    )
    assert counts[0] == counts[1] <= BUDGET, counts
