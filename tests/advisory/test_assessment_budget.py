"""The trauma-informed self-assessment's pages cost the same number of statements for one completed
round as for fifteen (the comparison reads at most four rounds in one statement, the list is paginated,
a round is at most 60 ratings and 10 notes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from partnership_hub.advisory import assessment
from partnership_hub.advisory.assessment_models import TraumaAssessment
from partnership_hub.extensions import db
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, statements_for
from tests.factories import create_partnership, create_user


def grow(app, partnership, completed: int, rated_now: int) -> None:
    """``completed`` completed rounds (every area rated, a note each) and one in progress with
    ``rated_now`` areas rated."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        today = ctx.today()
        me = {"started": ctx.membership.id, "completed": ctx.membership.id}
        for n in range(completed):
            on = today - timedelta(days=30 * (completed - n))
            scores = {area: [(n + i) % 5 for i in range(6)] for area in assessment.AREA_KEYS}
            notes = dict.fromkeys(assessment.AREA_KEYS, ("A note", "A next step"))
            assessment._write_round(ctx, f"Round {n}", on, on + timedelta(days=7), scores, notes, me)
        partial = {area: [2] * 6 for area in assessment.AREA_KEYS[:rated_now]}
        assessment._write_round(ctx, "Now", today, None, partial, {}, me)
        db.session.commit()


def round_ids(app, partnership) -> tuple[int, int]:
    """(a completed round, the round in progress)."""
    with app.app_context():
        context_for(partnership.id)
        done = db.session.scalars(
            select(TraumaAssessment.id).where(TraumaAssessment.completed_on.is_not(None)).order_by(TraumaAssessment.id)
        ).first()
        now = db.session.scalars(select(TraumaAssessment.id).where(TraumaAssessment.completed_on.is_(None))).one()
        return done, now


@pytest.mark.parametrize(
    "page", ["index", "index_page_2", "round", "current", "area", "area_named", "complete", "discard", "compare", "new"]
)
def test_assessment_pages_cost_the_same_for_one_round_and_for_fifteen(app, page):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 1, 1)
    grow(app, large, 15, 9)

    def path(partnership) -> str:
        done, now = round_ids(app, partnership)
        base = "/advisory/assessment"
        return {
            "index": base,
            "index_page_2": f"{base}?page=2",
            "round": f"{base}/{done}",
            "current": f"{base}/{now}",
            "area": f"{base}/{now}/area",
            "area_named": f"{base}/{now}/area?area=financing",
            "complete": f"{base}/{now}/complete",
            "discard": f"{base}/{now}/discard",
            "compare": f"{base}/compare",
            "new": f"{base}/new",
        }[page]

    # Each partnership's records have their own ids: compare each page with its twin. The small one has a
    # single page of rounds, so the second page is compared with the large one's first.
    twin = small if page != "index_page_2" else large
    counts = {"small": statements_for(app, twin, path(twin).replace("?page=2", "")), "large": 0}
    counts["large"] = statements_for(app, large, path(large))
    assert counts["small"] == counts["large"], counts
    assert counts["large"] <= BUDGET, counts
