"""The community resource map: a searchable directory of services for survivors in the region.

Everyone in the partnership reads it; coordinators and members made directory editors change it.
The list answers an htmx request with its results block only, so search-as-you-type, the filters
and the page links swap the results in place; without JavaScript the same URLs serve whole pages.
"""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, request, url_for

from partnership_hub.db import get_scoped
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.policies import can
from partnership_hub.resources import services
from partnership_hub.resources.forms import ResourceForm, parse_filters, parse_page
from partnership_hub.resources.models import CommunityResource
from partnership_hub.web.forms import show_error
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.workspaces.forms import ConfirmForm

bp = workspace_blueprint("resources", __name__)


def require(action: str) -> None:
    """403 unless the current membership may do ``action``."""
    if not can(g.ctx.membership, action):
        abort(403)


@bp.get("/resources")
def index():
    require("directory.view")
    filters = parse_filters(request.args)
    page = services.search_resources(g.ctx, filters, parse_page(request.args))
    partial = is_htmx()  # False for a history restore too: that needs the whole page
    response = render(
        "resources/index.html",
        block="results",
        partial=partial,
        filters=filters,
        page=page,
        service_types=services.SERVICE_TYPE_LABELS,
        show_contacts=can(g.ctx.membership, "directory.view_contacts"),
    )
    if partial:
        # The address bar gets the tidy URL of what is shown, not the form's empty fields.
        page_arg = {"page": page.page} if page.page > 1 else {}
        response.headers["HX-Push-Url"] = url_for("resources.index", **filters.query_args(), **page_arg)
    return response


@bp.get("/resources.csv")
def export():
    require("directory.view")
    filters = parse_filters(request.args)
    body = services.export_csv(g.ctx, filters, include_contacts=can(g.ctx.membership, "directory.view_contacts"))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{g.ctx.partnership.slug}-resources.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _form_page(form: ResourceForm, resource: CommunityResource | None = None):
    return render(
        "resources/form.html", form=form, resource=resource, status=422 if form.errors or form.form_errors else 200
    )


@bp.route("/resources/new", methods=["GET", "POST"])
def new():
    require("directory.edit")
    form = ResourceForm()
    if form.validate_on_submit():
        try:
            resource = services.create_resource(g.ctx, form.values())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"{resource.organization_name} was added to the resource map.", "success")
            return redirect(url_for("resources.detail", community_resource_id=resource.id))
    return _form_page(form)


@bp.get("/resources/<int:community_resource_id>")
def detail(community_resource_id: int):
    require("directory.view")
    resource = get_scoped(db.session, CommunityResource, community_resource_id)
    return render(
        "resources/detail.html",
        resource=resource,
        service_types=services.SERVICE_TYPE_LABELS,
        show_contacts=can(g.ctx.membership, "directory.view_contacts"),
        confirm_form=ConfirmForm(),
    )


@bp.route("/resources/<int:community_resource_id>/edit", methods=["GET", "POST"])
def edit(community_resource_id: int):
    require("directory.edit")
    resource = get_scoped(db.session, CommunityResource, community_resource_id)
    form = ResourceForm(obj=resource)
    if form.validate_on_submit():
        try:
            services.update_resource(g.ctx, resource, form.values())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"{resource.organization_name} was updated.", "success")
            return redirect(url_for("resources.detail", community_resource_id=resource.id))
    return _form_page(form, resource)


@bp.route("/resources/<int:community_resource_id>/delete", methods=["GET", "POST"])
def delete(community_resource_id: int):
    """GET asks first (the page people without JavaScript reach); POST removes the resource."""
    require("directory.edit")
    resource = get_scoped(db.session, CommunityResource, community_resource_id)
    form = ConfirmForm()
    if request.method == "GET":
        return render("resources/delete.html", resource=resource, form=form)
    if not form.validate_on_submit():
        abort(400)
    name = resource.organization_name
    services.delete_resource(g.ctx, resource)
    db.session.commit()
    flash(f"{name} was removed from the resource map.", "success")
    if is_htmx():
        response = Response(status=204)
        response.headers["HX-Redirect"] = url_for("resources.index")
        return response
    return redirect(url_for("resources.index"))
