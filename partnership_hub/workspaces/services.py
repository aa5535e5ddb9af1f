"""Workspace rules: creating partnerships, invitations, roles, leaving and removal, the partnership
profile, the planning team and the new-member orientation checklist."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any, TypeVar
from zoneinfo import available_timezones

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from partnership_hub import areas, picking, toolkit
from partnership_hub.accounts import services as accounts
from partnership_hub.accounts.models import User
from partnership_hub.audit import services as audit

# context_for moved to partnership_hub.context; re-exported until the tests of other areas import it from there.
from partnership_hub.confidentiality import Shape, permission_shape, shared_context, viewer_params
from partnership_hub.context import WorkspaceContext, context_for  # noqa: F401
from partnership_hub.db import bind_tenant, cross_tenant, get_scoped, scalars_statement, scoped, select_scalars, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.notifications.services import absolute_url, queue_email, recent_sends
from partnership_hub.pagination import COUNT_CAP, Page, paginate
from partnership_hub.parsing import parse_id
from partnership_hub.policies import can
from partnership_hub.security import hash_token, new_token
from partnership_hub.workspaces.models import (
    ROLE_LABELS,
    Invitation,
    Membership,
    OrientationCompletion,
    OrientationItem,
    Partnership,
    Role,
)

RESERVED_SLUGS = {"new", "admin", "api", "static", "login", "signup"}

# Every list of people is paged, whatever the size of the partnership (issue #8).
PEOPLE_PAGE_SIZE = 25
INVITATIONS_PAGE_SIZE = 10
PLANNING_PAGE_SIZE = 25
PROGRESS_PAGE_SIZE = 25
COORDINATOR_NAMES_SHOWN = 5

S = TypeVar("S", bound=Select[Any])


# --- partnerships -------------------------------------------------------------------------------


def slugify(name: str) -> str:
    """The URL-safe, ASCII form of a partnership name (``partnership`` when nothing is left)."""
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
    """The partnership with this slug, or None."""
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


def pickable_people(
    ctx: WorkspaceContext, roles: tuple[Role, ...] = (Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR)
) -> Select[tuple[int, str]]:
    """(membership id, name) of the people ``ctx``'s member may pick: the given roles (no observers by
    default); survivor advisors only for people who may know who they are (and themselves)."""
    stmt = select(Membership.id, User.name).join(User, User.id == Membership.user_id).where(Membership.role.in_(roles))
    if not ctx.can("members.view_survivor_advisors"):
        me = ctx.membership.id if ctx.membership else None
        stmt = stmt.where((Membership.role != Role.SURVIVOR_ADVISOR) | (Membership.id == me))
    return stmt


def pick_people(
    ctx: WorkspaceContext,
    query: str = "",
    chosen: list[int] | None = None,
    *,
    blank: str | None = None,
    roles: tuple[Role, ...] = (Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR),
) -> picking.Pick:
    """People ``ctx``'s member may pick (an owner, an assignee, a named person): by name, at most a
    page of matches (two bounded queries)."""
    return picking.search(
        scoped(pickable_people(ctx, roles)),
        id_column=Membership.id,
        label_column=User.name,
        search_columns=(User.name,),
        query=query,
        chosen=chosen or [],
        blank=blank,
        sort_columns=MEMBER_ORDER,
    )


def people_spec(
    ctx: WorkspaceContext,
    chosen: list[int],
    blank: str | None = None,
    roles: tuple[Role, ...] = (Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR),
) -> picking.PickSpec:
    """A people picker (as ``pick_people``), to fill with ``picking.pick_together``."""
    return picking.PickSpec(
        pickable_people(ctx, roles), Membership.id, User.name, "", chosen, blank, sort_columns=MEMBER_ORDER
    )


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

# Members by name: ``Membership.sort_name`` (lower(users.name), kept by the database) then id, which
# the indexes on (partnership_id[, role], sort_name, id) serve: a page is a LIMIT scan at any size.
MEMBER_ORDER = (Membership.sort_name, Membership.id)
# Coordinators first: the expression of ``ix_memberships_people_order`` exactly (a literal, not a
# bound parameter, so that PostgreSQL matches the index).
NOT_COORDINATOR = Membership.role != literal_column("'coordinator'")


@dataclass
class MemberList:
    visible: list[Membership]
    hidden_count: int  # members this person may not see listed (e.g. survivor advisors, for members)


def list_members(ctx: WorkspaceContext) -> MemberList:
    """EVERY member this person may see, coordinators first, then by name. Unbounded: pages use
    ``member_page``; kept for callers in other areas until they move to a picker."""
    stmt = (
        select(Membership)
        .options(contains_eager(Membership.user))
        .join(Membership.user)
        .order_by(NOT_COORDINATOR, *MEMBER_ORDER)
    )
    members = list(db.session.scalars(scoped(stmt)))
    visible = [m for m in members if can(ctx.membership, "members.view", m)]
    return MemberList(visible, len(members) - len(visible))


def listed_to(ctx: WorkspaceContext, stmt: S) -> S:
    """``stmt`` (over memberships) narrowed to the members ``ctx``'s member may see listed: the SQL
    twin of ``policies.may_see_member`` (survivor advisors only for coordinators and advisors)."""
    if ctx.can("members.view_survivor_advisors"):
        return stmt
    me = ctx.user.id if ctx.user else None
    return stmt.where((Membership.role != Role.SURVIVOR_ADVISOR) | (Membership.user_id == me))


def hidden_member_count(ctx: WorkspaceContext) -> int:
    """How many members this person may not see listed (none for coordinators and advisors)."""
    if ctx.can("members.view_survivor_advisors"):
        return 0
    me = ctx.user.id if ctx.user else None
    stmt = select(func.count(Membership.id)).where(Membership.role == Role.SURVIVOR_ADVISOR, Membership.user_id != me)
    return db.session.execute(scoped(stmt)).scalar_one()


def roles_listed_to(ctx: WorkspaceContext) -> list[Role]:
    """The roles whose holders this person may see listed (what the People page filters by)."""
    return [role for role in Role if role != Role.SURVIVOR_ADVISOR or ctx.can("members.view_survivor_advisors")]


@dataclass(frozen=True)
class PeopleFilter:
    """The People page's search: text found in a name or an email address, and one role (or all)."""

    q: str = ""
    role: Role | None = None

    @property
    def active(self) -> bool:
        return bool(self.q or self.role)

    def query_args(self) -> dict[str, str]:
        """The filter as query-string arguments (for pagination links and the row forms)."""
        args = {"q": self.q} if self.q else {}
        if self.role:
            args["role"] = self.role.value
        return args


