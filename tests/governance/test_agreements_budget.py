"""The agreements pages cost the same number of statements for 3 agreements as for 300, and render a
bounded number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.governance.agreements import PAGE_SIZE
from partnership_hub.governance.agreements_models import AgreementStatus, SharingAgreement, SharingAgreementParty
from partnership_hub.members.models import Organization, name_key
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, assert_fixed_cost, statements_for
from tests.factories import create_partnership, create_user, sign_in


def grow(app, partnership, size: int) -> int:
    """``size`` agreements (active, expiring, expired, drafts) between organizations; the last one's id."""
    with app.app_context():
        today = context_for(partnership.id).today()
        bind_tenant(db.session, partnership.id)
        organizations = [
            Organization(name=f"Org {n}", name_key=name_key(f"Org {n}")) for n in range(max(3, size // 10))
        ]
        db.session.add_all(organizations)
        db.session.flush()
        rows = [
            SharingAgreement(
                title=f"Agreement {n}",
                status=AgreementStatus.DRAFT if n % 4 == 3 else AgreementStatus.ACTIVE,
                signed_on=today - timedelta(days=400),
                expires_on=today + timedelta(days=(n % 3 - 1) * 30 + 1),  # expired, expiring, later
                signatories="A, B\nC, D",
            )
            for n in range(size)
        ]
        db.session.add_all(rows)
        db.session.flush()
        db.session.add_all(
            SharingAgreementParty(agreement_id=row.id, organization_id=organizations[(n + k) % len(organizations)].id)
            for n, row in enumerate(rows)
            for k in range(3)
        )
        db.session.commit()
        return rows[-1].id


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
        "/governance/agreements",
        "/governance/agreements?status=expiring",
        "/governance/agreements?status=expired&organization=1",
        "/governance/agreements?page=99",
        "/governance/agreements.csv",
        "/governance",
        "/",
    ],
)
def test_agreement_pages_cost_the_same_for_3_and_for_300(app, sizes, path):
    small, large, _small_id, _large_id = sizes
    assert_fixed_cost(app, small, large, path)


def test_the_detail_and_edit_pages_cost_the_same(app, sizes):
    small, large, small_id, large_id = sizes
    for suffix in ("", "/edit"):
        counts = (
            statements_for(app, small, f"/governance/agreements/{small_id}{suffix}"),
            statements_for(app, large, f"/governance/agreements/{large_id}{suffix}"),
        )
        assert counts[0] == counts[1] <= BUDGET, (suffix, counts)


def test_the_list_renders_one_page_and_a_capped_count(app, sizes):
    _small, large, _small_id, _large_id = sizes
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    page = client.get(f"/p/{large.slug}/governance/agreements").text
    assert page.count('class="card agreement-card') == PAGE_SIZE
    assert "300" in page or "100+" in page or "+" in page  # a count, capped or not, never every row
    picker = page.split('id="organization"', 1)[1].split("</select>", 1)[0]
    assert picker.count("<option") <= 22  # "Any organization", a page of matches and "more"
