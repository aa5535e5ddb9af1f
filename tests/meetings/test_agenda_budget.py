"""The agenda costs the meeting page the same number of statements for 1 item as for 200 (with
comments on each), and renders a bounded number of items and comments."""

from __future__ import annotations

from datetime import timedelta

from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings.agenda import COMMENTS_SHOWN, SHOWN_ON_PAGE
from partnership_hub.meetings.models import AgendaComment, AgendaItem, Meeting, MeetingKind
from tests.budget import BUDGET, statements_for
from tests.factories import create_partnership, create_user, sign_in


def meeting_with_agenda(app, partnership, size: int) -> int:
    """An upcoming meeting with ``size`` agenda items (a few proposed), five comments on each."""
    now = utcnow()
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        me = partnership.membership_ids["coordinator"]
        meeting = Meeting(
            title="Budgeted meeting",
            kind=MeetingKind.FULL_PARTNERSHIP,
            starts_at=now + timedelta(days=3),
            ends_at=now + timedelta(days=3, hours=1),
            time_zone="UTC",
            facilitator_membership_id=me,
        )
        db.session.add(meeting)
        db.session.flush()
        items = [
            AgendaItem(
                meeting_id=meeting.id,
                position=n + 1,
                title=f"Item {n}",
                presenter_membership_id=me,
                minutes_allotted=5,
                status="proposed" if n % 10 == 9 else "accepted",
                proposed_by_membership_id=me,
            )
            for n in range(size)
        ]
        db.session.add_all(items)
        db.session.flush()
        db.session.add_all(
            AgendaComment(agenda_item_id=item.id, author_membership_id=me, body=f"Comment {k}")
            for item in items
            for k in range(5)
        )
        db.session.commit()
        return meeting.id


def test_the_meeting_page_and_the_agenda_pages_cost_the_same_for_1_and_200_items(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    ids = {"small": meeting_with_agenda(app, small, 1), "large": meeting_with_agenda(app, large, 200)}
    for suffix in ("", "/agenda", "/agenda/print"):
        counts = {
            "small": statements_for(app, small, f"/meetings/{ids['small']}{suffix}"),
            "large": statements_for(app, large, f"/meetings/{ids['large']}{suffix}"),
        }
        assert counts["small"] == counts["large"] <= BUDGET, (suffix, counts)


def test_the_meeting_page_renders_a_bounded_agenda(app):
    large = create_partnership(app, create_user(app), "Large")
    meeting_id = meeting_with_agenda(app, large, 200)
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    html = client.get(f"/p/{large.slug}/meetings/{meeting_id}").text
    assert html.count('<li class="agenda-item') == SHOWN_ON_PAGE
    assert html.count('class="agenda-comment-body"') == SHOWN_ON_PAGE * COMMENTS_SHOWN
    assert "5 comments, the latest 3 shown" in html
    assert f"Showing the first {SHOWN_ON_PAGE} of 200 items" in html
    assert f"{180 * 5} of 60 minutes allotted" in html
    whole = client.get(f"/p/{large.slug}/meetings/{meeting_id}/agenda").text
    assert whole.count('<li class="agenda-item') == 200