def people_filter(ctx: WorkspaceContext, args: Mapping[str, str]) -> PeopleFilter:
    """The filter a query string asks for; a role this person may not see listed is ignored."""
    role = next((r for r in roles_listed_to(ctx) if r.value == args.get("role")), None)
    return PeopleFilter(picking.clean_query(args.get("q")), role)


def _contains(column: Any, text: str) -> ColumnElement[bool]:
    """Case-insensitive "``text`` anywhere in ``column``", with LIKE's wildcards taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


@dataclass
class MemberPage:
    page: Page[Membership]
    hidden_count: int  # in the whole partnership, whatever the search: a search must not reveal who is hidden
    # Members on the page whose email address others are not shown (they allow no email: advisory/safety.py).
    hidden_emails: frozenset[int] = frozenset()


def member_page(
    ctx: WorkspaceContext, filters: PeopleFilter, page: int, page_size: int = PEOPLE_PAGE_SIZE
) -> MemberPage:
    """One page of the members this person may see that match ``filters``, coordinators first, then
    by name (one statement, two for people who may not see everyone)."""
    from partnership_hub.advisory.safety import email_hidden  # the advisors' contact preferences (issue #13)

    # Whether the address may be shown rides in the page's own statement; a search by email finds only
    # addresses that are shown (everyone sees their own).
    me = ctx.user.id if ctx.user else None
    hidden = and_(email_hidden(Membership.id), Membership.user_id != me)
    stmt = (
        select(Membership)
        .options(contains_eager(Membership.user))
        .join(Membership.user)
        .add_columns(hidden.label("email_hidden"))
    )
    # Counted without the people's names unless the search reads them (an index-only count).
    counted: Select[tuple[int]] | None = select(Membership.id)
    if filters.q:
        stmt = stmt.where(or_(_contains(User.name, filters.q), and_(_contains(User.email, filters.q), ~hidden)))
        counted = None
    # One role: by name within it (``ix_memberships_partnership_id_role_sort_name``); every role:
    # coordinators first (``ix_memberships_people_order``).
    if filters.role:
        stmt = stmt.where(Membership.role == filters.role).order_by(*MEMBER_ORDER)
        counted = counted.where(Membership.role == filters.role) if counted is not None else None
    else:
        stmt = stmt.order_by(NOT_COORDINATOR, *MEMBER_ORDER)
    stmt = listed_to(ctx, stmt)
    count_from = scoped(listed_to(ctx, counted)) if counted is not None else None
    hidden_emails: set[int] = set()

    def member(found: tuple[Membership, bool]) -> Membership:
        if found[1]:
            hidden_emails.add(found[0].id)
        return found[0]

    members = paginate(scoped(stmt), page, page_size, row=member, cap=COUNT_CAP, count_from=count_from)
    return MemberPage(members, hidden_member_count(ctx), frozenset(hidden_emails))


def get_member(ctx: WorkspaceContext, membership_id: int) -> Membership:
    """A membership of this partnership the person may see listed; ``NotFound`` for anyone else
    (a hidden member is answered as if absent)."""
    membership = get_scoped(db.session, Membership, membership_id)
    if not can(ctx.membership, "members.view", membership):
        raise NotFound(f"Membership {membership_id}")
    return membership


def coordinator_count() -> int:
    """How many coordinators the partnership has."""
    return db.session.execute(
        scoped(select(func.count(Membership.id)).where(Membership.role == Role.COORDINATOR))
    ).scalar_one()


def _lock_coordination(ctx: WorkspaceContext, membership: Membership) -> Membership:
    """Take the partnership's row lock (PostgreSQL: SELECT ... FOR UPDATE) before checking "at least
    one coordinator", so two changes to who coordinates run one after the other: the second counts
    after the first has committed. Returns ``membership`` as it is now (``NotFound`` when it went)."""
    db.session.execute(select(Partnership.id).where(Partnership.id == ctx.partnership.id).with_for_update())
    current = db.session.scalars(
        scoped(select(Membership).where(Membership.id == membership.id)).execution_options(populate_existing=True)
    ).one_or_none()
    if current is None:
        raise NotFound(f"Membership {membership.id}")
    return current


def _other_coordinators(membership: Membership) -> int:
    return db.session.execute(
        scoped(
            select(func.count(Membership.id)).where(Membership.role == Role.COORDINATOR, Membership.id != membership.id)
        )
    ).scalar_one()


def change_role(ctx: WorkspaceContext, membership: Membership, role: Role) -> Membership:
    """Give a member another role. The last coordinator cannot step down (checked under the lock)."""
    membership = _lock_coordination(ctx, membership)
    if membership.role == role:
        return membership
    if membership.role == Role.COORDINATOR and _other_coordinators(membership) == 0:
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
    """Take someone out of the partnership (or let them leave); their open sessions are signed out.
    The last coordinator can't go (checked under the lock)."""
    membership = _lock_coordination(ctx, membership)
    if membership.role == Role.COORDINATOR and _other_coordinators(membership) == 0:
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


