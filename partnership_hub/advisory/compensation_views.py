"""Routes of the compensation section, registered on the area's blueprint: the compensation page (the
board's totals, people, rates and payments for coordinators; their own record for anyone who can be
paid), the rates, recording and correcting payments, "Mark paid", and the bookkeeping export."""

from __future__ import annotations

from flask import g, request, url_for

from partnership_hub import money
from partnership_hub.advisory import board
from partnership_hub.advisory import compensation as services
from partnership_hub.advisory.compensation_forms import PaidForm, PaymentForm, RateEditForm, RateForm
from partnership_hub.advisory.views import bp
from partnership_hub.picking import chosen_ids
from partnership_hub.web.htmx import render
from partnership_hub.web.redirects import safe_next
from partnership_hub.web.toolkit import (
    confirmed,
    csv_response,
    done,
    form_status,
    page_number,
    picker_request,
    picker_response,
    require,
    submit,
)
from partnership_hub.workspaces.forms import ConfirmForm


@bp.context_processor
def _compensation_helpers() -> dict:
    return {"compensation_labels": services.LABELS, "format_totals": money.format_totals}


@bp.get("/advisory/compensation")
def compensation():
    """Coordinators: totals per person and per period, everyone's rate, the payments log. Someone who can
    be paid: their own rates, totals and payments. Anyone else: 403, with a word on why."""
    require("compensation.view")
    viewer = services.viewer(g.ctx)
    if viewer is None:
        return render("advisory/compensation/not_paid.html", status=403)
    today = g.ctx.today()
    filters = services.parse_filters(request.args, today, viewer)
    page = services.payments_page(g.ctx, viewer, filters, page_number(request.args))
    numbers = services.numbers(g.ctx, viewer, filters)
    context: dict = {}
    if viewer.manages:
        rows, more = services.people(g.ctx, today, filters.person)
        context["people"] = services.people_with_totals(rows, numbers)
        context["people_more"] = more or numbers.people_capped
        chosen = [filters.person] if filters.person else []
        context["person_pick"] = services.pick_person(g.ctx, "person", chosen, request.args.get("person__q", ""))
        context["paid_form"] = PaidForm(formdata=None)
    else:
        context["rates"] = services.my_rates(g.ctx, viewer, today)
    return render(
        "advisory/compensation/index.html",
        viewer=viewer,
        filters=filters,
        page=page,
        numbers=numbers,
        today=today,
        **context,
    )


@bp.get("/advisory/compensation/payments.csv")
def compensation_payments_csv():
    """The payments, filtered as the page is, for the bookkeeper (coordinators)."""
    require("compensation.manage")
    viewer = services.viewer(g.ctx)
    assert viewer is not None  # coordinators always are
    filters = services.parse_filters(request.args, g.ctx.today(), viewer)
    return csv_response(services.export_name(filters), services.CSV_HEADER, services.export_rows(g.ctx, filters))


@bp.get("/advisory/compensation/pick/people")
def compensation_pick_people():
    """The person pickers' options for what has been typed (the page's filter, the forms' payee)."""
    require("compensation.manage")
    query, chosen = picker_request()
    field = "person" if request.args.get("field") == "person" else "membership_id"
    return picker_response(services.pick_person(g.ctx, field, chosen, query))


# --- rates ----------------------------------------------------------------------------------------


def _role_choices() -> list[tuple[str, str]]:
    return [("", "No role: for one person")] + [(str(role.id), role.name) for role in board.roles(g.ctx)]


def _rates_page(form: RateForm, delete_form: ConfirmForm | None = None):
    chosen = chosen_ids([form.membership_id.data])
    form.membership_id.choices = services.pick_person(g.ctx, "membership_id", chosen).choices()
    form.role_id.choices = _role_choices()
    delete = delete_form or ConfirmForm(formdata=None)
    return render(
        "advisory/compensation/rates.html",
        form=form,
        delete_form=delete,
        rates=services.rates_page(g.ctx, page_number(request.args)),
        today=g.ctx.today(),
        status=max(form_status(form), form_status(delete)),
    )


@bp.route("/advisory/compensation/rates", methods=["GET", "POST"])
def compensation_rates():
    """Every rate, newest first per role or person, and a form to set one (coordinators)."""
    require("compensation.manage")
    form = RateForm()
    if request.method == "GET":
        form.role_id.data = request.args.get("role", "")
        form.membership_id.data = request.args.get("person", "")
    if submit(form, lambda: services.create_rate(g.ctx, form.values())):
        return done("The rate was set.", url_for("advisory.compensation_rates"))
    return _rates_page(form)


