"""Workspace pages run a fixed, small number of SQL queries whatever the size of the partnership."""

from __future__ import annotations

import pytest

from partnership_hub.accounts.models import User
from partnership_hub.audit import services as audit
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Invitation, Membership, Role
from partnership_hub.workspaces.services import context_for
from tests.budget import assert_fixed_cost
from tests.factories import create_partnership, create_user


def grow(app, partnership, size: int) -> None:
    """Add ``size`` members, pending invitations and audit entries in one go."""
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        users = [
            User(name=f"Member {n}", email=f"bulk{partnership.id}-{n}@example.org", password_hash="x")
            for n in range(size)
        ]
        db.session.add_all(users)
        db.session.flush()
        bind_tenant(db.session, partnership.id)
        roles = list(Role)
        db.session.add_all(Membership(user_id=u.id, role=roles[n % len(roles)]) for n, u in enumerate(users))
        db.session.add_all(
            Invitation(
                email=f"invitee{n}@example.org",
                role=Role.MEMBER,
                token_hash=f"{partnership.id}-{n}",
                invited_by_id=ctx.user.id,
                expires_at=utcnow(),
                last_sent_at=utcnow(),
            )
            for n in range(size)
        )
        for n in range(size):
            audit.record(ctx, "member.joined", "membership", n)
        db.session.commit()


@pytest.mark.parametrize("path", ["/", "/people", "/activity", "/setup"])
def test_workspace_pages_cost_the_same_for_5_and_for_200_records(app, path):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 5)
    grow(app, large, 200)

    assert_fixed_cost(app, small, large, path)
