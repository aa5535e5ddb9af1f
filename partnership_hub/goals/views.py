"""Goals pages: the overview (progress by horizon or by P, filters, overdue and stalled flags), a
goal's page (objectives, history charts, endorsements), the forms, posting progress, the printable
report and the CSV exports.

A goal the viewer may not read is a 404, like a goal that does not exist. The inline controls
(status, posting an update, endorsing) answer htmx with one block of the goal's page, and plain posts
with a redirect (303: back to where the form was).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, g, redirect, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy.orm.attributes import set_committed_value

from partnership_hub import confidentiality, picking
from partnership_hub.goals import exports, queries, services
from partnership_hub.goals.forms import (
    EndorseForm,
    GoalFilterForm,
    GoalForm,
    ObjectiveForm,
    ProgressUpdateForm,
    StalledSettingForm,
    StatusForm,
    parse_filters,
)
from partnership_hub.goals.models import (
    CONFIDENTIALITY_LABELS,
    HORIZON_LABELS,
    P_LABELS,
    STATUS_LABELS,
    Goal,
    GoalStatus,
)
from partnership_hub.parsing import date_error, query_date
from partnership_hub.picking import chosen_ids
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.redirects import safe_next
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import (
    csv_response,
    done,
    form_status,
    page_number,
    picker_request,
    picker_response,
    require,
    submit,
)

bp = workspace_blueprint("goals", __name__)

NOBODY = "Nobody yet"


def _labels() -> dict:
    return {
        "status_labels": STATUS_LABELS,
        "horizon_labels": HORIZON_LABELS,
        "p_labels": P_LABELS,
        "confidentiality_labels": CONFIDENTIALITY_LABELS,
        "statuses": list(GoalStatus),
    }


def _flash_refusal(form: FlaskForm) -> None:
    """An inline control has no fields to show errors at: say them in the flash messages."""
    for message in [*form.form_errors, *(error for f in form for error in f.errors)]:
        flash(message, "error")


# --- the overview -------------------------------------------------------------------------------


def _filter_form(filters) -> GoalFilterForm | None:
    """The owner and organization pickers: the one filtered on plus the first matches (or the
    matches for what was typed, when the filters were sent without JavaScript). htmx swaps only
    the results, so it needs none."""
    if is_htmx():
        return None
    form = GoalFilterForm(formdata=None, owner=str(filters.owner or ""), organization=str(filters.organization or ""))
    owners, organizations = queries.filter_picks(
        g.ctx,
        request.args.get("owner__q", ""),
        filters.owner,
        request.args.get("organization__q", ""),
        filters.organization,
    )
    form.owner.choices, form.organization.choices = owners.choices(), organizations.choices()
    return form


def _overview_page(setting_form: StalledSettingForm | None = None):
    filters = parse_filters(request.args)
    overview = queries.goals_overview(g.ctx, filters, g.ctx.today(), page_number(request.args))
    form = setting_form or StalledSettingForm(formdata=None, stalled_after_days=overview.stalled_after_days)
    return render(
        "goals/index.html",
        block="results",
        status=form_status(form),
        filters=filters,
        filter_form=_filter_form(filters),
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
        page = page_number(request.args)
        query = parse_filters(request.args).query_args() | ({"page": page} if page > 1 else {})
        response.headers["HX-Push-Url"] = url_for("goals.index", **query)
    return response


@bp.post("/goals/settings")
def settings():
    require("goals.manage")
    form = StalledSettingForm()
    if saved := submit(form, lambda: services.set_stalled_after(g.ctx, form.stalled_after_days.data)):
        message = f"Active goals with no update for {saved.value} days are now flagged as stalled."
        return done(message, url_for("goals.index"))
    return _overview_page(form)


# --- a goal -------------------------------------------------------------------------------------


def _goal_form_page(form: GoalForm, goal: Goal | None = None):
    # Each picker holds what is chosen plus the first matches, never the whole list (one query).
    picks = picking.pick_together(
        {
            "owner": queries.people_spec(g.ctx, chosen_ids([form.owner_membership_id.data]), NOBODY),
            "leads": queries.organization_spec(chosen_ids(form.lead_organization_ids.data or [])),
            "access": queries.people_spec(g.ctx, chosen_ids(form.access_membership_ids.data or [])),
        }
    )
    form.owner_membership_id.choices = picks["owner"].choices()
    form.lead_organization_ids.choices = picks["leads"].choices()
    form.access_membership_ids.choices = picks["access"].choices()
    return render("goals/goal_form.html", form=form, goal=goal, status=form_status(form), **_labels())


@bp.route("/goals/new", methods=["GET", "POST"])
def new():
    require("goals.manage")
    form = GoalForm()
    if saved := submit(form, lambda: services.create_goal(g.ctx, form.values())):
        return _saved(saved.value, "The goal was added. Now give it measurable objectives.")
    return _goal_form_page(form)


def _saved(goal: Goal, message: str):
    """On to the goal's page, or to the list when its level keeps out the coordinator who saved it (an
    ``advisory`` goal and a coordinator not on the survivor advisory board: a 404 otherwise)."""
    if confidentiality.may_read(g.ctx, goal):
        return done(message, url_for("goals.detail", goal_id=goal.id))
    hidden = "The goal was saved. Only the people its level admits can open it; you are not among them."
    return done(hidden, url_for("goals.index"))


def _detail_page(goal: Goal, *, block: str | None = None, status: int = 200, update_forms=None):
    today = g.ctx.today()
    detail = queries.goal_detail(g.ctx, goal, today)
    for orow in detail.row.objectives:
        # The post-progress rule asks each objective for its goal's owner: hand it the goal loaded
        # here rather than one query per objective.
        set_committed_value(orow.objective, "goal", goal)
    return render(
        "goals/detail.html",
        block=block,
        status=status,
        goal=goal,
        detail=detail,
        actions=None if block and is_htmx() else queries.goal_action_items(g.ctx, goal, today),
        update_forms=update_forms or {},
        status_form=StatusForm(formdata=None, status=goal.status.value),
        endorse_form=EndorseForm(formdata=None),
        today=today,
        **_labels(),
    )


@bp.get("/goals/<int:goal_id>")
def detail(goal_id: int):
    goal = queries.get_visible_goal(g.ctx, goal_id)
    require("goals.view", goal)
    return _detail_page(goal)  # the read goes to the access log after the request (confidentiality.py)


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit(goal_id: int):
    goal = queries.get_visible_goal(g.ctx, goal_id)
    require("goals.manage", goal)
    form = GoalForm(obj=goal)
    if request.method == "GET":
        form.owner_membership_id.data = str(goal.owner_membership_id or "")
        form.horizon.data, form.status.data = goal.horizon.value, goal.status.value
        form.confidentiality.data = goal.confidentiality.value
        # An archived lead is not offered (the organization picker lists active ones), so saving drops it.
        form.lead_organization_ids.data = queries.lead_organization_ids(goal)
        form.access_membership_ids.data = sorted(confidentiality.granted_membership_ids(goal))
    if submit(form, lambda: services.update_goal(g.ctx, goal, form.values())):
        return _saved(goal, "The goal was updated.")
    return _goal_form_page(form, goal)


@bp.post("/goals/<int:goal_id>/status")
def change_status(goal_id: int):
    """The inline status control: htmx swaps the goal's status block; a plain post goes back."""
    goal = queries.get_visible_goal(g.ctx, goal_id)
    require("goals.manage", goal)
    form = StatusForm()
    if submit(form, lambda: services.set_goal_status(g.ctx, goal, form.status.data)):
        flash(f"{goal.title}: status is now {STATUS_LABELS[goal.status].lower()}.", "success")
    else:
        _flash_refusal(form)
    if is_htmx():
        return _detail_page(goal, block="status_block", status=form_status(form))
    return redirect(safe_next(url_for("goals.detail", goal_id=goal.id)), 303)