def invitation_page(ctx: WorkspaceContext, page: int, page_size: int = INVITATIONS_PAGE_SIZE) -> Page[Invitation]:
    """One page of the invitations not yet accepted or revoked, newest first (expired ones included,
    to resend), with how many there are, counted up to ``COUNT_CAP`` past the page (one statement, a
    LIMIT scan of ``ix_invitations_open_created_at``)."""
    stmt = (
        select(Invitation)
        .options(joinedload(Invitation.invited_by))
        .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    )
    return paginate(scoped(stmt), page, page_size, cap=COUNT_CAP)


# Sending limits (issue #9): far above what a coordinator sends, far below what a spammer needs.
INVITATIONS_PER_HOUR_PER_INVITER = 50  # by one person, across every partnership
INVITATIONS_PER_HOUR_PER_PARTNERSHIP = 200
RESEND_INTERVAL = timedelta(minutes=10)  # between two resends of one invitation


def _send_invitation_email(ctx: WorkspaceContext, invitation: Invitation, raw: str) -> None:
    queue_email(
        kind="invitation",
        dedup_key=f"invitation:{invitation.id}:{invitation.email}:send-{invitation.send_count}",
        to=invitation.email,
        subject=f"You're invited to join {ctx.partnership.name} on Partnership Hub",
        template="invitation",
        partnership_id=ctx.partnership.id,
        sender_id=ctx.user.id if ctx.user else None,
        partnership=ctx.partnership,
        inviter=ctx.user,
        # Mail can be read by others than the invitee: never name the survivor advisory role in it.
        role_label=None if invitation.role == Role.SURVIVOR_ADVISOR else ROLE_LABELS[invitation.role],
        link=absolute_url("workspaces.join", slug=ctx.partnership.slug, token=raw),
        expires_at=invitation.expires_at,
    )


def _check_may_send_invitations(ctx: WorkspaceContext, field: str | None = None) -> User:
    """The sender, when they may send an invitation now: a verified address, and under the hourly
    limits per person and per partnership (counted from the outbox, so they hold across restarts
    and web workers). Otherwise a ``ServiceError`` saying what to do."""
    user = ctx.user
    if user is None:
        raise ValueError("an invitation is sent by a person; this context has no user")
    if user.email_verified_at is None:
        raise ServiceError(
            f"Confirm your email address before sending invitations: open the link we sent to {user.email}, "
            "or use “Send a new link” at the top of the page to get a new one.",
            field,
        )
    sent = recent_sends("invitation", ctx.partnership.id, user.id, utcnow() - timedelta(hours=1))
    if sent.by_sender >= INVITATIONS_PER_HOUR_PER_INVITER:
        raise ServiceError(
            f"You have sent {INVITATIONS_PER_HOUR_PER_INVITER} invitations in the last hour, the most we allow. "
            "Please try again later.",
            field,
        )
    if sent.by_partnership >= INVITATIONS_PER_HOUR_PER_PARTNERSHIP:
        raise ServiceError(
            f"This partnership has sent {INVITATIONS_PER_HOUR_PER_PARTNERSHIP} invitations in the last hour, "
            "the most we allow. Please try again later.",
            field,
        )
    return user


def _issue(ctx: WorkspaceContext, invitation: Invitation, now: datetime) -> str:
    """A fresh link for ``invitation`` (any earlier one stops working) and a new expiry; returns the token."""
    raw, digest = new_token()
    invitation.token_hash = digest
    invitation.last_sent_at = now
    invitation.expires_at = now + current_app.config["INVITATION_TTL"]
    return raw


def invite(ctx: WorkspaceContext, email: str, role: Role) -> Invitation:
    """Invite an address with a role. Refuses current members and addresses already invited; an
    expired invitation to the address is renewed (one open invitation per address, a unique index)."""
    user = _check_may_send_invitations(ctx, "email")
    email = accounts.normalize_email(email)
    existing_member = db.session.scalars(
        scoped(select(Membership).join(Membership.user).where(User.email == email))
    ).one_or_none()
    if existing_member is not None:
        raise ServiceError("This person is already a member of the partnership.", "email")
    now = utcnow()
    already_invited = ServiceError(
        "This address already has a pending invitation. Resend it from the list below.", "email"
    )
    open_invitation = db.session.scalars(
        scoped(
            select(Invitation).where(
                Invitation.email == email, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None)
            )
        )
    ).first()
    if open_invitation is not None:
        if open_invitation.expires_at > now:
            raise already_invited
        # Expired but open: renewed, with the role and inviter asked for now, rather than a second row.
        raw = _issue(ctx, open_invitation, now)
        open_invitation.role = role
        open_invitation.invited_by_id = user.id
        open_invitation.send_count += 1
        audit.record(ctx, "invitation.sent", "invitation", open_invitation.id, role=role.value)
        _send_invitation_email(ctx, open_invitation, raw)
        return open_invitation
    invitation = Invitation(email=email, role=role, invited_by_id=user.id)
    raw = _issue(ctx, invitation, now)
    try:
        with db.session.begin_nested():  # a concurrent invitation to the same address wins the unique index
            db.session.add(invitation)
    except IntegrityError:
        raise already_invited from None
    audit.record(ctx, "invitation.sent", "invitation", invitation.id, role=role.value)
    _send_invitation_email(ctx, invitation, raw)
    return invitation


