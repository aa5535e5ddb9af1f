"""The demo partnership's profile, planning team and orientation checklist (called by demo.seed)."""

from __future__ import annotations

from sqlalchemy import select

from partnership_hub.accounts.models import User
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.workspaces import services
from partnership_hub.workspaces.models import Membership

PROFILE = {
    "definition": (
        "A cooperative relationship between victim service providers, law enforcement, healthcare, labor "
        "and community organizations along the Colorado Front Range, established to jointly combat labor "
        "and sex trafficking."
    ),
    "vision": "A Front Range where every survivor is met with safety and dignity, and no one is bought or sold.",
    "mission": (
        "We coordinate services for survivors across the region, share information and resources between "
        "member organizations, and raise awareness of how trafficking happens in our communities."
    ),
    "region": "Colorado Front Range",
    "functions": ["strategic_coordination", "information_sharing", "awareness", "survivor_engagement"],
    "coordination_model": "shared",
    "stage": "early",
}

ORIENTATION = [
    ("Read the partnership profile", "Start with our definition, vision and mission on the Profile page."),
    ("Meet a coordinator", "Dana or Luis will set up a half-hour call to welcome you and answer questions."),
    ("Review the partnership guidelines", "How we make decisions, share information and handle disagreements."),
    ("Add your organization to the directory", "So other members know what you offer and who to call."),
    ("Take the trauma-informed care training", "The toolkit's ten key areas, in a 90-minute recorded session."),
]

PLANNING_TEAM = ("coordinator", "luis.ortega", "amara.okafor")
DIRECTORY_EDITORS = ("priya.raman",)
STEPS_DONE = {"coordinator": 5, "luis.ortega": 5, "priya.raman": 3, "marcus.bell": 1, "amara.okafor": 2}


def seed_profile_and_orientation(ctx: WorkspaceContext, users: dict[str, User]) -> None:
    """Fill in the profile, pick the planning team and a directory editor, define the orientation
    checklist and tick some of it off — all through the real services, so it is audited like use."""
    services.update_profile(ctx, PROFILE)
    memberships = {m.user_id: m for m in db.session.scalars(scoped(select(Membership)))}
    by_key = {key: memberships[user.id] for key, user in users.items() if user.id in memberships}
    for key in PLANNING_TEAM:
        services.set_planning_team(ctx, by_key[key], True)
    for key in DIRECTORY_EDITORS:
        services.set_directory_editor(ctx, by_key[key], True)
    items = [services.add_orientation_item(ctx, title, description) for title, description in ORIENTATION]
    for key, done in STEPS_DONE.items():
        member_ctx = WorkspaceContext(ctx.partnership, by_key[key], users[key])
        for item in items[:done]:
            services.set_orientation_done(member_ctx, item, True)
    db.session.flush()


def seed_demo(ctx: WorkspaceContext, people: dict[str, User]) -> None:
    """The area's part of the demo: the profile, the planning team and the orientation checklist."""
    seed_profile_and_orientation(ctx, people)
