"""The consent pages cost the same number of statements for 3 consents as for 300 (with their uses), for a
coordinator and for the advisor, and render a bounded number of rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from partnership_hub.advisory.consent import PAGE_SIZE
from partnership_hub.advisory.consent_models import ConsentUse, StoryConsent
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Role
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, assert_fixed_cost, counting, statements_for
from tests.factories import add_member, create_partnership, create_user, sign_in


def grow(app, partnership, size: int) -> int:
    """``size`` consents of the partnership's survivor advisor (active, ended, withdrawn), two uses each;
    the last one's id."""
    advisor = add_member(app, partnership, create_user(app), Role.SURVIVOR_ADVISOR)
    with app.app_context():
        today = context_for(partnership.id).today()
        bind_tenant(db.session, partnership.id)
        rows = [
            StoryConsent(
                membership_id=advisor,
                shares_story=True,
                shares_name=n % 2 == 0,
                purpose=f"Use {n}",
                starts_on=today - timedelta(days=100),
                ends_on=today - timedelta(days=1) if n % 3 == 1 else None,
                withdrawn_at=datetime(2026, 1, 1, tzinfo=UTC) if n % 3 == 2 else None,
                recorded_by_membership_id=partnership.membership_ids["coordinator"] if n % 2 else advisor,
            )
            for n in range(size)
        ]
        db.session.add_all(rows)
        db.session.flush()
        db.session.add_all(
            ConsentUse(consent_id=row.id, title=f"Place {n}-{k}", uses_story=True, added_by_membership_id=advisor)
            for n, row in enumerate(rows)
            for k in range(2)
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


PAGES = [
    "/advisory/consent",
    "/advisory/consent?status=withdrawn",
    "/advisory/consent?status=active&page=99",
    "/advisory/consent/new",
    "/advisory/consent/uses",
    "/advisory/consent/uses?show=takedown",
    "/advisory/consent/pick/advisors?field=membership_id&membership_id__q=person",
    "/advisory",
    "/",
]


@pytest.mark.parametrize("path", PAGES)
def test_consent_pages_cost_the_same_for_3_and_for_300(app, sizes, path):
    small, large, _small_id, _large_id = sizes
    assert_fixed_cost(app, small, large, path)


def test_the_consent_page_costs_the_same(app, sizes):
    small, large, small_id, large_id = sizes
    counts = (
        statements_for(app, small, f"/advisory/consent/{small_id}"),
        statements_for(app, large, f"/advisory/consent/{large_id}"),
    )
    assert counts[0] == counts[1] <= BUDGET, counts


def advisor_statements(app, partnership, path: str) -> int:
    client = app.test_client()
    sign_in(client, app, partnership.members["survivor_advisor"])
    client.get(f"/p/{partnership.slug}{path}")
    with counting(app) as statements:
        response = client.get(f"/p/{partnership.slug}{path}")
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)


@pytest.mark.parametrize("path", ["/advisory/consent", "/advisory/consent/uses", "/advisory/consent/new", "/advisory"])
def test_the_advisors_pages_cost_the_same(app, sizes, path):
    small, large, _small_id, _large_id = sizes
    counts = (advisor_statements(app, small, path), advisor_statements(app, large, path))
    assert counts[0] == counts[1] <= BUDGET, (path, counts)


def test_the_advisors_consent_page_costs_the_same(app, sizes):
    small, large, small_id, large_id = sizes
    counts = (
        advisor_statements(app, small, f"/advisory/consent/{small_id}"),
        advisor_statements(app, large, f"/advisory/consent/{large_id}"),
    )
    assert counts[0] == counts[1] <= BUDGET, counts


def test_the_lists_render_one_page_and_a_count(app, sizes):
    _small, large, _small_id, _large_id = sizes
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    register = client.get(f"/p/{large.slug}/advisory/consent").text
    assert register.count('<td data-label="For what use">') == PAGE_SIZE
    assert ">300<" in register
    uses = client.get(f"/p/{large.slug}/advisory/consent/uses").text
    assert uses.count('<td data-label="Where">') == PAGE_SIZE and ">600<" in uses
    picker = client.get(f"/p/{large.slug}/advisory/consent/new").text
    assert picker.split('id="membership_id"', 1)[1].split("</select>", 1)[0].count("<option") <= 21
