"""The pipeline's table, page after page, in its order — newest application deadline first, those without
one last, equal deadlines by id, newest first — over only what the viewer may see, at a fixed number of
statements. Several pages of opportunities with repeated and missing deadlines, so a table read another
way (a walk of an index in that order rather than a sort of every opportunity) must show exactly these."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from partnership_hub.confidentiality import visible
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.funding import pipeline
from partnership_hub.funding.pipeline_models import FundingOpportunity
from partnership_hub.workspaces.models import Role
from tests.budget import BUDGET, statements_for
from tests.factories import add_member, create_partnership, create_user
from tests.funding.pipeline_helpers import bulk, ctx_of

SIZE = 80  # a little over three pages


@pytest.fixture
def pipeline_of(app):
    partnership = create_partnership(app, create_user(app), "Pipeline")
    ids = bulk(app, partnership, SIZE)
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        # Every seventh has no deadline; every fifth shares one with others.
        db.session.execute(
            update(FundingOpportunity).where(FundingOpportunity.id.in_(ids[::7])).values(application_deadline=None)
        )
        db.session.execute(
            update(FundingOpportunity)
            .where(FundingOpportunity.id.in_(ids[1::5]))
            .values(application_deadline=date(2026, 6, 1))
        )
        db.session.commit()
    return partnership


def _expected(ctx) -> list[int]:
    rows = db.session.execute(
        select(FundingOpportunity.id, FundingOpportunity.application_deadline).where(visible(ctx, FundingOpportunity))
    ).all()
    with_deadline = sorted((r for r in rows if r[1] is not None), key=lambda r: (r[1], r[0]), reverse=True)
    without = sorted((r for r in rows if r[1] is None), key=lambda r: r[0], reverse=True)
    return [r[0] for r in with_deadline + without]


@pytest.mark.parametrize("who", ["coordinator", "member"])
@pytest.mark.parametrize("status", ["", "applying"])
def test_the_table_pages_through_what_the_viewer_may_see_in_order(app, pipeline_of, who, status):
    if who == "member":
        add_member(app, pipeline_of, create_user(app), Role.MEMBER, "member")
    with app.app_context():
        ctx = ctx_of(pipeline_of, who)
        bind_tenant(db.session, pipeline_of.id)
        expected = _expected(ctx)
        if status:
            rows = db.session.execute(select(FundingOpportunity.id, FundingOpportunity.status)).all()
            statuses = {i: s for i, s in rows}
            expected = [i for i in expected if statuses[i] == status]
        filters = pipeline.ListFilters(status=status)
        first = pipeline.opportunities_page(ctx, filters, 1)
        assert first.total == len(expected) and first.exact
        shown: list[int] = []
        for number in range(1, first.pages + 1):
            shown += [card.id for card in pipeline.opportunities_page(ctx, filters, number).items]
    assert shown == expected


def test_the_table_costs_the_same_statements_for_few_or_many(app, pipeline_of):
    small = create_partnership(app, create_user(app), "Small pipeline")
    bulk(app, small, 3)
    for path in ("/funding/opportunities", "/funding/opportunities?status=applying"):
        counts = [statements_for(app, small, path), statements_for(app, pipeline_of, path)]
        assert counts[0] == counts[1] <= BUDGET, (path, counts)
    pages = [statements_for(app, pipeline_of, f"/funding/opportunities?page={n}") for n in (1, 2, 3)]
    assert len(set(pages)) == 1, pages
