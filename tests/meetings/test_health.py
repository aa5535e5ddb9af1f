"""Meeting health (issue #11, point 8): the numbers on known data, who may read the page and set the
intended frequency, and a fixed cost at any size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings import health
from partnership_hub.meetings.models import AgendaItem, InviteScope, Meeting, MeetingInvitee, MeetingKind, MeetingStatus
from partnership_hub.members.models import Organization, OrganizationSector
from partnership_hub.workspaces.models import Membership, Partnership
from tests.budget import assert_fixed_cost
from tests.factories import create_partnership, create_user, seat_on_board

WEEK = timedelta(weeks=1)


def add_meeting(partnership, start, **values) -> Meeting:
    meeting = Meeting(
        title=values.pop("title", "Full partnership meeting"),
        kind=values.pop("kind", MeetingKind.FULL_PARTNERSHIP),
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        time_zone="UTC",
        **values,
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def add_organization(name: str, sector: str) -> Organization:
    organization = Organization(name=name, name_key=name.lower())
    db.session.add(organization)
    db.session.flush()
    db.session.add(OrganizationSector(organization_id=organization.id, sector_key=sector))
    return organization


@pytest.fixture
def known(app, world):
    """Four held meetings two weeks apart (the last a week ago), one cancelled, one upcoming; attendance
    recorded at two; two organizations, one of which came; an advisory board meeting naming nobody and
    an upcoming meeting whose agenda mentions survivors and invites everyone."""
    now = utcnow()
    ids = world.home.membership_ids
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        came = add_organization("Safe Harbor", "community_advocates")
        add_organization("County Sheriff", "law_enforcement")
        held = [add_meeting(world.home, now - WEEK - n * 2 * WEEK, title=f"Held {n}") for n in range(4)]
        add_meeting(world.home, now - 2 * WEEK - timedelta(days=3), status=MeetingStatus.CANCELLED, title="Off")
        upcoming = add_meeting(world.home, now + WEEK, title="Next one")
        db.session.add(AgendaItem(meeting_id=upcoming.id, position=1, title="Survivor engagement plan"))
        board = add_meeting(
            world.home,
            now - 3 * WEEK,
            title="Board",
            kind=MeetingKind.ADVISORY_BOARD,
            confidentiality="advisory",
            invite_scope=InviteScope.SELECTED,
        )
        db.session.add(MeetingInvitee(meeting_id=board.id, membership_id=ids["coordinator"]))
        for meeting, present in ((held[0], (True, True, False)), (held[1], (True, False, False))):
            for who, attended in zip(("coordinator", "member", "survivor_advisor"), present, strict=True):
                db.session.add(
                    MeetingInvitee(
                        meeting_id=meeting.id,
                        membership_id=ids[who],
                        attended=attended,
                        organization_id=came.id if who == "member" else None,
                    )
                )
        db.session.commit()
    return now


def measured(app, world, now, who: str = "coordinator") -> health.Health:
    """The health numbers for ``who``, read while the session is open (the rows stay loaded)."""
    with app.app_context():
        found = health.meeting_health(context_for(world.home.id, world.home.members[who].id), now)
        db.session.expunge_all()
        return found


def test_the_numbers_on_known_data(app, world, known):
    seat_on_board(app, world.home, "coordinator")  # a coordinator on the board sees its meeting too
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.get(Partnership, world.home.id).meetings_every_weeks = 2
        db.session.commit()
    found = measured(app, world, known)
    frequency = found.frequency
    assert frequency.held == 5  # four held and the board (the cancelled one is not counted)
    assert frequency.intended_weeks == 2 and frequency.on_track is True
    assert frequency.every_weeks == pytest.approx(6 / 4, abs=0.01)  # 7 weeks to 1 week ago, over 4 gaps
    assert [row.attended for row in found.recorded_meetings] == [1, 2]
    assert found.average_attendance == 1.5 and found.attendance_rate == 50
    assert found.absent_organizations == ["County Sheriff"]
    assert {row.key: row.attended for row in found.sectors} == {"community_advocates": True, "law_enforcement": False}
    concerns = {row.meeting.title: row.advisors_invited for row in found.concerns}
    assert concerns == {"Board": False, "Next one": True}
    assert [row.meeting.title for row in found.concerns_without_advisors] == ["Board"]


def test_meeting_less_often_than_intended_is_flagged(app, world, known):
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.get(Partnership, world.home.id).meetings_every_weeks = 1
        db.session.commit()
    assert measured(app, world, known).frequency.on_track is False


@pytest.mark.parametrize("who", ["member", "coordinator"])  # the coordinator does not sit on the board
def test_people_not_on_the_board_count_only_what_they_may_see(app, world, known, who):
    found = measured(app, world, known, who)
    assert found.frequency.held == 4  # the advisory board meeting is not theirs to see
    assert "Board" not in {row.meeting.title for row in found.concerns}


def test_the_page_shows_the_numbers_to_coordinators(app, world, login_as, known):
    client = login_as("coordinator")
    page = client.get(f"/p/{world.home.slug}/meetings/health")
    assert page.status_code == 200
    text = page.text
    assert "Meeting health" in text and "County Sheriff" in text and "How often do you mean to meet?" in text
    assert "No survivor advisor invited" not in text  # only the board's meeting lacks one, and it is not theirs
    seat_on_board(app, world.home, "coordinator")
    assert "No survivor advisor invited" in client.get(f"/p/{world.home.slug}/meetings/health").text


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("observer", 403), ("survivor_advisor", 403)])
def test_people_outside_the_planning_team_do_not_get_the_page(world, login_as, role, status):
    assert login_as(role).get(f"/p/{world.home.slug}/meetings/health").status_code == status


def test_the_planning_team_reads_it_but_cannot_set_the_frequency(app, world, login_as):
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.get(Membership, world.home.membership_ids["member"]).on_planning_team = True
        db.session.commit()
    client = login_as("member")
    page = client.get(f"/p/{world.home.slug}/meetings/health")
    assert page.status_code == 200 and "How often do you mean to meet?" not in page.text
    refused = client.post(f"/p/{world.home.slug}/meetings/health/frequency", data={"meetings_every_weeks": "4"})
    assert refused.status_code == 403 and frequency(app, world) is None


def frequency(app, world) -> int | None:
    with app.app_context():
        return db.session.scalar(select(Partnership.meetings_every_weeks).where(Partnership.id == world.home.id))


def test_a_coordinator_sets_and_clears_the_intended_frequency(app, world, login_as):
    client = login_as("coordinator")
    url = f"/p/{world.home.slug}/meetings/health/frequency"
    saved = client.post(url, data={"meetings_every_weeks": "4"})
    assert saved.status_code == 302 and frequency(app, world) == 4
    assert "every 4 weeks" in client.get(f"/p/{world.home.slug}/meetings/health").text
    cleared = client.post(url, data={"meetings_every_weeks": ""})
    assert cleared.status_code == 302 and frequency(app, world) is None


@pytest.mark.parametrize("value", ["abc", "0", "53", "2.5", "-1", "٤", "+4", "99999999999999999999"])
def test_bad_frequencies_are_refused_at_the_field(app, world, login_as, value):
    client = login_as("coordinator")
    url = f"/p/{world.home.slug}/meetings/health/frequency"
    refused = client.post(url, data={"meetings_every_weeks": value})
    assert refused.status_code == 422
    assert "weeks" in refused.text and frequency(app, world) is None


def grow(app, partnership, size: int) -> None:
    """``size`` held meetings with five invitees each (attendance recorded), and ``size`` organizations."""
    now = utcnow()
    me = partnership.membership_ids["coordinator"]
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        for n in range(size):
            meeting = add_meeting(partnership, now - timedelta(days=n + 1), title=f"Meeting {n}")
            db.session.add(MeetingInvitee(meeting_id=meeting.id, membership_id=me, attended=n % 2 == 0))
            add_organization(f"Organization {n}", "community_advocates" if n % 2 else "law_enforcement")
        db.session.commit()


def test_the_page_costs_the_same_for_1_and_for_300_meetings(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 1)
    grow(app, large, 300)
    assert_fixed_cost(app, small, large, "/meetings/health")
