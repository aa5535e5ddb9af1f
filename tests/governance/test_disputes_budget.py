"""The dispute log's pages cost the same number of statements for 3 disputes (and timeline entries)
as for 300, within the budget, and render a bounded number of rows."""

from __future__ import annotations

from datetime import date

import pytest

from partnership_hub.confidentiality import ConfidentialGrant, Level
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.governance.disputes import LOG_PAGE_SIZE, TIMELINE_PAGE_SIZE
from partnership_hub.governance.disputes_models import (
    Dispute,
    DisputeEntry,
    DisputeKind,
    DisputeMember,
    DisputeOrganization,
)
from partnership_hub.workspaces.models import Role
from tests.budget import BUDGET, statements_for
from tests.factories import add_member, create_organization, create_partnership, create_user


def grow(app, partnership, size: int) -> int:
    """``size`` disputes, each with two organizations, a member party and a grant; the last one has
    ``size`` timeline entries. Returns the last dispute's id."""
    organizations = [create_organization(app, partnership) for _ in range(2)]
    member = add_member(app, partnership, create_user(app), Role.MEMBER)
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = [
            Dispute(
                title=f"Dispute {n}",
                kind=DisputeKind.PRIORITY,
                opened_on=date(2026, 1, 1),
                handler_membership_id=member,
                confidentiality=Level.LEADERSHIP,
            )
            for n in range(size)
        ]
        db.session.add_all(found)
        db.session.flush()
        for dispute in found:
            db.session.add_all(DisputeOrganization(dispute_id=dispute.id, organization_id=o) for o in organizations)
            db.session.add(DisputeMember(dispute_id=dispute.id, membership_id=member))
            db.session.add(ConfidentialGrant(record_kind="dispute", record_id=dispute.id, membership_id=member))
        last = found[-1].id
        db.session.add_all(
            DisputeEntry(dispute_id=last, happened_on=date(2026, 1, 1 + n % 28), what_happened=f"Entry {n}")
            for n in range(size)
        )
        db.session.commit()
        return last


def _sized(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    return {"small": (small, grow(app, small, 3)), "large": (large, grow(app, large, 300))}


@pytest.fixture
def sized(keep):
    return keep(_sized)


PATHS = [
    "/governance/disputes",
    "/governance/disputes?q=dispute&status=open",
    "/governance/disputes?page=99",
    "/governance/disputes/{id}",
    "/governance/disputes/{id}?page=99",  # past the end for both: the last page
    "/governance/disputes/{id}/edit",
    "/governance/disputes/{id}/sharing",
    "/governance",
]


@pytest.mark.parametrize("path", PATHS)
def test_dispute_pages_cost_the_same_for_3_and_for_300(app, sized, path):
    counts = {size: statements_for(app, p, path.format(id=last)) for size, (p, last) in sized.items()}
    assert counts["small"] == counts["large"], counts
    assert counts["small"] <= BUDGET, counts


def test_the_pages_render_a_bounded_number_of_rows(app, sized):
    partnership, last = sized["large"]
    client = app.test_client()
    from tests.factories import sign_in

    sign_in(client, app, partnership.members["coordinator"])
    log = client.get(f"/p/{partnership.slug}/governance/disputes").text
    assert log.count('<th scope="row"') == LOG_PAGE_SIZE
    assert "300" in log
    detail = client.get(f"/p/{partnership.slug}/governance/disputes/{last}").text
    assert detail.count('<li id="entry-') == TIMELINE_PAGE_SIZE
