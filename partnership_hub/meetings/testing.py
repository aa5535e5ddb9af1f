"""One record of every kind this area's routes take by id, for the route-walking test
(``Area.test_seed``): a meeting (the first of a short series), an agenda item with a comment, an
invitee, a decision and a calendar feed, so routes the later meeting sections add are walked too.
Never used by the product itself."""

from __future__ import annotations

import hashlib
from datetime import time, timedelta

from partnership_hub.context import WorkspaceContext
from partnership_hub.extensions import db
from partnership_hub.meetings import services
from partnership_hub.meetings.models import (
    AgendaComment,
    AgendaItem,
    CalendarFeed,
    Decision,
    MeetingInvitee,
    MeetingKind,
    MinutesRevision,
)


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """A monthly meeting (three occurrences) facilitated by the acting coordinator, with one of each
    record that hangs off a meeting."""
    assert ctx.membership is not None, "seeded as the partnership's coordinator"
    me = ctx.membership.id
    request = services.ScheduleRequest(
        "Seeded meeting",
        MeetingKind.FULL_PARTNERSHIP,
        ctx.today() + timedelta(days=7),
        time(10, 0),
        time(11, 30),
        location="Community room",
        facilitator_membership_id=me,
        note_taker_membership_id=me,
        repeat="monthly_by_date",
        repeat_count="3",
    )
    meeting = services.schedule_meeting(ctx, request.data())
    item = AgendaItem(meeting_id=meeting.id, position=1, title="Seeded agenda item", presenter_membership_id=me)
    db.session.add(item)
    db.session.flush()
    db.session.add_all(
        [
            AgendaComment(agenda_item_id=item.id, author_membership_id=me, body="Seeded comment"),
            MeetingInvitee(meeting_id=meeting.id, membership_id=me),
            Decision(
                meeting_id=meeting.id, agenda_item_id=item.id, text="Seeded decision", recorded_by_membership_id=me
            ),
            CalendarFeed(membership_id=me, token_hash=hashlib.sha256(f"seed-{me}".encode()).hexdigest()),
            MinutesRevision(meeting_id=meeting.id, body_md="Seeded minutes", author_membership_id=me),
        ]
    )
