"""Routes of the trauma-informed self-assessment, registered on the advisory area's blueprint.

Everyone but observers reads the rounds, their results and the comparison (observers: 403); the
people who rate (``assessment.may_rate``: coordinators, survivor advisors, anyone on the board) start a
round, rate its areas and complete it; coordinators discard a round in progress. The area being rated
is a query argument (``?area=<key>``), so every route argument is a record id."""

from __future__ import annotations

from flask import g, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from partnership_hub import toolkit
from partnership_hub.advisory import assessment
from partnership_hub.advisory.assessment_forms import AreaForm, StartForm
from partnership_hub.advisory.views import bp
from partnership_hub.errors import Forbidden
from partnership_hub.parsing import query_choice
from partnership_hub.web.htmx import render
from partnership_hub.web.toolkit import confirmed, done, form_status, page_number, require, submit
from partnership_hub.workspaces.forms import ConfirmForm


@bp.context_processor
def _assessment_helpers() -> dict:
    return {
        "assessment_areas": assessment.AREAS,
        "assessment_principles": assessment.PRINCIPLES,
        "assessment_principle_points": toolkit.TRAUMA_INFORMED_PRINCIPLE_POINTS,
        "assessment_four_rs": toolkit.FOUR_RS,
        "assessment_scale": assessment.SCALE,
        "score_label": assessment.score_label,
        "mean_text": assessment.mean_text,
    }


def _rater() -> None:
    """403 unless the viewer rates (a member without a board seat reads the results only)."""
    if not assessment.may_rate(g.ctx):
        raise Forbidden("advisory.assessment_rate")


@bp.get("/advisory/assessment")
def assessment_index():
    require("advisory.assessment")
    page = assessment.assessments_page(g.ctx, page_number(request.args))
    return render("advisory/assessment/index.html", page=page, may_rate=assessment.may_rate(g.ctx))


@bp.route("/advisory/assessment/new", methods=["GET", "POST"])
def assessment_new():
    require("advisory.assessment")
    _rater()
    form = StartForm()
    if request.method == "GET":
        today = g.ctx.today()
        form.title.data = assessment.suggested_title(today)
        form.started_on.data = today.isoformat()
    if saved := submit(form, lambda: assessment.start_assessment(g.ctx, form.values())):
        return done(
            f"“{saved.value.title}” has started. Rate each key area in turn; you can stop and come back.",
            url_for("advisory.assessment_area", trauma_assessment_id=saved.value.id),
        )
    current = assessment.in_progress(g.ctx) if request.method == "GET" else None
    return render("advisory/assessment/new.html", form=form, current=current, status=form_status(form))


@bp.get("/advisory/assessment/<int:trauma_assessment_id>")
def assessment_round(trauma_assessment_id: int):
    require("advisory.assessment")
    found = assessment.get_round(g.ctx, trauma_assessment_id)
    return render(
        "advisory/assessment/round.html",
        found=found,
        sheet=assessment.sheet(g.ctx, found.assessment),
        may_rate=assessment.may_rate(g.ctx),
    )


def _next_area(area: str) -> str | None:
    index = assessment.AREA_KEYS.index(area)
    return assessment.AREA_KEYS[index + 1] if index + 1 < len(assessment.AREA_KEYS) else None


@bp.route("/advisory/assessment/<int:trauma_assessment_id>/area", methods=["GET", "POST"])
def assessment_area(trauma_assessment_id: int) -> BaseResponse | str:
    """One key area of a round in progress: a radio group per principle, notes and next steps, saved in
    one POST. A completed round's areas are read on the round's page."""
    require("advisory.assessment")
    _rater()
    found = assessment.get_round(g.ctx, trauma_assessment_id)
    round_url = url_for("advisory.assessment_round", trauma_assessment_id=found.id)
    if found.completed and request.method == "GET":
        area = query_choice(request.args, "area", assessment.AREA_KEYS)
        return done(None, f"{round_url}#area-{area}" if area else round_url)
    form = AreaForm()
    asked = query_choice(request.args, "area", assessment.AREA_KEYS)
    if saved := submit(form, lambda: assessment.save_area(g.ctx, found.assessment, form.values(asked))):
        following = _next_area(asked)
        label = assessment.area_label(asked)
        message = f"{label} was saved ({saved.value} of {len(assessment.PRINCIPLES)} principles rated)."
        if request.form.get("then") == "next" and following:
            return done(message, url_for("advisory.assessment_area", trauma_assessment_id=found.id, area=following))
        return done(message, round_url)
    sheet = assessment.sheet(g.ctx, found.assessment)
    area = asked or sheet.first_open_area()
    if request.method == "GET":
        for principle in assessment.PRINCIPLES:
            score = sheet.score(area, principle.key)
            form[principle.key].data = None if score is None else str(score)
        note = sheet.notes.get(area)
        form.notes.data = note.notes if note else ""
        form.next_steps.data = note.next_steps if note else ""
    return render(
        "advisory/assessment/area.html",
        form=form,
        found=found,
        sheet=sheet,
        area=next(a for a in assessment.AREAS if a.key == area),
        position=assessment.AREA_KEYS.index(area) + 1,
        following=_next_area(area),
        status=form_status(form),
    )


@bp.route("/advisory/assessment/<int:trauma_assessment_id>/complete", methods=["GET", "POST"])
def assessment_complete(trauma_assessment_id: int):
    """GET asks first (and names the areas still to rate); POST completes the round."""
    require("advisory.assessment")
    _rater()
    found = assessment.get_round(g.ctx, trauma_assessment_id)
    form = ConfirmForm()
    if request.method == "POST":
        confirmed(form)
        if submit(form, lambda: assessment.complete_assessment(g.ctx, found.assessment), validate=False):
            return done(
                f"“{found.assessment.title}” is complete. Its results are kept and can be compared with later rounds.",
                url_for("advisory.assessment_round", trauma_assessment_id=found.id),
            )
    return render(
        "advisory/assessment/complete.html",
        found=found,
        sheet=assessment.sheet(g.ctx, found.assessment),
        form=form,
        status=form_status(form),
    )


@bp.route("/advisory/assessment/<int:trauma_assessment_id>/discard", methods=["GET", "POST"])
def assessment_discard(trauma_assessment_id: int):
    """A coordinator removes a round in progress that was started by mistake (asked first)."""
    require("advisory.assessment_discard")
    found = assessment.get_round(g.ctx, trauma_assessment_id)
    form = ConfirmForm()
    if request.method == "POST":
        confirmed(form)
        if submit(form, lambda: assessment.discard_assessment(g.ctx, found.assessment), validate=False):
            return done(f"“{found.assessment.title}” was discarded.", url_for("advisory.assessment_index"))
    return render("advisory/assessment/discard.html", found=found, form=form, status=form_status(form))


@bp.get("/advisory/assessment/compare")
def assessment_compare():
    require("advisory.assessment")
    return render(
        "advisory/assessment/compare.html",
        comparison=assessment.comparison(g.ctx),
        change=assessment.change,
        limit=assessment.COMPARE_ROUNDS,
    )
