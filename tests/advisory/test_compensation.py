"""Compensation's services: who can be paid, rates (a person's before their role's, history by start
day), payments (bad input refused with nothing written, marking paid, removal only while owed, a payee
who leaves the partnership), the totals per period and person, the feed's visibility, the guide's fact."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from partnership_hub.advisory import compensation
from partnership_hub.advisory.board_models import BoardSeat
from partnership_hub.advisory.compensation_models import AdvisorPayment, AdvisoryRate, PaymentStatus
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant, select_scalars
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.workspaces import services as workspaces
from partnership_hub.workspaces.models import Membership
from partnership_hub.workspaces.services import context_for
from tests import factories


def as_role(app, world, role: str = "coordinator"):
    """A context for ``role`` of the home partnership (call inside an app context)."""
    return context_for(world.home.id, world.user(role).id)


def role_ids(app, world) -> dict[str, int]:
    from partnership_hub.advisory import board

    with app.app_context():
        ctx = as_role(app, world)
        board.ensure_default_roles(ctx)
        db.session.commit()
        return {role.name: role.id for role in board.roles(ctx)}


def make_rate(app, world, **data) -> int:
    with app.app_context():
        rate = compensation.create_rate(as_role(app, world), {"kind": "hourly", "amount": "50", **data})
        db.session.commit()
        return rate.id


def payment_data(world, role: str = "survivor_advisor", **fields) -> dict:
    return {
        "membership_id": str(world.home.membership_ids[role]),
        "for_what": "Panel at the spring training (3 hours)",
        "work_date": "2026-03-14",
        "amount": "150",
        "currency": "USD",
        "method": "bank_transfer",
        "status": "owed",
        **fields,
    }


def make_payment(app, world, role: str = "survivor_advisor", **fields) -> int:
    with app.app_context():
        payment = compensation.record_payment(as_role(app, world), payment_data(world, role, **fields))
        db.session.commit()
        return payment.id


def payments(app, partnership) -> list[AdvisorPayment]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = list(db.session.scalars(select(AdvisorPayment).order_by(AdvisorPayment.id)))
        db.session.expunge_all()
        return found


def rates(app, partnership) -> list[AdvisoryRate]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = list(db.session.scalars(select(AdvisoryRate).order_by(AdvisoryRate.id)))
        db.session.expunge_all()
        return found


def audit_actions(app, partnership, prefix: str) -> list[tuple[str, dict]]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        stmt = select(AuditEntry.action, AuditEntry.details).where(AuditEntry.action.startswith(prefix))
        return [(action, details) for action, details in db.session.execute(stmt.order_by(AuditEntry.id))]


# --- who can be paid ------------------------------------------------------------------------------


def test_survivor_advisors_and_board_members_can_be_paid_nobody_else(app, world):
    factories.seat_on_board(app, world.home, "member")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        payable = set(db.session.scalars(select(Membership.id).where(compensation.payable_clause())))
    ids = world.home.membership_ids
    assert payable == {ids["survivor_advisor"], ids["member"]}  # not the coordinator, never the observer


def test_the_viewer_is_a_coordinator_someone_payable_or_nobody(app, world):
    factories.seat_on_board(app, world.home, "member", chair="member")
    with app.app_context():
        assert compensation.viewer(as_role(app, world)).manages
        advisor = compensation.viewer(as_role(app, world, "survivor_advisor"))
        assert advisor is not None and not advisor.manages and advisor.role_id is None  # no seat: no role
        member = compensation.viewer(as_role(app, world, "member"))
        assert member is not None and member.role_id is not None  # seated: their seat's role
        assert compensation.viewer(as_role(app, world, "observer")) is None


def test_a_member_who_is_not_on_the_board_is_nobody_here(app, world):
    with app.app_context():
        assert compensation.viewer(as_role(app, world, "member")) is None


# --- rates ----------------------------------------------------------------------------------------


def test_a_persons_own_rate_takes_the_place_of_their_roles(app, world):
    factories.seat_on_board(app, world.home, "survivor_advisor")
    roles = role_ids(app, world)
    make_rate(app, world, role_id=str(roles["Advisor"]), amount="50", effective_from="2025-01-01")
    with app.app_context():
        ctx = as_role(app, world)
        [row], more = compensation.people(ctx, date(2026, 6, 1))
        assert not more and row.rate_text == "USD 50.00 an hour" and not row.own_rate
    advisor = world.home.membership_ids["survivor_advisor"]
    make_rate(app, world, membership_id=str(advisor), kind="per_meeting", amount="75", effective_from="2026-01-01")
    make_rate(app, world, membership_id=str(advisor), amount="80", effective_from="2026-09-01")  # not yet
    with app.app_context():
        ctx = as_role(app, world)
        [row], _ = compensation.people(ctx, date(2026, 6, 1))
        assert row.rate_text == "USD 75.00 a meeting" and row.own_rate and row.role_name == "Advisor"
        [row], _ = compensation.people(ctx, date(2026, 9, 1))
        assert row.rate_text == "USD 80.00 an hour"
        mine = compensation.my_rates(
            ctx, compensation.viewer(as_role(app, world, "survivor_advisor")), date(2026, 6, 1)
        )
        assert [(r.text, r.in_effect, r.upcoming) for r in mine] == [
            ("USD 80.00 an hour", False, True),
            ("USD 75.00 a meeting", True, False),
            ("USD 50.00 an hour", False, False),  # the role's, set aside by their own
        ]


def test_people_are_everyone_payable_by_name_a_page_at_a_time(app, world, monkeypatch):
    """The people list reads a page of advisors and a page of the others with a seat and merges them: the
    same people, in the same order, as filtering every member would give, whatever the page's size."""
    from partnership_hub.workspaces.models import Role

    for n, name in enumerate(["Zoe Advisor", "Adam Advisor", "Mia Advisor", "Bea Advisor"]):
        factories.add_member(app, world.home, factories.create_user(app, name), Role.SURVIVOR_ADVISOR, f"adv{n}")
    for n, name in enumerate(["Carl Member", "Yan Member"]):
        factories.add_member(app, world.home, factories.create_user(app, name), Role.MEMBER, f"seated{n}")
    factories.add_member(app, world.home, factories.create_user(app, "Abe Member"), Role.MEMBER, "unseated")
    factories.seat_on_board(app, world.home, "seated0", "seated1", "coordinator", "adv0")  # an advisor seated too
    with app.app_context():
        ctx = as_role(app, world)
        bind_tenant(db.session, world.home.id)
        members = db.session.execute(
            select(Membership.id, Membership.role, Membership.sort_name).order_by(Membership.sort_name, Membership.id)
        ).all()
        seated = set(db.session.scalars(select(BoardSeat.membership_id).where(BoardSeat.left_on.is_(None))))
        expected = [
            m.id for m in members if m.role != Role.OBSERVER and (m.role == Role.SURVIVOR_ADVISOR or m.id in seated)
        ]
        assert len(expected) == 8
        for limit in (1, 3, 5, 7, 8, 20):
            monkeypatch.setattr(compensation, "PEOPLE_LIMIT", limit)
            rows, more = compensation.people(ctx, date(2026, 6, 1))
            assert [row.membership_id for row in rows] == expected[:limit] and more == (limit < 8), limit
            assert all((row.role_name == "Advisor") == (row.membership_id in seated) for row in rows)
        monkeypatch.setattr(compensation, "PEOPLE_LIMIT", 1)
        for person in (expected[-1], world.home.membership_ids["coordinator"]):  # past the first page
            [row], more = compensation.people(ctx, date(2026, 6, 1), person)
            assert row.membership_id == person and not more
        assert compensation.people(ctx, date(2026, 6, 1), world.home.membership_ids["member"]) == ([], False)


