"""The home's "Your next meetings" (RSVPs waiting folded in), and "Your work" evaluated in ONE statement
whatever the number of kinds the areas bring."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import insert

from partnership_hub import areas
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings.models import InviteScope, Meeting, MeetingInvitee, MeetingKind, Rsvp
from partnership_hub.workspaces import services
from tests.budget import BUDGET, counting, statements_for
from tests.factories import create_partnership, create_user, seat_on_board
from tests.workspaces.test_your_work import bulk_fill, your_work_section

DAY = timedelta(days=1)


def add_meeting(app, partnership, title: str, days: float, **values) -> int:
    start = utcnow() + timedelta(days=days)
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        meeting = Meeting(
            title=title,
            kind=values.pop("kind", MeetingKind.FULL_PARTNERSHIP),
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            time_zone="UTC",
            **values,
        )
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def invite(app, partnership, meeting_id: int, who: str, rsvp: Rsvp = Rsvp.NONE) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add(MeetingInvitee(meeting_id=meeting_id, membership_id=partnership.membership_ids[who], rsvp=rsvp))
        db.session.commit()


def test_each_person_sees_the_meetings_they_are_invited_to_in_the_next_two_weeks(app, world, login_as):
    home = world.home
    soon = add_meeting(app, home, "Monthly meeting", 3)
    add_meeting(app, home, "Too far ahead", 20)
    add_meeting(app, home, "Already over", -1)
    add_meeting(app, home, "Called off", 4, status="cancelled")
    board = add_meeting(app, home, "Advisory board", 5, kind=MeetingKind.ADVISORY_BOARD, confidentiality="advisory")
    picked = add_meeting(app, home, "Planning team", 6, invite_scope=InviteScope.SELECTED)
    invite(app, home, picked, "coordinator", Rsvp.YES)

    member = your_work_section(login_as("member").get(f"/p/{home.slug}/").text)
    assert "Your next meetings" in member and "Monthly meeting" in member
    for absent in ("Too far ahead", "Already over", "Called off", "Advisory board", "Planning team"):
        assert absent not in member  # an advisory meeting never shows to a member who is not admitted
    assert "RSVP waiting" in member
    assert f'href="/p/{home.slug}/meetings/{soon}#attendance">Answer' in member

    coordinator = your_work_section(login_as("coordinator").get(f"/p/{home.slug}/").text)
    assert "Advisory board" not in coordinator  # coordinators are not admitted to the board's meetings by role

    seat_on_board(app, home, "survivor_advisor")  # the board is who sits on it
    advisor = your_work_section(login_as("survivor_advisor").get(f"/p/{home.slug}/").text)
    assert "Advisory board" in advisor and "Monthly meeting" in advisor
    assert f"/meetings/{board}#attendance" in advisor

    coordinator = your_work_section(login_as("coordinator").get(f"/p/{home.slug}/").text)
    assert "Planning team" in coordinator and "going" in coordinator  # "You're going", escaped or not
    assert coordinator.index("Monthly meeting") < coordinator.index("Planning team")  # soonest first


def test_an_answer_replaces_rsvp_waiting(app, world, login_as):
    meeting = add_meeting(app, world.home, "Monthly meeting", 2)
    invite(app, world.home, meeting, "member", Rsvp.MAYBE)
    work = your_work_section(login_as("member").get(f"/p/{world.home.slug}/").text)
    assert "You might go" in work and "RSVP waiting" not in work and "Change your answer" in work


def test_the_observer_gets_no_meetings_kind(app, world, login_as):
    add_meeting(app, world.home, "Monthly meeting", 2)
    assert your_work_section(login_as("observer").get(f"/p/{world.home.slug}/").text) == ""


def test_nothing_ahead_says_so(world, login_as):
    work = your_work_section(login_as("member").get(f"/p/{world.home.slug}/").text)
    assert "No meetings for you in the next two weeks." in work


def add_meetings(app, partnership, size: int) -> None:
    """``size`` meetings spread over the next 30 days (bulk INSERT), every one inviting everyone."""
    now = utcnow()
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.execute(
            insert(Meeting),
            [
                {
                    "partnership_id": partnership.id,
                    "title": f"Meeting {n}",
                    "kind": MeetingKind.FULL_PARTNERSHIP,
                    "starts_at": now + timedelta(minutes=30 + n * 30 * 24 * 60 // size),
                    "ends_at": now + timedelta(minutes=90 + n * 30 * 24 * 60 // size),
                    "time_zone": "UTC",
                    "confidentiality": "workspace",
                }
                for n in range(size)
            ],
        )
        db.session.commit()


def test_one_statement_for_every_kind_however_many_kinds_and_rows(app, monkeypatch):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    bulk_fill(app, small, 10)
    bulk_fill(app, large, 5_000)
    add_meetings(app, small, 2)
    add_meetings(app, large, 2_000)
    real = areas.your_work()
    many = [dataclasses.replace(entry, key=f"{entry.key}_{n}") for n in range(4) for entry in real]
    monkeypatch.setattr(areas, "your_work", lambda: many)

    for partnership, expect_more in ((small, False), (large, True)):
        with app.app_context():
            ctx = context_for(partnership.id, partnership.members["coordinator"].id)
            with counting(app) as statements:
                found = services.your_work(ctx)
        assert len(statements) == 1, statements
        assert len(found) == len(many) == 4 * len(real)
        meetings = [work for entry, work in found if entry.key.startswith("meetings")]
        assert all(len(work.items) == services.YOUR_WORK_LIMIT or not expect_more for work in meetings)
        assert all(work.more_label.endswith("+") == expect_more for work in meetings)

    counts = {"small": statements_for(app, small, "/"), "large": statements_for(app, large, "/")}
    assert counts["small"] == counts["large"] <= BUDGET, counts