def resend_invitation(ctx: WorkspaceContext, invitation: Invitation) -> Invitation:
    """Send a fresh link (the old one stops working) and restart the expiry clock. An invitation is
    resent at most once every ``RESEND_INTERVAL``; the sending limits apply."""
    if invitation.accepted_at or invitation.revoked_at:
        raise ServiceError("This invitation can no longer be resent.")
    _check_may_send_invitations(ctx)
    now = utcnow()
    if invitation.send_count > 1 and invitation.last_sent_at > now - RESEND_INTERVAL:
        minutes = int(RESEND_INTERVAL.total_seconds() // 60)
        raise ServiceError(
            f"This invitation was resent less than {minutes} minutes ago. Give it a little time to arrive "
            "(and ask them to look in their spam folder) before sending it again."
        )
    raw = _issue(ctx, invitation, now)
    invitation.send_count += 1
    audit.record(ctx, "invitation.resent", "invitation", invitation.id)
    _send_invitation_email(ctx, invitation, raw)
    return invitation


def revoke_invitation(ctx: WorkspaceContext, invitation: Invitation) -> Invitation:
    """Stop an invitation's link working (revoking twice changes nothing)."""
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


# The setup guide's counts only meet thresholds (at least one, at least three, five): each counts at
# most this many rows, so the facts cost the same for ten members or ten thousand.
FACT_CAP = 100


def capped_count(stmt: Select[Any], cap: int = FACT_CAP) -> Any:
    """``stmt``'s row count up to ``cap``, as a scalar subquery: the count of a LIMITed subselect,
    which stops reading at ``cap`` rows (``cap`` when there are more)."""
    return select(func.count()).select_from(stmt.limit(cap).subquery()).scalar_subquery()


def setup_values(ctx: WorkspaceContext) -> dict[str, Any]:
    """What the setup guide needs to know about the profile: plain values from the partnership's row
    (``Area.setup_values``, read per request)."""
    partnership = ctx.partnership
    return {
        "definition": bool(partnership.definition.strip()),
        "vision": bool(partnership.vision.strip()),
        "mission": bool(partnership.mission.strip()),
        "functions": bool(partnership.functions),
        "coordination_model": partnership.coordination_model is not None,
        "stage": partnership.stage is not None,
    }


def setup_fact_queries(ctx: WorkspaceContext) -> dict[str, Any]:
    """What the setup guide needs to know about people and orientation: scalar subqueries, which the
    guide evaluates together with other areas' in one query. Counts stop at ``FACT_CAP`` (every check
    is a threshold far below it)."""

    def members_where(*criteria):
        return capped_count(select(Membership.id).where(*criteria))

    return {
        "members": members_where(),
        "coordinators": members_where(Membership.role == Role.COORDINATOR),
        "survivor_advisors": members_where(Membership.role == Role.SURVIVOR_ADVISOR),
        "planning_team": members_where(Membership.on_planning_team),  # = true: the partial index's predicate
        "orientation_items": capped_count(select(OrientationItem.id).where(OrientationItem.archived_at.is_(None))),
    }


def setup_facts(ctx: WorkspaceContext) -> dict[str, Any]:
    """``setup_values`` and ``setup_fact_queries`` evaluated (one query)."""
    return setup_values(ctx) | select_scalars(db.session, setup_fact_queries(ctx))


# --- the partnership profile --------------------------------------------------------------------

PROFILE_LIMITS = {"name": 120, "definition": 2000, "vision": 2000, "mission": 2000, "region": 160}
PROFILE_FIELDS = (
    "name",
    "definition",
    "vision",
    "mission",
    "region",
    "time_zone",
    "functions",
    "coordination_model",
    "stage",
    "public_profile",
)


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_time_zone(name: str | None) -> bool:
    """True for an IANA time zone name this server knows (America/Denver, UTC, ...)."""
    return bool(name) and name in _time_zones()


def _checked_profile(data: dict) -> dict:
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    clean = dict(data)
    for name, limit in PROFILE_LIMITS.items():
        if name in clean:
            clean[name] = (clean[name] or "").strip()
            if len(clean[name]) > limit:
                raise ServiceError(f"Use at most {limit:,} characters.", name)
    if "name" in clean and not clean["name"]:
        raise ServiceError("Name your partnership.", "name")
    if "time_zone" in clean and not is_time_zone(clean["time_zone"]):
        raise ServiceError("Enter a time zone from the list, like America/Denver.", "time_zone")
    if "functions" in clean:
        chosen = set(clean["functions"] or [])
        known = [c.key for c in toolkit.FUNCTIONS]
        if chosen - set(known):
            raise ServiceError("Choose from the functions shown.", "functions")
        clean["functions"] = [key for key in known if key in chosen]  # the toolkit's order, no repeats
    for name, choices in (("coordination_model", toolkit.COORDINATION_MODELS), ("stage", toolkit.STAGES)):
        if name in clean:
            clean[name] = clean[name] or None
            if clean[name] is not None and clean[name] not in {c.key for c in choices}:
                raise ServiceError("Choose one of the options shown.", name)
    if "public_profile" in clean:
        clean["public_profile"] = bool(clean["public_profile"])
    return clean


def update_profile(ctx: WorkspaceContext, data: dict) -> list[str]:
    """Change the partnership profile; audits the names of the fields that changed (never their text)."""
    clean = _checked_profile(data)
    partnership = ctx.partnership
    changed = [name for name in PROFILE_FIELDS if name in clean and getattr(partnership, name) != clean[name]]
    for name in changed:
        setattr(partnership, name, clean[name])
    if "time_zone" in changed:  # what areas store in local time moves with it
        db.session.flush()
        for area in areas.installed():
            if area.on_time_zone_change:
                areas.resolve(area.on_time_zone_change)(ctx)
    if changed:
        audit.record(ctx, "profile.updated", "partnership", partnership.id, fields=changed)
    return changed


@dataclass(frozen=True)
class ProfileSummary:
    """The profile in the toolkit's words: chosen functions, coordination model and stage as choices."""

    functions: list[toolkit.Choice]
    coordination_model: toolkit.Choice | None
    stage: toolkit.Choice | None


def describe_profile(partnership: Partnership) -> ProfileSummary:
    """Look the stored keys up in the toolkit's lists (keys the toolkit no longer has are skipped)."""
    chosen = set(partnership.functions or [])
    models = {c.key: c for c in toolkit.COORDINATION_MODELS}
    stages = {c.key: c for c in toolkit.STAGES}
    return ProfileSummary(
        functions=[c for c in toolkit.FUNCTIONS if c.key in chosen],
        coordination_model=models.get(partnership.coordination_model or ""),
        stage=stages.get(partnership.stage or ""),
    )


@dataclass(frozen=True)
class PublicProfile:
    """Everything the public page may show — a copy, so the template cannot reach anything else."""

    slug: str
    name: str
    region: str
    definition: str
    vision: str
    mission: str
    functions: list[toolkit.Choice]


def public_profile(slug: str) -> PublicProfile:
    """The profile behind /about/<slug>, only when its coordinators published it (one query);
    ``NotFound`` when it is unpublished or unknown (the same answer for both)."""
    partnership = partnership_by_slug(slug)
    if partnership is None or not partnership.public_profile:
        raise NotFound(f"public profile {slug!r}")
    return PublicProfile(
        slug=partnership.slug,
        name=partnership.name,
        region=partnership.region,
        definition=partnership.definition,
        vision=partnership.vision,
        mission=partnership.mission,
        functions=describe_profile(partnership).functions,
    )


# --- the planning team and directory editors ------------------------------------------------------


@dataclass
class PlanningPeople:
    page: Page[Membership]  # people on the planning team or editing the directory, by name
    team: int  # how many are on the planning team
    editors: int  # how many members may edit the directory


def planning_people(ctx: WorkspaceContext, page: int, page_size: int = PLANNING_PAGE_SIZE) -> PlanningPeople:
    """One page of the people with a part in planning, and how many there are of each (two statements)."""
    stmt = (
        select(Membership)
        .options(contains_eager(Membership.user))
        .join(Membership.user)
        .where(Membership.on_planning_team | Membership.directory_editor)
    )
    stmt = listed_to(ctx, stmt).order_by(*MEMBER_ORDER)
    planners = listed_to(ctx, select(Membership.id).where(Membership.on_planning_team | Membership.directory_editor))
    counted = listed_to(ctx, select(func.count(Membership.id)))
    counts = select_scalars(
        db.session,
        {
            "team": counted.where(Membership.on_planning_team).scalar_subquery(),
            "editors": counted.where(Membership.directory_editor).scalar_subquery(),
        },
    )
    return PlanningPeople(
        paginate(scoped(stmt), page, page_size, cap=COUNT_CAP, count_from=scoped(planners)),
        counts["team"] or 0,
        counts["editors"] or 0,
    )


def picked_member(ctx: WorkspaceContext, membership_id: int | None, field: str) -> Membership:
    """The member a picker chose, or a refusal at ``field`` (an id from elsewhere, or someone hidden)."""
    try:
        if membership_id is None:
            raise NotFound("no membership chosen")
        return get_member(ctx, membership_id)
    except NotFound:
        raise ServiceError("Choose someone from the list.", field) from None


def chosen_contributor(raw: object, field: str, message: str) -> int | None:
    """The membership id a form chose for someone who takes part (an owner, a person offering): a member
    of this partnership who is not an observer, or None when nothing was chosen; ``ServiceError(message)``
    at ``field`` otherwise (an id from elsewhere, an observer, not an id)."""
    if raw in (None, ""):
        return None
    membership_id = parse_id(raw)
    stmt = select(Membership.id).where(Membership.id == membership_id, Membership.role != Role.OBSERVER)
    if membership_id is None or db.session.scalars(scoped(stmt)).first() is None:
        raise ServiceError(message, field)
    return membership_id


def set_planning_team(ctx: WorkspaceContext, membership: Membership, on: bool) -> bool:
    """Put someone on the planning team or take them off. Returns whether anything changed."""
    if membership.on_planning_team == on:
        return False
    membership.on_planning_team = on
    audit.record(
        ctx,
        "planning.member_added" if on else "planning.member_removed",
        "membership",
        membership.id,
        user_id=membership.user_id,
    )
    return True


def set_directory_editor(ctx: WorkspaceContext, membership: Membership, on: bool) -> bool:
    """Let a member edit the organization directory and resource map, or stop them."""
    if membership.directory_editor == on:
        return False
    if on and membership.role != Role.MEMBER:
        raise ServiceError(
            "Coordinators can always edit the directory; survivor advisors and observers can't be directory editors."
        )
    membership.directory_editor = on
    audit.record(
        ctx,
        "directory_editor.granted" if on else "directory_editor.revoked",
        "membership",
        membership.id,
        user_id=membership.user_id,
    )
    return True


# --- the new-member orientation checklist ---------------------------------------------------------


@dataclass
class Progress:
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def orientation_items(ctx: WorkspaceContext) -> list[OrientationItem]:
    """The current checklist, in order."""
    stmt = (
        select(OrientationItem)
        .where(OrientationItem.archived_at.is_(None))
        .order_by(OrientationItem.position, OrientationItem.id)
    )
    return list(db.session.scalars(scoped(stmt)))


def all_orientation_items(ctx: WorkspaceContext) -> tuple[list[OrientationItem], list[OrientationItem]]:
    """(current steps in order, archived steps most recently archived first), in one query."""
    stmt = select(OrientationItem).order_by(OrientationItem.position, OrientationItem.id)
    items = list(db.session.scalars(scoped(stmt)))
    archived = [(i.archived_at, i) for i in items if i.archived_at is not None]
    archived.sort(key=lambda pair: pair[0], reverse=True)
    return [i for i in items if not i.archived_at], [i for _, i in archived]


def completed_item_ids(ctx: WorkspaceContext, membership: Membership) -> set[int]:
    """The steps this member has ticked off."""
    stmt = select(OrientationCompletion.orientation_item_id).where(OrientationCompletion.membership_id == membership.id)
    return set(db.session.scalars(scoped(stmt)))


@dataclass
class HomeCounts:
    pending_invitations: int
    orientation: Progress
    members: int  # as many as this person may see listed, up to ``COUNT_CAP``
    members_exact: bool = True  # False: there are more than ``members`` ("1,000+")
    pending_exact: bool = True

    @property
    def members_label(self) -> str:
        return f"{self.members:,}" if self.members_exact else f"{self.members:,}+"

    @property
    def pending_label(self) -> str:
        return f"{self.pending_invitations:,}" if self.pending_exact else f"{self.pending_invitations:,}+"


def home_count_queries(ctx: WorkspaceContext) -> dict[str, Any]:
    """The home's numbers as scalar subqueries, so the home can evaluate them together with other
    areas' (the setup guide's facts) in one round trip. Members and pending invitations are counted
    up to ``COUNT_CAP`` (shown as "1,000+" beyond), so the statement costs the same at any size."""
    if ctx.membership is None:
        raise ValueError("the home's numbers are a member's; this context has no membership")
    pending = select(Invitation.id).where(
        Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None), Invitation.expires_at > ctx.now()
    )
    items = select(func.count(OrientationItem.id)).where(OrientationItem.archived_at.is_(None)).scalar_subquery()
    done = (
        select(func.count(OrientationCompletion.id))
        .join(OrientationItem, OrientationItem.id == OrientationCompletion.orientation_item_id)
        .where(OrientationCompletion.membership_id == ctx.membership.id, OrientationItem.archived_at.is_(None))
        .scalar_subquery()
    )
    return {
        "home_pending": capped_count(pending, COUNT_CAP + 1),
        "home_items": items,
        "home_done": done,
        # the same people the People page lists for this viewer
        "home_members": capped_count(listed_to(ctx, select(Membership.id)), COUNT_CAP + 1),
    }


