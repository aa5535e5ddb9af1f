"""The safety section's pages, and the pages it hides addresses on, cost the same number of statements for a
few advisors as for many, and the board's "How to reach the board" renders a bounded number of rows."""

from __future__ import annotations

import pytest

from partnership_hub.accounts.models import User
from partnership_hub.advisory import board, safety
from partnership_hub.advisory.safety_models import AdvisorProfile
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.members.models import Representative
from partnership_hub.workspaces.models import Membership, Role
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, assert_fixed_cost, statements_for
from tests.factories import create_organization, create_partnership, create_user, sign_in


def grow(app, partnership, size: int) -> int:
    """``size`` survivor advisors with preferences (every other one allowing no email), the first ``size // 2``
    (and the coordinator) on the board, all of them representatives of one organization; its id."""
    organization_id = create_organization(app, partnership, "Voices Rising")
    with app.app_context():
        users = [
            User(name=f"Advisor {n}", email=f"advisor{partnership.id}-{n}@example.org", password_hash="x")
            for n in range(size)
        ]
        db.session.add_all(users)
        db.session.flush()
        bind_tenant(db.session, partnership.id)
        members = [Membership(user_id=u.id, role=Role.SURVIVOR_ADVISOR) for u in users]
        db.session.add_all(members)
        db.session.flush()
        db.session.add_all(
            AdvisorProfile(
                membership_id=m.id,
                legal_name=f"Legal {n}",
                allow_email=n % 2 == 0,
                allow_text=True,
                phone="+1 303 555 0100",
                safe_times="Mornings",
                safe_mode=n % 3 == 0,
            )
            for n, m in enumerate(members)
        )
        db.session.add_all(Representative(organization_id=organization_id, membership_id=m.id) for m in members)
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        board.ensure_default_roles(ctx)
        advisor_role = next(role.id for role in board.roles(ctx) if role.name == "Advisor")
        coordinator = ctx.membership.id if ctx.membership else None
        for membership_id in [coordinator, *(m.id for m in members[: size // 2])]:
            board.seat_member(ctx, {"membership_id": str(membership_id), "role_id": str(advisor_role)})
        db.session.commit()
    return organization_id


def _sizes(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    return small, large, grow(app, small, 3), grow(app, large, 90)


@pytest.fixture
def sizes(keep):
    return keep(_sizes)


@pytest.mark.parametrize(
    "path", ["/advisory/safety", "/advisory", "/people", "/people?q=advisor", "/organizations.csv"]
)
def test_pages_cost_the_same_for_3_and_for_90_advisors(app, sizes, path):
    small, large, _small_org, _large_org = sizes
    assert_fixed_cost(app, small, large, path)


def test_the_organization_page_costs_the_same(app, sizes):
    small, large, small_org, large_org = sizes
    counts = (
        statements_for(app, small, f"/organizations/{small_org}"),
        statements_for(app, large, f"/organizations/{large_org}"),
    )
    assert counts[0] == counts[1] <= BUDGET, counts


def test_how_to_reach_the_board_renders_a_bounded_number_of_rows(app, sizes):
    _small, large, _small_org, _large_org = sizes
    with app.app_context():
        ctx = context_for(large.id, large.members["coordinator"].id)
        rows = safety.reach_the_board(ctx)
    assert len(rows) == min(46, safety.PANEL_LIMIT)  # the coordinator and 45 advisors sit on it
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    html = client.get(f"/p/{large.slug}/advisory").text
    panel = html.split("How to reach the board", 1)[1].split("</table>", 1)[0]
    assert panel.count("<tr") <= safety.PANEL_LIMIT + 1 and "Legal " not in html
