"""The action plan: action items linked to goals and objectives, with an assignee, a due date and a
status. Overdue items stand out everywhere they are listed.

Everyone reads the plan (an item under a goal someone may not see is a 404 for them); coordinators
change any item, others the items they created or are assigned. The list and the status change
answer htmx requests with a fragment; without JavaScript the same URLs serve whole pages.
"""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, request, url_for

from partnership_hub.actions import services
from partnership_hub.actions.forms import ActionItemForm, StatusForm, parse_filters, parse_page
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.policies import can
from partnership_hub.web.forms import show_error
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.redirects import safe_next
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.workspaces.forms import ConfirmForm

bp = workspace_blueprint("actions", __name__)


@bp.context_processor
def _action_plan_helpers() -> dict:
    return {"status_labels": services.STATUS_LABELS, "assignee_name": services.assignee_name}


def require(action: str, record: object | None = None) -> None:
    """403 unless the current membership may do ``action`` (to ``record``)."""
    if not can(g.ctx.membership, action, record):
        abort(403)


def load_entry(action_item_id: int) -> services.ActionEntry:
    """The item with its links, or 404 — also when its goal is one this person may not see."""
    entry = services.find_entry(g.ctx, action_item_id, services.today_for(g.ctx))
    if entry is None:
        abort(404)
    return entry


def _filter_choices() -> dict:
    return {
        "goals": services.goal_choices(g.ctx),
        "members": services.assignable_members(g.ctx),
    }


@bp.get("/actions")
def index():
    require("actions.view")
    filters = parse_filters(request.args)
    today = services.today_for(g.ctx)
    page = services.search_items(g.ctx, filters, today, parse_page(request.args))
    partial = is_htmx()
    response = render(
        "actions/index.html",
        block="results",
        partial=partial,
        filters=filters,
        page=page,
        today=today,
        status_form=StatusForm(),
        **({} if partial else _filter_choices()),
    )
    if partial:
        page_arg = {"page": page.page} if page.page > 1 else {}
        response.headers["HX-Push-Url"] = url_for("actions.index", **filters.query_args(), **page_arg)
    return response


@bp.get("/actions.csv")
def export():
    require("actions.view")
    filters = parse_filters(request.args)
    body = services.export_csv(g.ctx, filters, services.today_for(g.ctx))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{g.ctx.partnership.slug}-action-plan.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _form_page(form: ActionItemForm, entry: services.ActionEntry | None = None):
    form.set_choices(
        services.goal_choices(g.ctx), services.objective_choices(g.ctx), services.assignable_members(g.ctx)
    )
    return render("actions/form.html", form=form, entry=entry, status=422 if form.errors or form.form_errors else 200)


def _save(form: ActionItemForm, save) -> bool:
    """Validate ``form`` and call ``save(values)``; on a refusal show it at its field."""
    if not form.validate_on_submit():
        return False
    try:
        save(form.values())
    except ServiceError as error:
        db.session.rollback()
        show_error(form, error)
        return False
    return True


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
    created = []
    if _save(form, lambda values: created.append(services.create_item(g.ctx, values))):
        db.session.commit()
        flash(f"“{created[0].title}” was added to the action plan.", "success")
        return redirect(url_for("actions.detail", action_item_id=created[0].id))
    return _form_page(form)


@bp.get("/actions/<int:action_item_id>")
def detail(action_item_id: int):
    require("actions.view")
    entry = load_entry(action_item_id)
    return render(
        "actions/detail.html",
        entry=entry,
        status_form=StatusForm(),
        confirm_form=ConfirmForm(),
    )


@bp.route("/actions/<int:action_item_id>/edit", methods=["GET", "POST"])
def edit(action_item_id: int):
    entry = load_entry(action_item_id)
    require("actions.edit", entry.item)
    item = entry.item
    form = ActionItemForm(obj=item)
    if request.method == "GET":
        form.status.data = item.status.value
        form.due_date.data = item.due_date.isoformat() if item.due_date else ""
        for name in ("goal_id", "objective_id", "assignee_membership_id"):
            value = getattr(item, name)
            getattr(form, name).data = "" if value is None else str(value)
    if _save(form, lambda values: services.update_item(g.ctx, item, values)):
        db.session.commit()
        flash(f"“{item.title}” was updated.", "success")
        return redirect(url_for("actions.detail", action_item_id=item.id))
    return _form_page(form, entry)


@bp.post("/actions/<int:action_item_id>/status")
def status(action_item_id: int):
    """Change the status: htmx swaps the item's status widget; a plain post goes back to the page."""
    entry = load_entry(action_item_id)
    require("actions.update_status", entry.item)
    form = StatusForm()
    error = None
    if form.validate_on_submit():
        try:
            changed = services.change_status(g.ctx, entry.item, form.status.data)
        except ServiceError as refusal:
            db.session.rollback()
            error = refusal
    else:
        error = ServiceError("This form has expired. Reload the page and try again.", "status")
    if error is not None:
        show_error(form, error)
        if is_htmx():
            return render("actions/_status.html", status=422, entry=entry, status_form=form, next_url="")
        return render(
            "actions/detail.html",
            status=422,
            entry=entry,
            status_form=form,
            confirm_form=ConfirmForm(),
        )
    db.session.commit()
    entry.overdue = services.is_overdue(entry.item, services.today_for(g.ctx))
    message = f"“{entry.item.title}” is now {entry.status_label.lower()}." if changed else None
    if is_htmx():
        return render("actions/_status.html", entry=entry, status_form=StatusForm(), message=message)
    if message:
        flash(message, "success")
    # Back to the action plan page the post came from, never anywhere else.
    return redirect(safe_next(url_for("actions.detail", action_item_id=entry.item.id), within=url_for("actions.index")))


@bp.route("/actions/<int:action_item_id>/delete", methods=["GET", "POST"])
def delete(action_item_id: int):
    """GET asks first (the page people without JavaScript reach); POST removes the item."""
    entry = load_entry(action_item_id)
    require("actions.delete", entry.item)
    form = ConfirmForm()
    if request.method == "GET":
        return render("actions/delete.html", entry=entry, form=form)
    if not form.validate_on_submit():
        abort(400)
    title = entry.item.title
    services.delete_item(g.ctx, entry.item)
    db.session.commit()
    flash(f"“{title}” was removed from the action plan.", "success")
    if is_htmx():
        response = Response(status=204)
        response.headers["HX-Redirect"] = url_for("actions.index")
        return response
    return redirect(url_for("actions.index"))
