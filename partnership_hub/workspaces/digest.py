"""What the workspaces area adds to the coordinators' digests (``Area.digest``): people who joined in the
period and the invitations still waiting for an answer (coordinators invite, so only they are told). ONE
statement: a LIMIT walk of the newest memberships and one of the open invitations, in a UNION ALL."""

from __future__ import annotations

from sqlalchemy import String, cast, literal, null, select, union_all

from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.notifications.digest import DigestBuild
from partnership_hub.workspaces.models import ROLE_LABELS, Invitation, Membership, Role

SECTION = "people"
SHOWN = 10  # new members, and open invitations, listed ("and more" beyond)


def contribute(build: DigestBuild) -> None:
    build.section(SECTION, "New members and invitations", order=90)
    joined = (
        select(
            literal("member").label("kind"),
            Membership.id.label("id"),
            Membership.created_at.label("at"),
            Membership.role.label("role"),
            cast(null(), String).label("email"),
        )
        .where(Membership.created_at >= build.since)
        .order_by(Membership.created_at.desc(), Membership.id.desc())
        .limit(SHOWN + 1)
    )
    invited = (
        select(
            literal("invitation"),
            Invitation.id,
            Invitation.created_at,
            Invitation.role,
            Invitation.email,
        )
        .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > build.now)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(SHOWN + 1)
    )
    # SQLite takes no LIMIT on a bare member of a UNION: each limited part goes in as a subquery.
    stmt = union_all(scoped(joined).subquery().select(), scoped(invited).subquery().select())
    rows = db.session.execute(stmt).all()
    members = [row for row in rows if row.kind == "member"]
    invitations = [row for row in rows if row.kind == "invitation"]
    for row in members[:SHOWN]:
        build.line(
            SECTION,
            "{person} joined",
            link=build.link("workspace.people"),
            at=row.at,
            detail=f"as {ROLE_LABELS[Role(row.role)].lower()}",
            person=row.id,
            recent=True,
            others_only=True,
        )
    if len(members) > SHOWN:
        build.line(SECTION, "and more people joined", link=build.link("workspace.people"), recent=False)
    for row in invitations[:SHOWN]:
        build.line(
            SECTION,
            f"{row.email} has not answered an invitation yet",
            link=build.link("workspace.invitations"),
            at=row.at,
            detail=f"invited as {ROLE_LABELS[Role(row.role)].lower()}",
        )
    if len(invitations) > SHOWN:
        build.line(SECTION, "and more invitations waiting", link=build.link("workspace.invitations"))