def test_stipends_gift_cards_and_in_kind_rates(app, world):
    roles = role_ids(app, world)
    advisor = str(world.home.membership_ids["survivor_advisor"])
    make_rate(app, world, role_id=str(roles["Chair"]), kind="stipend", period="month", amount="300")
    make_rate(app, world, role_id=str(roles["Peer mentor"]), kind="gift_card", amount="25", currency="eur")
    make_rate(app, world, membership_id=advisor, kind="in_kind", amount="", description="A meal and travel costs")
    found = rates(app, world.home)
    assert [compensation.describe_rate(rate) for rate in found] == [
        "USD 300.00 stipend a month",
        "EUR 25.00 gift card",
        "In kind: A meal and travel costs",
    ]
    assert found[2].amount is None and found[2].currency is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "role_id", "Choose the role or the person"),
        ({"role": True, "person": "survivor_advisor"}, "membership_id", "not both"),
        ({"person": "coordinator"}, "membership_id", "only they can be paid"),
        ({"person": "observer"}, "membership_id", "only they can be paid"),
        ({"role_id": "999999"}, "role_id", "Choose one of the board's roles."),
        ({"role": True, "kind": "salary"}, "kind", "Choose how the rate is paid."),
        ({"role": True, "kind": "stipend"}, "period", "a month, a quarter or a year"),
        ({"role": True, "amount": "-50"}, "amount", "The amount cannot be negative."),
        ({"role": True, "amount": "0"}, "amount", "more than zero"),
        ({"role": True, "amount": "fifty"}, "amount", "Enter an amount like 150 or 150.50."),
        ({"role": True, "amount": "50.555"}, "amount", "at most 2 decimal places"),
        ({"role": True, "amount": "50.5", "currency": "JPY"}, "amount", "whole amount"),
        ({"role": True, "currency": "XYZ"}, "currency", "Choose a currency from the list."),
        ({"role": True, "kind": "in_kind", "amount": ""}, "description", "Say what is given in kind"),
        ({"role": True, "effective_from": "next week"}, "effective_from", "Enter a date"),
    ],
)
def test_bad_rates_are_refused_at_their_field_and_nothing_is_written(app, world, data, field, message):
    roles = role_ids(app, world)
    data = dict(data)
    if data.pop("role", False):
        data["role_id"] = str(roles["Advisor"])
    if person := data.pop("person", None):
        data["membership_id"] = str(world.home.membership_ids[person])
    with app.app_context():
        with pytest.raises(ServiceError) as refused:
            compensation.create_rate(as_role(app, world), {"kind": "hourly", "amount": "50", **data})
        db.session.rollback()
    assert refused.value.field == field and message in refused.value.message
    assert rates(app, world.home) == []


