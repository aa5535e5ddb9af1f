"""The agenda: building it (add, edit, remove, reorder with a version check), proposals, comments,
publishing through the outbox (confidentiality applies to who is emailed), outcomes and carrying
over, the pages, permissions per role, and bad input (422 at the field, nothing written)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import Model, db
from partnership_hub.meetings import agenda, services
from partnership_hub.meetings.models import AgendaComment, AgendaItem, Meeting, MeetingInvitee
from tests.factories import outbox, seat_on_board
from tests.meetings.conftest import schedule

SOON = (utcnow() + timedelta(days=9)).date().isoformat()


def upcoming(app, home, **overrides) -> int:
    """A meeting nine days ahead, 10:00–11:30 (90 minutes)."""
    return schedule(app, home, now=utcnow(), **({"date": SOON} | overrides))


def act(app, home, fn, meeting_id, *args, who="coordinator", **kwargs):
    """``fn(ctx, meeting, *args)`` as ``who``, committed."""
    with app.app_context():
        ctx = context_for(home.id, home.members[who].id)
        meeting, _ = services.get_meeting(ctx, meeting_id)
        value = fn(ctx, meeting, *args, **kwargs)
        db.session.commit()
        return _detached(value)


def on_item(app, home, fn, item_id, *args, who="coordinator", **kwargs):
    """``fn(ctx, meeting, item, *args)`` as ``who``, committed."""
    with app.app_context():
        ctx = context_for(home.id, home.members[who].id)
        item, meeting = agenda.get_item(ctx, item_id)
        value = fn(ctx, meeting, item, *args, **kwargs)
        db.session.commit()
        return _detached(value)


def _detached(value):
    """Records a service returned, loaded and usable after the app context ends."""
    for record in value if isinstance(value, tuple) else (value,):
        if isinstance(record, Model):
            db.session.refresh(record)
            db.session.expunge(record)
    return value


def item_data(title="Welcome and introductions", **overrides) -> dict:
    return {
        "title": title,
        "kind": "information",
        "presenter_membership_id": "",
        "minutes_allotted": "10",
        "notes": "",
        "links": "",
    } | overrides


def add(app, home, meeting_id, title, **overrides) -> int:
    return act(app, home, agenda.add_item, meeting_id, item_data(title, **overrides)).id


def items(app, home, meeting_id) -> list[AgendaItem]:
    """The meeting's items, accepted ones in agenda order then proposals (detached)."""
    with app.app_context():
        bind_tenant(db.session, home.id)
        found = list(
            db.session.scalars(
                select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(*agenda.AGENDA_ORDER)
            )
        )
        db.session.expunge_all()
        return found


def titles(app, home, meeting_id) -> list[str]:
    return [item.title for item in items(app, home, meeting_id)]


def version(app, home, meeting_id) -> int:
    with app.app_context():
        bind_tenant(db.session, home.id)
        return db.session.scalar(select(Meeting.version).where(Meeting.id == meeting_id))


def built(app, home, names=("One", "Two", "Three")) -> tuple[int, list[int]]:
    meeting_id = upcoming(app, home)
    return meeting_id, [add(app, home, meeting_id, name) for name in names]


# --- services --------------------------------------------------------------------------------------


def test_items_join_the_end_and_the_total_counts_accepted_time(app, home):
    meeting_id, _ = built(app, home)
    act(app, home, agenda.propose_item, meeting_id, item_data("A proposal", minutes_allotted="50"), who="member")
    assert titles(app, home, meeting_id) == ["One", "Two", "Three", "A proposal"]
    with app.app_context():
        ctx = context_for(home.id, home.members["coordinator"].id)
        meeting, _ = services.get_meeting(ctx, meeting_id)
        loaded = agenda.load_agenda(ctx, meeting)
    assert [row.item.title for row in loaded.items] == ["One", "Two", "Three"]
    assert [row.item.title for row in loaded.proposals] == ["A proposal"]
    assert (loaded.accepted_count, loaded.proposed_count, loaded.total_minutes, loaded.over_by) == (3, 1, 30, 0)


