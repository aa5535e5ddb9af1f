"""The goals overview, the report, the CSV export and the home page run the same number of SQL
statements for 5 goals and for 500 (with objectives, updates, leads and endorsements), at most ten."""

from __future__ import annotations

from datetime import timedelta

import pytest

from partnership_hub.confidentiality import ConfidentialGrant
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.goals.models import (
    Confidentiality,
    Goal,
    GoalEndorsement,
    GoalLeadOrganization,
    GoalStatus,
    Horizon,
    Objective,
    ProgressUpdate,
)
from tests.budget import assert_fixed_cost, statements_for
from tests.factories import create_organization, create_partnership, create_user
from tests.goals.helpers import partnership_today


def grow(app, partnership, size: int) -> None:
    organization = create_organization(app, partnership, "Lead Org")
    coordinator = partnership.membership_ids["coordinator"]
    today = partnership_today(app, partnership)
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        levels = list(Confidentiality)
        statuses = list(GoalStatus)
        goals = [
            Goal(
                title=f"Goal {n}",
                horizon=list(Horizon)[n % 3],
                ps=["prevention"] if n % 2 else [],
                status=statuses[n % len(statuses)],
                confidentiality=levels[n % len(levels)],
                owner_membership_id=coordinator,
                author_membership_id=coordinator,
                target_date=today - timedelta(days=n % 40),
            )
            for n in range(size)
        ]
        db.session.add_all(goals)
        db.session.flush()
        objectives = [
            Objective(
                goal_id=goal.id,
                title=f"Objective {n}-{k}",
                metric="m",
                unit="u",
                baseline=0,
                target=100,
                current_value=k * 10,
                owner_membership_id=coordinator,
                due_date=today,
                last_update_at=utcnow(),
            )
            for n, goal in enumerate(goals)
            for k in range(2)
        ]
        db.session.add_all(objectives)
        db.session.add_all(GoalLeadOrganization(goal_id=g.id, organization_id=organization) for g in goals)
        db.session.add_all(GoalEndorsement(goal_id=g.id, organization_id=organization) for g in goals)
        db.session.add_all(
            ConfidentialGrant(record_kind="goal", record_id=g.id, membership_id=coordinator) for g in goals
        )
        db.session.flush()
        db.session.add_all(
            ProgressUpdate(objective_id=o.id, value=v, recorded_on=today - timedelta(days=v))
            for o in objectives
            for v in (5, 15)
        )
        db.session.commit()


def _sized(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 5)
    grow(app, large, 500)
    return small, large


@pytest.fixture
def sized(keep):
    return keep(_sized)


PATHS = (
    "/goals",
    "/goals?group=p&status=active",
    "/goals/report",
    "/goals.csv",
    "/goals/objectives.csv",
    "/goals/updates.csv",
    "/",
)


def test_goal_pages_cost_the_same_for_5_and_for_500_goals(app, sized, monkeypatch):
    from partnership_hub import streaming

    # The exports stream (their statements counted as the body is read): 500 goals are many batches
    # of each stream, the 5 goals one.
    monkeypatch.setattr(streaming, "BATCH", 50)
    small, large = sized
    for path in PATHS:
        assert_fixed_cost(app, small, large, path)
    assert statements_for(app, large, "/goals") <= 10
