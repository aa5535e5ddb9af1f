"""The funding pipeline's pages cost the same number of statements for 3 opportunities as for 300 (and at
most the budget), render a bounded number of rows, and add nothing to the home's cost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from partnership_hub.confidentiality import ConfidentialGrant
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.funding import pipeline
from partnership_hub.funding.pipeline_models import FundingOpportunityGoal
from partnership_hub.goals.models import Goal, Horizon
from tests.budget import BUDGET, assert_fixed_cost, counting, statements_for
from tests.factories import create_organization, create_partnership, create_user, sign_in
from tests.funding.pipeline_helpers import bulk, make, today_of


def grow(app, partnership, size: int) -> int:
    """``size`` opportunities of every type, status, level and currency (a third with goals, some with named
    people, the coordinator owning a few with deadlines soon); the id of a leadership one with all of it."""
    ids = bulk(app, partnership, size, owner_membership_id=partnership.membership_ids["coordinator"])
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        goals = [Goal(title=f"Goal {n}", horizon=Horizon.SHORT) for n in range(3)]
        db.session.add_all(goals)
        db.session.flush()
        db.session.execute(
            insert(FundingOpportunityGoal),
            [
                {"partnership_id": partnership.id, "opportunity_id": opportunity_id, "goal_id": goal.id}
                for n, opportunity_id in enumerate(ids)
                if n % 3 == 0
                for goal in goals
            ],
        )
        coordinator = partnership.membership_ids["coordinator"]
        db.session.execute(
            insert(ConfidentialGrant),
            [
                {
                    "partnership_id": partnership.id,
                    "record_kind": "funding_opportunity",
                    "record_id": i,
                    "membership_id": coordinator,
                    "reason": "",
                }
                for i in ids[2::4]
            ],
        )
        db.session.commit()
        goal_ids = [str(goal.id) for goal in goals]
    organization = create_organization(app, partnership, "Lead Org")
    today = today_of(app, partnership)
    return make(
        app,
        partnership,
        title="Measured",
        confidentiality="leadership",
        access=[str(partnership.membership_ids["coordinator"])],
        goal_ids=goal_ids,
        lead_organization_id=str(organization),
        owner_membership_id=str(partnership.membership_ids["coordinator"]),
        application_deadline=(today + timedelta(days=3)).isoformat(),
        amount_asked="100",
        amount_awarded="150",
    )


def _sizes(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    return small, large, grow(app, small, 3), grow(app, large, 300)


@pytest.fixture
def sizes(keep):
    return keep(_sizes)


@pytest.mark.parametrize(
    "path",
    [
        "/funding",
        "/funding/opportunities",
        "/funding/opportunities?status=applying&type=government_grant&q=Bulk",
        "/funding/opportunities?year=2026",
        "/funding/opportunities?page=99",
        "/funding/opportunities?owner=me&status=applying",
        "/funding/totals",
        "/funding/totals?year=2025&currency=EUR",
        "/funding/opportunities.csv",
        "/funding/opportunities.csv?status=awarded",
        "/funding/opportunities/new",
        "/funding/pick/goals?field=goal_ids&goal_ids__q=Goal",
        "/",
    ],
)
def test_funding_pages_cost_the_same_for_3_and_for_300(app, sizes, path):
    small, large, _small_id, _large_id = sizes
    assert_fixed_cost(app, small, large, path)


def test_the_detail_and_edit_pages_cost_the_same(app, sizes):
    small, large, small_id, large_id = sizes
    for suffix in ("", "/edit"):
        counts = (
            statements_for(app, small, f"/funding/opportunities/{small_id}{suffix}"),
            statements_for(app, large, f"/funding/opportunities/{large_id}{suffix}"),
        )
        assert counts[0] == counts[1] <= BUDGET, (suffix, counts)


def test_the_export_streams_in_a_fixed_number_of_statements(app, sizes):
    small, large, _small_id, _large_id = sizes
    counts = []
    for partnership in (small, large):
        client = app.test_client()
        sign_in(client, app, partnership.members["coordinator"])
        client.get(f"/p/{partnership.slug}/funding/opportunities.csv").get_data()  # warm-up
        with counting(app) as statements:
            body = client.get(f"/p/{partnership.slug}/funding/opportunities.csv").get_data(as_text=True)
        counts.append(len(statements))
        assert body.count("\n") > (200 if partnership is large else 2)
    assert counts[0] == counts[1] <= BUDGET, counts


def test_the_board_and_list_render_a_bounded_number_of_rows(app, sizes):
    _small, large, _small_id, _large_id = sizes
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    board = client.get(f"/p/{large.slug}/funding").text
    assert board.count('class="card funding-card"') == pipeline.COLUMN_CARDS * 8
    assert board.count("data-status-form") == pipeline.COLUMN_CARDS * 8
    assert board.count(" more<span") == 8  # every column says how many more, and links to them
    listed = client.get(f"/p/{large.slug}/funding/opportunities").text
    assert listed.count("<tr>") == pipeline.LIST_PAGE_SIZE + 1  # the header row and one page
    form = client.get(f"/p/{large.slug}/funding/opportunities/new").text
    owner = form.split('id="owner_membership_id"', 1)[1].split("</select>", 1)[0]
    assert owner.count("<option") <= 22


def test_funding_adds_nothing_to_the_home_s_cost(app, monkeypatch):
    """ "Funding deadlines" joins the home's one UNION ALL of "your work": the home runs as many statements
    with it as without it."""
    from partnership_hub import areas

    full = create_partnership(app, create_user(app), "Full")
    grow(app, full, 300)
    client = app.test_client()
    sign_in(client, app, full.members["coordinator"])
    home = client.get(f"/p/{full.slug}/").text
    assert "Funding deadlines" in home and "Measured" in home
    with_funding = statements_for(app, full, "/")
    every_kind = areas.your_work
    monkeypatch.setattr(areas, "your_work", lambda: [e for e in every_kind() if e.key != "funding_deadlines"])
    assert "Funding deadlines" not in client.get(f"/p/{full.slug}/").text
    assert statements_for(app, full, "/") == with_funding <= BUDGET