def test_one_rate_per_role_and_start_day(app, world):
    roles = role_ids(app, world)
    make_rate(app, world, role_id=str(roles["Advisor"]), effective_from="2026-01-01")
    with app.app_context(), pytest.raises(ServiceError) as refused:
        compensation.create_rate(
            as_role(app, world),
            {"role_id": str(roles["Advisor"]), "kind": "hourly", "amount": "60", "effective_from": "2026-01-01"},
        )
    assert refused.value.field == "effective_from"


def test_correcting_and_removing_a_rate_audit_ids_and_field_names_only(app, world):
    roles = role_ids(app, world)
    rate_id = make_rate(app, world, role_id=str(roles["Advisor"]), effective_from="2026-01-01")
    with app.app_context():
        ctx = as_role(app, world)
        rate = compensation.get_rate(ctx, rate_id)
        compensation.update_rate(ctx, rate, {"kind": "hourly", "amount": "55.50", "effective_from": "2026-01-01"})
        db.session.commit()
        assert compensation.get_rate(ctx, rate_id).amount == Decimal("55.50")
        compensation.delete_rate(ctx, compensation.get_rate(ctx, rate_id))
        db.session.commit()
    assert rates(app, world.home) == []
    assert audit_actions(app, world.home, "advisory_rate.") == [
        ("advisory_rate.created", {"kind": "hourly"}),
        ("advisory_rate.updated", {"fields": ["amount"]}),
        ("advisory_rate.deleted", {}),
    ]


# --- payments -------------------------------------------------------------------------------------


