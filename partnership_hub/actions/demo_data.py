"""Demo action items for the Front Range partnership: the steps a young anti-trafficking partnership
typically agrees in its first meetings. Dates are relative to the day the demo is seeded, so some
items are always overdue. Items go under the demo goal whose title mentions their topic, when the
goals demo has created one; otherwise they are left unlinked."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from partnership_hub.accounts.models import User
from partnership_hub.actions import services
from partnership_hub.actions.models import ActionStatus
from partnership_hub.context import WorkspaceContext
from partnership_hub.extensions import db
from partnership_hub.goals.models import Goal
from partnership_hub.workspaces.models import Membership

# (title, description, assignee's demo e-mail local part, days from today, status, goal topic)
ITEMS: tuple[tuple[str, str, str | None, int | None, ActionStatus, str], ...] = (
    (
        "Draft the shared referral protocol",
        "A one-page protocol for who to call first when a partner identifies a possible survivor.",
        "priya.raman",
        -6,
        ActionStatus.IN_PROGRESS,
        "referral",
    ),
    (
        "Collect intake forms from three service providers",
        "To compare what each agency asks and agree on a minimal shared set.",
        "marcus.bell",
        -2,
        ActionStatus.OPEN,
        "referral",
    ),
    (
        "Book the venue for the spring training",
        "Accessible, near public transport, with a quiet room.",
        "luis.ortega",
        12,
        ActionStatus.OPEN,
        "training",
    ),
    (
        "Ask the survivor advisory board to review the training outline",
        "Paid review time, as agreed in the compensation guidelines.",
        "coordinator",
        20,
        ActionStatus.OPEN,
        "training",
    ),
    (
        "Update the resource map with the new shelter beds",
        "",
        "marcus.bell",
        -20,
        ActionStatus.DONE,
        "",
    ),
    (
        "Circulate the draft memorandum of understanding",
        "Send to every member organization's representative for comment within two weeks.",
        "coordinator",
        -1,
        ActionStatus.OPEN,
        "",
    ),
    (
        "Plan the Human Trafficking Awareness Day social posts",
        "Reuse the toolkit's awareness-day calendar; no survivor stories without consent.",
        "priya.raman",
        30,
        ActionStatus.OPEN,
        "awareness",
    ),
    (
        "Map funding sources for a part-time coordinator",
        "",
        "luis.ortega",
        45,
        ActionStatus.OPEN,
        "fund",
    ),
    (
        "Set up the shared drive for meeting minutes",
        "Replaced by the partnership hub.",
        None,
        None,
        ActionStatus.CANCELLED,
        "",
    ),
)


def seed_action_items(ctx: WorkspaceContext, domain: str) -> None:
    """Add the demo action items to ``ctx``'s partnership (people found by their demo e-mail)."""
    today = ctx.today()
    members = dict(
        db.session.execute(select(func.lower(User.email), Membership).join(User, User.id == Membership.user_id))
        .tuples()
        .all()
    )
    goals = list(db.session.scalars(select(Goal).order_by(Goal.id)))
    for title, description, local, days, status, topic in ITEMS:
        assignee = members.get(f"{local}@{domain}") if local else None
        goal = next((g for g in goals if topic and topic in g.title.lower()), None)
        services.create_item(
            ctx,
            {
                "title": title,
                "description": description,
                "assignee_membership_id": assignee.id if assignee else None,
                "due_date": today + timedelta(days=days) if days is not None else None,
                "status": status,
                "goal_id": goal.id if goal else None,
            },
        )


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The area's part of the demo: the action plan."""
    seed_action_items(ctx, next(iter(people.values())).email.split("@")[1])
