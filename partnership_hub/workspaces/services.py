"""Workspace rules: creating partnerships, invitations, roles, leaving and removal."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, joinedload

from partnership_hub.accounts import services as accounts
from partnership_hub.accounts.models import User
from partnership_hub.audit import services as audit
from partnership_hub.db import bind_tenant, cross_tenant, scoped, utcnow
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.notifications.services import absolute_url, queue_email
from partnership_hub.security import hash_token, new_token
from partnership_hub.workspaces.models import ROLE_LABELS, Invitation, Membership, OrientationItem, Partnership, Role
from partnership_hub.workspaces.policies import can

RESERVED_SLUGS = {"new", "admin", "api", "static", "login", "signup"}


@dataclass
class WorkspaceContext:
    """Who is acting, in which partnership. Requests build it in the tenancy resolver; tasks and
    the CLI build it with ``context_for``."""

    partnership: Partnership
    membership: Membership | None
    user: User | None

    @property
    def role(self) -> Role | None:
        return self.membership.role if self.membership else None


def context_for(partnership_id: int, user_id: int | None = None) -> WorkspaceContext:
    """Bind the session to ``partnership_id`` and build a context (for tasks and the CLI)."""
    if partnership_id is None:
        raise ValueError("a partnership id is required")
    partnership = db.session.get(Partnership, partnership_id)
    if partnership is None:
        raise LookupError(f"no partnership {partnership_id}")
    bind_tenant(db.session, partnership.id, user_id)
    membership = user = None
    if user_id is not None:
        user = db.session.get(User, user_id)
        membership = db.session.scalars(select(Membership).where(Membership.user_id == user_id)).one_or_none()
    return WorkspaceContext(partnership, membership, user)


# --- partnerships -------------------------------------------------------------------------------


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:48].strip("-")
    return slug or "partnership"


def unique_slug(name: str) -> str:
    """A URL slug for ``name`` that no partnership uses yet (``-2``, ``-3``... when taken)."""
    base = slugify(name)
    taken = set(
        db.session.scalars(
            select(Partnership.slug).where((Partnership.slug == base) | Partnership.slug.like(f"{base}-%"))
        )
    )
    if base not in taken and base not in RESERVED_SLUGS:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def partnership_by_slug(slug: str) -> Partnership | None:
    return db.session.scalars(select(Partnership).where(Partnership.slug == slug)).one_or_none()


def create_partnership(user: User, name: str, time_zone: str = "UTC") -> WorkspaceContext:
    """Create a workspace with ``user`` as its first coordinator."""
    partnership = Partnership(name=name.strip(), slug=unique_slug(name), time_zone=time_zone, created_by_id=user.id)
    db.session.add(partnership)
    db.session.flush()
    bind_tenant(db.session, partnership.id, user.id)
    membership = Membership(user_id=user.id, role=Role.COORDINATOR)
    db.session.add(membership)
    db.session.flush()
    ctx = WorkspaceContext(partnership, membership, user)
    audit.record(ctx, "partnership.created", "partnership", partnership.id)
    return ctx


def sign_up(name: str, email: str, password: str, partnership_name: str) -> WorkspaceContext:
    """A new account plus its partnership workspace; sends the email-verification message."""
    user = accounts.create_user(name, email, password)
    ctx = create_partnership(user, partnership_name)
    accounts.send_verification_email(user)
    return ctx


def memberships_of(user: User) -> list[Membership]:
    """Every partnership this person belongs to (deliberately across tenants; RLS still limits
    the rows to this user's own memberships)."""
    stmt = (
        select(Membership)
        .options(joinedload(Membership.partnership))
        .join(Membership.partnership)
        .where(Membership.user_id == user.id)
        .order_by(func.lower(Partnership.name))
    )
    return list(db.session.scalars(cross_tenant(stmt)))


# --- people -------------------------------------------------------------------------------------


@dataclass
class MemberList:
    visible: list[Membership]
    hidden_count: int  # members this person may not see listed (e.g. survivor advisors, for members)


def list_members(ctx: WorkspaceContext) -> MemberList:
    """The partnership's members this person may see, coordinators first, then by name."""
    stmt = (
        select(Membership)
        .options(contains_eager(Membership.user))
        .join(Membership.user)
        .order_by(Membership.role != Role.COORDINATOR, func.lower(User.name))
    )
    members = list(db.session.scalars(scoped(stmt)))
    visible = [m for m in members if can(ctx.membership, "members.view", m)]
    return MemberList(visible, len(members) - len(visible))


def coordinator_count() -> int:
    return db.session.scalar(scoped(select(func.count(Membership.id)).where(Membership.role == Role.COORDINATOR)))


def change_role(ctx: WorkspaceContext, membership: Membership, role: Role) -> Membership:
    """Give a member another role. The last coordinator cannot step down."""
    if membership.role == role:
        return membership
    if membership.role == Role.COORDINATOR and coordinator_count() <= 1:
        raise ServiceError(
            "A partnership needs at least one coordinator. Make someone else a coordinator first.", "role"
        )
    previous = membership.role
    membership.role = role
    audit.record(
        ctx,
        "member.role_changed",
        "membership",
        membership.id,
        user_id=membership.user_id,
        previous=previous.value,
        role=role.value,
    )
    return membership


def remove_member(ctx: WorkspaceContext, membership: Membership) -> None:
    """Take someone out of the partnership; their open sessions are signed out."""
    if membership.role == Role.COORDINATOR and coordinator_count() <= 1:
        raise ServiceError("The last coordinator can't be removed. Make someone else a coordinator first.")
    leaving = membership.user_id == (ctx.user.id if ctx.user else None)
    audit.record(
        ctx,
        "member.left" if leaving else "member.removed",
        "membership",
        membership.id,
        user_id=membership.user_id,
        role=membership.role.value,
    )
    db.session.delete(membership)
    if not leaving:
        # A removed person's cookies must stop working now, not when they next log in.
        accounts.revoke_all_sessions(membership.user_id)


# --- invitations --------------------------------------------------------------------------------


def list_invitations(ctx: WorkspaceContext) -> list[Invitation]:
    """Invitations not yet accepted or revoked, newest first (expired ones included, to resend)."""
    stmt = (
        select(Invitation)
        .options(joinedload(Invitation.invited_by))
        .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at.desc())
    )
    return list(db.session.scalars(scoped(stmt)))


