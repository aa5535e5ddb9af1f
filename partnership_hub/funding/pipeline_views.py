"""Routes of the funding pipeline, registered on the area's blueprint: the board by status (drag a card
to another column, or use its "Move to" control), the list with filters, totals by type and year, the CSV
export, and each opportunity's page and form. Coordinators change the pipeline; everyone reads what the
confidentiality layer lets them see."""

from __future__ import annotations

from collections.abc import Mapping

from flask import flash, g, request, url_for
from flask_wtf import FlaskForm

from partnership_hub import money, picking, toolkit
from partnership_hub.confidentiality import may_read
from partnership_hub.funding import pipeline
from partnership_hub.funding.pipeline_forms import MoveForm, OpportunityForm
from partnership_hub.funding.pipeline_models import STATUS_LABELS, FundingStatus
from partnership_hub.funding.views import bp
from partnership_hub.members import services as members
from partnership_hub.parsing import parse_ids, parse_int, query_choice, query_text
from partnership_hub.web.htmx import is_htmx, render
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
from partnership_hub.workspaces import services as workspaces
from partnership_hub.workspaces.forms import ConfirmForm

TYPES = [(choice.key, choice.label) for choice in toolkit.FUNDING_TYPES]


def _year(args: Mapping[str, str]) -> int | None:
    """A year in the query string (2000-2200, the years an opportunity may count in), else None ("any")."""
    return parse_int(query_text(args, "year", limit=8), low=2000, high=2200)


def _filters() -> pipeline.ListFilters:
    args = request.args
    return pipeline.ListFilters(
        status=query_choice(args, "status", [s.value for s in FundingStatus]),
        source_type=query_choice(args, "type", list(pipeline.TYPE_LABELS)),
        year=_year(args),
        q=query_text(args, "q"),
        mine=query_choice(args, "owner", ["me"]) == "me",
    )


@bp.get("/funding")
def index():
    """The board: a column per status, each card a form that moves it."""
    require("funding.view")
    return render(
        "funding/board.html",
        columns=pipeline.board(g.ctx),
        move_form=MoveForm(formdata=None),
        statuses=list(STATUS_LABELS.items()),
        today=g.ctx.today(),
    )


@bp.get("/funding/opportunities")
def opportunities():
    """The pipeline as a table with filters; an htmx request (a filter changed, another page) gets the
    results block only."""
    require("funding.view")
    filters = _filters()
    page = pipeline.opportunities_page(g.ctx, filters, page_number(request.args))
    return render(
        "funding/list.html",
        block="results",
        page=page,
        filters=filters,
        partial=is_htmx(),
        statuses=list(STATUS_LABELS.items()),
        types=TYPES,
        today=g.ctx.today(),
    )


@bp.get("/funding/opportunities.csv")
def opportunities_export():
    """The filtered pipeline, streamed (only what the exporter may see; exports above "everyone" are
    access-logged)."""
    require("funding.view")
    rows = pipeline.export_rows(g.ctx, _filters())
    return csv_response("funding-opportunities", pipeline.EXPORT_HEADER, rows)


@bp.get("/funding/totals")
def totals():
    require("funding.view")
    today = g.ctx.today()
    year = _year(request.args) or today.year
    result = pipeline.totals(g.ctx, year, query_text(request.args, "currency", limit=8).upper() or None)
    return render("funding/totals.html", totals=result, chart=pipeline.chart(result), today=today)


def _form_page(form: OpportunityForm, opportunity=None):
    people = workspaces.people_spec(g.ctx, parse_ids([form.owner_membership_id.data]), "Nobody yet")
    access = workspaces.people_spec(g.ctx, parse_ids(form.access.data or []))
    organizations = members.organizations_spec(parse_ids([form.lead_organization_id.data]), "None")
    goals = pipeline.goal_spec(g.ctx, parse_ids(form.goal_ids.data or []))
    # Every picker holds what is chosen plus the first matches, never the whole list: ONE statement for all.
    picks = picking.pick_together({"owner": people, "access": access, "organization": organizations, "goals": goals})
    form.owner_membership_id.choices = picks["owner"].choices()
    form.access.choices = picks["access"].choices()
    form.lead_organization_id.choices = picks["organization"].choices()
    form.goal_ids.choices = picks["goals"].choices()
    return render("funding/form.html", form=form, opportunity=opportunity, status=form_status(form))


@bp.route("/funding/opportunities/new", methods=["GET", "POST"])
def opportunity_new():
    require("funding.manage")
    form = OpportunityForm()
    if request.method == "GET":
        wanted = query_choice(request.args, "status", [s.value for s in FundingStatus])
        form.status.data = wanted or FundingStatus.IDEA.value
    if saved := submit(form, lambda: pipeline.create_opportunity(g.ctx, form.values())):
        return _saved(saved.value, f"“{saved.value.title}” is in the pipeline.")
    return _form_page(form)


