"""Routes of the governance area's agreements section (registered on the area's blueprint): the
list (filters by status and organization, paginated, CSV), an agreement's page, recording and
editing one, withdrawing one. The list answers htmx requests with its results block; without
JavaScript the same URLs serve whole pages."""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for

from partnership_hub.governance import agreements as services
from partnership_hub.governance.agreements_forms import AgreementForm
from partnership_hub.governance.views import bp
from partnership_hub.picking import chosen_ids
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
from partnership_hub.workspaces.forms import ConfirmForm

ANY_ORGANIZATION = "Any organization"


@bp.context_processor
def _agreement_helpers() -> dict:
    return {"agreement_filter_labels": services.FILTER_LABELS, "expiring_days": services.EXPIRING_DAYS}


@bp.get("/governance/agreements")
def agreements():
    require("agreements.view")
    filters = services.parse_filters(request.args)
    today = g.ctx.today()
    page = services.search_agreements(g.ctx, filters, today, page_number(request.args))
    partial = is_htmx()
    extra: dict[str, Any] = {}
    if not partial:
        pick = services.pick_organization_filter(request.args.get("organization__q", ""), filters.organization)
        pick.blank = ANY_ORGANIZATION
        extra["organization_pick"] = pick
    response = render(
        "governance/agreements/index.html",
        block="results",
        partial=partial,
        filters=filters,
        page=page,
        today=today,
        **extra,
    )
    if partial:
        args: dict[str, Any] = filters.query_args() | ({"page": page.page} if page.page > 1 else {})
        response.headers["HX-Push-Url"] = url_for("governance.agreements", **args)
    return response


@bp.get("/governance/agreements.csv")
def agreements_csv():
    require("agreements.view")
    rows = services.export_rows(g.ctx, services.parse_filters(request.args), g.ctx.today())
    return csv_response("information-sharing-agreements", services.CSV_HEADER, rows)


@bp.get("/governance/agreements/pick/organizations")
def agreement_pick_organizations():
    """The list filter's and the form's organization options for what has been typed (picker macro)."""
    require("agreements.view")
    query, chosen = picker_request()
    if request.args.get("field") == "organization":
        pick = services.pick_organization_filter(query, str(chosen[0]) if chosen else "")
        pick.blank = ANY_ORGANIZATION
    else:
        pick = services.pick_parties(chosen, query)
    return picker_response(pick)


def _form_page(form: AgreementForm, entry: services.AgreementEntry | None = None):
    # The parties picker holds the chosen organizations and a page of matches, never the whole list.
    form.set_parties(services.pick_parties(chosen_ids(form.organization_ids.data or [])))
    return render("governance/agreements/form.html", form=form, entry=entry, status=form_status(form))


@bp.route("/governance/agreements/new", methods=["GET", "POST"])
def agreement_new():
    require("agreements.create")
    form = AgreementForm()
    if request.method == "GET":
        # An organization's page links here with itself as the first party.
        form.organization_ids.data = [str(i) for i in chosen_ids(request.args.getlist("organization"))]
    if saved := submit(form, lambda: services.create_agreement(g.ctx, form.values())):
        agreement = saved.value
        return done(
            f"“{agreement.title}” was recorded.", url_for("governance.agreement", sharing_agreement_id=agreement.id)
        )
    return _form_page(form)


@bp.get("/governance/agreements/<int:sharing_agreement_id>")
def agreement(sharing_agreement_id: int):
    require("agreements.view")
    entry = services.get_entry(g.ctx, sharing_agreement_id, g.ctx.today())
    return render("governance/agreements/detail.html", entry=entry)


@bp.route("/governance/agreements/<int:sharing_agreement_id>/edit", methods=["GET", "POST"])
def agreement_edit(sharing_agreement_id: int):
    entry = services.get_entry(g.ctx, sharing_agreement_id, g.ctx.today())
    require("agreements.edit", entry)
    form = AgreementForm()
    if request.method == "GET":
        form.fill_from(entry.agreement, [organization_id for organization_id, _name in entry.parties])
    if saved := submit(form, lambda: services.update_agreement(g.ctx, entry.agreement, form.values())):
        return done(
            f"“{saved.value.title}” was updated.",
            url_for("governance.agreement", sharing_agreement_id=sharing_agreement_id),
        )
    return _form_page(form, entry)


@bp.route("/governance/agreements/<int:sharing_agreement_id>/withdraw", methods=["GET", "POST"])
def agreement_withdraw(sharing_agreement_id: int):
    """GET asks first (the page people without JavaScript reach); POST withdraws the agreement."""
    entry = services.get_entry(g.ctx, sharing_agreement_id, g.ctx.today())
    require("agreements.withdraw", entry)
    form = ConfirmForm()
    if request.method == "GET":
        return render("governance/agreements/withdraw.html", entry=entry, form=form)
    confirmed(form)
    if saved := submit(form, lambda: services.withdraw_agreement(g.ctx, entry.agreement), validate=False):
        message = f"“{entry.agreement.title}” was withdrawn." if saved.value else None
        return done(message, url_for("governance.agreement", sharing_agreement_id=sharing_agreement_id))
    return render("governance/agreements/withdraw.html", entry=entry, form=form, status=form_status(form))