def test_recording_a_payment_keeps_the_payees_name_and_writes_no_values_in_the_audit(app, world):
    payment_id = make_payment(app, world, amount="1,250.50", reference="Check 1042")
    [payment] = payments(app, world.home)
    assert payment.id == payment_id and payment.amount == Decimal("1250.50") and payment.currency == "USD"
    assert payment.status == PaymentStatus.OWED and payment.paid_on is None
    assert payment.payee_name == world.user("survivor_advisor").name
    assert payment.recorded_by_membership_id == world.home.membership_ids["coordinator"]
    assert audit_actions(app, world.home, "advisor_payment.") == [("advisor_payment.recorded", {"status": "owed"})]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"amount": "-150"}, "amount", "The amount cannot be negative."),
        ({"amount": "−150"}, "amount", "The amount cannot be negative."),  # a typographic minus sign
        ({"amount": "0"}, "amount", "more than zero"),
        ({"amount": ""}, "amount", "Enter an amount like 150 or 150.50."),
        ({"amount": "1e3"}, "amount", "Enter an amount like 150 or 150.50."),
        ({"amount": "NaN"}, "amount", "Enter an amount like 150 or 150.50."),
        ({"amount": "12345678901"}, "amount", "at most 9,999,999,999.99"),
        ({"currency": "usd dollars"}, "currency", "Choose a currency from the list."),
        ({"membership_id": ""}, "membership_id", "only they can be paid"),
        ({"membership_id": "observer"}, "membership_id", "only they can be paid"),
        ({"membership_id": "coordinator"}, "membership_id", "only they can be paid"),
        ({"for_what": "  "}, "for_what", "Say what the payment is for"),
        ({"for_what": "x" * 301}, "for_what", "at most 300 characters"),
        ({"work_date": ""}, "work_date", "Enter the day of the work"),
        ({"work_date": "2026-02-30"}, "work_date", "Enter a real date"),
        ({"work_date": "2099-01-01"}, "work_date", "at most a year ahead"),
        ({"method": "bitcoin"}, "method", "Choose how it is paid."),
        ({"status": "pending"}, "status", "owed or paid"),
        ({"status": "paid", "paid_on": "2099-01-01"}, "paid_on", "cannot be paid in the future"),
        ({"status": "paid", "paid_on": "soon"}, "paid_on", "Enter a date"),
    ],
)
def test_bad_payments_are_refused_at_their_field_and_nothing_is_written(app, world, change, field, message):
    change = dict(change)
    if change.get("membership_id") in world.home.membership_ids:
        change["membership_id"] = str(world.home.membership_ids[change["membership_id"]])
    with app.app_context():
        with pytest.raises(ServiceError) as refused:
            compensation.record_payment(as_role(app, world), payment_data(world, **change))
        db.session.rollback()
    assert refused.value.field == field and message in refused.value.message, refused.value.message
    assert payments(app, world.home) == []
    assert audit_actions(app, world.home, "advisor_payment.") == []


def test_something_given_in_kind_may_have_no_price(app, world):
    make_payment(app, world, method="in_kind", amount="0", for_what="Lunch at the listening session")
    assert payments(app, world.home)[0].amount == Decimal("0")


def test_a_payment_recorded_as_paid_gets_today_unless_a_day_is_given(app, world):
    make_payment(app, world, status="paid")
    make_payment(app, world, status="paid", paid_on="2026-03-20")
    with app.app_context():
        today = as_role(app, world).today()
    first, second = payments(app, world.home)
    assert first.paid_on == today and second.paid_on == date(2026, 3, 20)


def test_marking_paid_once_then_a_second_click_changes_nothing(app, world):
    payment_id = make_payment(app, world)
    with app.app_context():
        ctx = as_role(app, world)
        assert compensation.mark_paid(ctx, compensation.get_payment(ctx, payment_id), {"paid_on": "2026-03-20"})
        db.session.commit()
        assert not compensation.mark_paid(ctx, compensation.get_payment(ctx, payment_id), {})
        db.session.commit()
    [payment] = payments(app, world.home)
    assert payment.status == PaymentStatus.PAID and payment.paid_on == date(2026, 3, 20)
    assert [a for a, _ in audit_actions(app, world.home, "advisor_payment.")] == [
        "advisor_payment.recorded",
        "advisor_payment.paid",
    ]


def test_a_payment_is_removed_only_while_owed(app, world):
    owed, paid = make_payment(app, world), make_payment(app, world, status="paid")
    with app.app_context():
        ctx = as_role(app, world)
        with pytest.raises(ServiceError, match="stays on the books"):
            compensation.delete_payment(ctx, compensation.get_payment(ctx, paid))
        db.session.rollback()
        compensation.delete_payment(ctx, compensation.get_payment(ctx, owed))
        db.session.commit()
    assert [p.id for p in payments(app, world.home)] == [paid]