def home_counts_from(ctx: WorkspaceContext, values: dict[str, Any]) -> HomeCounts:
    """HomeCounts from the evaluated ``home_count_queries``."""
    members, pending = values["home_members"] or 0, values["home_pending"] or 0
    return HomeCounts(
        min(pending, COUNT_CAP),
        Progress(values["home_done"] or 0, values["home_items"] or 0),
        min(members, COUNT_CAP),
        members_exact=members <= COUNT_CAP,
        pending_exact=pending <= COUNT_CAP,
    )


def home_counts(ctx: WorkspaceContext) -> HomeCounts:
    """The workspace home's numbers — members, pending invitations and the person's own
    orientation progress — in one query, whatever the size of the partnership."""
    return home_counts_from(ctx, select_scalars(db.session, home_count_queries(ctx)))


SETUP_FACTS = "partnership_hub.areas:setup_fact_queries"  # the setup guide's facts, as a scalars reference


def scalar_values(ctx: WorkspaceContext, references: tuple[str, ...]) -> dict[str, Any]:
    """The values of the scalar queries that ``references`` make (each ``"module:function(ctx)"``
    answering ``{name: scalar subquery | value}``, like ``Area.setup_facts``) for ``ctx``, in ONE
    statement built once per permission shape and kept (``_kept_scalars``); with the setup facts, the
    areas' per-request ``setup_values`` too."""
    statement, plain = _kept_scalars(permission_shape(ctx.membership), references)
    values = dict(plain)
    if statement is not None:
        values |= db.session.execute(scoped(statement), viewer_params(ctx)).one()._asdict()
    if SETUP_FACTS in references:
        values |= areas.setup_values(ctx)
    return values


