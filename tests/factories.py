"""Test data in one place. Factories commit through the real services and return plain records
(ids and strings), so tests never hold ORM objects from a session the app has closed."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from partnership_hub.accounts import services as accounts
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.notifications.models import OutboxMessage
from partnership_hub.workspaces import services as workspaces
from partnership_hub.workspaces.models import Membership, Role

PASSWORD = "correct horse battery staple"
_seq = itertools.count(1)


@dataclass
class UserRec:
    id: int
    name: str
    email: str
    password: str = PASSWORD


@dataclass
class PartnershipRec:
    id: int
    slug: str
    name: str
    members: dict[str, UserRec] = field(default_factory=dict)
    membership_ids: dict[str, int] = field(default_factory=dict)


def create_user(app: Flask, name: str | None = None, email: str | None = None, *, verified: bool = True) -> UserRec:
    n = next(_seq)
    name = name or f"Person {n}"
    email = email or f"person{n}@example.org"
    with app.app_context():
        user = accounts.create_user(name, email, PASSWORD, verified=verified)
        db.session.commit()
        return UserRec(user.id, user.name, user.email)


def create_partnership(app: Flask, coordinator: UserRec, name: str | None = None) -> PartnershipRec:
    with app.app_context():
        user = db.session.get(accounts.User, coordinator.id)
        ctx = workspaces.create_partnership(user, name or f"Partnership {next(_seq)}")
        db.session.commit()
        rec = PartnershipRec(ctx.partnership.id, ctx.partnership.slug, ctx.partnership.name)
        rec.members["coordinator"] = coordinator
        rec.membership_ids["coordinator"] = ctx.membership.id
        return rec


def add_member(app: Flask, partnership: PartnershipRec, user: UserRec, role: Role, key: str | None = None) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        membership = Membership(user_id=user.id, role=role)
        db.session.add(membership)
        db.session.commit()
        partnership.members[key or role.value] = user
        partnership.membership_ids[key or role.value] = membership.id
        return membership.id


@dataclass
class World:
    home: PartnershipRec
    other: PartnershipRec

    def user(self, role: str) -> UserRec:
        return self.home.members[role]


def build_world(app: Flask) -> World:
    home = create_partnership(app, create_user(app, "Cora Coordinator"), "Front Range Partnership")
    for role in (Role.MEMBER, Role.SURVIVOR_ADVISOR, Role.OBSERVER):
        add_member(app, home, create_user(app, f"{role.value.title()} Person"), role)
    other = create_partnership(app, create_user(app, "Olive Outsider"), "Other Partnership")
    return World(home, other)


def sign_in(client: FlaskClient, app: Flask, user: UserRec) -> None:
    """Sign ``user`` in on ``client`` the way a login does (a new server-side session), without
    spending an Argon2 verification per test."""
    with app.app_context():
        token = accounts.start_session(db.session.get(accounts.User, user.id))
        db.session.commit()
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = token
        session["_fresh"] = True
        session.permanent = True


def outbox(app: Flask, *, to: str | None = None, kind: str | None = None) -> list[OutboxMessage]:
    with app.app_context():
        from partnership_hub.notifications.services import open_outbox

        open_outbox()  # on PostgreSQL only delivery work may read the outbox (row-level security)
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        if to:
            stmt = stmt.where(OutboxMessage.to_address == to)
        if kind:
            stmt = stmt.where(OutboxMessage.kind == kind)
        messages = list(db.session.scalars(stmt))
        db.session.expunge_all()
        return messages


def link_in(message: OutboxMessage) -> str:
    """The path of the first link in an email's text body (base URL removed)."""
    match = re.search(r"http://localhost(/\S+)", message.text_body)
    assert match, f"no link in {message.kind} email"
    return match.group(1)


def seed_records(app: Flask, partnership: PartnershipRec) -> None:
    """At least one record of every kind a workspace route takes by id, for the route walk: every
    installed area's ``test_seed``, in the registry's order, as the partnership's coordinator."""
    from partnership_hub import areas

    with app.app_context():
        ctx = workspaces.context_for(partnership.id, partnership.members["coordinator"].id)
        for area in areas.installed():
            if area.test_seed:
                areas.resolve(area.test_seed)(ctx)
                db.session.flush()
        db.session.commit()


def seat_on_board(app: Flask, partnership: PartnershipRec, *roles: str, chair: str | None = None) -> None:
    """Seat the members with these roles (keys of ``partnership.members``) on the survivor advisory
    board through the real service; ``chair`` names the one who chairs it. A seat is what admits
    someone to ``advisory`` records (a role alone admits nobody)."""
    from partnership_hub.advisory import board

    with app.app_context():
        ctx = workspaces.context_for(partnership.id, partnership.members["coordinator"].id)
        board.ensure_default_roles(ctx)
        by_name = {role.name: role.id for role in board.roles(ctx)}
        for key in roles:
            membership_id = partnership.membership_ids[key]
            seat = {"membership_id": str(membership_id), "role_id": str(by_name["Advisor"]), "is_chair": key == chair}
            board.seat_member(ctx, seat)
        db.session.commit()


# --- the member directory -----------------------------------------------------------------------


def create_organization(app: Flask, partnership: PartnershipRec, name: str | None = None, **fields) -> int:
    """An organization made through the real service (``sectors``, ``ps``... as keyword arguments)."""
    from partnership_hub.members import services as members

    with app.app_context():
        ctx = workspaces.context_for(partnership.id, partnership.members["coordinator"].id)
        organization = members.create_organization(
            ctx, members.OrganizationData(name=name or f"Organization {next(_seq)}", **fields)
        )
        db.session.commit()
        return organization.id


def create_custom_sector(app: Flask, partnership: PartnershipRec, name: str | None = None, parent_key=None) -> int:
    from partnership_hub.members import services as members

    with app.app_context():
        ctx = workspaces.context_for(partnership.id, partnership.members["coordinator"].id)
        custom = members.create_custom_sector(
            ctx, members.CustomSectorData(name=name or f"Custom sector {next(_seq)}", parent_key=parent_key)
        )
        db.session.commit()
        return custom.id


def seed_directory(app: Flask, partnership: PartnershipRec) -> None:
    """The members area's route-walk records (``members.testing.seed_for_tests``) in ``partnership``:
    an organization in a toolkit and a custom sector with a member and a contact representative, a
    custom sector and a linked network."""
    from partnership_hub.members.testing import seed_for_tests

    with app.app_context():
        seed_for_tests(workspaces.context_for(partnership.id, partnership.members["coordinator"].id))
        db.session.commit()
