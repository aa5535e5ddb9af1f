"""Minutes (Markdown, sanitized, with history), decisions and the decision log, approval and
publication, and action items from a meeting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from partnership_hub.actions.models import ActionItem
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.meetings import attendance, minutes, services
from partnership_hub.meetings.models import AgendaItem, MinutesRevision
from tests.factories import outbox, seat_on_board
from tests.meetings.conftest import NOW, schedule

AFTER = NOW + timedelta(days=9)


@pytest.mark.parametrize(
    ("markdown", "absent", "present"),
    [
        ("<script>alert(1)</script>", "<script", "&lt;script&gt;"),
        ("[click](javascript:alert(1))", 'href="javascript', "click"),
        ('<img src=x onerror="alert(1)">', "<img", "&lt;img"),
        ('<a href="https://example.org" onclick="x()">raw</a>', "<a ", "&lt;a href"),
        ("[ok](https://example.org)", "javascript", 'href="https://example.org"'),
        ("**bold** and *it*", "<script", "<strong>bold</strong>"),
    ],
)
def test_markdown_is_rendered_and_sanitized(markdown, absent, present):
    html = str(minutes.render_markdown(markdown))
    assert absent not in html
    assert present in html


def test_links_in_minutes_get_a_safe_rel():
    html = str(minutes.render_markdown("[ok](https://example.org)"))
    assert 'rel="noopener noreferrer nofollow"' in html


def ctx_for(app, partnership, who="coordinator"):
    return context_for(partnership.id, partnership.members[who].id)


def test_saving_minutes_keeps_every_version_and_refuses_a_stale_save(app, world):
    meeting_id = schedule(app, world.home)
    with app.app_context():
        ctx = ctx_for(app, world.home)
        meeting = services.get_meeting(ctx, meeting_id)[0]
        first = minutes.save_minutes(ctx, meeting, {"body": "First draft", "based_on": ""})
        second = minutes.save_minutes(ctx, meeting, {"body": "Second draft", "based_on": str(first.id)})
        db.session.commit()
        assert meeting.minutes_md == "Second draft"
        with pytest.raises(ServiceError, match="while you were writing") as stale:
            minutes.save_minutes(ctx, meeting, {"body": "Mine", "based_on": str(first.id)})
        assert stale.value.field == "body"
        db.session.rollback()
        bodies = [r.body_md for r in db.session.scalars(select(MinutesRevision).order_by(MinutesRevision.id))]
        assert bodies == ["First draft", "Second draft"] and second.id > first.id


def test_minutes_per_agenda_item_and_items_of_other_meetings(app, world):
    meeting_id = schedule(app, world.home)
    other_id = schedule(app, world.home, title="Another meeting")
    with app.app_context():
        ctx = ctx_for(app, world.home)
        db.session.add(AgendaItem(meeting_id=other_id, position=1, title="Elsewhere"))
        item = AgendaItem(meeting_id=meeting_id, position=1, title="Referral protocol")
        db.session.add(item)
        db.session.flush()
        meeting = services.get_meeting(ctx, meeting_id)[0]
        minutes.save_minutes(ctx, meeting, {"body": "Agreed to draft", "agenda_item_id": str(item.id)})
        assert item.minutes_md == "Agreed to draft" and meeting.minutes_md == ""
        other_item = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == other_id)).one()
        with pytest.raises(ServiceError) as refused:
            minutes.save_minutes(ctx, meeting, {"body": "x", "agenda_item_id": str(other_item.id)})
        assert refused.value.field == "agenda_item_id"
        section = minutes.load_section(ctx, meeting)
        assert [(i.title, i.minutes_md) for i in section.item_minutes] == [("Referral protocol", "Agreed to draft")]
        db.session.rollback()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": "  "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "ok", "agenda_item_id": "999999"}, "agenda_item_id"),
        ({"text": "ok", "agenda_item_id": "abc"}, "agenda_item_id"),
    ],
)
def test_bad_decisions_are_refused_at_their_field(app, world, data, field):
    meeting_id = schedule(app, world.home)
    with app.app_context():
        ctx = ctx_for(app, world.home)
        with pytest.raises(ServiceError) as refused:
            minutes.record_decision(ctx, services.get_meeting(ctx, meeting_id)[0], data)
        assert refused.value.field == field


def test_the_decision_log_follows_the_meetings_confidentiality_and_searches(app, world, login_as, base):
    seat_on_board(app, world.home, "survivor_advisor")
    open_id = schedule(app, world.home)
    advisory_id = schedule(app, world.home, kind="advisory_board")
    with app.app_context():
        ctx = ctx_for(app, world.home)
        minutes.record_decision(ctx, services.get_meeting(ctx, open_id)[0], {"text": "Adopt the referral protocol"})
        board = ctx_for(app, world.home, "survivor_advisor")
        minutes.record_decision(
            board, services.get_meeting(board, advisory_id)[0], {"text": "Advisors' stipend raised"}
        )
        db.session.commit()
    advisor = login_as("survivor_advisor").get(f"{base}/decisions").text
    assert "Adopt the referral protocol" in advisor and "stipend" in advisor
    for outside in ("member", "coordinator"):  # the coordinator does not sit on the board
        page = login_as(outside).get(f"{base}/decisions").text
        assert "Adopt the referral protocol" in page and "stipend" not in page, outside
    searched = login_as("survivor_advisor").get(f"{base}/decisions?q=stipend").text
    assert "stipend" in searched and "referral protocol" not in searched
    assert "stipend raised" not in login_as("coordinator").get(f"{base}/decisions?q=stipend").text


@pytest.mark.parametrize(("role", "status"), [("observer", 403), ("member", 403), ("coordinator", 200)])
def test_who_may_write_minutes(login_as, app, world, base, role, status):
    meeting_id = schedule(app, world.home)
    assert login_as(role).get(f"{base}/{meeting_id}/minutes").status_code == status


def test_observers_read_workspace_minutes_only(login_as, app, world, base):
    open_id = schedule(app, world.home)
    advisory_id = schedule(app, world.home, kind="advisory_board")
    seat_on_board(app, world.home, "survivor_advisor")
    with app.app_context():
        ctx = ctx_for(app, world.home)
        minutes.save_minutes(ctx, services.get_meeting(ctx, open_id)[0], {"body": "Open **minutes**"})
        board = ctx_for(app, world.home, "survivor_advisor")
        minutes.save_minutes(board, services.get_meeting(board, advisory_id)[0], {"body": "Advisory minutes"})
        db.session.commit()
    observer = login_as("observer")
    assert "Open <strong>minutes</strong>" in observer.get(f"{base}/{open_id}").text
    assert observer.get(f"{base}/{advisory_id}").status_code == 404


def test_approval_then_publication_emails_admitted_attendees_only(app, world):
    home = world.home
    ids = home.membership_ids
    meeting_id = schedule(app, home)
    next_id = schedule(app, home, date="2026-03-11", title="Next meeting")
    with app.app_context():
        ctx = ctx_for(app, home)
        meeting = services.get_meeting(ctx, meeting_id)[0]
        with pytest.raises(ServiceError, match="Approve the minutes"):
            minutes.publish_minutes(ctx, meeting, AFTER)
        minutes.save_minutes(ctx, meeting, {"body": "Sensitive detail XYZZY"})
        attendance.record_attendance(
            ctx,
            meeting,
            {"shown": [str(ids["member"]), str(ids["coordinator"])], "attended": [str(ids["member"])]},
            AFTER,
        )
        with pytest.raises(ServiceError) as early:
            minutes.approve_minutes(ctx, meeting, {"approved_in_meeting_id": str(next_id)}, NOW)
        assert early.value.field == "approved_in_meeting_id"
        minutes.approve_minutes(ctx, meeting, {"approved_in_meeting_id": str(next_id)}, AFTER + timedelta(days=1))
        with pytest.raises(ServiceError, match="can no longer change"):
            minutes.save_minutes(ctx, meeting, {"body": "changed after approval"})
        sent = minutes.publish_minutes(ctx, meeting, AFTER + timedelta(days=1))
        db.session.commit()
        assert sent == 1 and meeting.minutes_approved_in_meeting_id == next_id and meeting.minutes_published_at
        with pytest.raises(ServiceError, match="published already"):
            minutes.publish_minutes(ctx, meeting, AFTER + timedelta(days=1))
    mails = outbox(app, kind="minutes_published")
    assert [m.to_address for m in mails] == [home.members["member"].email]
    assert "XYZZY" not in mails[0].text_body and "XYZZY" not in mails[0].html_body


def test_an_action_item_from_a_meeting_joins_the_action_plan(app, world, login_as, base):
    meeting_id = schedule(app, world.home)
    client = login_as("coordinator")
    assert client.get(f"{base}/{meeting_id}/actions/new").status_code == 200
    response = client.post(
        f"{base}/{meeting_id}/actions/new",
        data={
            "title": "Draft the referral protocol",
            "assignee_membership_id": str(world.home.membership_ids["member"]),
            "status": "open",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        item = db.session.scalars(select(ActionItem)).one()
        assert (
            item.meeting_id == meeting_id and item.created_by_membership_id == world.home.membership_ids["coordinator"]
        )
    page = client.get(f"{base}/{meeting_id}").text
    assert "Draft the referral protocol" in page
    detail = client.get(f"/p/{world.home.slug}/actions/{item.id}").text
    assert f"/meetings/{meeting_id}#meeting-actions" in detail
    plan = client.get(f"/p/{world.home.slug}/actions").text
    assert "Draft the referral protocol" in plan
    bad = client.post(f"{base}/{meeting_id}/actions/new", data={"title": "", "status": "open"})
    assert bad.status_code == 422
