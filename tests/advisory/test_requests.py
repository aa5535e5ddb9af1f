"""Participation requests, through the services: delivery to board members with room under their monthly
limit (never the requester), the at-capacity path, the month in the partnership's time zone, answers (once
each, the request settled when enough accepted), the emails, the audit trail and who sees it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from partnership_hub.accounts import services as accounts
from partnership_hub.advisory import board as board_section
from partnership_hub.advisory import requests as participation
from partnership_hub.advisory.requests_models import (
    ParticipationLimit,
    ParticipationRequest,
    RequestDelivery,
    RequestStatus,
)
from partnership_hub.audit import queries as audit_queries
from partnership_hub.audit.models import AuditEntry
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.demo import PEOPLE
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.workspaces import services as workspaces
from partnership_hub.workspaces.models import Membership, User
from tests import factories
from tests.advisory.requests_helpers import (
    SECOND,
    answer,
    board,
    call,
    count_deliveries,
    deliveries_of,
    delivery_id,
    file,
    form,
    requests_of,
    set_limit,
    set_zone,
)


@pytest.fixture
def seated(app, world):
    board(app, world)
    return world


def ids(world, *who: str) -> set[int]:
    return {world.home.membership_ids[key] for key in who}


def test_a_request_reaches_every_board_member_with_room_and_not_the_requester(app, seated):
    world = seated
    factories.seat_on_board(app, world.home, "coordinator")  # the coordinator sits on the board too, and asks
    request_id = file(app, world, "coordinator", title="Review of the intake form")
    [request] = requests_of(app, world.home)
    assert request.status == RequestStatus.OPEN
    assert set(deliveries_of(app, world.home, request_id)) == ids(world, "survivor_advisor", SECOND)
    assert set(deliveries_of(app, world.home, request_id).values()) == {"pending"}

    mail = factories.outbox(app, kind="advisory_request")
    assert sorted(m.to_address for m in mail) == sorted(
        [world.user("survivor_advisor").email, world.home.members[SECOND].email]
    )
    for message in mail:  # the ask's text and title stay out of the subject
        assert "intake" not in message.subject and "library" not in message.subject
        assert "library" not in message.text_body
        assert "/advisory/requests/inbox" in message.text_body


def test_each_member_gets_requests_only_up_to_their_monthly_limit(app, seated):
    world = seated
    set_limit(app, world, "survivor_advisor", 1)  # the second advisor keeps the usual 2
    first = file(app, world)
    second = file(app, world)
    third = file(app, world)
    assert set(deliveries_of(app, world.home, first)) == ids(world, "survivor_advisor", SECOND)
    assert set(deliveries_of(app, world.home, second)) == ids(world, SECOND)
    assert deliveries_of(app, world.home, third) == {}
    assert [r.status for r in requests_of(app, world.home)] == [
        RequestStatus.OPEN,
        RequestStatus.OPEN,
        RequestStatus.AT_CAPACITY,
    ]


def test_a_limit_of_zero_means_not_taking_requests(app, seated):
    world = seated
    set_limit(app, world, "survivor_advisor", 0)
    set_limit(app, world, SECOND, 0)
    request_id = file(app, world)
    assert deliveries_of(app, world.home, request_id) == {}
    assert requests_of(app, world.home)[0].status == RequestStatus.AT_CAPACITY
    assert factories.outbox(app, kind="advisory_request") == []


def test_with_nobody_on_the_board_a_request_is_at_capacity(app, world):
    file(app, world)
    assert requests_of(app, world.home)[0].status == RequestStatus.AT_CAPACITY
    assert count_deliveries(app, world.home) == 0


def test_the_month_is_the_partnerships_own(app, seated):
    """Denver: 23:30 on 31 March is already 1 April in UTC. With a limit of one, a request then counts for
    March, so a second at 00:30 local on 1 April reaches the advisor again, and a third that day does not."""
    world = seated
    set_zone(app, world.home, "America/Denver")
    set_limit(app, world, "survivor_advisor", 1)
    set_limit(app, world, SECOND, 0)
    march_31 = datetime(2026, 4, 1, 5, 30, tzinfo=UTC)  # 23:30 MDT on 31 March
    late_march = datetime(2026, 4, 1, 5, 45, tzinfo=UTC)  # 23:45 MDT on 31 March
    april_1 = datetime(2026, 4, 1, 6, 30, tzinfo=UTC)  # 00:30 MDT on 1 April
    needed = {"needed_on": "2026-04-20"}
    assert deliveries_of(app, world.home, file(app, world, now=march_31, **needed))
    assert not deliveries_of(app, world.home, file(app, world, now=late_march, **needed))
    assert deliveries_of(app, world.home, file(app, world, now=april_1, **needed))
    assert not deliveries_of(app, world.home, file(app, world, now=april_1, **needed))
    with app.app_context():
        ctx = context_for(world.home.id)
        assert participation.month_start(ctx, april_1) == datetime(2026, 4, 1, 6, 0, tzinfo=UTC)
        assert participation.month_start(ctx, march_31) == datetime(2026, 3, 1, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "lecture"}, "kind", "Choose what you are asking for"),
        ({"title": "  "}, "title", "short title"),
        ({"ask": ""}, "ask", "Describe what you are asking for"),
        ({"hours": ""}, "hours", "how many hours"),
        ({"hours": "two"}, "hours", "as a number"),
        ({"hours": "0"}, "hours", "more than 0 and at most 40"),
        ({"hours": "40.5"}, "hours", "more than 0 and at most 40"),
        ({"hours": "1.255"}, "hours", "two decimals at most"),
        ({"needed_on": "2020-01-01"}, "needed_on", "has passed"),
        ({"needed_on": "soon"}, "needed_on", "YYYY-MM-DD"),
        ({"needed_on": ""}, "needed_on", "Give the date"),
        ({"pay_basis": "free"}, "pay_basis", "Choose what you offer"),
        ({"pay_amount": ""}, "pay_amount", "Enter the amount you offer"),
        ({"pay_amount": "-5"}, "pay_amount", "cannot be negative"),
        ({"pay_amount": "lots"}, "pay_amount", "like 150"),
        ({"pay_currency": "XYZ"}, "pay_currency", "Choose a currency"),
        ({"pay_currency": "JPY", "pay_amount": "150.50"}, "pay_amount", "whole amount"),
        ({"advisors_wanted": "6"}, "advisors_wanted", "from 1 to 5"),
        ({"advisors_wanted": "0"}, "advisors_wanted", "from 1 to 5"),
    ],
)
def test_bad_requests_are_refused_at_their_field(app, seated, change, field, message):
    with app.app_context():
        ctx = context_for(seated.home.id, seated.user("member").id)
        with pytest.raises(ServiceError) as refused:
            participation.file_request(ctx, form(**change))
        assert refused.value.field == field and message in refused.value.message


def test_the_boards_rates_store_no_amount(app, seated):
    file(app, seated, pay_basis="rates", pay_amount="999")
    [request] = requests_of(app, seated.home)
    assert request.pay_amount is None and request.pay_currency is None
    file(app, seated, pay_amount="1,250.5", pay_currency="eur")
    assert requests_of(app, seated.home)[1].pay_currency == "EUR"
    assert str(requests_of(app, seated.home)[1].pay_amount) == "1250.50"


def test_an_acceptance_names_the_advisor_to_the_requester(app, seated):
    world = seated
    request_id = file(app, world)
    answer(app, world, "survivor_advisor", request_id, "accept", note="Email me at my work address.")
    [request] = requests_of(app, world.home)
    assert request.status == RequestStatus.ACCEPTED  # one advisor was wanted
    [mail] = factories.outbox(app, kind="advisory_request_answered")
    assert mail.to_address == world.user("member").email
    assert world.user("survivor_advisor").name in mail.text_body and "Email me at my work address." in mail.text_body
    assert world.user("survivor_advisor").name not in mail.subject


def test_a_decline_reaches_the_requester_without_a_name(app, seated):
    world = seated
    request_id = file(app, world, advisors_wanted="2")
    answer(app, world, SECOND, request_id, "decline", note="Not this month, sorry.")
    [mail] = factories.outbox(app, kind="advisory_request_answered")
    assert world.home.members[SECOND].name not in mail.text_body + mail.html_body + mail.subject
    assert "An advisor declined" in mail.text_body and "Not this month" in mail.text_body
    assert requests_of(app, world.home)[0].status == RequestStatus.OPEN  # the chair has not answered
    answer(app, world, "survivor_advisor", request_id, "decline")
    assert requests_of(app, world.home)[0].status == RequestStatus.DECLINED


def test_each_delivery_is_answered_once_and_a_settled_request_needs_no_more(app, seated):
    world = seated
    request_id = file(app, world)  # one advisor wanted, two reached
    answer(app, world, "survivor_advisor", request_id, "accept")
    with pytest.raises(ServiceError, match="answered this request already"):
        answer(app, world, "survivor_advisor", request_id, "decline")
    with pytest.raises(ServiceError, match="needs no more answers"):
        answer(app, world, SECOND, request_id, "accept")
    assert deliveries_of(app, world.home, request_id) == {
        world.home.membership_ids["survivor_advisor"]: "accepted",
        world.home.membership_ids[SECOND]: "pending",
    }
    assert len(factories.outbox(app, kind="advisory_request_answered")) == 1


def test_an_answer_must_be_accept_or_decline_and_a_note_has_a_limit(app, seated):
    world = seated
    request_id = file(app, world)
    with pytest.raises(ServiceError, match="Choose Accept or Decline"):
        answer(app, world, "survivor_advisor", request_id, "maybe")
    with pytest.raises(ServiceError, match="at most 1,000"):
        answer(app, world, "survivor_advisor", request_id, "accept", note="x" * 1001)
    assert set(deliveries_of(app, world.home, request_id).values()) == {"pending"}


def test_someone_elses_delivery_is_not_found(app, seated):
    world = seated
    request_id = file(app, world)
    theirs = delivery_id(app, world, SECOND, request_id)
    with app.app_context():
        ctx = context_for(world.home.id, world.user("survivor_advisor").id)
        with pytest.raises(NotFound):
            participation.get_delivery(ctx, theirs)


def test_setting_a_limit_is_for_board_members_and_bounded(app, seated):
    world = seated
    with pytest.raises(ServiceError, match="sit on the board"):
        set_limit(app, world, "member", 3)
    for bad in ("21", "-1", "two", ""):
        with pytest.raises(ServiceError, match="from 0 to 20"):
            call(app, world, "survivor_advisor", participation.set_limit, {"monthly_limit": bad})
    set_limit(app, world, "survivor_advisor", 4)
    set_limit(app, world, "survivor_advisor", 5)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert [row.monthly_limit for row in db.session.scalars(select(ParticipationLimit))] == [5]


def _feed_actions(app, world, who: str) -> set[str]:
    with app.app_context():
        ctx = context_for(world.home.id, world.home.members[who].id)
        return {item.entry.action for item in audit_queries.latest(ctx, 50)}


def test_the_feed_shows_requests_to_those_involved_and_declines_never_to_the_requester(app, seated):
    world = seated
    request_id = file(app, world, advisors_wanted="2")
    answer(app, world, SECOND, request_id, "decline")
    set_limit(app, world, "survivor_advisor", 3)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"participation_request.filed", "participation_request.declined", "participation_limit.set"} <= actions
    requester = _feed_actions(app, world, "member")
    assert "participation_request.filed" in requester
    assert "participation_request.declined" not in requester and "participation_limit.set" not in requester
    assert {"participation_request.filed", "participation_request.declined"} <= _feed_actions(app, world, SECOND)
    assert "participation_limit.set" not in _feed_actions(app, world, SECOND)
    everything = _feed_actions(app, world, "coordinator")
    assert {"participation_request.filed", "participation_request.declined", "participation_limit.set"} <= everything
    nothing = _feed_actions(app, world, "observer")
    assert not any(action.startswith("participation_") for action in nothing)


def test_audit_entries_hold_ids_not_text(app, seated):
    world = seated
    request_id = file(app, world, title="Secret title", ask="Secret ask")
    answer(app, world, "survivor_advisor", request_id, "accept", note="Secret note")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        for entry in db.session.scalars(select(AuditEntry)):
            assert "Secret" not in repr(entry.details)


def test_the_demo_has_a_pending_panel_and_an_earlier_acceptance(app):
    """The demo's people and board, then this section's demo (the whole demo is tests/test_demo.py's)."""
    with app.app_context():
        users = {
            local: accounts.create_user(name, f"{local}@example.org", factories.PASSWORD, verified=True)
            for name, local, _role in PEOPLE
        }
        ctx = workspaces.create_partnership(users["coordinator"], "Demo", time_zone="America/Denver")
        bind_tenant(db.session, ctx.partnership.id, users["coordinator"].id)
        db.session.add_all(Membership(user_id=users[local].id, role=role) for _name, local, role in PEOPLE[1:])
        db.session.flush()
        board_section.seed_demo(ctx, users)
        participation.seed_demo(ctx, users)
        db.session.commit()
        people = select(Membership.id, User.name).join(User, User.id == Membership.user_id)
        names = {membership_id: name for membership_id, name in db.session.execute(people)}
        requests = {r.title: r for r in db.session.scalars(select(ParticipationRequest))}
        panel = requests["Panel talk for the awareness month"]
        review = requests["Review of the shelter intake form"]
        assert panel.status == RequestStatus.OPEN and review.status == RequestStatus.ACCEPTED

        def answers(request_id):
            rows = db.session.execute(
                select(RequestDelivery.membership_id, RequestDelivery.status).where(
                    RequestDelivery.request_id == request_id
                )
            )
            return {names[membership_id]: status.value for membership_id, status in rows}

        assert answers(panel.id) == {"Jordan Reyes": "pending", "Noor Haddad": "pending"}  # Amara takes none now
        assert answers(review.id)["Jordan Reyes"] == "accepted"
