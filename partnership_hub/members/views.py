"""The member directory: organizations and their representatives, the sector taxonomy, coverage and
gaps, and linked networks. Everyone in the workspace reads; directory editors change things."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from flask import Response, abort, flash, g, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from partnership_hub import toolkit
from partnership_hub.db import get_scoped
from partnership_hub.extensions import db
from partnership_hub.members import services
from partnership_hub.members.forms import (
    ConfirmForm,
    CustomSectorForm,
    LinkedNetworkForm,
    OrganizationForm,
    RepresentativeForm,
)
from partnership_hub.members.models import CustomSector, LinkedNetwork, Organization, Representative
from partnership_hub.picking import chosen_ids
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint
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

bp = workspace_blueprint("members", __name__)

CHOOSE = "Choose a member"

T = TypeVar("T")


def _confirmed(call: Callable[[], T]) -> T:
    """Run ``call`` behind a bare confirmation form (its CSRF token is all it checks); a bad token is a 400."""
    saved = submit(confirmed(ConfirmForm()), call, validate=False)
    if saved is None:
        abort(400)
    return saved.value


# --- organizations ------------------------------------------------------------------------------


@bp.get("/pick/organizations")
def pick_organizations():
    """An organization picker's options for what has been typed (see the picker macro)."""
    require("directory.view")
    query, chosen = picker_request()
    blank = request.args.get("blank") or None
    return picker_response(services.pick_organizations(g.ctx, query, chosen, blank=blank))


@bp.get("/pick/representatives")
def pick_representatives():
    """The representative form's member picker: members of any role (see the picker macro)."""
    require("directory.edit")
    query, chosen = picker_request()
    blank = request.args.get("blank") or None
    return picker_response(services.pick_representatives(g.ctx, query, chosen, blank=blank))


@bp.get("/organizations")
def organizations():
    require("directory.view")
    custom_sectors = services.list_custom_sectors(g.ctx)
    filters = services.parse_filter(request.args, custom_sectors)
    page = services.list_organizations(g.ctx, filters, custom_sectors, page_number(request.args))
    return render(
        "members/organizations.html",
        block="results",
        page=page,
        filters=filters,
        sector_options=services.sector_options(custom_sectors),
        labels=services.sector_labels(custom_sectors),
        ps=toolkit.PS,
    )


@bp.get("/organizations.csv")
def organizations_csv():
    require("directory.view")
    custom_sectors = services.list_custom_sectors(g.ctx)
    filters = services.parse_filter(request.args, custom_sectors)
    rows = services.export_rows(g.ctx, filters, custom_sectors, with_contacts=g.ctx.can("directory.view_contacts"))
    return csv_response("organizations", services.CSV_HEADER, rows)


def _organization_form_page(form: OrganizationForm, organization: Organization | None) -> Response:
    return render(
        "members/organization_form.html",
        form=form,
        organization=organization,
        sector_options=services.sector_options(services.list_custom_sectors(g.ctx)),
        ps=toolkit.PS,
        status=form_status(form),
    )


def _organization_url(organization_id: int, anchor: str = "") -> str:
    return url_for("members.organization", organization_id=organization_id) + anchor


@bp.route("/organizations/new", methods=["GET", "POST"])
def new_organization():
    require("directory.edit")
    form = OrganizationForm()
    if saved := submit(form, lambda: services.create_organization(g.ctx, form.data_for_service())):
        return done(f"{saved.value.name} was added to the directory.", _organization_url(saved.value.id))
    return _organization_form_page(form, None)


def _organization_page(
    organization_id: int,
    rep_form: RepresentativeForm | None = None,
    *,
    block: str | None = None,
    status: int = 200,
) -> Response:
    ctx = g.ctx
    organization = services.load_organization(ctx, organization_id)
    if rep_form is None:
        rep_form = RepresentativeForm(formdata=None)
    if ctx.can("directory.edit"):
        # The member picker: who is chosen plus the first matches, never the whole membership.
        chosen = chosen_ids([rep_form.membership_id.data])
        rep_form.membership_id.choices = services.pick_representatives(ctx, "", chosen, blank=CHOOSE).choices()
    return render(
        "members/organization.html",
        block=block,
        status=status,
        organization=organization,
        representatives=services.visible_representatives(ctx, organization),
        sector_names=services.organization_sector_labels(organization),
        rep_form=rep_form,
        confirm_form=ConfirmForm(),
        ps=toolkit.PS,
        rep_name=services.representative_name,
        rep_email=partial(services.representative_email, not_shared=services.emails_not_shared(ctx)),
    )