def test_time_beyond_the_meeting_length_is_allowed_with_a_warning(app, home, login_as, base):
    meeting_id = upcoming(app, home)
    add(app, home, meeting_id, "Long item", minutes_allotted="100")
    page = login_as("coordinator").get(f"{base}/{meeting_id}")
    assert page.status_code == 200
    assert "100 of 90 minutes allotted" in page.text
    assert "The items take 10 minutes more than the meeting's 90" in page.text


def test_moves_up_down_and_before_renumber_and_raise_the_version(app, home):
    meeting_id, (one, two, three) = built(app, home)
    start = version(app, home, meeting_id)
    assert on_item(app, home, agenda.move_item, three, version=start, direction="up") is True
    assert titles(app, home, meeting_id) == ["One", "Three", "Two"]
    assert on_item(app, home, agenda.move_item, one, version=start + 1, before="end") is True
    assert titles(app, home, meeting_id) == ["Three", "Two", "One"]
    assert on_item(app, home, agenda.move_item, one, version=start + 2, before=str(three)) is True
    assert titles(app, home, meeting_id) == ["One", "Three", "Two"]
    assert on_item(app, home, agenda.move_item, one, version=start + 3, direction="up") is False  # already first
    assert [i.position for i in items(app, home, meeting_id)] == [1, 2, 3]
    assert version(app, home, meeting_id) == start + 3


def test_a_stale_move_is_refused_and_moves_nothing(app, home):
    meeting_id, (one, two, three) = built(app, home)
    seen = version(app, home, meeting_id)
    on_item(app, home, agenda.move_item, three, version=seen, direction="up")  # someone else moves first
    with pytest.raises(agenda.StaleAgenda):
        on_item(app, home, agenda.move_item, one, version=seen, direction="down")
    assert titles(app, home, meeting_id) == ["One", "Three", "Two"]
    with pytest.raises(agenda.StaleAgenda):  # an item that has gone meanwhile
        on_item(app, home, agenda.move_item, one, version=seen + 1, before="999999")


def test_editing_and_removing_an_item(app, home):
    meeting_id, (one, two, _) = built(app, home)
    on_item(app, home, agenda.update_item, two, item_data("Two, renamed", kind="decision", links="https://x.org/a"))
    on_item(app, home, agenda.remove_item, one)
    [first, second] = items(app, home, meeting_id)
    assert (first.title, first.kind.value, first.links, second.title) == (
        "Two, renamed",
        "decision",
        "https://x.org/a",
        "Three",
    )


def test_proposals_are_accepted_to_the_end_or_declined(app, home):
    meeting_id, _ = built(app, home, ("One",))
    first = act(app, home, agenda.propose_item, meeting_id, item_data("Proposal A"), who="member").id
    second = act(app, home, agenda.propose_item, meeting_id, item_data("Proposal B"), who="survivor_advisor").id
    on_item(app, home, agenda.accept_item, first)
    on_item(app, home, agenda.decline_item, second)
    found = items(app, home, meeting_id)
    assert [(i.title, i.status.value) for i in found] == [("One", "accepted"), ("Proposal A", "accepted")]
    with pytest.raises(ServiceError):
        on_item(app, home, agenda.accept_item, first)


@pytest.mark.parametrize("cancelled", [True, False], ids=["cancelled", "past"])
def test_no_proposals_on_a_cancelled_or_past_meeting(app, home, cancelled):
    if cancelled:
        meeting_id = upcoming(app, home)
        with app.app_context():
            bind_tenant(db.session, home.id)
            db.session.execute(update(Meeting).where(Meeting.id == meeting_id).values(status="cancelled"))
            db.session.commit()
    else:
        meeting_id = upcoming(app, home, date=(utcnow() - timedelta(days=2)).date().isoformat())
    with pytest.raises(ServiceError) as refused:
        act(app, home, agenda.propose_item, meeting_id, item_data("Late"), who="member")
    assert refused.value.field == "title"
    assert items(app, home, meeting_id) == []


def test_comments_show_the_latest_few_with_a_count_and_authors_delete_their_own(app, home):
    meeting_id, (one, _, _) = built(app, home)
    for n in range(5):
        on_item(app, home, agenda.add_comment, one, f"Comment {n}", who="member")
    with app.app_context():
        ctx = context_for(home.id, home.members["coordinator"].id)
        meeting, _ = services.get_meeting(ctx, meeting_id)
        row = agenda.load_agenda(ctx, meeting).rows[0]
    assert row.comment_count == 5 and row.more_comments == 5 - agenda.COMMENTS_SHOWN
    assert [c.body for c in row.comments] == ["Comment 4", "Comment 3", "Comment 2"]
    with pytest.raises(ServiceError):
        on_item(app, home, agenda.add_comment, one, "   ", who="member")


