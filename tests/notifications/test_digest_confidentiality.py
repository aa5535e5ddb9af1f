"""Nothing in a digest comes from a record its reader may not see: a leadership, advisory or private record
(and what hangs off it: agenda, action items, changes) is left out of the digest of everyone the
confidentiality layer does not admit; a grant or a board seat admits; a dispute waiting on a coordinator
who may not see it is counted without its title; survivor advisors' names stay with coordinators and
advisors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from partnership_hub.advisory.safety_models import AdvisorProfile
from partnership_hub.confidentiality import ConfidentialGrant, Level
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.governance.disputes_models import Dispute, DisputeKind
from partnership_hub.meetings.models import AgendaItem
from partnership_hub.notifications.services import SAFE_SUBJECT
from tests.factories import seat_on_board
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
)


@pytest.fixture
def now():
    return a_tuesday_ahead()


@pytest.fixture
def readers(app, world):
    """Everyone but the observer takes a weekly digest (the observer asks too, and gets none)."""
    for role in ("member", "survivor_advisor", "observer"):
        prefer(app, world.home, world.home.membership_ids[role], digest="weekly", member_digest=True)
    return world.home


def text_for(app, home, role: str) -> str:
    found = digests(app, to=home.members[role].email)
    return "\n".join(message.text_body + message.html_body + message.subject for message in found)


def test_a_leadership_goal_and_its_action_items_reach_coordinators_only(app, world, now, readers):
    ids = readers.membership_ids
    goal_id = add(app, readers, goal("Leadership-only goal", now - timedelta(days=90), Level.LEADERSHIP))
    add(app, readers, action("Secret task", now.date(), goal_id=goal_id, assignee_membership_id=ids["member"]))
    add(app, readers, action("Open task", now.date(), assignee_membership_id=ids["member"]))
    plan(app, readers, now)
    assert "Leadership-only goal" in text_for(app, readers, "coordinator")
    assert "Secret task" in text_for(app, readers, "coordinator")
    member = text_for(app, readers, "member")
    assert "Open task" in member  # their digest went out...
    assert "Leadership-only goal" not in member and "Secret task" not in member  # ...without what they may not see
    assert digests(app, to=readers.members["observer"].email) == []


def test_an_advisory_meeting_reaches_the_board_not_coordinators(app, world, now, readers):
    seat_on_board(app, readers, "survivor_advisor")
    advisor_user = readers.members["survivor_advisor"].id
    meeting_id = add(app, readers, meeting("Board meeting", now + timedelta(days=1), Level.ADVISORY))
    add(app, readers, AgendaItem(meeting_id=meeting_id, position=1, title="Story consent review"))
    add(app, readers, action("Board follow-up", now.date(), meeting_id=meeting_id))
    add(app, readers, audit(advisor_user, "agenda.item_added", "meeting", meeting_id, now - timedelta(hours=1)))
    add(app, readers, meeting("Open meeting", now + timedelta(days=2)))
    plan(app, readers, now)
    advisor = text_for(app, readers, "survivor_advisor")
    assert "Board meeting" in advisor and "Story consent review" in advisor
    for role in ("coordinator", "member"):
        text = text_for(app, readers, role)
        assert "Open meeting" in text
        for secret in ("Board meeting", "Story consent review", "Board follow-up", "changed the agenda"):
            assert secret not in text, (role, secret)


def test_a_private_goal_reaches_its_author_and_the_people_granted_it(app, world, now, readers):
    ids = readers.membership_ids
    goal_id = add(
        app,
        readers,
        goal(
            "Private goal",
            now - timedelta(days=90),
            Level.PRIVATE,
            author_membership_id=ids["member"],
            owner_membership_id=ids["member"],
        ),
    )
    plan(app, readers, now)
    assert "Private goal" in text_for(app, readers, "member")
    assert "Private goal" not in text_for(app, readers, "coordinator")
    # Next week, with a grant, the coordinator sees it too.
    add(app, readers, ConfidentialGrant(record_kind="goal", record_id=goal_id, membership_id=ids["coordinator"]))
    plan(app, readers, now + timedelta(days=7))
    assert "Private goal" in text_for(app, readers, "coordinator")


def test_dispute_titles_only_for_those_admitted(app, world, now, readers):
    ids = readers.membership_ids
    add(app, readers, Dispute(title="Referral disagreement", kind=DisputeKind.PRIORITY, opened_on=now.date()))
    hidden = add(
        app,
        readers,
        Dispute(
            title="Named-party conflict",
            kind=DisputeKind.PERSONALITY,
            opened_on=now.date(),
            author_membership_id=ids["member"],
        ),
    )
    with app.app_context():  # a level no form offers for disputes, to prove the digest asks the layer anyway
        bind_tenant(db.session, readers.id)
        db.session.execute(update(Dispute).where(Dispute.id == hidden).values(confidentiality=Level.PRIVATE))
        db.session.commit()
    plan(app, readers, now)
    coordinator = text_for(app, readers, "coordinator")
    assert "Referral disagreement" in coordinator
    assert "Named-party conflict" not in coordinator
    assert "1 dispute waiting · title not shown" in coordinator
    # Nobody handles either: they wait on the coordinators, not on members.
    member = text_for(app, readers, "member")
    assert "dispute" not in member.lower()


def test_a_dispute_reaches_its_handler(app, world, now, readers):
    ids = readers.membership_ids
    dispute_id = add(
        app,
        readers,
        Dispute(
            title="Handled dispute",
            kind=DisputeKind.PRIORITY,
            opened_on=now.date(),
            handler_membership_id=ids["member"],
        ),
    )
    add(app, readers, ConfidentialGrant(record_kind="dispute", record_id=dispute_id, membership_id=ids["member"]))
    plan(app, readers, now)
    assert "Handled dispute" in text_for(app, readers, "member")
    coordinator = text_for(app, readers, "coordinator")
    assert "Handled dispute" not in coordinator  # it waits on its handler
    assert "DISPUTES WAITING" not in coordinator  # and no heading over nothing


def test_survivor_advisors_are_named_only_to_coordinators_and_advisors(app, world, now, readers):
    advisor_user = readers.members["survivor_advisor"].id
    meeting_id = add(app, readers, meeting("Open meeting", now + timedelta(days=1)))
    add(app, readers, audit(advisor_user, "agenda.item_added", "meeting", meeting_id, now - timedelta(hours=1)))
    plan(app, readers, now)
    name = readers.members["survivor_advisor"].name
    assert f"{name} changed the agenda" in text_for(app, readers, "coordinator")
    member = text_for(app, readers, "member")
    assert "A survivor advisor changed the agenda" in member
    assert name not in member


def test_safe_mode_turns_the_digest_into_the_neutral_notice(app, world, now, readers):
    add(app, readers, AdvisorProfile(membership_id=readers.membership_ids["survivor_advisor"], safe_mode=True))
    add(app, readers, meeting("Open meeting", now + timedelta(days=1)))
    plan(app, readers, now)
    [message] = digests(app, to=readers.members["survivor_advisor"].email)
    assert message.subject == SAFE_SUBJECT
    for word in ("Open meeting", readers.name, "digest"):
        assert word not in message.text_body + message.html_body
