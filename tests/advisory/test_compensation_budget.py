"""The compensation pages cost the same number of statements for a handful of payments as for hundreds
(people, rates, legal names and years of payments included), and render a bounded number of rows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from partnership_hub.advisory import board, compensation
from partnership_hub.advisory.compensation_models import (
    AdvisorPayment,
    AdvisoryRate,
    PaymentMethod,
    PaymentStatus,
    RateKind,
)
from partnership_hub.advisory.safety_models import AdvisorProfile
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Role
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, assert_fixed_cost, counting
from tests.factories import PartnershipRec, add_member, create_partnership, create_user, sign_in


def grow(app, partnership: PartnershipRec, people: int, size: int) -> dict[str, int]:
    """``people`` survivor advisors (the first few on the board, half with a legal name, half with their
    own rate), the board's role rates, and ``size`` payments over three years in two currencies, owed
    and paid. Returns ids for the pages that take one."""
    member_ids = [
        add_member(app, partnership, create_user(app), Role.SURVIVOR_ADVISOR, f"advisor{n}") for n in range(people)
    ]
    partnership.members["survivor_advisor"] = partnership.members["advisor0"]
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        today = ctx.today()
        board.seed_board(ctx, [(mid, "Advisor", n == 0) for n, mid in enumerate(member_ids[:5])])
        roles = {role.name: role.id for role in board.roles(ctx)}
        db.session.add(AdvisoryRate(role_id=roles["Advisor"], kind=RateKind.HOURLY, amount=Decimal(50), currency="USD",
                                    effective_from=date(2024, 1, 1)))  # fmt: skip
        db.session.add_all(
            AdvisoryRate(
                membership_id=mid,
                kind=RateKind.PER_MEETING,
                amount=Decimal(75),
                currency="EUR",
                effective_from=date(2025, 1, 1),
            )  # fmt: skip
            for mid in member_ids[::2]
        )
        db.session.add_all(AdvisorProfile(membership_id=mid, legal_name=f"Legal {mid}") for mid in member_ids[1::2])
        rows = [
            AdvisorPayment(
                membership_id=member_ids[n % people],
                payee_name=f"Person {n}",
                for_what=f"Work {n}",
                work_date=today - timedelta(days=n * 1000 // max(size, 1)),
                amount=Decimal(n + 1),
                currency="EUR" if n % 5 == 0 else "USD",
                method=PaymentMethod.BANK_TRANSFER,
                status=PaymentStatus.PAID if n % 3 else PaymentStatus.OWED,
                paid_on=today if n % 3 else None,
            )
            for n in range(size)
        ]
        db.session.add_all(rows)
        db.session.commit()
        rate_id = db.session.scalar(select(AdvisoryRate.id).where(AdvisoryRate.role_id == roles["Advisor"]))
        return {"payment": rows[-1].id, "rate": rate_id, "person": member_ids[1]}


def _sizes(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    return small, large, grow(app, small, 2, 3), grow(app, large, 40, 400)


@pytest.fixture
def sizes(keep):
    return keep(_sizes)


@pytest.mark.parametrize(
    "path",
    [
        "/advisory/compensation",
        "/advisory/compensation?year=all&by=quarter",
        "/advisory/compensation?by=year&status=owed",
        "/advisory/compensation?page=99",
        "/advisory/compensation/payments.csv",
        "/advisory/compensation/payments.csv?year=all",
        "/advisory/compensation/rates",
        "/advisory/compensation/payments/new",
        "/advisory/compensation/pick/people?field=person&person__q=a",
        "/advisory",
    ],
)
def test_compensation_pages_cost_the_same_for_3_payments_and_for_400(app, sizes, path):
    small, large, _small_ids, _large_ids = sizes
    assert_fixed_cost(app, small, large, path)


@pytest.mark.parametrize(
    "path",
    [
        "/advisory/compensation?person={person}",
        "/advisory/compensation/payments/{payment}",
        "/advisory/compensation/rates/{rate}/edit",
        "/advisory/compensation/payments.csv?person={person}",
    ],
)
def test_pages_about_one_record_or_person_cost_the_same(app, sizes, path):
    small, large, small_ids, large_ids = sizes
    counts = (
        statements_as(app, small, "coordinator", path.format(**small_ids)),
        statements_as(app, large, "coordinator", path.format(**large_ids)),
    )
    assert counts[0] == counts[1] <= BUDGET, counts


@pytest.mark.parametrize("path", ["/advisory/compensation", "/advisory/compensation?year=all&by=year"])
def test_an_advisors_own_record_costs_the_same(app, sizes, path):
    small, large, _small_ids, _large_ids = sizes
    counts = (statements_as(app, small, "advisor1", path), statements_as(app, large, "advisor1", path))
    assert counts[0] == counts[1] <= BUDGET, counts


def statements_as(app, partnership: PartnershipRec, key: str, path: str) -> int:
    client = app.test_client()
    sign_in(client, app, partnership.members[key])
    client.get(f"/p/{partnership.slug}{path}")  # warm-up
    with counting(app) as statements:
        response = client.get(f"/p/{partnership.slug}{path}")
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)


def test_the_page_renders_one_page_of_payments_and_a_bounded_picker(app, sizes):
    _small, large, _small_ids, _large_ids = sizes
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    page = client.get(f"/p/{large.slug}/advisory/compensation?year=all").text
    log = page.split('id="payments-heading"', 1)[1]
    assert log.count('data-label="Day of the work"') == compensation.PAGE_SIZE
    picker = page.split('id="person"', 1)[1].split("</select>", 1)[0]
    assert picker.count("<option") <= 22  # "Everyone", a page of matches and "more"
    people = page.split('id="people-heading"', 1)[1].split("</table>", 1)[0]
    assert people.count("<tr>") <= compensation.PEOPLE_LIMIT + 1