def _send_invitation_email(ctx: WorkspaceContext, invitation: Invitation, raw: str) -> None:
    queue_email(
        kind="invitation",
        dedup_key=f"invitation:{invitation.id}:{invitation.email}:send-{invitation.send_count}",
        to=invitation.email,
        subject=f"You're invited to join {ctx.partnership.name} on Partnership Hub",
        template="invitation",
        partnership_id=ctx.partnership.id,
        partnership=ctx.partnership,
        inviter=ctx.user,
        # Mail can be read by others than the invitee: never name the survivor advisory role in it.
        role_label=None if invitation.role == Role.SURVIVOR_ADVISOR else ROLE_LABELS[invitation.role],
        link=absolute_url("workspaces.join", slug=ctx.partnership.slug, token=raw),
        expires_at=invitation.expires_at,
    )


def invite(ctx: WorkspaceContext, email: str, role: Role) -> Invitation:
    """Invite an address with a role. Refuses current members and addresses already invited."""
    email = accounts.normalize_email(email)
    existing_member = db.session.scalars(
        scoped(select(Membership).join(Membership.user).where(User.email == email))
    ).one_or_none()
    if existing_member is not None:
        raise ServiceError("This person is already a member of the partnership.", "email")
    now = utcnow()
    pending = db.session.scalars(
        scoped(
            select(Invitation).where(
                Invitation.email == email,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
        )
    ).first()
    if pending is not None:
        raise ServiceError("This address already has a pending invitation. Resend it from the list below.", "email")
    raw, digest = new_token()
    invitation = Invitation(
        email=email,
        role=role,
        token_hash=digest,
        invited_by_id=ctx.user.id,
        expires_at=now + current_app.config["INVITATION_TTL"],
        last_sent_at=now,
    )
    db.session.add(invitation)
    db.session.flush()
    audit.record(ctx, "invitation.sent", "invitation", invitation.id, role=role.value)
    _send_invitation_email(ctx, invitation, raw)
    return invitation


def resend_invitation(ctx: WorkspaceContext, invitation: Invitation) -> Invitation:
    """Send a fresh link (the old one stops working) and restart the expiry clock."""
    if invitation.accepted_at or invitation.revoked_at:
        raise ServiceError("This invitation can no longer be resent.")
    raw, digest = new_token()
    now = utcnow()
    invitation.token_hash = digest
    invitation.send_count += 1
    invitation.last_sent_at = now
    invitation.expires_at = now + current_app.config["INVITATION_TTL"]
    audit.record(ctx, "invitation.resent", "invitation", invitation.id)
    _send_invitation_email(ctx, invitation, raw)
    return invitation


def revoke_invitation(ctx: WorkspaceContext, invitation: Invitation) -> Invitation:
    if invitation.accepted_at:
        raise ServiceError("This invitation was already accepted.")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit.record(ctx, "invitation.revoked", "invitation", invitation.id)
    return invitation


@dataclass
class InvitationLookup:
    partnership: Partnership
    invitation: Invitation
    problem: str | None  # None when it can be accepted


def find_invitation(slug: str, raw: str) -> InvitationLookup | None:
    """The invitation behind an emailed link, with why it can't be used (if it can't).

    The slug in the link binds the tenant first, so on PostgreSQL RLS is in force even here."""
    partnership = partnership_by_slug(slug)
    if partnership is None:
        return None
    bind_tenant(db.session, partnership.id)
    invitation = db.session.scalars(
        scoped(select(Invitation).where(Invitation.token_hash == hash_token(raw)))
    ).one_or_none()
    if invitation is None:
        return None
    status = invitation.status(utcnow())
    problem = None if status == "pending" else status
    return InvitationLookup(partnership, invitation, problem)


def accept_invitation(lookup: InvitationLookup, user: User) -> WorkspaceContext:
    """Join the partnership with the invited role. Only the invited address may accept."""
    invitation = lookup.invitation
    if lookup.problem:
        raise ServiceError(f"This invitation is {lookup.problem}.")
    if accounts.normalize_email(user.email) != invitation.email:
        raise ServiceError("This invitation was sent to a different email address.")
    bind_tenant(db.session, lookup.partnership.id, user.id)
    membership = db.session.scalars(scoped(select(Membership).where(Membership.user_id == user.id))).one_or_none()
    now = utcnow()
    invitation.accepted_at = now
    invitation.accepted_by_id = user.id
    if membership is None:
        membership = Membership(user_id=user.id, role=invitation.role)
        db.session.add(membership)
        db.session.flush()
        ctx = WorkspaceContext(lookup.partnership, membership, user)
        audit.record(
            ctx, "member.joined", "membership", membership.id, role=invitation.role.value, invitation_id=invitation.id
        )
    else:
        ctx = WorkspaceContext(lookup.partnership, membership, user)
    if user.email_verified_at is None:  # following the emailed link proves the address
        user.email_verified_at = now
    return ctx


def setup_facts(ctx: WorkspaceContext) -> dict[str, int | bool]:
    """What the setup guide needs to know about the profile, people and orientation (two queries)."""
    partnership = ctx.partnership
    by_role = dict(
        db.session.execute(scoped(select(Membership.role, func.count(Membership.id)).group_by(Membership.role)))
        .tuples()
        .all()
    )
    planning_team = db.session.scalar(
        scoped(select(func.count(Membership.id)).where(Membership.on_planning_team.is_(True)))
    )
    orientation_items = db.session.scalar(
        scoped(select(func.count(OrientationItem.id)).where(OrientationItem.archived_at.is_(None)))
    )
    return {
        "definition": bool(partnership.definition.strip()),
        "vision": bool(partnership.vision.strip()),
        "mission": bool(partnership.mission.strip()),
        "functions": bool(partnership.functions),
        "coordination_model": partnership.coordination_model is not None,
        "stage": partnership.stage is not None,
        "coordinators": by_role.get(Role.COORDINATOR, 0),
        "members": sum(by_role.values()),
        "survivor_advisors": by_role.get(Role.SURVIVOR_ADVISOR, 0),
        "planning_team": planning_team,
        "orientation_items": orientation_items,
    }
