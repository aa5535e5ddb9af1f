"""The member directory: organizations and their representatives, the sector taxonomy, coverage and
gaps, and linked networks. Everyone in the workspace reads; directory editors change things."""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, request, url_for
from wtforms import SelectChoice

from partnership_hub import toolkit
from partnership_hub.db import get_scoped
from partnership_hub.errors import ServiceError
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
from partnership_hub.policies import can
from partnership_hub.web.forms import show_error
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint

bp = workspace_blueprint("members", __name__)


def require(action: str, record: object | None = None) -> None:
    """403 unless the current membership may do ``action``."""
    if not can(g.ctx.membership, action, record):
        abort(403)


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


def _status() -> int:
    """A form page answered to a POST is a refusal (the success path redirects)."""
    return 422 if request.method == "POST" else 200


# --- organizations ------------------------------------------------------------------------------


@bp.get("/organizations")
def organizations():
    require("directory.view")
    ctx = g.ctx
    custom_sectors = services.list_custom_sectors(ctx)
    filters = services.parse_filter(request.args, custom_sectors)
    page = services.list_organizations(ctx, filters, custom_sectors, request.args.get("page", 1, type=int))
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
    ctx = g.ctx
    custom_sectors = services.list_custom_sectors(ctx)
    filters = services.parse_filter(request.args, custom_sectors)
    body = services.export_csv(
        ctx, filters, custom_sectors, with_contacts=can(ctx.membership, "directory.view_contacts")
    )
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="organizations.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _organization_form_page(form: OrganizationForm, organization: Organization | None, options):
    return render(
        "members/organization_form.html",
        form=form,
        organization=organization,
        sector_options=options,
        ps=toolkit.PS,
        status=_status(),
    )


@bp.route("/organizations/new", methods=["GET", "POST"])
def new_organization():
    require("directory.edit")
    options = services.sector_options(services.list_custom_sectors(g.ctx))
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            organization = services.create_organization(g.ctx, form.data_for_service())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"{organization.name} was added to the directory.", "success")
            return redirect(url_for("members.organization", organization_id=organization.id))
    return _organization_form_page(form, None, options)


def _load_organization(organization_id: int) -> Organization:
    organization = services.load_organization(g.ctx, organization_id)
    if organization is None:
        abort(404)
    return organization


def _organization_page(
    organization_id: int,
    rep_form: RepresentativeForm | None = None,
    *,
    block: str | None = None,
    status: int = 200,
):
    ctx = g.ctx
    organization = _load_organization(organization_id)
    editing = can(ctx.membership, "directory.edit")
    candidates = services.representative_candidates(ctx) if editing else []
    if rep_form is None:
        rep_form = RepresentativeForm(formdata=None)
    rep_form.membership_id.choices = _member_choices(candidates)
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
        rep_email=services.representative_email,
    )


def _member_choices(candidates):
    return [SelectChoice("", "Choose a member")] + [
        SelectChoice(str(m.id), f"{m.user.name} ({m.role.label})") for m in candidates
    ]


@bp.get("/organizations/<int:organization_id>")
def organization(organization_id: int):
    require("directory.view")
    return _organization_page(organization_id)


@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
def edit_organization(organization_id: int):
    organization = _load_organization(organization_id)
    require("directory.edit")
    options = services.sector_options(services.list_custom_sectors(g.ctx))
    form = OrganizationForm(obj=None if request.method == "POST" else organization)
    if request.method == "GET":
        form.sectors.data = [services.link_value(link) for link in organization.sectors]
        form.ps.data = organization.ps
    if form.validate_on_submit():
        try:
            services.update_organization(g.ctx, organization, form.data_for_service())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"{organization.name} was updated.", "success")
            return redirect(url_for("members.organization", organization_id=organization.id))
    return _organization_form_page(form, organization, options)


def _archive_action(organization_id: int, action, message: str):
    organization = get_scoped(db.session, Organization, organization_id)
    require("directory.edit")
    _confirmed()
    action(g.ctx, organization)
    db.session.commit()
    flash(message.format(name=organization.name), "success")
    return redirect(url_for("members.organization", organization_id=organization_id))


@bp.post("/organizations/<int:organization_id>/archive")
def archive_organization(organization_id: int):
    return _archive_action(
        organization_id,
        services.archive_organization,
        "{name} was archived: it no longer counts towards coverage. You can restore it at any time.",
    )


@bp.post("/organizations/<int:organization_id>/restore")
def restore_organization(organization_id: int):
    return _archive_action(organization_id, services.restore_organization, "{name} was restored.")


# --- representatives ----------------------------------------------------------------------------


