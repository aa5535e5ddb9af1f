"""Goals pages: the overview (progress by horizon or by P, filters, overdue and stalled flags), a
goal's page (objectives, history charts, endorsements), the forms, posting progress, the printable
report and the CSV exports.

A goal the viewer may not read is a 404, like a goal that does not exist. The inline controls
(status, posting an update, endorsing) answer htmx with one block and plain posts with a redirect.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, abort, flash, g, redirect, request, url_for

from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.goals import services
from partnership_hub.goals.forms import (
    EndorseForm,
    GoalForm,
    ObjectiveForm,
    ProgressUpdateForm,
    StalledSettingForm,
    StatusForm,
    parse_filters,
)
from partnership_hub.goals.models import Confidentiality, GoalStatus
from partnership_hub.policies import can
from partnership_hub.web.forms import show_error
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.redirects import safe_next
from partnership_hub.web.tenancy import workspace_blueprint

bp = workspace_blueprint("goals", __name__)


def require(action: str, record: object | None = None) -> None:
    """403 unless the current membership may do ``action``."""
    if not can(g.ctx.membership, action, record):
        abort(403)


def today() -> date:
    return services.partnership_today(g.ctx)


def _labels() -> dict:
    return {
        "status_labels": services.STATUS_LABELS,
        "horizon_labels": services.HORIZON_LABELS,
        "p_labels": services.P_LABELS,
        "confidentiality_labels": services.CONFIDENTIALITY_LABELS,
        "statuses": list(GoalStatus),
    }


# --- the overview -------------------------------------------------------------------------------


def _overview_page(setting_form: StalledSettingForm | None = None, status: int = 200):
    filters = parse_filters(request.args)
    overview = services.goals_overview(g.ctx, filters, today())
    form = setting_form or StalledSettingForm(formdata=None, stalled_after_days=overview.stalled_after_days)
    return render(
        "goals/index.html",
        block="results",
        status=status,
        filters=filters,
        overview=overview,
        setting_form=form,
        status_form=StatusForm(formdata=None),
        **_labels(),
    )


@bp.get("/goals")
def index():
    require("goals.view")
    response = _overview_page()
    if is_htmx():
        filters = parse_filters(request.args)
        response.headers["HX-Push-Url"] = url_for("goals.index", **filters.query_args())
    return response


@bp.post("/goals/settings")
def settings():
    require("goals.manage")
    form = StalledSettingForm()
    if form.validate_on_submit():
        try:
            days = services.set_stalled_after(g.ctx, form.stalled_after_days.data)
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"Active goals with no update for {days} days are now flagged as stalled.", "success")
            return redirect(url_for("goals.index"))
    return _overview_page(form, status=422)


# --- a goal -------------------------------------------------------------------------------------


def _goal_form_page(form: GoalForm, goal=None):
    status = 422 if form.errors or form.form_errors else 200
    return render("goals/goal_form.html", form=form, goal=goal, status=status, **_labels())


@bp.route("/goals/new", methods=["GET", "POST"])
def new():
    require("goals.manage")
    form = GoalForm()
    form.fill_choices(services.people_names(g.ctx), services.active_organizations(g.ctx))
    if form.validate_on_submit():
        try:
            goal = services.create_goal(g.ctx, form.values())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("The goal was added. Now give it measurable objectives.", "success")
            return redirect(url_for("goals.detail", goal_id=goal.id))
    return _goal_form_page(form)


def _detail_page(goal, *, block: str | None = None, status: int = 200, update_forms=None, objective_errors=None):
    detail = services.goal_detail(g.ctx, goal, today())
    return render(
        "goals/detail.html",
        block=block,
        status=status,
        goal=goal,
        detail=detail,
        update_forms=update_forms or {},
        status_form=StatusForm(formdata=None, status=goal.status.value),
        endorse_form=EndorseForm(formdata=None),
        objective_errors=objective_errors or {},
        today=today(),
        **_labels(),
    )


@bp.get("/goals/<int:goal_id>")
def detail(goal_id: int):
    require("goals.view")
    goal = services.get_visible_goal(g.ctx, goal_id)
    if goal.confidentiality != Confidentiality.WORKSPACE:
        services.record_view(g.ctx, goal)
        db.session.commit()
    return _detail_page(goal)


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit(goal_id: int):
    require("goals.manage")
    goal = services.get_visible_goal(g.ctx, goal_id)
    form = GoalForm(obj=goal)
    form.fill_choices(services.people_names(g.ctx), services.active_organizations(g.ctx))
    if request.method == "GET":
        detail = services.goal_detail(g.ctx, goal, today())
        form.owner_membership_id.data = str(goal.owner_membership_id or "")
        form.horizon.data, form.status.data = goal.horizon.value, goal.status.value
        form.confidentiality.data = goal.confidentiality.value
        form.lead_organization_ids.data = [
            oid for oid, name in services.active_organizations(g.ctx).items() if name in detail.row.lead_organizations
        ]
        form.access_membership_ids.data = detail.access
    if form.validate_on_submit():
        try:
            services.update_goal(g.ctx, goal, form.values())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("The goal was updated.", "success")
            return redirect(url_for("goals.detail", goal_id=goal.id))
    return _goal_form_page(form, goal)


@bp.post("/goals/<int:goal_id>/status")
def change_status(goal_id: int):
    """The inline status control: htmx swaps the goal's status block; a plain post redirects."""
    require("goals.manage")
    goal = services.get_visible_goal(g.ctx, goal_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_goal_status(g.ctx, goal, form.status.data)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        status = 422
    else:
        db.session.commit()
        flash(f"{goal.title}: status is now {services.STATUS_LABELS[goal.status].lower()}.", "success")
        status = 200
    if is_htmx():
        return _detail_page(goal, block="status_block", status=status)
    return redirect(safe_next(url_for("goals.detail", goal_id=goal.id)), 303)


@bp.post("/goals/<int:goal_id>/endorse")
def endorse(goal_id: int):
    require("goals.endorse")
    goal = services.get_visible_goal(g.ctx, goal_id)
    form = EndorseForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.endorse_goal(g.ctx, goal, form.organization_id.data or None)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        status = 422
    else:
        db.session.commit()
        flash("Thank you: your organization's endorsement is recorded.", "success")
        status = 200
    if is_htmx():
        return _detail_page(goal, block="endorsements_block", status=status)
    if status == 422:
        return _detail_page(goal, status=422)
    return redirect(url_for("goals.detail", goal_id=goal.id), 303)


# --- objectives and progress --------------------------------------------------------------------


def _objective_form_page(form: ObjectiveForm, goal, objective=None):
    status = 422 if form.errors or form.form_errors else 200
    return render("goals/objective_form.html", form=form, goal=goal, objective=objective, status=status)


@bp.route("/goals/<int:goal_id>/objectives/new", methods=["GET", "POST"])
def new_objective(goal_id: int):
    require("goals.manage")
    goal = services.get_visible_goal(g.ctx, goal_id)
    form = ObjectiveForm()
    form.fill_choices(services.people_names(g.ctx))
    if form.validate_on_submit():
        try:
            services.create_objective(g.ctx, goal, form.values())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("The objective was added.", "success")
            return redirect(url_for("goals.detail", goal_id=goal.id))
    return _objective_form_page(form, goal)


@bp.route("/goals/objectives/<int:objective_id>/edit", methods=["GET", "POST"])
def edit_objective(objective_id: int):
    require("goals.manage")
    objective = services.get_visible_objective(g.ctx, objective_id)
    form = ObjectiveForm(obj=objective)
    form.fill_choices(services.people_names(g.ctx))
    if request.method == "GET":
        form.owner_membership_id.data = str(objective.owner_membership_id or "")
        form.baseline.data, form.target.data = f"{objective.baseline:g}", f"{objective.target:g}"
    if form.validate_on_submit():
        try:
            services.update_objective(g.ctx, objective, form.values())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("The objective was updated.", "success")
            return redirect(url_for("goals.detail", goal_id=objective.goal_id))
    return _objective_form_page(form, objective.goal, objective)


@bp.post("/goals/objectives/<int:objective_id>/updates")
def post_update(objective_id: int):
    """Post a new value: htmx gets the objective's block back; a plain post redirects (or shows the
    goal's page with the errors at the fields, 422)."""
    objective = services.get_visible_objective(g.ctx, objective_id)
    require("goals.post_update", objective)
    goal = objective.goal
    form = ProgressUpdateForm(prefix=f"o{objective.id}")
    ok = form.validate_on_submit()
    if ok:
        try:
            services.post_update(g.ctx, objective, form.values(), today())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
            ok = False
        else:
            db.session.commit()
            flash(f"Progress on “{objective.title}” was recorded.", "success")
    if ok and not is_htmx():
        return redirect(url_for("goals.detail", goal_id=goal.id, _anchor=f"objective-{objective.id}"), 303)
    forms = {} if ok else {objective.id: form}
    status = 200 if ok else 422
    return _detail_page(goal, block="objectives_block", status=status, update_forms=forms)


# --- report and exports -------------------------------------------------------------------------


def _report_dates() -> tuple[date, date, str | None]:
    end = today()
    start = end - timedelta(days=90)
    error = None
    try:
        if request.args.get("start"):
            start = date.fromisoformat(request.args["start"])
        if request.args.get("end"):
            end = date.fromisoformat(request.args["end"])
    except ValueError:
        error = "Enter dates like 2026-03-31."
    if start > end:
        error = "The start date must be on or before the end date."
    return start, end, error


@bp.get("/goals/report")
def report():
    require("goals.view")
    start, end, error = _report_dates()
    if error:
        return render("goals/report.html", report=None, start=start, end=end, error=error, status=422, **_labels())
    return render(
        "goals/report.html",
        report=services.progress_report(g.ctx, start, end),
        start=start,
        end=end,
        error=None,
        **_labels(),
    )


def _csv(body: str, name: str) -> Response:
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{g.ctx.partnership.slug}-{name}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/goals.csv")
def export_goals():
    require("goals.view")
    return _csv(services.export_goals_csv(g.ctx, today()), "goals")


@bp.get("/goals/objectives.csv")
def export_objectives():
    require("goals.view")
    return _csv(services.export_objectives_csv(g.ctx, today()), "objectives")


@bp.get("/goals/updates.csv")
def export_updates():
    require("goals.view")
    return _csv(services.export_updates_csv(g.ctx), "progress-updates")