@bp.get("/organizations/<int:organization_id>")
def organization(organization_id: int):
    require("directory.view")
    return _organization_page(organization_id)


@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
def edit_organization(organization_id: int):
    organization = services.load_organization(g.ctx, organization_id)
    require("directory.edit")
    form = OrganizationForm(obj=None if request.method == "POST" else organization)
    if request.method == "GET":
        form.sectors.data = [services.link_value(link) for link in organization.sectors]
        form.ps.data = organization.ps
    if submit(form, lambda: services.update_organization(g.ctx, organization, form.data_for_service())):
        return done(f"{organization.name} was updated.", _organization_url(organization.id))
    return _organization_form_page(form, organization)


@bp.post("/organizations/<int:organization_id>/archive")
def archive_organization(organization_id: int):
    organization = get_scoped(db.session, Organization, organization_id)
    require("directory.edit")
    _confirmed(lambda: services.archive_organization(g.ctx, organization))
    return done(
        f"{organization.name} was archived: it no longer counts towards coverage. You can restore it at any time.",
        _organization_url(organization_id),
    )


@bp.post("/organizations/<int:organization_id>/restore")
def restore_organization(organization_id: int):
    organization = get_scoped(db.session, Organization, organization_id)
    require("directory.edit")
    _confirmed(lambda: services.restore_organization(g.ctx, organization))
    return done(f"{organization.name} was restored.", _organization_url(organization_id))


# --- representatives ----------------------------------------------------------------------------


def _representatives_changed(message: str, organization_id: int) -> BaseResponse:
    """After a change to the representatives: htmx swaps the section in place (the flash rides
    along out of band); without JavaScript, back to the section on the organization's page."""
    if is_htmx():
        flash(message, "success")
        return _organization_page(organization_id, block="representatives_section")
    return done(message, _organization_url(organization_id, "#representatives"))


@bp.post("/organizations/<int:organization_id>/representatives")
def add_representative(organization_id: int):
    organization = services.load_organization(g.ctx, organization_id)
    require("directory.edit")
    form = RepresentativeForm()  # the service checks the member; the choices are filled to render
    if saved := submit(form, lambda: services.add_representative(g.ctx, organization, form.data_for_service())):
        message = f"{services.representative_name(saved.value)} now represents {organization.name}."
        return _representatives_changed(message, organization_id)
    return _organization_page(organization_id, form, block="representatives_section", status=form_status(form))


@bp.post("/representatives/<int:representative_id>/remove")
def remove_representative(representative_id: int):
    rep = get_scoped(db.session, Representative, representative_id)
    require("directory.edit")
    organization_id = rep.organization_id
    _confirmed(lambda: services.remove_representative(g.ctx, rep))
    return _representatives_changed("The representative was removed.", organization_id)


# --- sectors ------------------------------------------------------------------------------------


def _custom_sectors_url() -> str:
    return url_for("members.sectors") + "#custom-sectors"


def _sectors_page(form: CustomSectorForm | None = None) -> Response:
    form = form or CustomSectorForm(formdata=None)
    return render(
        "members/sectors.html",
        overview=services.sector_overview(g.ctx),
        form=form,
        parents={s.key: s.label for s in toolkit.SECTORS},
        status=form_status(form),
    )


@bp.get("/sectors")
def sectors():
    require("directory.view")
    return _sectors_page()


@bp.post("/sectors")
def new_custom_sector():
    require("directory.edit")
    form = CustomSectorForm()
    if saved := submit(form, lambda: services.create_custom_sector(g.ctx, form.data_for_service())):
        return done(f"The sector {saved.value.name} was added.", _custom_sectors_url())
    return _sectors_page(form)


