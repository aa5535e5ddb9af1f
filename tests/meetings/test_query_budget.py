"""The meetings pages cost the same number of statements for 1 meeting as for 200, and render a
bounded number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings.models import Meeting, MeetingKind
from partnership_hub.meetings.services import PAGE_SIZE
from tests.budget import BUDGET, assert_fixed_cost, statements_for
from tests.factories import create_partnership, create_user, sign_in


def grow(app, partnership, size: int) -> int:
    """``size`` meetings, half past and half upcoming, some advisory; returns the first one's id."""
    now = utcnow()
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        meetings = [
            Meeting(
                title=f"Meeting {n}",
                kind=MeetingKind.ADVISORY_BOARD if n % 5 == 0 else MeetingKind.FULL_PARTNERSHIP,
                starts_at=now + timedelta(days=n - size // 2, hours=1),
                ends_at=now + timedelta(days=n - size // 2, hours=2),
                time_zone="UTC",
                confidentiality="advisory" if n % 5 == 0 else "workspace",
                facilitator_membership_id=partnership.membership_ids["coordinator"],
            )
            for n in range(size)
        ]
        db.session.add_all(meetings)
        db.session.commit()
        return meetings[0].id


@pytest.mark.parametrize("path", ["/meetings", "/meetings?kind=advisory_board", "/meetings?page=99", "/meetings/new"])
def test_meeting_pages_cost_the_same_for_1_and_for_200_meetings(app, path):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 1)
    grow(app, large, 200)

    assert_fixed_cost(app, small, large, path)


def test_the_meeting_page_costs_the_same_for_1_and_for_200_meetings(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    counts = {
        "small": statements_for(app, small, f"/meetings/{grow(app, small, 1)}"),
        "large": statements_for(app, large, f"/meetings/{grow(app, large, 200)}"),
    }
    assert counts["small"] == counts["large"] <= BUDGET, counts
    edit = {
        "small": statements_for(app, small, f"/meetings/{grow(app, small, 1)}/edit"),
        "large": statements_for(app, large, f"/meetings/{grow(app, large, 1)}/edit"),
    }
    assert edit["small"] == edit["large"] <= BUDGET, edit


def test_the_list_renders_one_page_of_meetings_at_any_size(app):
    large = create_partnership(app, create_user(app), "Large")
    grow(app, large, 200)
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    html = client.get(f"/p/{large.slug}/meetings").text
    assert html.count('<li class="card">') == PAGE_SIZE
    assert ">Upcoming</h3>" in html and ">Past</h3>" not in html  # 100 upcoming fill the first page
    last = client.get(f"/p/{large.slug}/meetings?page=10").text
    assert last.count('<li class="card">') == PAGE_SIZE and ">Past</h3>" in last
