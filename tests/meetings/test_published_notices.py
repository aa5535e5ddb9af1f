"""Agenda and minutes published (issue #15, "other notices"): told through ``notices.notify`` to exactly the
people admitted (invited and admitted to the meeting's level; for minutes, those who attended), once per
version and person, as each chose (email / notification centre), and for a fixed number of statements
however many are told in the app."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from partnership_hub.accounts.models import User
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings import agenda, attendance, minutes, services
from partnership_hub.notifications.models import Notification, NotificationPreference
from partnership_hub.workspaces.models import Role
from tests.budget import counting
from tests.factories import add_member, create_partnership, create_user, outbox, seat_on_board
from tests.meetings.conftest import NOW, schedule, set_zone

SOON = (utcnow() + timedelta(days=9)).date().isoformat()
AFTER = NOW + timedelta(days=9)


def prefer(app, partnership, membership_id: int, **fields) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add(NotificationPreference(membership_id=membership_id, **fields))
        db.session.commit()


def centre(app, partnership) -> list[tuple[int, str, str, str]]:
    """(membership id, kind, title, url) of every notification centre entry, oldest first."""
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(Notification.membership_id, Notification.kind, Notification.title, Notification.url)
        return [tuple(row) for row in db.session.execute(stmt.order_by(Notification.id))]


def upcoming(app, partnership, who: str = "coordinator", **overrides) -> int:
    return schedule(app, partnership, now=utcnow(), who=who, **({"date": SOON} | overrides))


def add_item(app, partnership, meeting_id: int, title: str, who: str = "coordinator", presenter: int | None = None):
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[who].id)
        meeting, _ = services.get_meeting(ctx, meeting_id)
        data = {"title": title, "kind": "discussion", "minutes_allotted": "15"}
        agenda.add_item(ctx, meeting, data | ({"presenter_membership_id": str(presenter)} if presenter else {}))
        db.session.commit()


def publish(app, partnership, meeting_id: int, who: str = "coordinator") -> int:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members[who].id)
        meeting, _ = services.get_meeting(ctx, meeting_id)
        told = agenda.publish_agenda(ctx, meeting)
        db.session.commit()
        return told


def emails(partnership, *roles: str) -> list[str]:
    return sorted(partnership.members[role].email for role in roles)


# --- the agenda -------------------------------------------------------------------------------------------


def test_the_agenda_is_told_to_the_invitees_as_each_chose_once_per_version(app, world):
    home, ids = world.home, world.home.membership_ids
    prefer(app, home, ids["member"], email_off="agenda_published")
    prefer(app, home, ids["survivor_advisor"], app_off="agenda_published")
    meeting_id = upcoming(app, home, title="Budget meeting")
    add_item(app, home, meeting_id, "Budget review")
    assert publish(app, home, meeting_id) == 3  # everyone invited but the observer
    # The member: an entry only; the advisor: an email only; the coordinator: both.
    assert sorted(m.to_address for m in outbox(app, kind="agenda_published")) == emails(
        home, "coordinator", "survivor_advisor"
    )
    url = f"/p/{home.slug}/meetings/{meeting_id}"
    assert sorted(centre(app, home)) == sorted(
        (ids[role], "agenda_published", "Agenda published: Budget meeting", url) for role in ("coordinator", "member")
    )
    mail = outbox(app, to=home.members["coordinator"].email)[0]
    assert "Budget review" in mail.text_body and "Choose which emails you get" in mail.text_body
    assert mail.dedup_key.startswith(f"agenda_published:{meeting_id}:v")

    assert publish(app, home, meeting_id) == 0  # nothing changed: nobody told again
    assert len(outbox(app)) == 2 and len(centre(app, home)) == 2

    add_item(app, home, meeting_id, "Late addition")
    assert publish(app, home, meeting_id) == 3
    updated = [m for m in outbox(app) if m.subject == "Agenda updated: Budget meeting"]
    assert sorted(m.to_address for m in updated) == emails(home, "coordinator", "survivor_advisor")
    assert "Late addition" in updated[0].text_body
    assert [title for _, _, title, _ in centre(app, home)][2:] == ["Agenda updated: Budget meeting"] * 2


def test_an_advisory_meetings_agenda_reaches_only_the_board_by_either_way(app, world):
    home = world.home
    seat_on_board(app, home, "survivor_advisor", "member", chair="survivor_advisor")
    meeting_id = upcoming(app, home, who="survivor_advisor", kind="advisory_board", title="Board")
    add_item(app, home, meeting_id, "Confidential topic", who="survivor_advisor")
    assert publish(app, home, meeting_id, who="survivor_advisor") == 2
    assert sorted(m.to_address for m in outbox(app)) == emails(home, "member", "survivor_advisor")
    board = {home.membership_ids["member"], home.membership_ids["survivor_advisor"]}
    assert {who for who, _, _, _ in centre(app, home)} == board  # not the coordinator, not the observer


def test_each_recipient_sees_presenters_and_times_as_they_may(app, world):
    """A survivor advisor presenting is named to coordinators (and advisors), unnamed to members; the time
    is each person's own zone."""
    home = world.home
    set_zone(app, home, "America/Denver")
    with app.app_context():
        db.session.execute(update(User).where(User.id == home.members["member"].id).values(time_zone="Asia/Tokyo"))
        db.session.commit()
    meeting_id = upcoming(app, home)
    add_item(app, home, meeting_id, "Lived experience", presenter=home.membership_ids["survivor_advisor"])
    publish(app, home, meeting_id)
    advisor_name = home.members["survivor_advisor"].name
    to_coordinator = outbox(app, to=home.members["coordinator"].email)[0].text_body
    to_member = outbox(app, to=home.members["member"].email)[0].text_body
    assert advisor_name in to_coordinator and "(America/Denver)" in to_coordinator
    assert advisor_name not in to_member and "A survivor advisor" in to_member and "(Asia/Tokyo)" in to_member


