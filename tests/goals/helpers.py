"""Goal test data: goals, objectives and updates made through the real services."""

from __future__ import annotations

from datetime import date, datetime, time

from partnership_hub.context import WorkspaceContext, context_for
from partnership_hub.extensions import db
from partnership_hub.goals import services
from partnership_hub.goals.models import Goal, Objective
from tests.factories import PartnershipRec


def ctx_of(partnership: PartnershipRec, role: str = "coordinator") -> WorkspaceContext:
    return context_for(partnership.id, partnership.members[role].id)


def partnership_today(app, partnership: PartnershipRec) -> date:
    """Today where the partnership is (not the machine's ``date.today()``)."""
    with app.app_context():
        return ctx_of(partnership).today()


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


def post(app, partnership: PartnershipRec, objective_id: int, value, on: date, now: datetime | None = None) -> None:
    """Post ``value`` recorded ``on`` a day, at noon that day in the partnership's time zone (or ``now``)."""
    with app.app_context():
        ctx = ctx_of(partnership)
        objective = db.session.get(Objective, objective_id)
        services.post_update(
            ctx,
            objective,
            {"value": str(value), "recorded_on": on, "note": ""},
            now or datetime.combine(on, time(12), ctx.zone),
        )
        db.session.commit()
