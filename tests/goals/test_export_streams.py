"""The goals export merges three streams (the goals, their objectives, their organizations) as they are
read: with goals that have none, one or several of each, titles whose order is not the order they were
added in, goals the viewer may not read among them, and batches of two rows, every goal gets exactly
its own objectives and organizations."""

from __future__ import annotations

import csv
import io

from partnership_hub import streaming
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.goals.models import (
    Confidentiality,
    Goal,
    GoalEndorsement,
    GoalLeadOrganization,
    Horizon,
    Objective,
)
from partnership_hub.members.models import Organization, name_key

ORGANIZATIONS = ["beta Shelter", "Alpha Aid", "Gamma Network"]  # by name, ignoring case: Alpha, beta, Gamma


def _seed(app, partnership) -> dict[str, tuple[int, list[str], list[str]]]:
    """Goals "Goal 19" .. "Goal 00" (added in the reverse of their order), each with n % 3 objectives,
    the first n % 3 organizations leading it and the last n % 4 endorsing it; every fifth goal private to
    another author. Returns what the coordinator's file should say of each goal they may read:
    title -> (objectives, leads, endorsers)."""
    coordinator = partnership.membership_ids["coordinator"]
    member = partnership.membership_ids["member"]
    expected = {}
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        organizations = [Organization(name=name, name_key=name_key(name)) for name in ORGANIZATIONS]
        db.session.add_all(organizations)
        for n in reversed(range(20)):
            hidden = n % 5 == 4
            goal = Goal(
                title=f"Goal {n:02d}",
                horizon=Horizon.SHORT,
                confidentiality=Confidentiality.PRIVATE if hidden else Confidentiality.WORKSPACE,
                owner_membership_id=coordinator,
                author_membership_id=member if hidden else coordinator,
            )
            db.session.add(goal)
            db.session.flush()
            leads, endorsers = organizations[: n % 3], organizations[3 - n % 4 :] if n % 4 else []
            db.session.add_all(
                Objective(goal_id=goal.id, title=f"O{k}", metric="m", unit="u", baseline=0, target=10, current_value=k)
                for k in range(n % 3)
            )
            db.session.add_all(GoalLeadOrganization(goal_id=goal.id, organization_id=o.id) for o in leads)
            db.session.add_all(GoalEndorsement(goal_id=goal.id, organization_id=o.id) for o in endorsers)
            if not hidden:
                by_name = (
                    sorted((o.name for o in leads), key=str.lower),
                    sorted((o.name for o in endorsers), key=str.lower),
                )
                expected[goal.title] = (n % 3, *by_name)
        db.session.commit()
    return expected


def test_each_goal_gets_its_own_objectives_and_organizations(app, world, login_as, monkeypatch):
    expected = _seed(app, world.home)
    monkeypatch.setattr(streaming, "BATCH", 2)
    body = login_as("coordinator").get(f"/p/{world.home.slug}/goals.csv").get_data(as_text=True)
    header, *rows = csv.reader(io.StringIO(body))
    column = {name: header.index(name) for name in ("Goal", "Objectives", "Lead organizations", "Endorsed by")}
    found = {
        row[column["Goal"]]: (
            int(row[column["Objectives"]]),
            row[column["Lead organizations"]].split("; ") if row[column["Lead organizations"]] else [],
            row[column["Endorsed by"]].split("; ") if row[column["Endorsed by"]] else [],
        )
        for row in rows
    }
    assert [row[0] for row in rows] == sorted(expected)  # the file's order: by title, not as added
    assert found == expected