@lru_cache(maxsize=64)
def _kept_scalars(shape: Shape, references: tuple[str, ...]) -> tuple[Select[Any] | None, dict[str, Any]]:
    """``scalar_values``' statement for a person of ``shape``, and the plain values the references
    answered: made from the shape's ``SharedContext``, so the person, today, now and any
    ``ViewerParameter`` are bound parameters, and a reference that reads the partnership fails here."""
    ctx = shared_context(shape)
    queries: dict[str, Any] = {}
    for reference in references:
        queries |= areas.resolve(reference)(ctx)
    return scalars_statement(queries)


def home_panels(ctx: WorkspaceContext) -> list[tuple[areas.HomePanel, dict[str, Any]]]:
    """The home's panels for this person, with their data: every panel's scalar queries (setup facts,
    counts) are gathered into ONE round trip, then each panel loads what else it needs."""
    panels = [panel for panel in areas.home_panels() if can(ctx.membership, panel.action)]
    values = scalar_values(ctx, tuple(dict.fromkeys(panel.scalars for panel in panels if panel.scalars)))
    shown = []
    for panel in panels:
        data = areas.resolve(panel.load)(ctx, values)
        if data is not None:
            shown.append((panel, data))
    return shown


def orientation_panel(ctx: WorkspaceContext, values: dict[str, Any]) -> dict[str, Any] | None:
    """Home panel (your work): the person's own orientation progress, while there is a checklist."""
    counts = home_counts_from(ctx, values)
    return {"orientation": counts.orientation} if counts.orientation.total else None