# --- publishing ------------------------------------------------------------------------------------


def test_publishing_emails_the_invitees_once_per_version(app, home):
    meeting_id, _ = built(app, home, ("Budget review",))
    assert act(app, home, agenda.publish_agenda, meeting_id) == 3  # everyone but the observer
    sent = outbox(app, kind="agenda_published")
    assert sorted(m.to_address for m in sent) == sorted(
        home.members[role].email for role in ("coordinator", "member", "survivor_advisor")
    )
    assert "Budget review" in sent[0].text_body and f"/meetings/{meeting_id}" in sent[0].text_body
    assert act(app, home, agenda.publish_agenda, meeting_id) == 0  # nothing changed: nothing sent again
    add(app, home, meeting_id, "Late addition")
    assert act(app, home, agenda.publish_agenda, meeting_id) == 3
    updated = [m for m in outbox(app, kind="agenda_published") if m.subject.startswith("Agenda updated")]
    assert len(updated) == 3 and "Late addition" in updated[0].text_body


def test_an_advisory_meetings_agenda_goes_only_to_people_admitted_to_it(app, home):
    # The board: the survivor advisor (its chair, who runs the meeting) and a member it seated. The
    # coordinator, who scheduled the meeting but does not sit on the board, is not admitted.
    seat_on_board(app, home, "survivor_advisor", "member", chair="survivor_advisor")
    meeting_id = upcoming(app, home, kind="advisory_board", title="Survivor advisory board")
    act(app, home, agenda.add_item, meeting_id, item_data("Confidential topic"), who="survivor_advisor")
    act(app, home, agenda.publish_agenda, meeting_id, who="survivor_advisor")
    to = sorted(m.to_address for m in outbox(app))
    assert to == sorted(home.members[role].email for role in ("member", "survivor_advisor"))
    assert outbox(app, to=home.members["coordinator"].email) == []


def test_a_meeting_for_chosen_people_emails_only_them(app, home):
    meeting_id, _ = built(app, home, ("One",))
    with app.app_context():
        bind_tenant(db.session, home.id)
        db.session.execute(update(Meeting).where(Meeting.id == meeting_id).values(invite_scope="selected"))
        db.session.add(MeetingInvitee(meeting_id=meeting_id, membership_id=home.membership_ids["member"]))
        db.session.commit()
    assert act(app, home, agenda.publish_agenda, meeting_id) == 1
    assert [m.to_address for m in outbox(app)] == [home.members["member"].email]


def test_an_empty_agenda_is_not_published(app, home):
    meeting_id = upcoming(app, home)
    with pytest.raises(ServiceError):
        act(app, home, agenda.publish_agenda, meeting_id)
    assert outbox(app) == []


# --- after the meeting -----------------------------------------------------------------------------


def test_items_not_reached_carry_over_to_the_next_occurrence_once(app, home):
    first_day = (utcnow() - timedelta(days=3)).date().isoformat()
    first = schedule(app, home, now=utcnow(), date=first_day, repeat="weekly:1", repeat_count="3")
    done, missed, other = (add(app, home, first, name) for name in ("Done", "Missed", "Also missed"))
    on_item(app, home, agenda.set_outcome, done, "discussed")
    on_item(app, home, agenda.set_outcome, missed, "not_reached")
    on_item(app, home, agenda.set_outcome, other, "not_reached")
    target, count = act(app, home, agenda.carry_over, first)
    assert count == 2
    carried = items(app, home, target.id)
    assert [(i.title, i.carried_from_id, i.outcome) for i in carried] == [
        ("Missed", missed, None),
        ("Also missed", other, None),
    ]
    with pytest.raises(ServiceError):  # nothing left to carry: nothing carried twice
        act(app, home, agenda.carry_over, first)
    assert len(items(app, home, target.id)) == 2


