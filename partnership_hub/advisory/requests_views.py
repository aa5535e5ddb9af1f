"""Routes of the requests section, registered on the area's blueprint: asking the board for an advisor's
time and following one's requests; a board member's inbox, answers and monthly limit; the coordinators'
view of every request and of the board's load this month."""

from __future__ import annotations

from flask import g, request, url_for

from partnership_hub.advisory import board
from partnership_hub.advisory import requests as participation
from partnership_hub.advisory.requests_forms import PAY_HINTS, AnswerForm, LimitForm, RequestForm
from partnership_hub.advisory.requests_models import DeliveryStatus, RequestStatus
from partnership_hub.advisory.views import bp
from partnership_hub.parsing import query_choice
from partnership_hub.web.htmx import render
from partnership_hub.web.toolkit import done, form_status, page_number, require, submit


@bp.context_processor
def _request_labels() -> dict:
    return {
        "request_kind_hints": participation.KIND_HINTS,
        "request_pay_hints": PAY_HINTS,
        "request_status_labels": participation.STATUS_LABELS,
        "at_capacity_message": participation.AT_CAPACITY_MESSAGE,
    }


@bp.get("/advisory/requests")
def requests_index():
    """The requester's own requests and where each stands."""
    require("requests.file")
    page = participation.my_requests(g.ctx, page_number(request.args))
    return render("advisory/requests/index.html", page=page, admission=board.admission(g.ctx))


@bp.route("/advisory/requests/new", methods=["GET", "POST"])
def requests_new():
    require("requests.file")
    form = RequestForm()
    if saved := submit(form, lambda: participation.file_request(g.ctx, form.values())):
        filed = saved.value
        to = url_for("advisory.requests_detail", participation_request_id=filed.id)
        if filed.status == RequestStatus.AT_CAPACITY:
            return done(participation.AT_CAPACITY_MESSAGE, to, category="info")
        return done("Your request reached the board's members who have room this month. Their answers come here.", to)
    room = participation.board_room(g.ctx)
    return render("advisory/requests/new.html", form=form, room=room, status=form_status(form))


def _request_page(participation_request_id: int, answer_form: AnswerForm | None = None):
    found = participation.request_page(g.ctx, participation_request_id)
    form = answer_form or AnswerForm(formdata=None)
    return render(
        "advisory/requests/detail.html",
        page=found,
        answer_form=form,
        today=g.ctx.today(),
        status=form_status(form),
    )


@bp.get("/advisory/requests/<int:participation_request_id>")
def requests_detail(participation_request_id: int):
    """A request, for the person who asked, coordinators, and the board members it reached (else 404)."""
    require("requests.file")
    return _request_page(participation_request_id)


@bp.post("/advisory/requests/deliveries/<int:request_delivery_id>/answer")
def requests_answer(request_delivery_id: int):
    """Accept or decline a request that reached you (one click, an optional note); anyone else's: 404."""
    require("requests.answer")
    delivery = participation.get_delivery(g.ctx, request_delivery_id)
    request_id = delivery.request_id
    form = AnswerForm()
    if saved := submit(form, lambda: participation.answer_request(g.ctx, delivery, form.values())):
        if saved.value.status == DeliveryStatus.ACCEPTED:
            message = "You accepted. The requester now sees your name and your note."
        else:
            message = "You declined. The requester is told an advisor declined, without your name."
        return done(message, url_for("advisory.requests_inbox"))
    return _request_page(request_id, answer_form=form)


def _inbox_page(limit_form: LimitForm | None = None):
    admission = board.admission(g.ctx)
    on_board = admission.seat_id is not None
    month = participation.my_month(g.ctx) if on_board else None
    form = limit_form or LimitForm(formdata=None, monthly_limit=str(month.monthly_limit) if month else "")
    return render(
        "advisory/requests/inbox.html",
        on_board=on_board,
        month=month,
        page=participation.inbox(g.ctx, page_number(request.args)) if on_board else None,
        answered=participation.recent_answers(g.ctx) if on_board else [],
        limit_form=form,
        answer_form=AnswerForm(formdata=None),
        today=g.ctx.today(),
        status=form_status(form),
    )


@bp.get("/advisory/requests/inbox")
def requests_inbox():
    """A board member's requests: those waiting for an answer, their limit, their latest answers."""
    require("requests.answer")
    return _inbox_page()


@bp.post("/advisory/requests/limit")
def requests_limit():
    require("requests.answer")
    form = LimitForm()
    if saved := submit(form, lambda: participation.set_limit(g.ctx, form.values())):
        limit = saved.value.monthly_limit
        message = (
            "Saved: you are not taking requests. New requests will not reach you."
            if limit == 0
            else f"Saved: you take up to {limit} {'request' if limit == 1 else 'requests'} a month."
        )
        return done(message, url_for("advisory.requests_inbox"))
    return _inbox_page(limit_form=form)


@bp.get("/advisory/requests/all")
def requests_overview():
    """Every request and each board member's load this month (counts), for coordinators."""
    require("requests.oversee")
    status = query_choice(request.args, "status", [s.value for s in RequestStatus])
    return render(
        "advisory/requests/overview.html",
        page=participation.all_requests(g.ctx, status, page_number(request.args)),
        chosen_status=status,
        load=participation.board_load(g.ctx),
        default_limit=participation.DEFAULT_LIMIT,
    )