def test_publishing_the_agenda_to_many_costs_what_it_costs_to_a_few_in_the_app(app):
    """Who to tell (invited, admitted, not told this version) and their choices: one statement; the
    centre's entries: one more; for 3 people or 30. Only each email costs its own writes."""
    costs = []
    for size in (3, 30):
        partnership = create_partnership(app, create_user(app), f"Size {size}")
        prefer(app, partnership, partnership.membership_ids["coordinator"], email_off="agenda_published")
        for n in range(size - 1):
            membership_id = add_member(app, partnership, create_user(app), Role.MEMBER, key=f"m{n}")
            prefer(app, partnership, membership_id, email_off="agenda_published")
        meeting_id = upcoming(app, partnership)
        add_item(app, partnership, meeting_id, "One")
        with app.app_context():
            ctx = context_for(partnership.id, partnership.members["coordinator"].id)
            meeting, _ = services.get_meeting(ctx, meeting_id)
            with counting(app) as found:
                assert agenda.publish_agenda(ctx, meeting) == size
            db.session.commit()
        costs.append(len(found))
        assert outbox(app) == [] and len(centre(app, partnership)) == size
    assert costs[0] == costs[1], costs


# --- the minutes ------------------------------------------------------------------------------------------


def held_meeting(app, partnership, attended: list[str]) -> int:
    """A meeting on 10 March 2026 whose minutes are written, ``attended`` recorded and approved at a later one."""
    ids = partnership.membership_ids
    meeting_id = schedule(app, partnership, title="Partnership meeting")
    later = schedule(app, partnership, date="2026-03-11", title="Next meeting")
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        meeting = services.get_meeting(ctx, meeting_id)[0]
        minutes.save_minutes(ctx, meeting, {"body": "Sensitive detail XYZZY"})
        chosen = [str(ids[role]) for role in attended]
        attendance.record_attendance(ctx, meeting, {"shown": chosen, "attended": chosen}, AFTER)
        minutes.approve_minutes(ctx, meeting, {"approved_in_meeting_id": str(later)}, AFTER + timedelta(days=1))
        db.session.commit()
    return meeting_id


def publish_minutes(app, partnership, meeting_id: int) -> int:
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        told = minutes.publish_minutes(ctx, services.get_meeting(ctx, meeting_id)[0], AFTER + timedelta(days=1))
        db.session.commit()
        return told


def test_minutes_are_told_to_the_attendees_as_each_chose(app, world):
    home, ids = world.home, world.home.membership_ids
    prefer(app, home, ids["member"], email_off="minutes_published")
    prefer(app, home, ids["coordinator"], app_off="minutes_published")
    meeting_id = held_meeting(app, home, ["coordinator", "member"])  # the advisor did not attend
    assert publish_minutes(app, home, meeting_id) == 2
    [mail] = outbox(app, kind="minutes_published")
    assert mail.to_address == home.members["coordinator"].email
    assert f"/meetings/{meeting_id}#meeting-minutes" in mail.text_body and "XYZZY" not in mail.text_body
    assert "#meeting-minutes" in mail.html_body and "Choose which emails you get" in mail.text_body
    url = f"/p/{home.slug}/meetings/{meeting_id}"
    assert centre(app, home) == [(ids["member"], "minutes_published", "Minutes published: Partnership meeting", url)]


def test_minutes_of_an_advisory_meeting_reach_only_attendees_still_admitted(app, world):
    home = world.home
    seat_on_board(app, home, "survivor_advisor", "member", chair="survivor_advisor")
    ids = home.membership_ids
    meeting_id = schedule(app, home, who="survivor_advisor", kind="advisory_board", title="Board meeting")
    later = schedule(app, home, who="survivor_advisor", kind="advisory_board", date="2026-03-11", title="Next")
    with app.app_context():
        ctx = context_for(home.id, home.members["survivor_advisor"].id)
        meeting = services.get_meeting(ctx, meeting_id)[0]
        minutes.save_minutes(ctx, meeting, {"body": "Board minutes"})
        chosen = [str(ids["member"]), str(ids["survivor_advisor"])]
        attendance.record_attendance(ctx, meeting, {"shown": chosen, "attended": chosen}, AFTER)
        minutes.approve_minutes(ctx, meeting, {"approved_in_meeting_id": str(later)}, AFTER + timedelta(days=1))
        db.session.commit()
    # The member leaves the board before the minutes are published: no longer admitted, not told.
    from partnership_hub.confidentiality import BOARD, ConfidentialGrant

    with app.app_context():
        bind_tenant(db.session, home.id)
        db.session.execute(
            update(ConfidentialGrant)
            .where(ConfidentialGrant.record_kind == BOARD, ConfidentialGrant.membership_id == ids["member"])
            .values(ends_on=date(2026, 3, 1))
        )
        db.session.commit()
    with app.app_context():
        ctx = context_for(home.id, home.members["survivor_advisor"].id)
        told = minutes.publish_minutes(ctx, services.get_meeting(ctx, meeting_id)[0], AFTER + timedelta(days=1))
        db.session.commit()
    assert told == 1
    assert [m.to_address for m in outbox(app)] == [home.members["survivor_advisor"].email]
    assert [who for who, _, _, _ in centre(app, home)] == [ids["survivor_advisor"]]