@bp.post("/goals/<int:goal_id>/endorse")
def endorse(goal_id: int):
    goal = queries.get_visible_goal(g.ctx, goal_id)
    require("goals.endorse", goal)
    form = EndorseForm()
    if submit(form, lambda: services.endorse_goal(g.ctx, goal, form.organization_id.data or None)):
        flash("Thank you: your organization's endorsement is recorded.", "success")
    else:
        _flash_refusal(form)
    if is_htmx():
        return _detail_page(goal, block="endorsements_block", status=form_status(form))
    if form_status(form) != 200:
        return _detail_page(goal, status=form_status(form))
    return redirect(url_for("goals.detail", goal_id=goal.id), 303)


# --- objectives and progress --------------------------------------------------------------------


def _objective_form_page(form: ObjectiveForm, goal: Goal, objective=None):
    owner = queries.people_spec(g.ctx, chosen_ids([form.owner_membership_id.data]), NOBODY)
    form.owner_membership_id.choices = picking.pick_together({"owner": owner})["owner"].choices()
    return render("goals/objective_form.html", form=form, goal=goal, objective=objective, status=form_status(form))


@bp.route("/goals/<int:goal_id>/objectives/new", methods=["GET", "POST"])
def new_objective(goal_id: int):
    goal = queries.get_visible_goal(g.ctx, goal_id)
    require("goals.add_objective", goal)  # coordinators, and the goal's owner (goals/policies.py)
    form = ObjectiveForm()
    if submit(form, lambda: services.create_objective(g.ctx, goal, form.values())):
        return done("The objective was added.", url_for("goals.detail", goal_id=goal.id))
    return _objective_form_page(form, goal)


