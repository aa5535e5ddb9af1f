"""The in-kind pages cost the same number of statements for 3 offers and needs as for 300, and render a
bounded number of rows (a page of the list, at most ``MATCHES_SHOWN`` matches, a page of picker options)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.funding.inkind import MATCHES_SHOWN, PAGE_SIZE
from partnership_hub.funding.inkind_models import InkindMatch, InkindNeed, InkindOffer, NeedStatus, OfferStatus
from partnership_hub.members.models import Organization, name_key
from partnership_hub.picking import PICK_LIMIT
from partnership_hub.workspaces.models import Role
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, assert_fixed_cost, statements_for
from tests.factories import add_member, create_partnership, create_user, sign_in

KINDS = ("staff", "student_placement", "skills", "space", "goods")


def grow(app, partnership, size: int) -> tuple[int, int]:
    """``size`` offers and needs from a few organizations and people (an advisor among them), every
    need matched to up to ``MATCHES_SHOWN + 5`` offers and the first offer to as many needs. Returns the
    first offer's and the first need's ids."""
    add_member(app, partnership, create_user(app), Role.MEMBER, "member")
    add_member(app, partnership, create_user(app), Role.SURVIVOR_ADVISOR, "survivor_advisor")
    people = list(partnership.membership_ids.values())
    with app.app_context():
        today = context_for(partnership.id).today()
        bind_tenant(db.session, partnership.id)
        organizations = [
            Organization(name=f"Org {n}", name_key=name_key(f"Org {n}")) for n in range(max(3, size // 10))
        ]
        db.session.add_all(organizations)
        db.session.flush()
        offers = [
            InkindOffer(
                kind=KINDS[n % 5],
                title=f"Offer {n}",
                description="What is offered. " * 20,
                hours=Decimal(n % 50) if n % 3 else None,
                quantity="2 rooms, Tuesdays" if n % 2 else "",
                available_from=today,
                available_until=today if n % 4 else None,
                status=list(OfferStatus)[n % 5],
                organization_id=organizations[n % len(organizations)].id if n % 3 else None,
                used_by_organization_id=organizations[(n + 1) % len(organizations)].id if n % 5 == 2 else None,
                offered_by_membership_id=people[n % len(people)],
                author_membership_id=people[(n + 1) % len(people)],
            )
            for n in range(size)
        ]
        needs = [
            InkindNeed(
                title=f"Need {n}",
                details="What is needed. " * 20,
                kind=KINDS[n % 5] if n % 4 else None,
                needed_by=today if n % 2 else None,
                status=list(NeedStatus)[n % 3],
                posted_by_membership_id=people[n % len(people)],
            )
            for n in range(size)
        ]
        db.session.add_all([*offers, *needs])
        db.session.flush()
        pairs = {(offers[0].id, need.id) for need in needs[: MATCHES_SHOWN + 5]}
        pairs |= {(offer.id, needs[0].id) for offer in offers[: MATCHES_SHOWN + 5]}
        pairs |= {(offers[n].id, needs[n].id) for n in range(size)}
        db.session.add_all(
            InkindMatch(offer_id=offer_id, need_id=need_id, note="Tuesdays", matched_by_membership_id=people[0])
            for offer_id, need_id in sorted(pairs)
        )
        db.session.commit()
        return offers[0].id, needs[0].id


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
        "/funding/in-kind",
        "/funding/in-kind?kind=space",
        "/funding/in-kind?status=available&q=Offer",
        "/funding/in-kind?page=99",
        "/funding/in-kind/needs",
        "/funding/in-kind/needs?status=open&kind=skills&q=need",
        "/funding/in-kind/needs?page=99",
        "/funding/in-kind/offers/new",
        "/funding/in-kind/needs/new",
    ],
)
def test_in_kind_pages_cost_the_same_for_3_and_for_300(app, sizes, path):
    small, large, _small_ids, _large_ids = sizes
    assert_fixed_cost(app, small, large, path)


@pytest.mark.parametrize(
    "suffix",
    [
        "/offers/{offer}",
        "/offers/{offer}/edit",
        "/needs/{need}",
        "/needs/{need}/edit",
        "/pick/offers?field=offer_id&offer_id__q=Offer&need={need}",
        "/pick/offers?field=offer_id&offer_id={offer}",
    ],
)
def test_the_record_pages_and_the_picker_cost_the_same(app, sizes, suffix):
    small, large, (small_offer, small_need), (large_offer, large_need) = sizes
    counts = (
        statements_for(app, small, "/funding/in-kind" + suffix.format(offer=small_offer, need=small_need)),
        statements_for(app, large, "/funding/in-kind" + suffix.format(offer=large_offer, need=large_need)),
    )
    assert counts[0] == counts[1] <= BUDGET, (suffix, counts)


def test_pages_render_a_bounded_number_of_rows(app, sizes):
    _small, large, _small_ids, (offer_id, need_id) = sizes
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    base = f"/p/{large.slug}/funding/in-kind"
    for path in ("", "/needs"):
        page = client.get(base + path).text
        assert page.split("<tbody>", 1)[1].count("<tr>") == PAGE_SIZE, path
        assert "300" in page  # the total, counted (capped at 1,000+)
        assert "(60 available)" in page and "(100 open)" in page  # the tabs' counts (capped at 100+)
    for path in (f"/offers/{offer_id}", f"/needs/{need_id}"):
        page = client.get(base + path).text
        assert page.count('<li class="card">') == MATCHES_SHOWN, path
        assert f"Only the first {MATCHES_SHOWN} are shown." in page
    picker = client.get(f"{base}/needs/{need_id}").text.split('id="offer_id"', 1)[1].split("</select>", 1)[0]
    assert picker.count("<option") <= PICK_LIMIT + 2  # "Choose an offer", a page of matches and "more"