@dataclass(frozen=True)
class StepState:
    step: areas.FirstStep
    done: bool


def getting_started_panel(ctx: WorkspaceContext, values: dict[str, Any]) -> dict[str, Any] | None:
    """Home panel for coordinators: the first steps of running a workspace, each ticked from the data.
    Gone once every step is done, or once this coordinator put it away. The facts come with the home's
    other numbers (the panel's ``scalars``, shared with the setup guide's panel: gathered once)."""
    if ctx.membership is None or ctx.membership.getting_started_dismissed:
        return None
    steps = areas.first_steps()
    states = [StepState(step, bool(step.check(values))) for step in steps]
    done = sum(state.done for state in states)
    if done == len(states):
        return None
    return {"steps": states, "done": done, "total": len(states)}


def dismiss_getting_started(ctx: WorkspaceContext) -> bool:
    """Put the "Getting started" card away on this coordinator's home (a preference of theirs, not a
    change to the partnership: nothing is audited). Returns whether anything changed."""
    if ctx.membership is None:
        raise ServiceError("Only members of the partnership have a home to change.")
    if ctx.membership.getting_started_dismissed:
        return False
    ctx.membership.getting_started_dismissed = True
    db.session.flush()
    return True


# --- the home's "Your work" -----------------------------------------------------------------------

YOUR_WORK_LIMIT = 5  # items of each kind on the home; the rest are "and N more" in the filtered list


def your_work(ctx: WorkspaceContext, limit: int = YOUR_WORK_LIMIT) -> list[tuple[areas.YourWork, areas.WorkList]]:
    """The home's "Your work": every installed area's kinds (``Area.your_work``) this person's role may
    have — none for observers, who have no work of their own. Each kind's bounded SELECT joins ONE
    ``UNION ALL``, so the home runs one statement for all of them, however many kinds there are."""
    if ctx.membership is None:
        return []
    asked = []
    for entry in areas.your_work():
        if can(ctx.membership, entry.action) and (query := areas.resolve(entry.load)(ctx, limit)) is not None:
            asked.append((entry, query))
    if not asked:
        return []
    statement = _your_work_union(tuple((entry.key, query.select) for entry, query in asked))
    rows: dict[str, list[areas.WorkRow]] = {entry.key: [] for entry, _ in asked}
    for key, *values in db.session.execute(scoped(statement), viewer_params(ctx)).tuples():
        rows[key].append(_work_row(*values))
    return [(entry, query.build(rows[entry.key])) for entry, query in asked]


@lru_cache(maxsize=64)
def _your_work_union(parts: tuple[tuple[str, Any], ...]) -> Any:
    """The ``UNION ALL`` of the kinds' SELECTs, each row tagged with its kind's key. Kept for the
    statements themselves (compared by identity): the kinds keep theirs per permission shape
    (``WorkQuery``), so the union is made once per shape too; a kind that built a new SELECT only
    misses here, it never reads another request's."""
    return union_all(*(select(cast(literal(key), Text).label("key"), *stmt.subquery().c) for key, stmt in parts))


def _work_row(record_id: Any, title: Any, due: Any, at: Any, label: Any, tag: Any, found: Any) -> areas.WorkRow:
    """A "Your work" row as Python values (SQLite hands a UNION's dates and times back as text)."""
    if isinstance(due, str):
        due = date.fromisoformat(due[:10])
    elif isinstance(due, datetime):
        due = due.date()
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return areas.WorkRow(int(record_id), title or "", due, at, label or "", tag or "", int(found or 0))


def glance_panel(ctx: WorkspaceContext, values: dict[str, Any]) -> dict[str, Any] | None:
    """Home panel: members and pending invitations; who coordinates, for people who don't."""
    if not (can(ctx.membership, "members.view") or can(ctx.membership, "members.invite")):
        return None
    counts = home_counts_from(ctx, values)
    return {
        "member_count": counts.members,
        "member_label": counts.members_label,
        "pending_invitations": counts.pending_invitations if can(ctx.membership, "members.invite") else 0,
        "pending_label": counts.pending_label if can(ctx.membership, "members.invite") else "0",
        "coordinators": None if can(ctx.membership, "members.manage") else coordinator_names(ctx),
    }