@bp.get("/pick/goal-owners")
def pick_owners():
    """The overview's owner filter: people who own a goal the viewer may read (see the picker macro)."""
    require("goals.view")
    query, chosen = picker_request()
    return picker_response(queries.pick_owners(g.ctx, query, chosen, blank=request.args.get("blank") or None))


@bp.get("/pick/goals")
def pick_goals():
    """A goal picker's options for what has been typed (see the picker macro)."""
    require("goals.view")
    query, chosen = picker_request()
    return picker_response(queries.pick_goals(g.ctx, query, chosen, blank=request.args.get("blank") or None))


@bp.get("/pick/objectives")
def pick_objectives():
    """An objective picker's options for what has been typed (see the picker macro)."""
    require("goals.view")
    query, chosen = picker_request()
    return picker_response(queries.pick_objectives(g.ctx, query, chosen, blank=request.args.get("blank") or None))


@bp.get("/goals/objectives/<int:objective_id>")
def objective(objective_id: int):
    """An objective's address (the activity feed links here): its place on its goal's page."""
    require("goals.view")
    found = queries.get_visible_objective(g.ctx, objective_id)
    return redirect(url_for("goals.detail", goal_id=found.goal_id, _anchor=f"objective-{found.id}"))


@bp.route("/goals/objectives/<int:objective_id>/edit", methods=["GET", "POST"])
def edit_objective(objective_id: int):
    objective = queries.get_visible_objective(g.ctx, objective_id)
    require("goals.manage", objective)
    form = ObjectiveForm(obj=objective)
    if request.method == "GET":
        form.owner_membership_id.data = str(objective.owner_membership_id or "")
        form.baseline.data, form.target.data = f"{objective.baseline:g}", f"{objective.target:g}"
    if submit(form, lambda: services.update_objective(g.ctx, objective, form.values())):
        return done("The objective was updated.", url_for("goals.detail", goal_id=objective.goal_id))
    return _objective_form_page(form, objective.goal, objective)


@bp.post("/goals/objectives/<int:objective_id>/updates")
def post_update(objective_id: int):
    """Post a new value: htmx gets the objective's block back; a plain post goes back to the objective
    (or shows the goal's page with the errors at the fields, 422)."""
    objective = queries.get_visible_objective(g.ctx, objective_id)
    require("goals.post_update", objective)
    goal = objective.goal
    form = ProgressUpdateForm(prefix=f"o{objective.id}")
    saved = submit(form, lambda: services.post_update(g.ctx, objective, form.values()))
    if saved:
        flash(f"Progress on “{objective.title}” was recorded.", "success")
        if not is_htmx():
            return redirect(url_for("goals.detail", goal_id=goal.id, _anchor=f"objective-{objective.id}"), 303)
    forms = {} if saved else {objective.id: form}
    return _detail_page(goal, block="objectives_block", status=form_status(form), update_forms=forms)


# --- report and exports -------------------------------------------------------------------------


def _report_dates() -> tuple[date, date, str | None]:
    end = g.ctx.today()
    start = end - timedelta(days=90)
    error = next(filter(None, (date_error(request.args.get(name)) for name in ("start", "end"))), None)
    if error is None:
        start = query_date(request.args, "start") or start
        end = query_date(request.args, "end") or end
    if error is None and start > end:
        error = "The start date must be on or before the end date."
    return start, end, error


@bp.get("/goals/report")
def report():
    require("goals.view")
    start, end, error = _report_dates()
    return render(
        "goals/report.html",
        report=None if error else queries.progress_report(g.ctx, start, end, page_number(request.args)),
        start=start,
        end=end,
        error=error,
        status=422 if error else 200,
        **_labels(),
    )


@bp.get("/goals.csv")
def export_goals():
    require("goals.view")
    return csv_response("goals", *exports.goals_table(g.ctx, g.ctx.today()))


@bp.get("/goals/objectives.csv")
def export_objectives():
    require("goals.view")
    return csv_response("objectives", *exports.objectives_table(g.ctx, g.ctx.today()))


@bp.get("/goals/updates.csv")
def export_updates():
    require("goals.view")
    return csv_response("progress-updates", *exports.updates_table(g.ctx))
