"""The confidentiality framework's pages cost the same number of statements for 3 organizations as for
300 (with their reporting rows, representatives and a written framework), and the list renders one page
with a capped count."""

from __future__ import annotations

import pytest

from partnership_hub import toolkit
from partnership_hub.advisory import framework
from partnership_hub.advisory.framework_models import OrganizationReporting, ReporterStatus
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.members.models import Organization, Representative, name_key
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, assert_fixed_cost, statements_for
from tests.factories import create_partnership, create_user, sign_in


def grow(app, partnership, size: int) -> int:
    """``size`` organizations, two in three with a reporting row, every fifth represented by the
    coordinator; the practices written and the checklist done. Returns the first organization's id."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        organizations = [Organization(name=f"Org {n:04}", name_key=name_key(f"Org {n:04}")) for n in range(size)]
        db.session.add_all(organizations)
        db.session.flush()
        statuses = (ReporterStatus.YES, ReporterStatus.UNSURE, None)
        db.session.add_all(
            OrganizationReporting(
                organization_id=org.id,
                is_mandatory_reporter=statuses[n % 3],
                reports_for="child abuse" if statuses[n % 3] == ReporterStatus.YES else "",
                updated_at=utcnow(),
                updated_by_membership_id=partnership.membership_ids["coordinator"],
            )
            for n, org in enumerate(organizations)
            if statuses[n % 3] is not None
        )
        db.session.add_all(
            Representative(organization_id=org.id, membership_id=partnership.membership_ids["coordinator"])
            for org in organizations[::5]
        )
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        framework.save_practices(ctx, {"consent": "Written consent.", "privacy": "No names.", "revision": "0"})
        framework.review_federal_rules(
            ctx, {f"{rule.key}_status": "addressed" for rule in toolkit.FEDERAL_CONFIDENTIALITY_RULES}
        )
        db.session.commit()
        return organizations[0].id


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
        "/advisory/framework",
        "/advisory/framework/practices",
        "/advisory/framework/federal-rules",
        "/advisory/framework/organizations",
        "/advisory/framework/organizations?status=yes",
        "/advisory/framework/organizations?status=not_recorded&q=org",
        "/advisory/framework/organizations?mine=1",
        "/advisory/framework/organizations?page=99",
        "/setup",
    ],
)
def test_framework_pages_cost_the_same_for_3_and_for_300(app, sizes, path):
    small, large, _small_id, _large_id = sizes
    assert_fixed_cost(app, small, large, path)


def test_an_organizations_page_costs_the_same(app, sizes):
    small, large, small_id, large_id = sizes
    counts = (
        statements_for(app, small, f"/advisory/framework/organizations/{small_id}"),
        statements_for(app, large, f"/advisory/framework/organizations/{large_id}"),
    )
    assert counts[0] == counts[1] <= BUDGET, counts


def test_the_list_renders_one_page_and_the_count(app, sizes):
    _small, large, _small_id, _large_id = sizes
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    page = client.get(f"/p/{large.slug}/advisory/framework/organizations").text
    assert page.count('<th scope="row">') == framework.PAGE_SIZE
    assert "300" in page and 'aria-label="Pages of organizations"' in page
    home = client.get(f"/p/{large.slug}/advisory/framework").text
    assert "<strong>100</strong>" in home and "of 300 not recorded" in home
