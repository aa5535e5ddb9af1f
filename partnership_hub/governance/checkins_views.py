"""Routes of the governance area's trust check-ins section (registered on the area's blueprint).

Everyone reads the check-ins page and the (aggregate) results; everyone but observers answers; the
coordinators open and close check-ins."""

from __future__ import annotations

from datetime import timedelta

from flask import g, request, url_for

from partnership_hub import toolkit
from partnership_hub.governance import checkins
from partnership_hub.governance.checkins_forms import AnswerForm, OpenCheckinForm
from partnership_hub.governance.views import bp
from partnership_hub.web.htmx import render
from partnership_hub.web.toolkit import confirmed, done, form_status, page_number, require, submit
from partnership_hub.workspaces.forms import ConfirmForm


@bp.context_processor
def _checkin_helpers() -> dict:
    return {"checkin_status": checkins.status_label, "checkin_questions": toolkit.TRUST_CHECKIN_QUESTIONS}


@bp.get("/governance/checkins")
def checkins_index():
    require("checkins.view")
    page = checkins.checkins_page(g.ctx, page_number(request.args))
    return render("governance/checkins/index.html", page=page, today=g.ctx.today())


@bp.route("/governance/checkins/new", methods=["GET", "POST"])
def new_checkin():
    require("checkins.manage")
    form = OpenCheckinForm()
    if request.method == "GET":
        today = g.ctx.today()
        form.opens_on.data = today.isoformat()
        form.closes_on.data = (today + timedelta(days=checkins.DEFAULT_DAYS)).isoformat()
    if saved := submit(form, lambda: checkins.open_checkin(g.ctx, form.values())):
        closes = saved.value.closes_on
        return done(f"The trust check-in is open until {closes:%d %b %Y}.", url_for("governance.checkins_index"))
    return render("governance/checkins/new.html", form=form, status=form_status(form))


@bp.get("/governance/checkins/<int:trust_checkin_id>")
def checkin_results(trust_checkin_id: int):
    require("checkins.view")
    checkin = checkins.get_checkin(g.ctx, trust_checkin_id)
    result = checkins.checkin_results(g.ctx, checkin)
    return render("governance/checkins/results.html", result=result, today=g.ctx.today())


@bp.route("/governance/checkins/<int:trust_checkin_id>/answer", methods=["GET", "POST"])
def answer_checkin(trust_checkin_id: int):
    """The anonymous answer form; a second answer, or one to a closed check-in, is refused (422)."""
    require("checkins.answer")
    checkin = checkins.get_checkin(g.ctx, trust_checkin_id)
    form = AnswerForm()
    if submit(form, lambda: checkins.answer_checkin(g.ctx, checkin, form.values())):
        return done("Thank you: your answer was recorded, without your name.", url_for("governance.checkins_index"))
    today = g.ctx.today()
    answered = request.method == "GET" and checkins.has_answered(g.ctx, checkin)
    return render(
        "governance/checkins/answer.html",
        status=form_status(form),
        form=form,
        checkin=checkin,
        answered=answered,
        open=checkins.is_open(checkin, today),
        today=today,
    )


@bp.route("/governance/checkins/<int:trust_checkin_id>/close", methods=["GET", "POST"])
def close_checkin(trust_checkin_id: int):
    """GET asks first (the page people without JavaScript reach); POST closes the check-in now."""
    require("checkins.manage")
    checkin = checkins.get_checkin(g.ctx, trust_checkin_id)
    form = ConfirmForm()
    if request.method == "GET":
        return render("governance/checkins/close.html", checkin=checkin, form=form, today=g.ctx.today())
    confirmed(form)
    if submit(form, lambda: checkins.close_checkin(g.ctx, checkin), validate=False):
        return done("The trust check-in is closed.", url_for("governance.checkin_results", trust_checkin_id=checkin.id))
    return render(
        "governance/checkins/close.html", checkin=checkin, form=form, today=g.ctx.today(), status=form_status(form)
    )