@bp.post("/organizations/<int:organization_id>/representatives")
def add_representative(organization_id: int):
    organization = _load_organization(organization_id)
    require("directory.edit")
    form = RepresentativeForm()
    form.membership_id.choices = _member_choices([])  # the service checks the member; choices only render
    if form.validate_on_submit():
        try:
            rep = services.add_representative(g.ctx, organization, form.data_for_service())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"{services.representative_name(rep)} now represents {organization.name}.", "success")
            if is_htmx():
                return _organization_page(organization_id, block="representatives_section")
            return redirect(url_for("members.organization", organization_id=organization_id) + "#representatives")
    return _organization_page(organization_id, form, block="representatives_section", status=422)


@bp.post("/representatives/<int:representative_id>/remove")
def remove_representative(representative_id: int):
    rep = get_scoped(db.session, Representative, representative_id)
    require("directory.edit")
    _confirmed()
    organization_id = rep.organization_id
    services.remove_representative(g.ctx, rep)
    db.session.commit()
    flash("The representative was removed.", "success")
    if is_htmx():
        return _organization_page(organization_id, block="representatives_section")
    return redirect(url_for("members.organization", organization_id=organization_id) + "#representatives")


# --- sectors ------------------------------------------------------------------------------------


def _sectors_page(form: CustomSectorForm | None = None, *, status: int = 200):
    return render(
        "members/sectors.html",
        overview=services.sector_overview(g.ctx),
        form=form or CustomSectorForm(formdata=None),
        parents={s.key: s.label for s in toolkit.SECTORS},
        status=status,
    )


@bp.get("/sectors")
def sectors():
    require("directory.view")
    return _sectors_page()


@bp.post("/sectors")
def new_custom_sector():
    require("directory.edit")
    form = CustomSectorForm()
    if form.validate_on_submit():
        try:
            custom = services.create_custom_sector(g.ctx, form.data_for_service())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"The sector {custom.name} was added.", "success")
            return redirect(url_for("members.sectors") + "#custom-sectors")
    return _sectors_page(form, status=422)


@bp.route("/custom-sectors/<int:custom_sector_id>/edit", methods=["GET", "POST"])
def edit_custom_sector(custom_sector_id: int):
    custom = get_scoped(db.session, CustomSector, custom_sector_id)
    require("directory.edit")
    form = CustomSectorForm(obj=None if request.method == "POST" else custom)
    if form.validate_on_submit():
        try:
            services.update_custom_sector(g.ctx, custom, form.data_for_service())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"The sector {custom.name} was saved.", "success")
            return redirect(url_for("members.sectors") + "#custom-sectors")
    return render("members/custom_sector_form.html", form=form, custom_sector_id=custom_sector_id, status=_status())


@bp.route("/custom-sectors/<int:custom_sector_id>/delete", methods=["GET", "POST"])
def delete_custom_sector(custom_sector_id: int):
    custom = get_scoped(db.session, CustomSector, custom_sector_id)
    require("directory.edit")
    if request.method == "POST":
        _confirmed()
        name = custom.name
        services.delete_custom_sector(g.ctx, custom)
        db.session.commit()
        flash(f"The sector {name} was deleted.", "success")
        return redirect(url_for("members.sectors") + "#custom-sectors")
    return render(
        "members/confirm_delete.html",
        title=f"Delete the sector {custom.name}?",
        consequence=_usage_text(services.custom_sector_usage(g.ctx, custom)),
        action=url_for("members.delete_custom_sector", custom_sector_id=custom_sector_id),
        back=url_for("members.sectors") + "#custom-sectors",
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
    if form.validate_on_submit():
        try:
            network = services.create_linked_network(g.ctx, form.data_for_service())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"{network.name} was added to your linked networks.", "success")
            return redirect(url_for("members.networks"))
    return render("members/network_form.html", form=form, linked_network_id=None, status=_status())


@bp.route("/networks/<int:linked_network_id>/edit", methods=["GET", "POST"])
def edit_network(linked_network_id: int):
    network = get_scoped(db.session, LinkedNetwork, linked_network_id)
    require("directory.edit")
    form = LinkedNetworkForm(obj=None if request.method == "POST" else network)
    if form.validate_on_submit():
        try:
            services.update_linked_network(g.ctx, network, form.data_for_service())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"{network.name} was saved.", "success")
            return redirect(url_for("members.networks"))
    return render("members/network_form.html", form=form, linked_network_id=linked_network_id, status=_status())


@bp.route("/networks/<int:linked_network_id>/delete", methods=["GET", "POST"])
def delete_network(linked_network_id: int):
    network = get_scoped(db.session, LinkedNetwork, linked_network_id)
    require("directory.edit")
    if request.method == "POST":
        _confirmed()
        name = network.name
        services.delete_linked_network(g.ctx, network)
        db.session.commit()
        flash(f"{name} was removed from your linked networks.", "success")
        return redirect(url_for("members.networks"))
    return render(
        "members/confirm_delete.html",
        title=f"Remove {network.name} from your linked networks?",
        consequence="Its contact details and relationship notes will be deleted.",
        action=url_for("members.delete_network", linked_network_id=linked_network_id),
        back=url_for("members.networks"),
        button="Remove network",
        confirm_form=ConfirmForm(),
    )
