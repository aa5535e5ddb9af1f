"""Helpers for the action plan tests: goals, objectives and action items added directly, read back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from partnership_hub.actions.models import ActionItem
from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import ConfidentialGrant
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals.models import Confidentiality, Goal, Horizon, Objective


def add_goal(app, partnership, title="Shared referral protocol", confidentiality="workspace", **fields) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        goal = Goal(title=title, horizon=Horizon.SHORT, confidentiality=Confidentiality(confidentiality), **fields)
        db.session.add(goal)
        db.session.commit()
        return goal.id


def add_objective(app, partnership, goal_id, title="Agencies signed on") -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        objective = Objective(
            goal_id=goal_id, title=title, metric="agencies", unit="agencies", baseline=0, target=10, current_value=0
        )
        db.session.add(objective)
        db.session.commit()
        return objective.id


def grant(app, partnership, goal_id, membership_id) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add(ConfidentialGrant(record_kind="goal", record_id=goal_id, membership_id=membership_id))
        db.session.commit()


def add_items(app, partnership, *rows: dict) -> list[int]:
    """Insert action items for ``partnership`` (a title filled in); returns their ids."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        items = [ActionItem(**{"title": f"Action {n}", **row}) for n, row in enumerate(rows)]
        db.session.add_all(items)
        db.session.commit()
        return [item.id for item in items]


def items_of(app, partnership) -> list[dict]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        rows = db.session.scalars(select(ActionItem).order_by(ActionItem.id))
        return [
            {c.name: getattr(r, c.name) for c in ActionItem.__table__.columns if c.name != "updated_at"} for r in rows
        ]


def audit_of(app, partnership) -> list[tuple[str, int | None, dict]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, e.target_id, e.details) for e in entries if e.action.startswith("action_item.")]


@pytest.fixture
def base(world) -> str:
    return f"/p/{world.home.slug}/actions"


@pytest.fixture
def ids(world) -> dict[str, int]:
    return world.home.membership_ids
