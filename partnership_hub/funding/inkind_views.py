"""Routes of the funding area's in-kind section, registered on the area's blueprint: the offers and the
needs (two tabs of one page, each paginated and filtered by kind, status and title), an offer's and a
need's page, posting and editing them, withdrawing an offer and closing a need, and — for coordinators —
matching an offer to a need (a search-as-you-type offer picker on the need's page) and removing a match.
The lists answer htmx requests with their results block; without JavaScript the same URLs serve whole
pages."""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for

from partnership_hub import picking, toolkit
from partnership_hub.funding import inkind as services
from partnership_hub.funding.inkind_forms import MatchForm, NeedForm, OfferForm
from partnership_hub.funding.inkind_models import InkindOffer, NeedStatus, OfferStatus
from partnership_hub.funding.views import bp
from partnership_hub.members import services as members
from partnership_hub.picking import chosen_ids
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.toolkit import (
    confirmed,
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

NO_ORGANIZATION = "No organization"
NOBODY = "Nobody named"


@bp.context_processor
def _inkind_labels() -> dict:
    return {
        "inkind_kind_labels": services.KIND_LABELS,
        "inkind_offer_status_labels": services.OFFER_STATUS_LABELS,
        "inkind_need_status_labels": services.NEED_STATUS_LABELS,
        "inkind_note": toolkit.IN_KIND_NOTE,
    }


# --- the lists ---------------------------------------------------------------------------------------


def _list_page(template: str, endpoint: str, filters: services.Filters, page: Any, statuses: list) -> Any:
    partial = is_htmx()
    response = render(
        template,
        block="results",
        partial=partial,
        filters=filters,
        page=page,
        statuses=statuses,
        counts=None if partial else services.tab_counts(g.ctx),
    )
    if partial:
        args: dict[str, Any] = filters.query_args() | ({"page": page.page} if page.page > 1 else {})
        response.headers["HX-Push-Url"] = url_for(endpoint, **args)
    return response


@bp.get("/funding/in-kind")
def inkind_offers():
    """What partners offer in kind, newest first."""
    require("inkind.view")
    filters = services.parse_offer_filters(request.args)
    page = services.search_offers(g.ctx, filters, page_number(request.args))
    return _list_page("funding/inkind/offers.html", "funding.inkind_offers", filters, page, list(OfferStatus))


@bp.get("/funding/in-kind/needs")
def inkind_needs():
    """What the partnership needs in kind, newest first."""
    require("inkind.view")
    filters = services.parse_need_filters(request.args)
    page = services.search_needs(g.ctx, filters, page_number(request.args))
    return _list_page("funding/inkind/needs.html", "funding.inkind_needs", filters, page, list(NeedStatus))


# --- offers ------------------------------------------------------------------------------------------


def _offer_form_page(form: OfferForm, offer: InkindOffer | None = None):
    # The pickers hold what is chosen and a page of matches, never the whole list: ONE statement.
    specs = {
        "organization": members.organizations_spec(chosen_ids([form.organization_id.data]), NO_ORGANIZATION),
    }
    if offer is not None:  # who uses it: asked once the offer exists
        specs["used_by"] = members.organizations_spec(chosen_ids([form.used_by_organization_id.data]), "Nobody yet")
    if g.ctx.can("inkind.match"):  # coordinators name who offers it; others offer on their own behalf
        specs["person"] = workspaces.people_spec(g.ctx, chosen_ids([form.offered_by_membership_id.data]), NOBODY)
    picks = picking.pick_together(specs)
    form.organization_id.choices = picks["organization"].choices()
    if "used_by" in picks:
        form.used_by_organization_id.choices = picks["used_by"].choices()
    if "person" in picks:
        form.offered_by_membership_id.choices = picks["person"].choices()
    return render("funding/inkind/offer_form.html", form=form, offer=offer, status=form_status(form))


@bp.route("/funding/in-kind/offers/new", methods=["GET", "POST"])
def inkind_offer_new():
    require("inkind.post")
    form = OfferForm()
    if request.method == "GET" and g.ctx.membership is not None:
        form.offered_by_membership_id.data = str(g.ctx.membership.id)  # a coordinator may name someone else
    if saved := submit(form, lambda: services.create_offer(g.ctx, form.values())):
        return done(
            f"Your offer “{saved.value.title}” is posted. Coordinators can now match it to a need.",
            url_for("funding.inkind_offer", inkind_offer_id=saved.value.id),
        )
    return _offer_form_page(form)


@bp.get("/funding/in-kind/offers/<int:inkind_offer_id>")
def inkind_offer(inkind_offer_id: int):
    require("inkind.view")
    found = services.offer_page(g.ctx, inkind_offer_id)
    return render("funding/inkind/offer.html", found=found, withdraw_form=ConfirmForm(formdata=None))


@bp.route("/funding/in-kind/offers/<int:inkind_offer_id>/edit", methods=["GET", "POST"])
def inkind_offer_edit(inkind_offer_id: int):
    offer = services.get_offer(g.ctx, inkind_offer_id)
    require("inkind.edit", offer)
    form = OfferForm()
    if request.method == "GET":
        form.fill_from(offer)
    if saved := submit(form, lambda: services.update_offer(g.ctx, offer, form.values())):
        return done(
            f"“{saved.value.title}” was updated.", url_for("funding.inkind_offer", inkind_offer_id=inkind_offer_id)
        )
    return _offer_form_page(form, offer)


@bp.post("/funding/in-kind/offers/<int:inkind_offer_id>/withdraw")
def inkind_offer_withdraw(inkind_offer_id: int):
    """Withdraw an offer (one click from its page; it stays on record)."""
    offer = services.get_offer(g.ctx, inkind_offer_id)
    require("inkind.edit", offer)
    form = confirmed(ConfirmForm())
    to = url_for("funding.inkind_offer", inkind_offer_id=inkind_offer_id)
    saved = submit(form, lambda: services.withdraw_offer(g.ctx, offer), validate=False)
    return done(f"“{offer.title}” was withdrawn. It stays on record." if saved and saved.value else None, to)


# --- needs -------------------------------------------------------------------------------------------


@bp.route("/funding/in-kind/needs/new", methods=["GET", "POST"])
def inkind_need_new():
    require("inkind.post")
    form = NeedForm()
    if saved := submit(form, lambda: services.create_need(g.ctx, form.values())):
        return done(
            f"Your need “{saved.value.title}” is posted. A coordinator will look for an offer that meets it.",
            url_for("funding.inkind_need", inkind_need_id=saved.value.id),
        )
    return render("funding/inkind/need_form.html", form=form, need=None, status=form_status(form))


def _need_page(need_id: int, match_form: MatchForm | None = None):
    found = services.need_page(g.ctx, need_id)
    form = None
    # A closed need offers no match form, but a refused match (it was closed meanwhile) shows its message.
    if g.ctx.can("inkind.match") and (match_form is not None or found.row.need.status != NeedStatus.CLOSED):
        form = match_form or MatchForm(formdata=None)
        chosen = chosen_ids([form.offer_id.data])
        pick = picking.pick_together({"offer": services.offer_spec(need_id, chosen)})["offer"]
        pick.blank = "Choose an offer"
        form.offer_id.choices = pick.choices()
    return render(
        "funding/inkind/need.html",
        found=found,
        match_form=form,
        confirm_form=ConfirmForm(formdata=None),
        status=form_status(form) if form else 200,
    )


@bp.get("/funding/in-kind/needs/<int:inkind_need_id>")
def inkind_need(inkind_need_id: int):
    require("inkind.view")
    return _need_page(inkind_need_id)


@bp.route("/funding/in-kind/needs/<int:inkind_need_id>/edit", methods=["GET", "POST"])
def inkind_need_edit(inkind_need_id: int):
    need = services.get_need(g.ctx, inkind_need_id)
    require("inkind.edit", need)
    form = NeedForm()
    if request.method == "GET":
        form.fill_from(need)
    if saved := submit(form, lambda: services.update_need(g.ctx, need, form.values())):
        return done(f"“{saved.value.title}” was updated.", url_for("funding.inkind_need", inkind_need_id=need.id))
    return render("funding/inkind/need_form.html", form=form, need=need, status=form_status(form))


@bp.post("/funding/in-kind/needs/<int:inkind_need_id>/close")
def inkind_need_close(inkind_need_id: int):
    """Close a need that is no longer needed (one click from its page; it stays on record)."""
    need = services.get_need(g.ctx, inkind_need_id)
    require("inkind.edit", need)
    form = confirmed(ConfirmForm())
    to = url_for("funding.inkind_need", inkind_need_id=inkind_need_id)
    saved = submit(form, lambda: services.close_need(g.ctx, need), validate=False)
    return done(f"“{need.title}” was closed. It stays on record." if saved and saved.value else None, to)


# --- matching ----------------------------------------------------------------------------------------


@bp.get("/funding/in-kind/pick/offers")
def inkind_pick_offers():
    """The match form's offer options for what has been typed (picker macro); ``need`` leaves out the
    offers matched to that need already."""
    require("inkind.match")
    query, chosen = picker_request()
    pick = services.pick_offers(g.ctx, query, chosen, request.args.get("need"))
    pick.blank = "Choose an offer"
    return picker_response(pick)


@bp.post("/funding/in-kind/needs/<int:inkind_need_id>/matches")
def inkind_match_new(inkind_need_id: int):
    require("inkind.match")
    need = services.get_need(g.ctx, inkind_need_id)
    form = MatchForm()
    if submit(form, lambda: services.match_offer(g.ctx, need, form.values())):
        met = need.status == NeedStatus.MET
        message = "The offer is matched to this need" + (", which is now met." if met else "; the need stays open.")
        return done(message, url_for("funding.inkind_need", inkind_need_id=need.id, _anchor="matches"))
    return _need_page(inkind_need_id, form)


@bp.post("/funding/in-kind/matches/<int:inkind_match_id>/remove")
def inkind_match_remove(inkind_match_id: int):
    """Remove a match (one click from the need's page)."""
    require("inkind.match")
    match = services.get_match(g.ctx, inkind_match_id)
    form = confirmed(ConfirmForm())
    need_id = match.need_id
    to = url_for("funding.inkind_need", inkind_need_id=need_id, _anchor="matches")
    saved = submit(form, lambda: services.unmatch(g.ctx, match), validate=False)
    parts = ["The match was removed."] if saved else []
    if saved and saved.value.offer_available:
        parts.append("The offer is available again.")
    if saved and saved.value.need_reopened:
        parts.append("The need is open again.")
    return done(" ".join(parts) or None, to)