def test_outcomes_wait_for_the_meeting(app, home):
    meeting_id, (one, _, _) = built(app, home)
    with pytest.raises(ServiceError):
        on_item(app, home, agenda.set_outcome, one, "discussed")


# --- the pages -------------------------------------------------------------------------------------


def post_item(**overrides) -> dict:
    return item_data(**({"title": "Partnership updates"} | overrides))


def test_a_coordinator_builds_the_agenda_in_the_browser_flow(login_as, app, home, base):
    meeting_id = upcoming(app, home)
    client = login_as("coordinator")
    form = client.get(f"{base}/{meeting_id}/agenda/new")
    assert form.status_code == 200 and "Include survivor perspectives." in form.text
    response = client.post(
        f"{base}/{meeting_id}/agenda/new",
        data=post_item(presenter_membership_id=str(home.membership_ids["member"]), links="https://example.org/plan"),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/meetings/{meeting_id}#meeting-agenda")
    [item] = items(app, home, meeting_id)
    assert (item.status.value, item.presenter_membership_id, item.links) == (
        "accepted",
        home.membership_ids["member"],
        "https://example.org/plan",
    )
    page = client.get(f"{base}/{meeting_id}").text
    assert "Partnership updates" in page and "Presented by Member Person" in page and "Publish the agenda" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter the item"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"minutes_allotted": "-5"}, "minutes_allotted", "whole minutes"),
        ({"minutes_allotted": "100000"}, "minutes_allotted", "whole minutes"),
        ({"minutes_allotted": "ten"}, "minutes_allotted", "whole minutes"),
        ({"links": "javascript:alert(1)"}, "links", "starting with https://"),
        ({"links": "https://ok.example.org\nftp://files.example.org"}, "links", "starting with https://"),
        ({"kind": "gossip"}, "kind", "information, discussion or decision"),
        ({"presenter_membership_id": "999999"}, "presenter_membership_id", "Choose a presenter"),
    ],
)
def test_bad_input_is_answered_at_the_field_with_422_and_nothing_written(
    login_as, app, home, base, overrides, field, message
):
    meeting_id = upcoming(app, home)
    before = version(app, home, meeting_id)
    response = login_as("coordinator").post(f"{base}/{meeting_id}/agenda/new", data=post_item(**overrides))
    assert response.status_code == 422
    assert message in response.text and f'id="{field}-error"' in response.text
    assert items(app, home, meeting_id) == [] and version(app, home, meeting_id) == before


def test_proposing_on_a_past_meeting_is_a_422_at_the_field(login_as, app, home, base):
    meeting_id = upcoming(app, home, date=(utcnow() - timedelta(days=2)).date().isoformat())
    response = login_as("member").post(f"{base}/{meeting_id}/agenda/new", data=post_item())
    assert response.status_code == 422 and "already started" in response.text
    assert items(app, home, meeting_id) == []


def test_a_stale_reorder_answers_422_with_the_agenda_as_it_is_now(login_as, app, home, base):
    meeting_id, (one, _, three) = built(app, home)
    seen = version(app, home, meeting_id)
    client = login_as("coordinator")
    first = client.post(
        f"{base}/agenda-items/{three}/move", data={"version": seen, "direction": "up"}, headers={"HX-Request": "true"}
    )
    assert first.status_code == 200 and first.text.index("Three") < first.text.index("Two")
    assert f'name="version" value="{seen + 1}"' in first.text
    stale = client.post(
        f"{base}/agenda-items/{one}/move", data={"version": seen, "direction": "down"}, headers={"HX-Request": "true"}
    )
    assert stale.status_code == 422 and "The agenda changed while you were looking at it" in stale.text
    assert stale.text.index("One") < stale.text.index("Three") < stale.text.index("Two")  # the fresh list
    plain = client.post(f"{base}/agenda-items/{one}/move", data={"version": seen, "direction": "down"})
    assert plain.status_code == 422 and "The agenda changed" in plain.text and "<h1>Agenda of" in plain.text
    assert titles(app, home, meeting_id) == ["One", "Three", "Two"]