@bp.route("/advisory/compensation/rates/<int:advisory_rate_id>/edit", methods=["GET", "POST"])
def compensation_rate_edit(advisory_rate_id: int):
    require("compensation.manage")
    rate = services.get_rate(g.ctx, advisory_rate_id)
    form = RateEditForm()
    if request.method == "GET":
        form.fill_from(rate)
    if submit(form, lambda: services.update_rate(g.ctx, rate, form.values())):
        return done("The rate was corrected.", url_for("advisory.compensation_rates"))
    return render(
        "advisory/compensation/rate_edit.html",
        form=form,
        rate=rate,
        subject=services.rate_subject(g.ctx, rate),
        status=form_status(form),
    )


@bp.post("/advisory/compensation/rates/<int:advisory_rate_id>/delete")
def compensation_rate_delete(advisory_rate_id: int):
    require("compensation.manage")
    rate = services.get_rate(g.ctx, advisory_rate_id)
    form = confirmed(ConfirmForm())
    if submit(form, lambda: services.delete_rate(g.ctx, rate), validate=False):
        return done("The rate was removed.", url_for("advisory.compensation_rates"))
    return _rates_page(RateForm(formdata=None), form)


# --- payments -------------------------------------------------------------------------------------


def _payment_form_page(form: PaymentForm, entry: services.PaymentRow | None = None, **extra):
    chosen = chosen_ids([form.membership_id.data])
    payee = entry.payment.membership_id if entry else None
    form.membership_id.choices = services.pick_person(g.ctx, "membership_id", chosen, also=payee).choices()
    forms = [form, *(f for f in extra.values() if f is not None)]
    return render(
        "advisory/compensation/payment.html",
        form=form,
        entry=entry,
        paid_form=extra.get("paid_form") or PaidForm(formdata=None),
        delete_form=extra.get("delete_form") or ConfirmForm(formdata=None),
        status=max(form_status(f) for f in forms),
    )


@bp.route("/advisory/compensation/payments/new", methods=["GET", "POST"])
def compensation_payment_new():
    """Record a payment owed (or paid already) to someone who can be paid (coordinators)."""
    require("compensation.manage")
    form = PaymentForm()
    if request.method == "GET":
        form.membership_id.data = request.args.get("person", "")
    if submit(form, lambda: services.record_payment(g.ctx, form.values())):
        return done("The payment was recorded.", url_for("advisory.compensation"))
    return _payment_form_page(form)


@bp.route("/advisory/compensation/payments/<int:advisor_payment_id>", methods=["GET", "POST"])
def compensation_payment(advisor_payment_id: int):
    """A payment: correct it, mark it paid, or remove it while it is owed (coordinators)."""
    require("compensation.manage")
    payment = services.get_payment(g.ctx, advisor_payment_id)
    entry = services.payment_entry(g.ctx, payment)
    form = PaymentForm()
    if request.method == "GET":
        form.fill_from(payment)
    if submit(form, lambda: services.update_payment(g.ctx, payment, form.values())):
        return done("The payment was updated.", url_for("advisory.compensation"))
    return _payment_form_page(form, entry)


@bp.post("/advisory/compensation/payments/<int:advisor_payment_id>/paid")
def compensation_payment_paid(advisor_payment_id: int):
    """One click: mark an owed payment paid, today or on the day given."""
    require("compensation.manage")
    payment = services.get_payment(g.ctx, advisor_payment_id)
    form = PaidForm()
    if saved := submit(form, lambda: services.mark_paid(g.ctx, payment, form.values())):
        message = "The payment is marked paid." if saved.value else "That payment was marked paid already."
        # Back where the button was: the log (its filters and page kept) or the payment's own page.
        home = url_for("advisory.compensation")
        return done(message, safe_next(home, within=home))
    entry = services.payment_entry(g.ctx, payment)
    edit = PaymentForm(formdata=None)
    edit.fill_from(payment)
    return _payment_form_page(edit, entry, paid_form=form)


@bp.post("/advisory/compensation/payments/<int:advisor_payment_id>/delete")
def compensation_payment_delete(advisor_payment_id: int):
    require("compensation.manage")
    payment = services.get_payment(g.ctx, advisor_payment_id)
    form = confirmed(ConfirmForm())
    if submit(form, lambda: services.delete_payment(g.ctx, payment), validate=False):
        return done("The payment was removed.", url_for("advisory.compensation"))
    entry = services.payment_entry(g.ctx, payment)
    edit = PaymentForm(formdata=None)
    edit.fill_from(payment)
    return _payment_form_page(edit, entry, delete_form=form)
