"""Invitations, RSVPs in the app, recording attendance and attendance history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from partnership_hub.confidentiality import Level
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.meetings import attendance, services
from partnership_hub.meetings.models import InviteScope, Meeting, MeetingInvitee, Rsvp
from tests.factories import seat_on_board
from tests.meetings.conftest import NOW, schedule

AFTER = NOW + timedelta(days=9)  # 11 March 2026: the meeting of 10 March is over


def _meeting(ctx, meeting_id):
    return services.get_meeting(ctx, meeting_id)[0]


def invited_ids(app, partnership, meeting_id, who="coordinator"):
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[who].id)
        meeting = _meeting(ctx, meeting_id)
        return set(db.session.scalars(attendance.invited_membership_ids_clause(meeting, ctx.today(NOW))))


def test_everyone_but_observers_is_invited_to_a_workspace_meeting(app, world):
    home = world.home
    meeting_id = schedule(app, home)
    ids = home.membership_ids
    assert invited_ids(app, home, meeting_id) == {ids["coordinator"], ids["member"], ids["survivor_advisor"]}


def test_only_people_admitted_to_an_advisory_meeting_are_invited(app, world):
    home = world.home
    seat_on_board(app, home, "survivor_advisor", chair="survivor_advisor")
    meeting_id = schedule(app, home, kind="advisory_board")
    ids = home.membership_ids
    # The board only: the coordinator does not sit on it, so "everyone" leaves them out too.
    assert invited_ids(app, home, meeting_id, who="survivor_advisor") == {ids["survivor_advisor"]}
    with app.app_context():
        ctx = context_for(home.id, home.members["survivor_advisor"].id)
        meeting = _meeting(ctx, meeting_id)
        for outsider in ("member", "coordinator"):
            with pytest.raises(ServiceError) as refused:
                attendance.change_invitations(
                    ctx, meeting, {"invite_scope": "selected", "membership_ids": [str(ids[outsider])]}, NOW
                )
            assert refused.value.field == "membership_ids", outsider
            db.session.rollback()


def test_a_selected_invitation_names_its_people(app, world):
    home = world.home
    meeting_id = schedule(app, home)
    ids = home.membership_ids
    with app.app_context():
        ctx = context_for(home.id, home.members["coordinator"].id)
        meeting = _meeting(ctx, meeting_id)
        added = attendance.change_invitations(
            ctx, meeting, {"invite_scope": "selected", "membership_ids": [str(ids["member"])]}, NOW
        )
        db.session.commit()
        assert added == 1 and meeting.invite_scope == InviteScope.SELECTED
    assert invited_ids(app, home, meeting_id) == {ids["member"]}


def test_members_answer_and_change_their_answer(app, world):
    home = world.home
    meeting_id = schedule(app, home)
    with app.app_context():
        ctx = context_for(home.id, home.members["member"].id)
        meeting = _meeting(ctx, meeting_id)
        attendance.rsvp(ctx, meeting, "yes", NOW)
        attendance.rsvp(ctx, meeting, "maybe", NOW)
        db.session.commit()
        rows = list(db.session.scalars(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting_id)))
        assert [(r.membership_id, r.rsvp) for r in rows] == [(home.membership_ids["member"], Rsvp.MAYBE)]


@pytest.mark.parametrize("answer", ["", "none", "YES", "later", None])
def test_a_bad_answer_is_refused_at_its_field(app, world, answer):
    meeting_id = schedule(app, world.home)
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members["member"].id)
        with pytest.raises(ServiceError) as refused:
            attendance.rsvp(ctx, _meeting(ctx, meeting_id), answer, NOW)
        assert refused.value.field == "answer"


def test_answers_on_past_or_cancelled_meetings_are_refused(app, world):
    home = world.home
    meeting_id = schedule(app, home)
    with app.app_context():
        ctx = context_for(home.id, home.members["member"].id)
        meeting = _meeting(ctx, meeting_id)
        with pytest.raises(ServiceError, match="is over"):
            attendance.rsvp(ctx, meeting, "yes", AFTER)
        coordinator = context_for(home.id, home.members["coordinator"].id)
        services.cancel_meeting(coordinator, _meeting(coordinator, meeting_id), None, "one", NOW)
        with pytest.raises(ServiceError, match="cancelled"):
            attendance.rsvp(context_for(home.id, home.members["member"].id), meeting, "yes", NOW)
        db.session.rollback()


def test_observers_may_not_answer(login_as, app, world, base):
    meeting_id = schedule(app, world.home)
    response = login_as("observer").post(f"{base}/{meeting_id}/rsvp", data={"answer": "yes"})
    assert response.status_code == 403


def test_the_rsvp_buttons_work_as_a_plain_post_and_over_htmx(login_as, app, world, base):
    meeting_id = schedule(app, world.home, date="2099-03-10")
    client = login_as("member")
    response = client.post(f"{base}/{meeting_id}/rsvp", data={"answer": "yes"})
    assert response.status_code == 302
    page = client.get(f"{base}/{meeting_id}").text
    assert 'aria-pressed="true">Yes</button>' in page
    fragment = client.post(f"{base}/{meeting_id}/rsvp", data={"answer": "no"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and 'aria-pressed="true">No</button>' in fragment.text
    bad = client.post(f"{base}/{meeting_id}/rsvp", data={"answer": "perhaps"})
    assert bad.status_code == 422 and "Choose yes, no or maybe." in bad.text


def test_recording_attendance_snapshots_organizations_and_builds_history(app, world):
    from partnership_hub.members.models import Organization, Representative

    home = world.home
    ids = home.membership_ids
    meeting_id = schedule(app, home)
    with app.app_context():
        bind_tenant(db.session, home.id)
        organization = Organization(name="Safe Harbor Shelter", name_key="safe harbor shelter")
        db.session.add(organization)
        db.session.flush()
        db.session.add(Representative(organization_id=organization.id, membership_id=ids["member"]))
        db.session.commit()
        organization_id = organization.id
    with app.app_context():
        ctx = context_for(home.id, home.members["coordinator"].id)
        meeting = _meeting(ctx, meeting_id)
        with pytest.raises(ServiceError, match="once the meeting has started"):
            attendance.record_attendance(ctx, meeting, {"shown": [str(ids["member"])], "attended": []}, NOW)
        with pytest.raises(ServiceError, match="Tick only"):
            attendance.record_attendance(
                ctx, meeting, {"shown": [str(ids["member"])], "attended": [str(ids["coordinator"])]}, AFTER
            )
        came = attendance.record_attendance(
            ctx,
            meeting,
            {"shown": [str(ids["member"]), str(ids["coordinator"])], "attended": [str(ids["member"])]},
            AFTER,
        )
        db.session.commit()
        assert came == 1
        rows = {r.membership_id: r for r in db.session.scalars(select(MeetingInvitee))}
        assert rows[ids["member"]].attended is True and rows[ids["member"]].organization_id == organization_id
        assert rows[ids["coordinator"]].attended is False
        history = attendance.member_history(ctx, db.session.get(type(ctx.membership), ids["member"]), 1)
        assert [(h.meeting_id, h.attended) for h in history.items] == [(meeting_id, True)]
        by_org = attendance.organization_history(ctx, db.session.get(Organization, organization_id), 1)
        assert [(h.meeting_id, h.attended, h.recorded) for h in by_org.items] == [(meeting_id, 1, 1)]


def test_someone_not_invited_cannot_be_recorded(app, world):
    home = world.home
    seat_on_board(app, home, "survivor_advisor", chair="survivor_advisor")
    meeting_id = schedule(app, home, kind="advisory_board")
    with app.app_context():
        ctx = context_for(home.id, home.members["survivor_advisor"].id)
        for outsider in ("member", "coordinator"):  # neither sits on the board
            shown = {"shown": [str(home.membership_ids[outsider])], "attended": []}
            with pytest.raises(ServiceError, match="reload the page"):
                attendance.record_attendance(ctx, _meeting(ctx, meeting_id), shown, AFTER)
            db.session.rollback()


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("observer", 403), ("coordinator", 200)])
def test_who_may_record_attendance(login_as, app, world, base, role, status):
    meeting_id = schedule(app, world.home)
    assert login_as(role).get(f"{base}/{meeting_id}/attendance").status_code == status


def test_the_note_taker_may_record_attendance(login_as, app, world, base):
    meeting_id = schedule(app, world.home, note_taker_membership_id=str(world.home.membership_ids["member"]))
    assert login_as("member").get(f"{base}/{meeting_id}/attendance").status_code == 200


@pytest.mark.parametrize(
    ("role", "own", "status"), [("member", True, 200), ("member", False, 403), ("coordinator", False, 200)]
)
def test_attendance_history_is_your_own_or_for_coordinators(login_as, app, world, base, role, own, status):
    target = world.home.membership_ids[role if own else "survivor_advisor"]
    assert login_as(role).get(f"{base}/attendance/people/{target}").status_code == status


def test_an_advisory_meeting_stays_out_of_an_observers_view(app, world):
    meeting_id = schedule(app, world.home, kind="advisory_board")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.get(Meeting, meeting_id).confidentiality == Level.ADVISORY
