"""Routes of the consent section, registered on the area's blueprint: the register (coordinators) or an
advisor's own consents, giving consent, a consent's page (its uses, adding one, withdrawing), the list of
uses with what must come down, and the coordinators' advisor picker."""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for

from partnership_hub.advisory import consent as services
from partnership_hub.advisory.consent_forms import ConsentForm, UseForm, WithdrawForm
from partnership_hub.advisory.views import bp
from partnership_hub.errors import Forbidden
from partnership_hub.parsing import query_choice
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
from partnership_hub.workspaces.forms import ConfirmForm


@bp.context_processor
def _consent_helpers() -> dict:
    return {
        "consent_filter_labels": services.FILTER_LABELS,
        "consent_use_filter_labels": services.USE_FILTER_LABELS,
        "consent_materials": services.MATERIALS,
    }


def _form_picker(form: ConsentForm) -> None:
    """The advisor picker holds the chosen advisor and a page of matches, never the whole list."""
    form.membership_id.choices = services.pick_advisors(chosen_ids([form.membership_id.data])).choices()


@bp.get("/advisory/consent")
def consent_index():
    """Coordinators: every consent, filtered by status. An advisor: their own, and giving a new one."""
    require("advisory.consent_own")
    found = services.require_access(g.ctx)
    filters = services.parse_filters(request.args)
    page = services.search_consents(g.ctx, filters, page_number(request.args))
    extra: dict[str, Any] = {}
    if not found.manage and found.may_give and not is_htmx():
        extra["form"] = ConsentForm(formdata=None)
    response = render(
        "advisory/consent/index.html",
        block="results",
        access=found,
        filters=filters,
        page=page,
        partial=is_htmx(),
        **extra,
    )
    if is_htmx():
        args: dict[str, Any] = filters.query_args() | ({"page": page.page} if page.page > 1 else {})
        response.headers["HX-Push-Url"] = url_for("advisory.consent_index", **args)
    return response


@bp.route("/advisory/consent/new", methods=["GET", "POST"])
def consent_new():
    require("advisory.consent_own")
    found = services.require_access(g.ctx)
    if not (found.manage or found.may_give):
        raise Forbidden("give consent")  # 403: they may read and withdraw their consents, not give new ones
    form = ConsentForm()
    if saved := submit(form, lambda: services.give_consent(g.ctx, form.values())):
        given = saved.value
        mine = given.membership_id == (g.ctx.membership.id if g.ctx.membership else None)
        message = "Your consent was recorded." if mine else "The consent was recorded on the advisor's behalf."
        return done(message, url_for("advisory.consent_detail", story_consent_id=given.id))
    if found.manage:
        _form_picker(form)
    return render("advisory/consent/new.html", form=form, access=found, status=form_status(form))


@bp.get("/advisory/consent/pick/advisors")
def consent_pick_advisors():
    """The advisor picker's options for what has been typed (coordinators)."""
    require("advisory.consent_manage")
    query, chosen = picker_request()
    return picker_response(services.pick_advisors(chosen, query))


def _consent_page(
    entry: services.ConsentEntry,
    use_form: UseForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
):
    return render(
        "advisory/consent/detail.html",
        entry=entry,
        use_form=use_form or UseForm(formdata=None),
        withdraw_form=withdraw_form or WithdrawForm(formdata=None),
        remove_form=ConfirmForm(formdata=None),
        status=status,
    )


@bp.get("/advisory/consent/<int:story_consent_id>")
def consent_detail(story_consent_id: int):
    require("advisory.consent_own")
    return _consent_page(services.get_entry(g.ctx, story_consent_id))


@bp.post("/advisory/consent/<int:story_consent_id>/uses")
def consent_use_add(story_consent_id: int):
    require("advisory.consent_own")
    consent = services.get_consent(g.ctx, story_consent_id)
    form = UseForm()
    if submit(form, lambda: services.add_use(g.ctx, consent, form.values())):
        return done("The use was recorded.", url_for("advisory.consent_detail", story_consent_id=story_consent_id))
    return _consent_page(services.get_entry(g.ctx, story_consent_id), use_form=form, status=form_status(form))


@bp.post("/advisory/consent/<int:story_consent_id>/withdraw")
def consent_withdraw(story_consent_id: int):
    """The advisor withdraws their consent: one click, now, no reason asked. Nobody else can (403)."""
    consent = services.get_consent(g.ctx, story_consent_id)
    require("advisory.consent_withdraw", consent)
    form = WithdrawForm()
    if saved := submit(form, lambda: services.withdraw_consent(g.ctx, consent, form.values())):
        message = (
            "Your consent is withdrawn. The places it is used are flagged for the coordinators to take down."
            if saved.value
            else "This consent was already withdrawn."
        )
        return done(message, url_for("advisory.consent_detail", story_consent_id=story_consent_id))
    entry = services.get_entry(g.ctx, story_consent_id)
    return _consent_page(entry, withdraw_form=form, status=form_status(form))


@bp.post("/advisory/consent/uses/<int:consent_use_id>/remove")
def consent_use_remove(consent_use_id: int):
    require("advisory.consent_own")
    use, consent = services.get_use(g.ctx, consent_use_id)
    form = confirmed(ConfirmForm())
    saved = submit(form, lambda: services.remove_use(g.ctx, use, consent), validate=False)
    to = url_for("advisory.consent_detail", story_consent_id=consent.id)
    if request.form.get("back") == "uses":
        to = url_for("advisory.consent_uses", show=services.TAKEDOWN)
    return done("The use was taken off the record." if saved else None, to)


@bp.get("/advisory/consent/uses")
def consent_uses():
    """Every place material is used (an advisor: under their own consents); "to take down" keeps those
    whose consent was withdrawn or has ended."""
    require("advisory.consent_own")
    found = services.require_access(g.ctx)
    show = query_choice(request.args, "show", services.USE_FILTER_LABELS)
    page = services.search_uses(g.ctx, show, page_number(request.args))
    return render(
        "advisory/consent/uses.html",
        block="results",
        access=found,
        show=show,
        page=page,
        remove_form=ConfirmForm(formdata=None),
    )