def test_correcting_a_payment_names_the_changed_fields_and_keeps_someone_who_left_the_board(app, world):
    factories.seat_on_board(app, world.home, "member")
    payment_id = make_payment(app, world, role="member")
    with app.app_context():
        from partnership_hub.advisory import board

        ctx = as_role(app, world)
        seat = db.session.scalars(select(board.BoardSeat)).one()
        board.end_seat(ctx, seat, {})
        db.session.commit()
        payment = compensation.get_payment(ctx, payment_id)
        compensation.update_payment(ctx, payment, payment_data(world, "member", amount="175", status="paid"))
        db.session.commit()
    [payment] = payments(app, world.home)
    assert payment.amount == Decimal("175") and payment.status == PaymentStatus.PAID
    assert audit_actions(app, world.home, "advisor_payment.updated") == [
        ("advisor_payment.updated", {"fields": ["amount", "paid_on", "status"]})
    ]


def test_a_payment_outlives_its_payees_membership(app, world):
    make_payment(app, world)
    with app.app_context():
        ctx = as_role(app, world)
        membership = db.session.get(Membership, world.home.membership_ids["survivor_advisor"])
        workspaces.remove_member(ctx, membership)
        db.session.commit()
    [payment] = payments(app, world.home)
    assert payment.membership_id is None and payment.payee_name == world.user("survivor_advisor").name
    with app.app_context():
        ctx = as_role(app, world)
        me = compensation.viewer(ctx)
        filters = compensation.parse_filters({"year": "2026"}, date(2026, 6, 1), me)
        [row] = compensation.payments_page(ctx, me, filters, 1).items
        assert row.former and row.name == world.user("survivor_advisor").name
        numbers = compensation.numbers(ctx, me, filters)
        assert numbers.people[None].name == compensation.FORMER_PAYEES


# --- totals ---------------------------------------------------------------------------------------


def test_totals_per_period_and_per_person_keep_currencies_apart(app, world):
    factories.seat_on_board(app, world.home, "member")
    make_payment(app, world, work_date="2026-01-10", amount="100", status="paid", paid_on="2026-01-20")
    make_payment(app, world, work_date="2026-02-10", amount="50.25")
    make_payment(app, world, work_date="2026-05-02", amount="30", currency="EUR")
    make_payment(app, world, role="member", work_date="2026-05-03", amount="20")
    make_payment(app, world, work_date="2025-12-31", amount="7")  # last year, still owed
    with app.app_context():
        ctx = as_role(app, world)
        me = compensation.viewer(ctx)

        def numbers(**args):
            return compensation.numbers(ctx, me, compensation.parse_filters(args, date(2026, 6, 1), me))

        by_month = numbers(year="2026")
        assert [(p.label, p.owed, p.paid, p.count) for p in by_month.periods] == [
            ("January", {}, {"USD": Decimal("100.00")}, 1),
            ("February", {"USD": Decimal("50.25")}, {}, 1),
            ("May", {"USD": Decimal("20.00"), "EUR": Decimal("30.00")}, {}, 2),
        ]
        assert by_month.owed == {"USD": Decimal("70.25"), "EUR": Decimal("30.00")}
        assert by_month.paid == {"USD": Decimal("100.00")}
        assert by_month.owed_now == {"USD": Decimal("77.25"), "EUR": Decimal("30.00")}  # every year
        assert by_month.years == [2026, 2025]
        advisor, member = world.home.membership_ids["survivor_advisor"], world.home.membership_ids["member"]
        assert by_month.people[advisor].owed == {"USD": Decimal("50.25"), "EUR": Decimal("30.00")}
        assert by_month.people[member].owed == {"USD": Decimal("20.00")}

        by_quarter = numbers(year="2026", by="quarter")
        assert [(p.label, p.count) for p in by_quarter.periods] == [("Q1 (Jan–Mar)", 2), ("Q2 (Apr–Jun)", 2)]
        every_year = numbers(year="all")
        assert [(p.label, p.count) for p in every_year.periods] == [("2026", 4), ("2025", 1)]
        just_them = numbers(year="2026", person=str(member))
        assert just_them.owed == {"USD": Decimal("20.00")} and list(just_them.people) == [member]


def test_an_advisor_sees_only_their_own_payments_and_totals(app, world):
    factories.seat_on_board(app, world.home, "member")
    make_payment(app, world, amount="100")
    make_payment(app, world, role="member", amount="20")
    with app.app_context():
        ctx = as_role(app, world, "survivor_advisor")
        me = compensation.viewer(ctx)
        filters = compensation.parse_filters({"person": str(world.home.membership_ids["member"])}, date(2026, 6, 1), me)
        assert filters.person == me.membership_id  # asking for someone else's record gets your own
        page = compensation.payments_page(ctx, me, filters, 1)
        assert [row.payment.amount for row in page.items] == [Decimal("100.00")]
        assert all(row.legal_name is None for row in page.items)
        numbers = compensation.numbers(ctx, me, filters)
        assert numbers.owed == {"USD": Decimal("100.00")} and numbers.people == {}