@bp.route("/custom-sectors/<int:custom_sector_id>/edit", methods=["GET", "POST"])
def edit_custom_sector(custom_sector_id: int):
    custom = get_scoped(db.session, CustomSector, custom_sector_id)
    require("directory.edit")
    form = CustomSectorForm(obj=None if request.method == "POST" else custom)
    if submit(form, lambda: services.update_custom_sector(g.ctx, custom, form.data_for_service())):
        return done(f"The sector {custom.name} was saved.", _custom_sectors_url())
    return render(
        "members/custom_sector_form.html", form=form, custom_sector_id=custom_sector_id, status=form_status(form)
    )


@bp.route("/custom-sectors/<int:custom_sector_id>/delete", methods=["GET", "POST"])
def delete_custom_sector(custom_sector_id: int):
    custom = get_scoped(db.session, CustomSector, custom_sector_id)
    require("directory.edit")
    back = _custom_sectors_url()
    if request.method == "POST":
        name = custom.name
        _confirmed(lambda: services.delete_custom_sector(g.ctx, custom))
        return done(f"The sector {name} was deleted.", back)
    return render(
        "members/confirm_delete.html",
        title=f"Delete the sector {custom.name}?",
        consequence=_usage_text(services.custom_sector_usage(g.ctx, custom)),
        action=url_for("members.delete_custom_sector", custom_sector_id=custom_sector_id),
        back=back,
        button="Delete sector",
        confirm_form=ConfirmForm(),
    )


def _usage_text(count: int) -> str:
    if count == 0:
        return "No organization is placed in it."
    noun = "organization loses" if count == 1 else "organizations lose"
    return f"{count} {noun} this sector. The organizations themselves stay in the directory."


# --- coverage -----------------------------------------------------------------------------------


@bp.get("/coverage")
def coverage():
    require("directory.view")
    return render("members/coverage.html", coverage=services.coverage(g.ctx))


# --- linked networks ----------------------------------------------------------------------------


@bp.get("/networks")
def networks():
    require("directory.view")
    return render(
        "members/networks.html",
        networks=services.list_linked_networks(g.ctx),
        kinds={k.key: k.label for k in toolkit.LINKED_NETWORK_KINDS},
        confirm_form=ConfirmForm(),
    )


@bp.route("/networks/new", methods=["GET", "POST"])
def new_network():
    require("directory.edit")
    form = LinkedNetworkForm()
    if saved := submit(form, lambda: services.create_linked_network(g.ctx, form.data_for_service())):
        return done(f"{saved.value.name} was added to your linked networks.", url_for("members.networks"))
    return render("members/network_form.html", form=form, linked_network_id=None, status=form_status(form))


@bp.route("/networks/<int:linked_network_id>/edit", methods=["GET", "POST"])
def edit_network(linked_network_id: int):
    network = get_scoped(db.session, LinkedNetwork, linked_network_id)
    require("directory.edit")
    form = LinkedNetworkForm(obj=None if request.method == "POST" else network)
    if submit(form, lambda: services.update_linked_network(g.ctx, network, form.data_for_service())):
        return done(f"{network.name} was saved.", url_for("members.networks"))
    return render("members/network_form.html", form=form, linked_network_id=linked_network_id, status=form_status(form))


@bp.route("/networks/<int:linked_network_id>/delete", methods=["GET", "POST"])
def delete_network(linked_network_id: int):
    network = get_scoped(db.session, LinkedNetwork, linked_network_id)
    require("directory.edit")
    if request.method == "POST":
        name = network.name
        _confirmed(lambda: services.delete_linked_network(g.ctx, network))
        return done(f"{name} was removed from your linked networks.", url_for("members.networks"))
    return render(
        "members/confirm_delete.html",
        title=f"Remove {network.name} from your linked networks?",
        consequence="Its contact details and relationship notes will be deleted.",
        action=url_for("members.delete_network", linked_network_id=linked_network_id),
        back=url_for("members.networks"),
        button="Remove network",
        confirm_form=ConfirmForm(),
    )