def _saved(found, message: str):
    """On to the opportunity's page, with the warnings worth a second look; or to the board when its level
    keeps out the coordinator who saved it (``advisory`` and not on the board: its page would be a 404)."""
    if not may_read(g.ctx, found):
        hidden = "The opportunity was saved. Only the people its level admits can open it; you are not among them."
        return done(hidden, url_for("funding.index"))
    warnings = pipeline.warnings_for(found, g.ctx.today())
    if warnings:
        message += " Please check: " + " ".join(warnings)
    return done(message, url_for("funding.opportunity", funding_opportunity_id=found.id))


def _flash_refusal(form: FlaskForm, what: str) -> None:
    """A one-control form has no page of its own to show errors on: say them in the flash messages."""
    for message in [*form.form_errors, *(error for f in form for error in f.errors)]:
        flash(f"{what} {message}", "error")


@bp.get("/funding/opportunities/<int:funding_opportunity_id>")
def opportunity(funding_opportunity_id: int):
    require("funding.view")
    found = pipeline.get_opportunity(g.ctx, funding_opportunity_id)
    return render(
        "funding/detail.html",
        page=pipeline.opportunity_page(g.ctx, found),
        level_label=found.confidentiality.label,
        warnings=pipeline.warnings_for(found, g.ctx.today()),
        type_label=pipeline.TYPE_LABELS.get(found.source_type, found.source_type),
        status_label=STATUS_LABELS[found.status],
        move_form=MoveForm(formdata=None, status=found.status.value),
        delete_form=ConfirmForm(formdata=None),
    )


@bp.route("/funding/opportunities/<int:funding_opportunity_id>/edit", methods=["GET", "POST"])
def opportunity_edit(funding_opportunity_id: int):
    require("funding.view")
    found = pipeline.get_opportunity(g.ctx, funding_opportunity_id)
    require("funding.manage")
    form = OpportunityForm(obj=found)
    if request.method == "GET":
        form.status.data = found.status.value
        form.confidentiality.data = found.confidentiality.value
        for name in ("amount_asked", "amount_awarded"):
            value = getattr(found, name)
            getattr(form, name).data = "" if value is None else money.format_amount(value)
        for name in ("application_deadline", "report_deadline"):
            value = getattr(found, name)
            getattr(form, name).data = value.isoformat() if value else ""
        form.fiscal_year.data = str(found.fiscal_year or "")
        form.lead_organization_id.data = str(found.lead_organization_id or "")
        form.owner_membership_id.data = str(found.owner_membership_id or "")
        goal_ids, named_ids = pipeline.form_links(found)
        form.goal_ids.data = [str(i) for i in goal_ids]
        form.access.data = [str(i) for i in named_ids]
    if submit(form, lambda: pipeline.update_opportunity(g.ctx, found, form.values())):
        return _saved(found, "The opportunity was updated.")
    return _form_page(form, found)


@bp.post("/funding/opportunities/<int:funding_opportunity_id>/move")
def opportunity_move(funding_opportunity_id: int):
    """Move a card to another status (the board's drag and drop posts this form too)."""
    require("funding.view")
    found = pipeline.get_opportunity(g.ctx, funding_opportunity_id)
    require("funding.manage")
    form = MoveForm()
    back = (
        url_for("funding.index", _anchor=f"opportunity-{found.id}")
        if form.return_to.data == "board"
        else url_for("funding.opportunity", funding_opportunity_id=found.id)
    )
    if submit(form, lambda: pipeline.move_opportunity(g.ctx, found, form.values())):
        return done(f"“{found.title}” is now {STATUS_LABELS[found.status].lower()}.", back)
    _flash_refusal(form, "The card was not moved.")
    return done(None, back)


@bp.post("/funding/opportunities/<int:funding_opportunity_id>/delete")
def opportunity_delete(funding_opportunity_id: int):
    require("funding.view")
    found = pipeline.get_opportunity(g.ctx, funding_opportunity_id)
    require("funding.manage")
    form = confirmed(ConfirmForm())
    submit(form, lambda: pipeline.delete_opportunity(g.ctx, found), validate=False)
    return done("The opportunity was removed from the pipeline.", url_for("funding.index"))


@bp.get("/funding/pick/goals")
def pick_goals():
    """The goal picker's options for what has been typed (goals the viewer may see)."""
    require("funding.view")
    query, chosen = picker_request()
    return picker_response(pipeline.pick_goals(g.ctx, query, chosen))