# --- the feed, the guide, the board's home ------------------------------------------------------------


def feed_items(app, world, role: str, target_type: str) -> list:
    """The latest feed entries ``role`` sees about records of ``target_type``."""
    from partnership_hub.audit import queries

    with app.app_context():
        return [item for item in queries.latest(as_role(app, world, role), 50) if item.entry.target_type == target_type]


def test_the_feed_shows_payment_entries_to_coordinators_and_the_payee_only(app, world):
    factories.seat_on_board(app, world.home, "member")
    make_payment(app, world)
    removed = make_payment(app, world, role="member")
    with app.app_context():
        ctx = as_role(app, world)
        compensation.delete_payment(ctx, compensation.get_payment(ctx, removed))
        db.session.commit()

    def seen(role: str) -> list[str]:
        return [item.label for item in feed_items(app, world, role, "advisor_payment")]

    assert seen("coordinator") == [
        "removed a payment to an advisor",
        "recorded a payment to an advisor",
        "recorded a payment to an advisor",
    ]
    assert seen("survivor_advisor") == ["recorded a payment to an advisor"]  # their own
    assert seen("member") == []  # theirs was removed: nothing left to see
    assert seen("observer") == []


def test_the_feed_shows_rate_entries_to_coordinators_and_the_person_rated_only(app, world):
    factories.seat_on_board(app, world.home, "member")
    advisor = world.home.membership_ids["survivor_advisor"]
    make_rate(app, world, membership_id=str(advisor), effective_from="2026-01-01")
    removed = make_rate(app, world, membership_id=str(world.home.membership_ids["member"]), effective_from="2026-01-01")
    with app.app_context():
        ctx = as_role(app, world)
        compensation.delete_rate(ctx, compensation.get_rate(ctx, removed))
        db.session.commit()

    def seen(role: str) -> list[str]:
        return [item.entry.action for item in feed_items(app, world, role, "advisory_rate")]

    # Coordinators see every rate's entries, the removed one's too (no record left to check them against).
    assert seen("coordinator") == ["advisory_rate.deleted", "advisory_rate.created", "advisory_rate.created"]
    assert seen("survivor_advisor") == ["advisory_rate.created"]  # their own
    assert seen("member") == []  # theirs was removed: nothing left to see
    assert seen("observer") == []


def test_the_guides_question_is_answered_by_a_rate(app, world):
    with app.app_context():
        ctx = as_role(app, world)
        assert select_scalars(db.session, compensation.setup_facts(ctx)) == {"compensation_rates": 0}
    make_rate(app, world, membership_id=str(world.home.membership_ids["survivor_advisor"]))
    with app.app_context():
        assert select_scalars(db.session, compensation.setup_facts(as_role(app, world))) == {"compensation_rates": 1}


def test_the_board_home_links_coordinators_and_payable_people_only(app, world):
    with app.app_context():
        assert compensation.board_panel(as_role(app, world)) == {"manages": True}
        assert compensation.board_panel(as_role(app, world, "survivor_advisor")) == {"manages": False}
        assert compensation.board_panel(as_role(app, world, "member")) is None
        assert compensation.board_panel(as_role(app, world, "observer")) is None


def test_the_demo_pays_the_board(app):
    from partnership_hub.demo import seed

    with app.app_context():
        seed()
        partnership = workspaces.partnership_by_slug("front-range")
        bind_tenant(db.session, partnership.id)
        assert db.session.scalar(select(func.count(AdvisoryRate.id))) == 2
        statuses = list(db.session.scalars(select(AdvisorPayment.status)))
        assert statuses.count(PaymentStatus.PAID) > statuses.count(PaymentStatus.OWED) > 0
        payees = set(db.session.scalars(select(AdvisorPayment.payee_name)))
        assert payees == {"Amara Okafor", "Jordan Reyes", "Noor Haddad"}
        assert all(
            p <= date.today() + timedelta(days=1) for p in db.session.scalars(select(AdvisorPayment.paid_on)) if p
        )