def test_a_plain_move_redirects_back_to_the_agenda(login_as, app, home, base):
    meeting_id, (one, _, _) = built(app, home)
    response = login_as("coordinator").post(
        f"{base}/agenda-items/{one}/move", data={"version": version(app, home, meeting_id), "before": "end"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#meeting-agenda")
    assert titles(app, home, meeting_id) == ["Two", "Three", "One"]


def test_members_propose_and_comment_but_do_not_build(login_as, app, home, base):
    meeting_id, (one, _, _) = built(app, home)
    member = login_as("member")
    page = member.get(f"{base}/{meeting_id}").text
    assert "Propose an item" in page and "Move up" not in page and "Publish the agenda" not in page
    assert member.post(f"{base}/{meeting_id}/agenda/new", data=post_item(title="My idea")).status_code == 302
    assert [(i.title, i.status.value) for i in items(app, home, meeting_id)][-1] == ("My idea", "proposed")
    for url in (f"/agenda-items/{one}/move", f"/agenda-items/{one}/remove", f"/{meeting_id}/agenda/publish"):
        assert member.post(f"{base}{url}", data={"version": "1", "direction": "down"}).status_code == 403
    assert member.get(f"{base}/agenda-items/{one}/edit").status_code == 403
    response = member.post(f"{base}/agenda-items/{one}/comments", data={"body": "I can bring the numbers."})
    assert response.status_code == 302
    assert "I can bring the numbers." in member.get(f"{base}/{meeting_id}").text


def test_the_facilitator_builds_the_agenda_of_their_meeting(login_as, app, home, base):
    meeting_id = upcoming(app, home, facilitator_membership_id=str(home.membership_ids["member"]))
    client = login_as("member")
    assert client.post(f"{base}/{meeting_id}/agenda/new", data=post_item()).status_code == 302
    assert [i.status.value for i in items(app, home, meeting_id)] == ["accepted"]


def test_observers_read_the_agenda_and_nothing_more(login_as, app, home, base):
    meeting_id, (one, _, _) = built(app, home)
    observer = login_as("observer")
    page = observer.get(f"{base}/{meeting_id}")
    assert page.status_code == 200 and "One" in page.text
    assert "Propose an item" not in page.text and "Add comment" not in page.text
    assert observer.get(f"{base}/{meeting_id}/agenda").status_code == 200
    assert observer.get(f"{base}/{meeting_id}/agenda/print").status_code == 200
    assert observer.get(f"{base}/{meeting_id}/agenda/new").status_code == 403
    assert observer.post(f"{base}/{meeting_id}/agenda/new", data=post_item()).status_code == 403
    assert observer.post(f"{base}/agenda-items/{one}/comments", data={"body": "Hi"}).status_code == 403
    advisory = upcoming(app, home, kind="advisory_board")
    assert observer.get(f"{base}/{advisory}/agenda").status_code == 404
    assert login_as("member").get(f"{base}/{advisory}/agenda/print").status_code == 404
    assert len(items(app, home, meeting_id)) == 3


def test_only_the_author_deletes_a_comment(login_as, app, home, base):
    meeting_id, (one, _, _) = built(app, home)
    comment_id = on_item(app, home, agenda.add_comment, one, "Mine", who="member").id
    assert login_as("survivor_advisor").post(f"{base}/agenda-comments/{comment_id}/delete").status_code == 403
    assert login_as("coordinator").post(f"{base}/agenda-comments/{comment_id}/delete").status_code == 403
    assert login_as("member").post(f"{base}/agenda-comments/{comment_id}/delete").status_code == 302
    with app.app_context():
        bind_tenant(db.session, home.id)
        assert db.session.scalars(select(AgendaComment)).all() == []


def test_publishing_from_the_page(login_as, app, home, base):
    meeting_id, _ = built(app, home, ("One",))
    response = login_as("coordinator").post(f"{base}/{meeting_id}/agenda/publish", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "3 people were told" in response.text
    assert "Send the updated agenda" in response.text and len(outbox(app)) == 3


def test_the_print_view_has_the_agenda_without_controls(login_as, app, home, base):
    meeting_id, _ = built(app, home)
    html = login_as("member").get(f"{base}/{meeting_id}/agenda/print").text
    printed = html[html.index('<article class="agenda-print">') : html.index("</article>")]
    assert "<form" not in printed and "<button" not in printed and "<nav" not in printed
    assert printed.index("One") < printed.index("Two") < printed.index("Three")
