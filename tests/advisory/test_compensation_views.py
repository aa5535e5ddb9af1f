"""The compensation pages: who may open what (each role, a board member who is not an advisor, an
outsider, another partnership's ids), bad input at the field (422, nothing written), "Mark paid", the
export for bookkeeping with legal names, and the filters."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from partnership_hub.advisory import safety
from partnership_hub.advisory.compensation_models import PaymentStatus
from partnership_hub.extensions import db
from tests import factories
from tests.advisory.test_compensation import as_role, make_payment, make_rate, payments, rates, role_ids


@pytest.fixture
def base(world):
    return f"/p/{world.home.slug}/advisory/compensation"


def give_legal_name(app, world, role: str, legal_name: str) -> None:
    with app.app_context():
        ctx = as_role(app, world, role)
        safety.save_preferences(ctx, {"name": world.user(role).name, "legal_name": legal_name, "allow_email": "y"})
        db.session.commit()


def payment_form(world, role: str = "survivor_advisor", **fields) -> dict:
    return {
        "membership_id": str(world.home.membership_ids[role]),
        "for_what": "Reviewed the outreach flyer (2 hours)",
        "work_date": "2026-03-14",
        "amount": "100",
        "currency": "USD",
        "method": "check",
        "status": "owed",
        "paid_on": "",
        "reference": "",
        **fields,
    }


# --- who may open what --------------------------------------------------------------------------------


def test_coordinators_see_everyone_with_legal_names(app, world, login_as, base):
    factories.seat_on_board(app, world.home, "member")
    give_legal_name(app, world, "survivor_advisor", "Samira Q. Legalname")
    make_payment(app, world, for_what="Panel at the spring training")
    make_payment(app, world, role="member", for_what="Reviewed the intake form", work_date="2026-03-20")
    page = login_as().get(f"{base}?year=2026")
    assert page.status_code == 200
    assert "Panel at the spring training" in page.text and "Reviewed the intake form" in page.text
    assert "Legal name: Samira Q. Legalname" in page.text
    assert "Mark paid today" in page.text and "Download for bookkeeping" in page.text
    assert ">Compensation</a>" in page.text  # the menu entry, marked as this page's
    assert 'aria-current="page">Compensation</a>' in page.text


def test_an_advisor_sees_their_own_record_and_nobody_elses(app, world, login_as, base):
    factories.seat_on_board(app, world.home, "member")
    give_legal_name(app, world, "survivor_advisor", "Samira Q. Legalname")
    make_payment(app, world, for_what="Panel at the spring training")
    make_payment(app, world, role="member", for_what="Reviewed the intake form")
    member_id = world.home.membership_ids["member"]
    page = login_as("survivor_advisor").get(f"{base}?year=2026&person={member_id}")
    assert page.status_code == 200 and "Your compensation" in page.text
    assert "Panel at the spring training" in page.text
    assert "Reviewed the intake form" not in page.text and world.user("member").name not in page.text
    assert "Legal name" not in page.text and "Samira Q. Legalname" not in page.text
    assert "Mark paid" not in page.text and "Download" not in page.text


def test_a_board_member_who_is_not_an_advisor_sees_their_own_record(app, world, login_as, base):
    factories.seat_on_board(app, world.home, "member")
    make_payment(app, world, role="member", for_what="Reviewed the intake form")
    page = login_as("member").get(f"{base}?year=2026")
    assert page.status_code == 200 and "Reviewed the intake form" in page.text
    board = login_as("member").get(f"/p/{world.home.slug}/advisory")
    assert "Your compensation" in board.text  # reached from the board's home (no menu entry for members)


def test_members_not_on_the_board_and_observers_are_refused(app, world, login_as, base):
    make_payment(app, world)
    member = login_as("member").get(base)
    assert member.status_code == 403 and "You have no record here" in member.text
    assert "Panel at the spring training" not in member.text
    assert login_as("observer").get(base).status_code == 403
    for role in ("member", "observer"):
        nav = login_as(role).get(f"/p/{world.home.slug}/").text
        assert ">Compensation</a>" not in nav


@pytest.mark.parametrize(
    "path",
    [
        "/rates",
        "/payments/new",
        "/payments.csv",
        "/pick/people?field=person",
    ],
)
def test_only_coordinators_manage_and_export(app, world, login_as, base, path):
    make_payment(app, world)
    assert login_as().get(base + path).status_code == 200
    for role in ("survivor_advisor", "member", "observer"):
        assert login_as(role).get(base + path).status_code == 403, role


def test_another_partnerships_people_get_404_and_its_ids_are_not_found(app, world, login_as, base):
    payment_id = make_payment(app, world)
    outsider = login_as(world.other.members["coordinator"])
    assert outsider.get(base).status_code == 404
    assert outsider.get(f"{base}/payments/{payment_id}").status_code == 404
    own_base = f"/p/{world.other.slug}/advisory/compensation"
    assert outsider.get(f"{own_base}/payments/{payment_id}").status_code == 404
    assert outsider.post(f"{own_base}/payments/{payment_id}/paid", data={}).status_code == 404
    assert payments(app, world.home)[0].status == PaymentStatus.OWED


def test_a_payee_of_another_partnership_is_refused_at_the_field(app, world, login_as, base):
    response = login_as().post(
        f"{base}/payments/new", data=payment_form(world, membership_id=str(world.other.membership_ids["coordinator"]))
    )
    assert response.status_code == 422 and "only they can be paid" in response.text
    assert payments(app, world.home) == []


# --- payments: record, bad input, mark paid, remove --------------------------------------------------


def test_a_coordinator_records_a_payment_and_marks_it_paid(app, world, login_as, base):
    client = login_as()
    response = client.post(f"{base}/payments/new", data=payment_form(world, amount="1,250.5", reference="Check 1042"))
    assert response.status_code == 302
    [payment] = payments(app, world.home)
    assert payment.amount == Decimal("1250.50") and payment.reference == "Check 1042"
    page = client.get(f"{base}?year=2026")
    assert "USD 1,250.50" in page.text and "Owed" in page.text
    back = f"{base}?year=2026&status=owed"
    response = client.post(f"{base}/payments/{payment.id}/paid", data={"paid_on": "", "next": back})
    assert response.status_code == 302 and response.headers["Location"] == back
    [payment] = payments(app, world.home)
    with app.app_context():
        assert payment.status == PaymentStatus.PAID and payment.paid_on == as_role(app, world).today()
    again = client.post(f"{base}/payments/{payment.id}/paid", data={"paid_on": ""}, follow_redirects=True)
    assert "marked paid already" in again.text


def test_marking_paid_in_the_future_is_refused_on_the_payments_page(app, world, login_as, base):
    payment_id = make_payment(app, world)
    response = login_as().post(f"{base}/payments/{payment_id}/paid", data={"paid_on": "2099-01-01"})
    assert response.status_code == 422 and "cannot be paid in the future" in response.text
    assert payments(app, world.home)[0].status == PaymentStatus.OWED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"amount": "-150"}, "The amount cannot be negative."),
        ({"amount": "abc"}, "Enter an amount like 150 or 150.50."),
        ({"amount": "10.999"}, "Use at most 2 decimal places"),
        ({"currency": "ZZZ"}, "Choose a currency from the list."),
        ({"membership_id": ""}, "only they can be paid"),
        ({"for_what": ""}, "Say what the payment is for"),
        ({"work_date": "14/03/2026"}, "Enter a date as YYYY-MM-DD."),
        ({"method": ""}, "Choose how it is paid."),
        ({"status": "paid", "paid_on": "2099-12-31"}, "cannot be paid in the future"),
    ],
)
def test_bad_payments_are_a_422_at_the_field_and_nothing_is_written(app, world, login_as, base, change, message):
    response = login_as().post(f"{base}/payments/new", data=payment_form(world, **change))
    assert response.status_code == 422
    assert message in response.text.replace("&#39;", "'")
    assert 'class="field-error"' in response.text  # at the field, not only above the form
    assert payments(app, world.home) == []


def test_correcting_a_payment_and_removing_one_recorded_by_mistake(app, world, login_as, base):
    payment_id = make_payment(app, world)
    client = login_as()
    page = client.get(f"{base}/payments/{payment_id}")
    assert page.status_code == 200 and "Remove the payment" in page.text and 'value="150.00"' in page.text
    response = client.post(f"{base}/payments/{payment_id}", data=payment_form(world, amount="175"))
    assert response.status_code == 302 and payments(app, world.home)[0].amount == Decimal("175")
    bad = client.post(f"{base}/payments/{payment_id}", data=payment_form(world, amount="-1"))
    assert bad.status_code == 422 and payments(app, world.home)[0].amount == Decimal("175")
    assert client.post(f"{base}/payments/{payment_id}/delete", data={}).status_code == 302
    assert payments(app, world.home) == []


def test_a_paid_payment_cannot_be_removed(app, world, login_as, base):
    payment_id = make_payment(app, world, status="paid")
    response = login_as().post(f"{base}/payments/{payment_id}/delete", data={})
    assert response.status_code == 422 and "stays on the books" in response.text
    assert len(payments(app, world.home)) == 1


# --- rates ------------------------------------------------------------------------------------------


def test_a_coordinator_sets_corrects_and_removes_rates(app, world, login_as, base):
    roles = role_ids(app, world)
    client = login_as()
    data = {"role_id": str(roles["Chair"]), "membership_id": "", "kind": "stipend", "period": "month",
            "amount": "300", "currency": "USD", "description": "", "effective_from": "2026-01-01"}  # fmt: skip
    assert client.post(f"{base}/rates", data=data).status_code == 302
    page = client.get(f"{base}/rates")
    assert "USD 300.00 stipend a month" in page.text and "Chair" in page.text
    [rate] = rates(app, world.home)
    edit = client.post(f"{base}/rates/{rate.id}/edit", data={**data, "amount": "350"})
    assert edit.status_code == 302 and rates(app, world.home)[0].amount == Decimal("350")
    assert client.post(f"{base}/rates/{rate.id}/delete", data={}).status_code == 302
    assert rates(app, world.home) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"role_id": ""}, "Choose the role or the person this rate is for."),
        ({"amount": "-5"}, "The amount cannot be negative."),
        ({"kind": "stipend", "period": ""}, "a month, a quarter or a year"),
        ({"kind": "in_kind", "amount": "", "description": ""}, "Say what is given in kind"),
    ],
)
def test_bad_rates_are_a_422_at_the_field_and_nothing_is_written(app, world, login_as, base, change, message):
    roles = role_ids(app, world)
    data = {"role_id": str(roles["Advisor"]), "membership_id": "", "kind": "hourly", "period": "", "amount": "50",
            "currency": "USD", "description": "", "effective_from": "", **change}  # fmt: skip
    response = login_as().post(f"{base}/rates", data=data)
    assert response.status_code == 422 and message in response.text and 'class="field-error"' in response.text
    assert rates(app, world.home) == []


def test_each_person_shows_the_rate_in_effect(app, world, login_as, base):
    factories.seat_on_board(app, world.home, "survivor_advisor")
    roles = role_ids(app, world)
    make_rate(app, world, role_id=str(roles["Advisor"]), amount="50", effective_from="2025-01-01")
    page = login_as().get(base)
    assert "USD 50.00 an hour" in page.text and "(the role's)" in page.text
    mine = login_as("survivor_advisor").get(base)
    assert "USD 50.00 an hour" in mine.text and "In effect" in mine.text


# --- the export ----------------------------------------------------------------------------------------


def test_the_export_is_filtered_like_the_page_with_legal_names(app, world, login_as, base):
    factories.seat_on_board(app, world.home, "member")
    give_legal_name(app, world, "survivor_advisor", "Samira Q. Legalname")
    make_payment(app, world, for_what="=HYPERLINK(1)", amount="150", status="paid", paid_on="2026-03-20")
    make_payment(app, world, role="member", for_what="Reviewed the intake form", amount="20", currency="JPY")
    make_payment(app, world, work_date="2025-05-01", for_what="Last year")
    response = login_as().get(f"{base}/payments.csv?year=2026")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert 'filename="front-range-partnership-advisor-payments-2026.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:5] == ["Date of the work", "Chosen name", "Legal name", "For what", "Amount"]
    assert rows[1:] == [
        ["2026-03-14", world.user("survivor_advisor").name, "Samira Q. Legalname", "'=HYPERLINK(1)", "150.00", "USD",
         "Bank transfer", "Paid", "2026-03-20", ""],
        ["2026-03-14", world.user("member").name, "", "Reviewed the intake form", "20", "JPY", "Bank transfer",
         "Owed", "", ""],
    ]  # fmt: skip
    member_only = login_as().get(f"{base}/payments.csv?year=all&person={world.home.membership_ids['member']}")
    assert [row[3] for row in csv.reader(io.StringIO(member_only.text))][1:] == ["Reviewed the intake form"]
    owed = login_as().get(f"{base}/payments.csv?year=all&status=owed")
    assert [row[3] for row in csv.reader(io.StringIO(owed.text))][1:] == ["Last year", "Reviewed the intake form"]


def test_filters_narrow_the_log_and_unusable_values_mean_the_default(app, world, login_as, base):
    make_payment(app, world, for_what="Owed one")
    make_payment(app, world, for_what="Paid one", status="paid", paid_on="2026-03-20")
    client = login_as()
    owed = client.get(f"{base}?year=2026&status=owed").text
    assert "Owed one" in owed and "Paid one" not in owed
    for junk in ("year=99999", "year=%00", "status=maybe", "by=week", "person=abc", "page=-1"):
        assert client.get(f"{base}?{junk}").status_code == 200, junk
