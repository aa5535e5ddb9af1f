"""One record of every kind this area's routes take by id, for the route-walking test
(``Area.test_seed``). Never used by the product itself."""

from __future__ import annotations

from sqlalchemy import select

from partnership_hub.actions.models import ActionItem
from partnership_hub.context import WorkspaceContext
from partnership_hub.extensions import db
from partnership_hub.goals.models import Goal


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """An action item assigned to the acting coordinator, under the partnership's first goal."""
    goal_id = db.session.scalars(select(Goal.id).order_by(Goal.id)).first()
    assert ctx.membership is not None, "seeded as the partnership's coordinator"
    me = ctx.membership.id
    db.session.add(
        ActionItem(title="Seeded action", goal_id=goal_id, assignee_membership_id=me, created_by_membership_id=me)
    )
