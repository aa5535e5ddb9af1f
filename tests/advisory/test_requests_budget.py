"""The requests pages cost the same number of statements for a handful of requests as for hundreds, and
render a bounded number of rows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from partnership_hub.advisory.requests import INBOX_PAGE_SIZE, PAGE_SIZE
from partnership_hub.advisory.requests_models import (
    DeliveryStatus,
    ParticipationRequest,
    RequestDelivery,
    RequestKind,
    RequestStatus,
)
from partnership_hub.db import utcnow
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Role
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, assert_fixed_cost, statements_for
from tests.factories import add_member, create_partnership, create_user, seat_on_board, sign_in


def grow(app, partnership, size: int) -> tuple[int, int]:
    """A board (the coordinator and ``size // 10 + 1`` advisors) and ``size`` requests of each side: asked
    by the coordinator, and asked by a member and delivered to the coordinator (pending and answered).
    Returns (one of the coordinator's requests, one that reached the coordinator)."""
    advisors = [f"advisor{n}" for n in range(size // 10 + 1)]
    for key in advisors:
        add_member(app, partnership, create_user(app), Role.SURVIVOR_ADVISOR, key)
    add_member(app, partnership, create_user(app), Role.MEMBER, "member")
    seat_on_board(app, partnership, "coordinator", *advisors, chair="coordinator")
    with app.app_context():
        ctx = context_for(partnership.id)
        now, today = utcnow(), ctx.today()

        def request(n: int, by: str) -> ParticipationRequest:
            return ParticipationRequest(
                kind=list(RequestKind)[n % 5],
                title=f"Request {n}",
                ask="What we would like. " * 20,
                hours=Decimal("1.5"),
                needed_on=today + timedelta(days=n % 30),
                pay_amount=Decimal(100) if n % 2 else None,
                pay_currency="USD" if n % 2 else None,
                advisors_wanted=1 + n % 3,
                status=RequestStatus.OPEN,
                requested_by_membership_id=partnership.membership_ids[by],
            )

        mine = [request(n, "coordinator") for n in range(size)]
        theirs = [request(n, "member") for n in range(size)]
        db.session.add_all(mine + theirs)
        db.session.flush()
        deliveries = []
        for n, row in enumerate(mine):
            for key in advisors[:3]:
                answered = n % 3 == 0
                deliveries.append(
                    RequestDelivery(
                        request_id=row.id,
                        membership_id=partnership.membership_ids[key],
                        status=DeliveryStatus.ACCEPTED if answered else DeliveryStatus.PENDING,
                        answered_at=now if answered else None,
                        note="Happy to." if answered else "",
                    )
                )
        for n, row in enumerate(theirs):
            answered = n % 4 == 0
            deliveries.append(
                RequestDelivery(
                    request_id=row.id,
                    membership_id=partnership.membership_ids["coordinator"],
                    status=DeliveryStatus.DECLINED if answered else DeliveryStatus.PENDING,
                    answered_at=now if answered else None,
                    created_at=now - timedelta(days=n % 60),
                )
            )
        db.session.add_all(deliveries)
        db.session.commit()
        return mine[-1].id, theirs[-1].id


def _sizes(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    return small, large, grow(app, small, 3), grow(app, large, 300)


@pytest.fixture
def sizes(keep):
    return keep(_sizes)


@pytest.mark.parametrize(
    "path",
    [
        "/advisory/requests",
        "/advisory/requests?page=99",
        "/advisory/requests/new",
        "/advisory/requests/inbox",
        "/advisory/requests/inbox?page=99",
        "/advisory/requests/all",
        "/advisory/requests/all?status=open",
        "/advisory",
        "/",
    ],
)
def test_request_pages_cost_the_same_for_a_few_and_for_hundreds(app, sizes, path):
    small, large, _small_ids, _large_ids = sizes
    assert_fixed_cost(app, small, large, path)


def test_a_requests_page_costs_the_same(app, sizes):
    small, large, small_ids, large_ids = sizes
    for index in (0, 1):  # the coordinator's own request, and one that reached them
        counts = (
            statements_for(app, small, f"/advisory/requests/{small_ids[index]}"),
            statements_for(app, large, f"/advisory/requests/{large_ids[index]}"),
        )
        assert counts[0] == counts[1] <= BUDGET, (index, counts)


def test_the_lists_render_one_page(app, sizes):
    _small, large, _small_ids, _large_ids = sizes
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    slug = large.slug
    assert client.get(f"/p/{slug}/advisory/requests").text.count('data-label="Request"') == PAGE_SIZE
    assert client.get(f"/p/{slug}/advisory/requests/all").text.count('data-label="Request"') == PAGE_SIZE
    inbox = client.get(f"/p/{slug}/advisory/requests/inbox").text
    assert inbox.count('name="answer" value="accept"') == INBOX_PAGE_SIZE
