"""The guidelines pages cost the same number of statements for 3 members, versions and acknowledgements as
for 300, and the lists render a bounded number of rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from partnership_hub.accounts.models import User
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.governance.guidelines import PAGE_SIZE
from partnership_hub.governance.guidelines_models import GuidelineAcknowledgement, GuidelineDocument, GuidelineVersion
from partnership_hub.workspaces.models import Membership, Role
from tests.budget import BUDGET, statements_for
from tests.factories import create_partnership, create_user, sign_in


def grow(app, partnership, size: int) -> tuple[int, int]:
    """``size`` members (an observer every fifth), ``size`` published versions of both documents and a
    draft of each, half the members acknowledging the current versions; (guidelines id, its first version)."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        users = [
            User(email=f"m{partnership.id}-{n}@example.org", name=f"Member {n:04d}", password_hash="-")
            for n in range(size)
        ]
        db.session.add_all(users)
        db.session.flush()
        members = [
            Membership(user_id=user.id, role=Role.OBSERVER if n % 5 == 4 else Role.MEMBER, sort_name=user.name.lower())
            for n, user in enumerate(users)
        ]
        db.session.add_all(members)
        found = {}
        for kind in ("agreement", "guidelines"):
            document = GuidelineDocument(kind=kind, current_number=size)
            db.session.add(document)
            db.session.flush()
            rows = [
                GuidelineVersion(
                    document_id=document.id,
                    number=n + 1,
                    published_at=utcnow(),
                    member_input=f"Version {n + 1}: members come prepared.\n\n- read the papers",
                    meeting_every_weeks=n % 52 + 1,
                    dispute_resolution="Talk first." * (n % 3 + 1),
                )
                for n in range(size)
            ]
            rows.append(GuidelineVersion(document_id=document.id, member_input="Draft"))
            db.session.add_all(rows)
            db.session.flush()
            db.session.add_all(
                GuidelineAcknowledgement(version_id=rows[size - 1].id, membership_id=m.id) for m in members[::2]
            )
            found[kind] = (document.id, rows[0].id)
        db.session.commit()
        return found["guidelines"]


def _sizes(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    return small, large, grow(app, small, 3), grow(app, large, 300)


@pytest.fixture
def sizes(keep):
    return keep(_sizes)


PAGES = [
    "/governance",
    "/governance/guidelines",
    "/governance/guidelines/{doc}",
    "/governance/guidelines/{doc}/history",
    "/governance/guidelines/{doc}/changes",
    "/governance/guidelines/{doc}/changes?from=1&to=2",
    "/governance/guidelines/{doc}/pending",
    "/governance/guidelines/{doc}/draft",
    "/governance/guidelines/versions/{version}",
    "/",
]


@pytest.mark.parametrize("path", PAGES)
def test_guidelines_pages_cost_the_same_for_3_and_for_300(app, sizes, path):
    small, large, (small_doc, small_version), (large_doc, large_version) = sizes
    counts = {
        "small": statements_for(app, small, path.format(doc=small_doc, version=small_version)),
        "large": statements_for(app, large, path.format(doc=large_doc, version=large_version)),
    }
    assert counts["small"] == counts["large"], counts
    assert counts["large"] <= BUDGET, counts


def test_lists_render_a_bounded_number_of_rows(app, sizes):
    _, large, _, (doc, _) = sizes
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    history = client.get(f"/p/{large.slug}/governance/guidelines/{doc}/history").text
    assert history.count('class="badge badge-success">Current') == 1
    assert history.count("/governance/guidelines/versions/") == PAGE_SIZE + 1  # and the draft
    pending = client.get(f"/p/{large.slug}/governance/guidelines/{doc}/pending").text
    listed = pending.split('class="guideline-pending"')[1].split("</ul>")[0]
    assert listed.count("<li>") == PAGE_SIZE
    with app.app_context():
        bind_tenant(db.session, large.id)
        assert db.session.scalar(select(GuidelineDocument.current_number).where(GuidelineDocument.id == doc)) == 300


def test_a_later_page_costs_the_same_as_the_first(app, sizes):
    _, large, _, (doc, _) = sizes
    first = statements_for(app, large, f"/governance/guidelines/{doc}/history")
    later = statements_for(app, large, f"/governance/guidelines/{doc}/history?page=3")
    pending = statements_for(app, large, f"/governance/guidelines/{doc}/pending?page=3")
    assert first == later <= BUDGET and pending <= BUDGET, (first, later, pending)
