"""One record of every kind this area's routes take by id, for the route-walking test
(``Area.test_seed``). Never used by the product itself."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from partnership_hub import confidentiality
from partnership_hub.context import WorkspaceContext
from partnership_hub.extensions import db
from partnership_hub.goals.models import (
    Goal,
    GoalEndorsement,
    GoalLeadOrganization,
    Horizon,
    Objective,
    ProgressUpdate,
)
from partnership_hub.members.models import Organization


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """A workspace-level goal led and endorsed by the first organization, with an objective, a
    progress update and a named person (a confidentiality grant)."""
    assert ctx.membership is not None, "the route walk seeds as a member (its coordinator)"
    me = ctx.membership.id
    organization_id = db.session.scalars(select(Organization.id).order_by(Organization.id)).first()
    goal = Goal(title="Seeded goal", horizon=Horizon.SHORT, ps=["prevention"], author_membership_id=me)
    db.session.add(goal)
    db.session.flush()
    objective = Objective(
        goal_id=goal.id,
        title="Seeded objective",
        metric="People trained",
        unit="people",
        baseline=0,
        target=10,
        current_value=4,
        owner_membership_id=me,
    )
    db.session.add(objective)
    db.session.flush()
    db.session.add(ProgressUpdate(objective_id=objective.id, value=4, recorded_on=date(2026, 1, 15)))
    confidentiality.grant(ctx, goal, me)
    if organization_id is not None:
        db.session.add(GoalLeadOrganization(goal_id=goal.id, organization_id=organization_id))
        db.session.add(GoalEndorsement(goal_id=goal.id, organization_id=organization_id))
