"""What the member directory adds to the coordinators' digests (``Area.digest``): organizations that joined
the directory in the period. ONE statement (a LIMIT walk of the newest)."""

from __future__ import annotations

from sqlalchemy import select

from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.members.models import Organization
from partnership_hub.notifications.digest import DigestBuild

SECTION = "people"  # beside the new people and invitations (the workspaces area's)
SHOWN = 10


def contribute(build: DigestBuild) -> None:
    build.section(SECTION, "New members and invitations", order=90)
    stmt = (
        select(Organization.id, Organization.name, Organization.created_at)
        .where(Organization.created_at >= build.since, Organization.archived_at.is_(None))
        .order_by(Organization.created_at.desc(), Organization.id.desc())
        .limit(SHOWN + 1)
    )
    rows = db.session.execute(scoped(stmt)).all()
    for row in rows[:SHOWN]:
        build.line(
            SECTION,
            f"{row.name} joined the member directory",
            link=build.link("members.organization", organization_id=row.id),
            at=row.created_at,
            recent=True,
        )
    if len(rows) > SHOWN:
        build.line(SECTION, "and more organizations joined", link=build.link("members.organizations"))
