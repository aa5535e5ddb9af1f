"""Goal test data: goals, objectives and updates made through the real services."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from partnership_hub.extensions import db
from partnership_hub.goals import services
from partnership_hub.goals.models import Goal, Objective
from partnership_hub.workspaces.services import context_for
from tests.factories import PartnershipRec


def ctx_of(partnership: PartnershipRec, role: str = "coordinator"):
    return context_for(partnership.id, partnership.members[role].id)


def make_goal(app, partnership: PartnershipRec, role: str = "coordinator", **fields) -> int:
    data = {"title": "Train frontline workers", "horizon": "short", "status": "active"} | fields
    with app.app_context():
        goal = services.create_goal(ctx_of(partnership, role), data)
        db.session.commit()
        return goal.id


def make_objective(app, partnership: PartnershipRec, goal_id: int, **fields) -> int:
    data = {"title": "Workers trained", "metric": "Workers trained", "unit": "people", "baseline": "0", "target": "200"}
    with app.app_context():
        ctx = ctx_of(partnership)
        goal = db.session.get(Goal, goal_id)
        objective = services.create_objective(ctx, goal, data | fields)
        db.session.commit()
        return objective.id


def post(app, partnership: PartnershipRec, objective_id: int, value, on: date, today: date | None = None, now=None):
    with app.app_context():
        ctx = ctx_of(partnership)
        objective = db.session.get(Objective, objective_id)
        services.post_update(
            ctx,
            objective,
            {"value": str(value), "recorded_on": on, "note": ""},
            today or on,
            now=now or datetime.combine(on, datetime.min.time()).astimezone(),
        )
        db.session.commit()


def days_ago(n: int, today: date) -> date:
    return today - timedelta(days=n)
