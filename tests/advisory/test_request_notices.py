"""Participation requests through the notices (issue #15, "other notices"): a request reaches the board
members with room (the delivery logic decides who) as ``advisory_request``, an answer reaches the requester
as ``advisory_request_answered``; by email and in the notification centre as each person chose, once per
request and person (per answer for the requester), the centre entries naming no request and no advisor,
and an advisor in safe mode still getting only the neutral email."""

from __future__ import annotations

from sqlalchemy import select

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.notifications.models import Notification, NotificationPreference
from partnership_hub.notifications.services import SAFE_SUBJECT
from tests import factories
from tests.advisory.requests_helpers import SECOND, answer, board, file, set_limit
from tests.advisory.safety_helpers import save
from tests.advisory.test_safety_mail import NEUTRAL_SENDER, problems

REQUEST, ANSWERED = "advisory_request", "advisory_request_answered"
TITLE = "Panel on labor trafficking at the library"


def centre(app, partnership, kind: str) -> list[tuple[int, str, str]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(Notification.membership_id, Notification.title, Notification.url).where(Notification.kind == kind)
        return [tuple(row) for row in db.session.execute(stmt.order_by(Notification.id))]


def prefer(app, partnership, who: str, **fields) -> None:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add(NotificationPreference(membership_id=partnership.membership_ids[who], **fields))
        db.session.commit()


def test_a_request_is_told_to_the_members_it_reached_by_email_and_in_the_centre(app, world):
    board(app, world)
    set_limit(app, world, SECOND, 0)  # not taking requests: the delivery logic leaves them out
    request_id = file(app, world, title=TITLE)
    advisor = world.home.membership_ids["survivor_advisor"]
    [mail] = factories.outbox(app, kind=REQUEST)
    assert mail.to_address == world.user("survivor_advisor").email
    assert mail.dedup_key == f"{REQUEST}:request-{request_id}:{advisor}"
    assert TITLE not in mail.subject + mail.text_body + mail.html_body  # the ask stays on its page
    assert "Choose which emails you get" in mail.text_body and "List-Unsubscribe" in (mail.headers or "")
    path = f"/p/{world.home.slug}/advisory/requests/inbox"
    assert centre(app, world.home, REQUEST) == [
        (advisor, "A request for your time reached you through the advisory board", path)
    ]


def test_a_board_member_of_any_role_is_told(app, world):
    """A seat, not the role, brings requests: a coordinator who sits on the board is told like an advisor."""
    board(app, world, "coordinator")
    file(app, world)
    told = {m.to_address for m in factories.outbox(app, kind=REQUEST)}
    assert told == {
        world.user("survivor_advisor").email,
        world.home.members[SECOND].email,
        world.user("coordinator").email,
    }
    assert len(centre(app, world.home, REQUEST)) == 3


def test_each_member_is_told_as_they_chose(app, world):
    board(app, world)
    prefer(app, world.home, "survivor_advisor", email_off=REQUEST)  # the centre only
    prefer(app, world.home, SECOND, app_off=REQUEST)  # email only
    file(app, world)
    assert [m.to_address for m in factories.outbox(app, kind=REQUEST)] == [world.home.members[SECOND].email]
    assert [row[0] for row in centre(app, world.home, REQUEST)] == [world.home.membership_ids["survivor_advisor"]]


def test_an_advisor_in_safe_mode_gets_the_neutral_email_and_a_neutral_entry(app, world):
    app.config["MAIL_DEFAULT_SENDER"] = NEUTRAL_SENDER  # the operator's to choose (the safe-mode tests' own)
    board(app, world)
    save(app, world.home, allow_email=True, safe_mode=True)
    file(app, world, title=TITLE)
    advisor_mail = factories.outbox(app, to=world.user("survivor_advisor").email)
    assert [m.kind for m in advisor_mail] == [REQUEST]  # its own kind and key, so it is still sent once
    [mail] = advisor_mail
    assert mail.subject == SAFE_SUBJECT
    with app.app_context():
        assert problems(mail, world.home) == []  # the safe-mode check every email to an advisor passes
    # In the app, where the advisor reads it signed in, the entry names no request either.
    entries = dict((row[0], row[1]) for row in centre(app, world.home, REQUEST))
    assert TITLE not in entries[world.home.membership_ids["survivor_advisor"]]
    # The other advisor, not in safe mode, gets the ordinary email.
    [other] = factories.outbox(app, to=world.home.members[SECOND].email)
    assert other.subject == "A request for your time, through the advisory board"


def test_an_advisor_who_allows_no_email_is_told_in_the_app_only(app, world):
    board(app, world)
    save(app, world.home, allow_email=False, allow_text=True, phone="+1 303 555 0142")
    file(app, world)
    assert factories.outbox(app, to=world.user("survivor_advisor").email) == []
    assert world.home.membership_ids["survivor_advisor"] in {row[0] for row in centre(app, world.home, REQUEST)}


def test_an_answer_is_told_to_the_requester_once_and_the_entry_names_nobody(app, world):
    board(app, world)
    request_id = file(app, world, title=TITLE, advisors_wanted="2")
    answer(app, world, "survivor_advisor", request_id, "accept", note="Happy to help.")
    answer(app, world, SECOND, request_id, "decline")
    mails = factories.outbox(app, kind=ANSWERED)
    assert [m.to_address for m in mails] == [world.user("member").email] * 2
    requester = world.home.membership_ids["member"]
    assert len({m.dedup_key for m in mails}) == 2
    assert all(m.dedup_key.startswith(f"{ANSWERED}:request-{request_id}:delivery-") for m in mails)
    assert all(m.dedup_key.endswith(f":{requester}") for m in mails)
    accepted, declined = mails
    assert world.user("survivor_advisor").name in accepted.text_body and TITLE in accepted.text_body
    assert world.home.members[SECOND].name not in declined.text_body + declined.html_body
    assert "Choose which emails you get" in accepted.text_body
    entries = centre(app, world.home, ANSWERED)
    path = f"/p/{world.home.slug}/advisory/requests/{request_id}"
    assert entries == [
        (requester, "An advisor accepted your request to the board", path),
        (requester, "An answer to your request to the board", path),
    ]
    for _, title, _ in entries:
        names = (world.user("survivor_advisor").name, world.home.members[SECOND].name)
        assert TITLE not in title and not any(name in title for name in names)


def test_a_requester_who_turned_answers_off_gets_no_email_but_the_entry(app, world):
    board(app, world)
    prefer(app, world.home, "member", email_off=ANSWERED)
    request_id = file(app, world)
    answer(app, world, "survivor_advisor", request_id, "accept")
    assert factories.outbox(app, kind=ANSWERED) == []
    assert [row[0] for row in centre(app, world.home, ANSWERED)] == [world.home.membership_ids["member"]]