@dataclass
class CoordinatorNames:
    names: list[str]  # the first few, by name
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.names)


def coordinator_names(ctx: WorkspaceContext, limit: int = COORDINATOR_NAMES_SHOWN) -> CoordinatorNames:
    """Who coordinates the partnership: the first ``limit`` names and how many in all (one query)."""
    stmt = (
        select(User.name, func.count().over())
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.role == Role.COORDINATOR)
        .order_by(func.lower(User.name), Membership.id)
        .limit(limit)
    )
    rows = db.session.execute(scoped(stmt)).tuples().all()
    return CoordinatorNames([name for name, _ in rows], rows[0][1] if rows else 0)


def orientation_progress_page(
    ctx: WorkspaceContext, page: int, page_size: int = PROGRESS_PAGE_SIZE
) -> Page[tuple[Membership, int]]:
    """One page of (member, current steps done), by name, counted up to ``COUNT_CAP`` past the page:
    one statement, a LIMIT walk of ``ix_memberships_partnership_id_sort_name`` (``MEMBER_ORDER``)
    whatever the partnership's size."""
    done = (
        select(func.count(OrientationCompletion.id))
        .join(OrientationItem, OrientationItem.id == OrientationCompletion.orientation_item_id)
        .where(OrientationCompletion.membership_id == Membership.id, OrientationItem.archived_at.is_(None))
        .correlate(Membership)
        .scalar_subquery()
    )
    stmt = select(Membership, done).options(contains_eager(Membership.user)).join(Membership.user)
    stmt = listed_to(ctx, stmt).order_by(*MEMBER_ORDER)
    counted = listed_to(ctx, select(Membership.id))
    return paginate(scoped(stmt), page, page_size, cap=COUNT_CAP, count_from=scoped(counted))


def add_orientation_item(ctx: WorkspaceContext, title: str, description: str = "") -> OrientationItem:
    """Add a step at the end of the checklist."""
    last = db.session.scalar(
        scoped(select(func.max(OrientationItem.position)).where(OrientationItem.archived_at.is_(None)))
    )
    item = OrientationItem(title=title.strip(), description=description.strip(), position=(last or 0) + 1)
    _check_orientation_item(item)
    db.session.add(item)
    db.session.flush()
    audit.record(ctx, "orientation.item_added", "orientation_item", item.id)
    return item


def update_orientation_item(
    ctx: WorkspaceContext, item: OrientationItem, title: str, description: str = ""
) -> OrientationItem:
    """Reword a step. Members who already ticked it keep their tick."""
    title, description = title.strip(), description.strip()
    if (item.title, item.description) == (title, description):
        return item
    item.title, item.description = title, description
    _check_orientation_item(item)
    audit.record(ctx, "orientation.item_updated", "orientation_item", item.id)
    return item


def _check_orientation_item(item: OrientationItem) -> None:
    if not item.title:
        raise ServiceError("Give the step a title.", "title")
    if len(item.title) > 160:
        raise ServiceError("Use at most 160 characters.", "title")
    if len(item.description) > 2000:
        raise ServiceError("Use at most 2,000 characters.", "description")


def archive_orientation_item(ctx: WorkspaceContext, item: OrientationItem) -> OrientationItem:
    """Take a step off the checklist. Ticks are kept, so restoring it restores everyone's progress."""
    if item.archived_at is None:
        item.archived_at = utcnow()
        audit.record(ctx, "orientation.item_archived", "orientation_item", item.id)
    return item


def restore_orientation_item(ctx: WorkspaceContext, item: OrientationItem) -> OrientationItem:
    """Put an archived step back, at the end of the checklist."""
    if item.archived_at is not None:
        last = db.session.scalar(
            scoped(select(func.max(OrientationItem.position)).where(OrientationItem.archived_at.is_(None)))
        )
        item.archived_at = None
        item.position = (last or 0) + 1
        audit.record(ctx, "orientation.item_restored", "orientation_item", item.id)
    return item


def move_orientation_item(ctx: WorkspaceContext, item: OrientationItem, direction: str) -> bool:
    """Move a step one place up or down. Returns False when it is already first (or last)."""
    if item.archived_at is not None:
        raise ServiceError("Restore this step before moving it.")
    items = orientation_items(ctx)
    index = next(i for i, other in enumerate(items) if other.id == item.id)
    target = index - 1 if direction == "up" else index + 1
    if target < 0 or target >= len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):  # renumber: older rows may share a position
        other.position = position
    audit.record(ctx, "orientation.item_moved", "orientation_item", item.id, direction=direction)
    return True


def set_orientation_done(ctx: WorkspaceContext, item: OrientationItem, done: bool) -> bool:
    """Tick a step off (or untick it) on the acting person's own checklist — never anyone else's."""
    if ctx.membership is None:
        raise ServiceError("Only members of the partnership have an orientation checklist.")
    if item.archived_at is not None:
        raise ServiceError("This step is no longer on the checklist.")
    existing = db.session.scalars(
        scoped(
            select(OrientationCompletion).where(
                OrientationCompletion.membership_id == ctx.membership.id,
                OrientationCompletion.orientation_item_id == item.id,
            )
        )
    ).one_or_none()
    if done and existing is None:
        db.session.add(OrientationCompletion(orientation_item_id=item.id, membership_id=ctx.membership.id))
        db.session.flush()
        return True
    if not done and existing is not None:
        db.session.delete(existing)
        db.session.flush()
        return True
    return False
