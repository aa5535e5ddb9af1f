"""The trust check-in pages cost the same number of statements for 5 answers as for 500."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from partnership_hub.db import utcnow
from partnership_hub.extensions import db
from partnership_hub.governance.checkins_models import CheckinResponse, TrustCheckin
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, statements_for
from tests.factories import create_partnership, create_user


def grow(app, partnership, size: int) -> None:
    """Three closed check-ins and an open one, each with ``size`` answers (written in bulk: the
    service's one-at-a-time path is tested elsewhere)."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        today = ctx.today()
        rows = [
            TrustCheckin(
                opens_on=today - timedelta(days=30 * n + 14),
                closes_on=today - timedelta(days=30 * n),
                closed_at=utcnow(),
                min_responses=5,
            )
            for n in range(1, 4)
        ]
        rows.append(TrustCheckin(opens_on=today, closes_on=today + timedelta(days=14), min_responses=5))
        db.session.add_all(rows)
        db.session.flush()
        db.session.execute(
            insert(CheckinResponse),
            [
                {
                    "id": uuid.uuid4(),
                    "partnership_id": partnership.id,
                    "checkin_id": checkin.id,
                    "trust": n % 5 + 1,
                    "shared_goals": 3,
                    "equal_voice": 4,
                    "disagreement": 2,
                    "comment": f"Comment {n}" if n % 3 == 0 else "",
                }
                for checkin in rows
                for n in range(size)
            ],
        )
        db.session.commit()


def first_id(app, partnership, *, open_: bool) -> int:
    with app.app_context():
        context_for(partnership.id)
        stmt = select(TrustCheckin.id).where(
            TrustCheckin.closed_at.is_(None) if open_ else TrustCheckin.closed_at.is_not(None)
        )
        return db.session.scalars(stmt.order_by(TrustCheckin.id)).first()


@pytest.mark.parametrize("page", ["index", "results", "open_results", "answer", "close", "new", "overview", "home"])
def test_check_in_pages_cost_the_same_for_5_and_for_500_answers(app, page):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 5)
    grow(app, large, 500)

    def path(partnership) -> str:
        closed, current = first_id(app, partnership, open_=False), first_id(app, partnership, open_=True)
        return {
            "index": "/governance/checkins",
            "results": f"/governance/checkins/{closed}",
            "open_results": f"/governance/checkins/{current}",
            "answer": f"/governance/checkins/{current}/answer",
            "close": f"/governance/checkins/{current}/close",
            "new": "/governance/checkins/new",
            "overview": "/governance",
            "home": "/",
        }[page]

    # Both partnerships' records have their own ids: compare each page with its twin.

    counts = {"small": statements_for(app, small, path(small)), "large": statements_for(app, large, path(large))}
    assert counts["small"] == counts["large"], counts
    assert counts["small"] <= BUDGET, counts
