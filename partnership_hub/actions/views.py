"""The action plan: action items linked to goals and objectives, with an assignee, a due date and a
status. Overdue items stand out everywhere they are listed.

Everyone reads the plan (an item under a goal someone may not see is a 404 for them); coordinators
change any item, others the items they created or are assigned. The list and the status change
answer htmx requests with a fragment; without JavaScript the same URLs serve whole pages.
"""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for

from partnership_hub.actions import services
from partnership_hub.actions.forms import ActionItemForm, StatusForm, parse_filters
from partnership_hub.picking import Pick
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.redirects import safe_next
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import confirmed, csv_response, done, form_status, page_number, require, submit
from partnership_hub.workspaces.forms import ConfirmForm

bp = workspace_blueprint("actions", __name__)

EXPIRED = "This form has expired. Reload the page and try again."


@bp.context_processor
def _action_plan_helpers() -> dict:
    return {"status_labels": services.STATUS_LABELS, "assignee_name": services.assignee_name}


def _filter_pickers(filters: services.ActionFilters) -> dict:
    """The assignee and goal filters' choices: fixed ones, the current one and a page of matches for
    what was typed in their search boxes (sent along by a plain GET of the filter form)."""
    return {
        "assignee_filters": services.ASSIGNEE_FILTERS,
        "assignee_pick": services.pick_assignee_filter(g.ctx, request.args.get("assignee__q", ""), filters.assignee),
        "goal_filters": services.GOAL_FILTERS,
        "goal_pick": services.pick_goal_filter(g.ctx, request.args.get("goal__q", ""), filters.goal),
    }


@bp.get("/actions")
def index():
    require("actions.view")
    filters = parse_filters(request.args)
    today = g.ctx.today()
    page = services.search_items(g.ctx, filters, today, page_number(request.args))
    partial = is_htmx()
    response = render(
        "actions/index.html",
        block="results",
        partial=partial,
        filters=filters,
        page=page,
        today=today,
        status_form=StatusForm(),
        **({} if partial else _filter_pickers(filters)),
    )
    if partial:
        args: dict[str, Any] = filters.query_args() | ({"page": page.page} if page.page > 1 else {})
        response.headers["HX-Push-Url"] = url_for("actions.index", **args)
    return response


@bp.get("/actions/filter/assignees")
def pick_assignee_filter():
    """The assignee filter's options for what has been typed (see ``filter_picker`` in actions/index.html)."""
    require("actions.view")
    filters = parse_filters(request.args)
    pick = services.pick_assignee_filter(g.ctx, request.args.get("assignee__q", ""), filters.assignee)
    return _filter_options(services.ASSIGNEE_FILTERS, pick, filters.assignee)


@bp.get("/actions/filter/goals")
def pick_goal_filter():
    """The goal filter's options for what has been typed (see ``filter_picker`` in actions/index.html)."""
    require("actions.view")
    filters = parse_filters(request.args)
    pick = services.pick_goal_filter(g.ctx, request.args.get("goal__q", ""), filters.goal)
    return _filter_options(services.GOAL_FILTERS, pick, filters.goal)


def _filter_options(fixed: tuple[tuple[str, str], ...], pick: Pick, current: str):
    response = render("actions/_filter_options.html", fixed=fixed, pick=pick, current=current)
    response.vary.add("HX-Request")
    return response


@bp.get("/actions.csv")
def export():
    require("actions.view")
    rows = services.export_rows(g.ctx, parse_filters(request.args), g.ctx.today())
    return csv_response("action-plan", services.CSV_HEADER, rows)


def _form_page(form: ActionItemForm, entry: services.ActionEntry | None = None):
    # Each picker holds the chosen record and a page of matches, never the whole list; its search
    # box asks the picker endpoints for more.
    form.set_choices(**services.form_pickers(g.ctx, form.values(), entry))
    return render("actions/form.html", form=form, entry=entry, status=form_status(form))


@bp.route("/actions/new", methods=["GET", "POST"])
def new():
    require("actions.create")
    form = ActionItemForm()
    if request.method == "GET":
        # The goals pages link here with the goal (and objective) an action is for.
        form.goal_id.data = request.args.get("goal_id", "")
        form.objective_id.data = request.args.get("objective_id", "")
        if request.args.get("assignee") == "me":
            form.assignee_membership_id.data = str(g.ctx.membership.id)
    if saved := submit(form, lambda: services.create_item(g.ctx, form.values())):
        item = saved.value
        return done(f"“{item.title}” was added to the action plan.", url_for("actions.detail", action_item_id=item.id))
    return _form_page(form)


@bp.get("/actions/<int:action_item_id>")
def detail(action_item_id: int):
    require("actions.view")
    entry = services.get_entry(g.ctx, action_item_id, g.ctx.today())
    return render("actions/detail.html", entry=entry, status_form=StatusForm(), confirm_form=ConfirmForm())


@bp.route("/actions/<int:action_item_id>/edit", methods=["GET", "POST"])
def edit(action_item_id: int):
    entry = services.get_entry(g.ctx, action_item_id, g.ctx.today())
    item = entry.item
    require("actions.edit", item)
    form = ActionItemForm(obj=item)
    if request.method == "GET":
        form.status.data = item.status.value
        form.due_date.data = item.due_date.isoformat() if item.due_date else ""
        for name in ("goal_id", "objective_id", "assignee_membership_id"):
            value = getattr(item, name)
            getattr(form, name).data = "" if value is None else str(value)
    if saved := submit(form, lambda: services.update_item(g.ctx, item, form.values())):
        return done(f"“{saved.value.title}” was updated.", url_for("actions.detail", action_item_id=item.id))
    return _form_page(form, entry)


@bp.post("/actions/<int:action_item_id>/status")
def status(action_item_id: int):
    """Change the status: htmx swaps the item's status widget; a plain post goes back to the page."""
    entry = services.get_entry(g.ctx, action_item_id, g.ctx.today())
    require("actions.update_status", entry.item)
    form = StatusForm()
    if saved := submit(form, lambda: services.change_status(g.ctx, entry.item, form.status.data)):
        entry.overdue = services.is_overdue(entry.item, g.ctx.today())
        message = f"“{entry.item.title}” is now {entry.status_label.lower()}." if saved.value else None
        if is_htmx():
            return render("actions/_status.html", entry=entry, status_form=StatusForm(), message=message)
        # Back to the action plan page the post came from, never anywhere else.
        here = url_for("actions.detail", action_item_id=entry.item.id)
        return done(message, safe_next(here, within=url_for("actions.index")))
    if form.errors.get("csrf_token"):  # the status box has room for one message, at its select
        form.status.errors = [*form.status.errors, EXPIRED]
    if is_htmx():
        return render("actions/_status.html", status=422, entry=entry, status_form=form, next_url="")
    return render(
        "actions/detail.html", status=form_status(form), entry=entry, status_form=form, confirm_form=ConfirmForm()
    )


@bp.route("/actions/<int:action_item_id>/delete", methods=["GET", "POST"])
def delete(action_item_id: int):
    """GET asks first (the page people without JavaScript reach); POST removes the item."""
    entry = services.get_entry(g.ctx, action_item_id, g.ctx.today())
    require("actions.delete", entry.item)
    form = ConfirmForm()
    if request.method == "GET":
        return render("actions/delete.html", entry=entry, form=form)
    confirmed(form)
    title = entry.item.title
    if submit(form, lambda: services.delete_item(g.ctx, entry.item), validate=False):
        return done(f"“{title}” was removed from the action plan.", url_for("actions.index"))
    return render("actions/delete.html", entry=entry, form=form, status=form_status(form))
