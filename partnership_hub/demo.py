"""The demo partnership the README's run command seeds, so a fresh install has something to show."""

from __future__ import annotations

from sqlalchemy import select

from partnership_hub import areas
from partnership_hub.accounts import services as accounts
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces import services as workspaces
from partnership_hub.workspaces.models import Membership, Partnership, Role

DEMO_PASSWORD = "demo-partnership-2026"  # noqa: S105 - a published demo login
DEMO_DOMAIN = "demo.partnershiphub.local"
DEMO_PARTNERSHIP = "Front Range Anti-Trafficking Partnership"

PEOPLE = [
    ("Dana Whitfield", "coordinator", Role.COORDINATOR),
    ("Luis Ortega", "luis.ortega", Role.COORDINATOR),
    ("Priya Raman", "priya.raman", Role.MEMBER),
    ("Marcus Bell", "marcus.bell", Role.MEMBER),
    ("Amara Okafor", "amara.okafor", Role.SURVIVOR_ADVISOR),
    ("Jordan Reyes", "jordan.reyes", Role.SURVIVOR_ADVISOR),
    ("Noor Haddad", "noor.haddad", Role.SURVIVOR_ADVISOR),
    ("Helen Cho", "helen.cho", Role.OBSERVER),
]


def seed() -> tuple[bool, str]:
    """Create the demo partnership and its people unless they exist, then let every installed area
    seed its part (``Area.demo``, called with the context and the people by email local part).
    Returns (created, login email)."""
    coordinator_email = f"coordinator@{DEMO_DOMAIN}"
    if db.session.scalars(select(Partnership).where(Partnership.slug == "front-range")).first():
        return False, coordinator_email

    users = {}
    for name, local, _role in PEOPLE:
        email = f"{local}@{DEMO_DOMAIN}"
        users[local] = accounts.find_user_by_email(email) or accounts.create_user(
            name, email, DEMO_PASSWORD, verified=True
        )

    ctx = workspaces.create_partnership(users["coordinator"], DEMO_PARTNERSHIP, time_zone="America/Denver")
    ctx.partnership.slug = "front-range"
    db.session.flush()
    bind_tenant(db.session, ctx.partnership.id, users["coordinator"].id)
    for _name, local, role in PEOPLE[1:]:
        db.session.add(Membership(user_id=users[local].id, role=role))
    db.session.flush()
    workspaces.invite(ctx, "outreach@streetshope.example.org", Role.MEMBER)
    workspaces.invite(ctx, "caseworker@cdle.example.gov", Role.MEMBER)
    for area in areas.installed():
        if area.demo:
            areas.resolve(area.demo)(ctx, users)
            db.session.flush()
    db.session.commit()
    return True, coordinator_email
