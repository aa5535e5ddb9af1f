"""What a digest says: grouped by meeting and by goal (action items under their goal or meeting), changes in
quick succession merged into one line, the member digest of what concerns the reader, empty sections left
out and no digest at all when there is nothing; the subject, and the one-click unsubscribe link and headers."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from partnership_hub.awareness.models import AwarenessHiddenDay
from partnership_hub.governance.guidelines_models import GuidelineDocument, GuidelineVersion
from partnership_hub.meetings.models import AgendaItem, AgendaItemStatus, MeetingInvitee, Rsvp
from partnership_hub.notifications import notices
from partnership_hub.toolkit import AWARENESS_DAYS
from tests.notifications.digest_helpers import (
    a_tuesday_ahead,
    action,
    add,
    audit,
    digests,
    goal,
    meeting,
    plan,
    prefer,
    sent_for,
)


@pytest.fixture
def now():
    return a_tuesday_ahead()


@pytest.fixture
def scene(app, world, now):
    """A meeting on Thursday with its agenda and answers, a stalled goal with an overdue action item under
    it, an item from the meeting, an item of no goal or meeting; the member changed the agenda four times
    in ten minutes, then once more two hours later."""
    home = world.home
    ids = home.membership_ids
    member_user = home.members["member"].id
    meeting_id = add(app, home, meeting("Full partnership meeting", now + timedelta(days=2), location="Room 4"))
    add(
        app,
        home,
        AgendaItem(meeting_id=meeting_id, position=1, title="Budget review"),
        AgendaItem(meeting_id=meeting_id, position=2, title="Outreach plan"),
        AgendaItem(meeting_id=meeting_id, position=3, title="Idea from a member", status=AgendaItemStatus.PROPOSED),
        MeetingInvitee(meeting_id=meeting_id, membership_id=ids["member"], rsvp=Rsvp.YES),
        MeetingInvitee(meeting_id=meeting_id, membership_id=ids["survivor_advisor"], rsvp=Rsvp.NO),
    )
    goal_id = add(
        app, home, goal("Train 50 first responders", now - timedelta(days=60), owner_membership_id=ids["member"])
    )
    today = now.date()
    add(
        app,
        home,
        action(
            "Book the training venue", today - timedelta(days=2), goal_id=goal_id, assignee_membership_id=ids["member"]
        ),
        action("Send the minutes round", today + timedelta(days=1), meeting_id=meeting_id),
        action("Renew the domain name", today + timedelta(days=3), assignee_membership_id=ids["coordinator"]),
        action("Far away", today + timedelta(days=40), assignee_membership_id=ids["member"]),
    )
    start = now - timedelta(hours=6)
    changes = [start + timedelta(minutes=minute) for minute in (0, 3, 7, 10)] + [start + timedelta(hours=2)]
    add(app, home, *(audit(member_user, "agenda.item_updated", "meeting", meeting_id, at) for at in changes))
    add(app, home, audit(home.members["coordinator"].id, "meeting.updated", "meeting", meeting_id, start))
    return {"meeting_id": meeting_id, "goal_id": goal_id}


def body_of(app, who):
    [message] = digests(app, to=who.email)
    return message


def test_the_coordinators_digest_is_grouped_by_meeting_and_goal(app, world, now, scene):
    assert plan(app, world.home, now) == 1  # only the coordinator: nobody else opted in
    message = body_of(app, world.home.members["coordinator"])
    text = message.text_body
    assert message.subject == "Weekly digest for Front Range Partnership: 1 meeting, 7 items need you"
    meetings, goals, actions = text.index("MEETINGS"), text.index("GOALS"), text.index("ACTION ITEMS")
    assert meetings < goals < actions
    # The meeting's block: when, where, its agenda in order, the proposal, the answers, the item from it.
    block = text[meetings:goals]
    assert "Full partnership meeting" in block and "Room 4" in block
    assert block.index("1. Budget review") < block.index("2. Outreach plan")
    assert "Agenda not published yet" in block
    assert "1 proposed agenda item to review" in block
    assert "Answers: 1 yes, 1 no, 0 maybe" in block
    assert "Send the minutes round" in block
    # The goal's block: stalled, with its overdue item under it; the loose item in its own section.
    block = text[goals:actions]
    assert "Train 50 first responders [Stalled]" in block
    assert "No progress update in 8 weeks" in block
    assert "Book the training venue" in block and "[Overdue]" in block and "Assigned to Member Person" in block
    assert "Renew the domain name" in text[actions:]
    assert "Far away" not in text  # due after the week
    assert text.count("Book the training venue") == 1  # grouped, not listed again flat


def test_changes_in_quick_succession_are_one_line_and_ones_own_are_left_out(app, world, now, scene):
    plan(app, world.home, now)
    text = body_of(app, world.home.members["coordinator"]).text_body
    assert "Member Person changed the agenda (4 changes)" in text
    assert text.count("Member Person changed the agenda") == 2  # the one two hours later stands apart
    assert "changed the meeting" not in text  # the coordinator's own change


def test_the_html_is_a_table_layout_with_inline_styles_and_real_headings(app, world, now, scene):
    plan(app, world.home, now)
    html = body_of(app, world.home.members["coordinator"]).html_body
    assert "<style" not in html and 'role="presentation"' in html
    assert "<h1" in html and html.count("<h2") >= 3
    assert "Member Person changed the agenda (4 changes)" in html
    assert 'style="display:inline-block;' in html and ">Stalled</span>" in html


def test_the_member_digest_is_what_concerns_them(app, world, now, scene):
    ids = world.home.membership_ids
    prefer(app, world.home, ids["member"], digest="weekly", member_digest=True)
    document_id = add(app, world.home, GuidelineDocument(kind="agreement", current_number=1))
    add(app, world.home, GuidelineVersion(document_id=document_id, number=1, published_at=now - timedelta(days=1)))
    assert plan(app, world.home, now) == 2
    message = body_of(app, world.home.members["member"])
    text = message.text_body
    assert message.subject == "Weekly digest for Front Range Partnership: 1 meeting, 3 items need you"
    assert "Here is what concerns you" in text
    assert "Full partnership meeting" in text and "Your answer: Yes" in text
    assert "1. Budget review" in text
    # Their goal (stalled: they own it) with their overdue item under it.
    assert "Train 50 first responders [Stalled]" in text and "owned by you" in text
    assert "Book the training venue" in text and "Assigned to you" in text
    assert "Partnership agreement, version 1" in text
    # Not theirs, or the coordinators' business.
    for absent in ("Renew the domain name", "Answers:", "proposed agenda item", "Agenda not published", "SETUP GUIDE"):
        assert absent not in text
    # Their own changes are no news to them; the coordinator's change is.
    assert "changed the agenda" not in text
    assert "Cora Coordinator changed the meeting" in text
    # The coordinator also acknowledges, and answers their invitation.
    coordinator = body_of(app, world.home.members["coordinator"]).text_body
    assert "Partnership agreement, version 1" in coordinator and "You have not answered yet" in coordinator


def test_a_daily_digest_covers_the_day(app, world, now, scene):
    """Thursday's meeting is not today's: a daily reader gets its changes, not its agenda; an overdue item
    is theirs every day."""
    prefer(app, world.home, world.home.membership_ids["coordinator"], digest="daily")
    plan(app, world.home, now)
    message = body_of(app, world.home.members["coordinator"])
    text = message.text_body
    assert message.subject == "Daily digest for Front Range Partnership: 2 items need you"
    assert "Member Person changed the agenda (4 changes)" in text
    for later in ("1. Budget review", "Answers:", "Agenda not published", "Renew the domain name"):
        assert later not in text
    assert "Book the training venue" in text and "No progress update in 8 weeks" in text
    assert "Send the minutes round" not in text  # due tomorrow


def test_nothing_to_say_means_no_digest_and_the_period_is_marked(app, world):
    """A week with no meetings, work, changes, joiners or awareness days: the setup guide's progress alone is
    not news."""
    later = a_tuesday_ahead() + timedelta(days=28)
    add(app, world.home, *(AwarenessHiddenDay(day_key=day.key) for day in AWARENESS_DAYS))
    assert plan(app, world.home, later) == 0
    assert digests(app) == []
    assert sent_for(app, world.home, world.home.membership_ids["coordinator"]) is not None


def test_the_unsubscribe_link_and_headers(app, world, now, scene, client):
    plan(app, world.home, now)
    message = body_of(app, world.home.members["coordinator"])
    headers = json.loads(message.headers)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    assert f"Stop these digests (one click, no sign-in): {link}" in message.text_body
    assert f'href="{link}"' in message.html_body
    token = urlsplit(link).path.rsplit("/", 1)[1]
    coordinator = world.home.membership_ids["coordinator"]
    with app.app_context():
        assert notices.preferences_link(world.home.slug) in message.text_body
        assert notices.read_unsubscribe_token(token) == (world.home.id, coordinator, "digest")
    # One click (RFC 8058: a POST with no session) turns the digest off: nothing is due next week.
    response = client.post(urlsplit(link).path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert plan(app, world.home, now + timedelta(days=7)) == 0
    assert len(digests(app)) == 1
