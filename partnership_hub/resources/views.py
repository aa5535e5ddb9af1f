"""The community resource map: a searchable directory of services for survivors in the region.

Everyone in the partnership reads it; coordinators and members made directory editors change it.
The list answers an htmx request with its results block only, so search-as-you-type, the filters
and the page links swap the results in place; without JavaScript the same URLs serve whole pages.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, g, request, url_for

from partnership_hub.db import get_scoped
from partnership_hub.extensions import db
from partnership_hub.resources import services
from partnership_hub.resources.forms import ResourceForm, parse_filters
from partnership_hub.resources.models import CommunityResource
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import csv_response, done, form_status, page_number, require, submit
from partnership_hub.workspaces.forms import ConfirmForm

bp = workspace_blueprint("resources", __name__)


@bp.get("/resources")
def index():
    require("directory.view")
    filters = parse_filters(request.args)
    page = services.search_resources(g.ctx, filters, page_number(request.args))
    partial = is_htmx()  # False for a history restore too: that needs the whole page
    response = render(
        "resources/index.html",
        block="results",
        partial=partial,
        filters=filters,
        page=page,
        service_types=services.SERVICE_TYPE_LABELS,
        show_contacts=g.ctx.can("directory.view_contacts"),
    )
    if partial:
        # The address bar gets the tidy URL of what is shown, not the form's empty fields.
        args: dict[str, Any] = filters.query_args()
        if page.page > 1:
            args["page"] = page.page
        response.headers["HX-Push-Url"] = url_for("resources.index", **args)
    return response


@bp.get("/resources.csv")
def export():
    require("directory.view")
    filters = parse_filters(request.args)
    include_contacts = g.ctx.can("directory.view_contacts")
    return csv_response(
        "resources",
        services.csv_header(include_contacts=include_contacts),
        services.export_rows(g.ctx, filters, include_contacts=include_contacts),
    )


def _form_page(form: ResourceForm, resource: CommunityResource | None = None) -> Response:
    return render("resources/form.html", form=form, resource=resource, status=form_status(form))


def _detail_url(resource: CommunityResource) -> str:
    return url_for("resources.detail", community_resource_id=resource.id)


@bp.route("/resources/new", methods=["GET", "POST"])
def new():
    require("directory.edit")
    form = ResourceForm()
    if saved := submit(form, lambda: services.create_resource(g.ctx, form.values())):
        return done(f"{saved.value.organization_name} was added to the resource map.", _detail_url(saved.value))
    return _form_page(form)


@bp.get("/resources/<int:community_resource_id>")
def detail(community_resource_id: int):
    resource = get_scoped(db.session, CommunityResource, community_resource_id)
    require("directory.view")
    return render(
        "resources/detail.html",
        resource=resource,
        service_types=services.SERVICE_TYPE_LABELS,
        show_contacts=g.ctx.can("directory.view_contacts"),
        confirm_form=ConfirmForm(),
    )


@bp.route("/resources/<int:community_resource_id>/edit", methods=["GET", "POST"])
def edit(community_resource_id: int):
    resource = get_scoped(db.session, CommunityResource, community_resource_id)
    require("directory.edit")
    form = ResourceForm(obj=resource)
    if submit(form, lambda: services.update_resource(g.ctx, resource, form.values())):
        return done(f"{resource.organization_name} was updated.", _detail_url(resource))
    return _form_page(form, resource)


@bp.route("/resources/<int:community_resource_id>/delete", methods=["GET", "POST"])
def delete(community_resource_id: int):
    """GET asks first (the page people without JavaScript reach); POST removes the resource."""
    resource = get_scoped(db.session, CommunityResource, community_resource_id)
    require("directory.edit")
    form = ConfirmForm()
    if request.method == "GET":
        return render("resources/delete.html", resource=resource, form=form)
    name = resource.organization_name
    if not submit(form, lambda: services.delete_resource(g.ctx, resource)):
        abort(400)  # the form is only a CSRF token: nothing to show again
    return done(f"{name} was removed from the resource map.", url_for("resources.index"))
