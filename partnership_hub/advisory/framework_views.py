"""Routes of the framework section, registered on the advisory area's blueprint: the confidentiality
framework's page (everyone), its practices and federal rules checklist (coordinators edit), and the
member organizations' mandatory-reporting duties (a paginated list; coordinators and an organization's
own representatives edit its answer)."""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for

from partnership_hub import toolkit
from partnership_hub.advisory import framework
from partnership_hub.advisory.framework_forms import ChecklistForm, PracticesForm, ReportingForm
from partnership_hub.advisory.views import bp
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.toolkit import done, form_status, page_number, require, submit


@bp.context_processor
def _framework_reference() -> dict[str, Any]:
    """The toolkit's confidentiality resources, shown beside the practices and the checklist."""
    return {
        "consent_privacy_resources": toolkit.CONSENT_PRIVACY_RESOURCES,
        "toolkit_url": toolkit.TOOLKIT_URL,
        "reporting_filter_labels": framework.REPORTING_FILTERS,
    }


@bp.get("/advisory/framework")
def framework_index():
    require("advisory.framework")
    return render(
        "advisory/framework/index.html",
        state=framework.framework_state(g.ctx),
        checklist=framework.federal_checklist(g.ctx),
        summary=framework.reporting_summary(g.ctx),
    )


@bp.route("/advisory/framework/practices", methods=["GET", "POST"])
def framework_practices():
    require("advisory.framework_manage")
    state = framework.framework_state(g.ctx)
    form = PracticesForm(data=state.values())
    if submit(form, lambda: framework.save_practices(g.ctx, form.values())):
        return done("The confidentiality practices were saved.", url_for("advisory.framework_index"))
    if form.form_errors:  # someone saved meanwhile: the next save is based on theirs (the message says so)
        form.revision.data = str(framework.current_revision(g.ctx))
    return render("advisory/framework/practices.html", form=form, state=state, status=form_status(form))


@bp.route("/advisory/framework/federal-rules", methods=["GET", "POST"])
def framework_rules():
    require("advisory.framework_manage")
    checklist = framework.federal_checklist(g.ctx)
    form = ChecklistForm(data=framework.checklist_values(checklist))
    if submit(form, lambda: framework.review_federal_rules(g.ctx, form.values())):
        return done("The federal rules checklist was saved.", url_for("advisory.framework_index") + "#federal-rules")
    return render("advisory/framework/rules.html", form=form, checklist=checklist, status=form_status(form))


@bp.get("/advisory/framework/organizations")
def framework_organizations():
    require("advisory.framework")
    filters = framework.parse_reporting_filters(request.args)
    page = framework.reporting_page(g.ctx, filters, page_number(request.args))
    partial = is_htmx()
    response = render(
        "advisory/framework/organizations.html", block="results", partial=partial, filters=filters, page=page
    )
    if partial:
        args: dict[str, Any] = filters.query_args() | ({"page": page.page} if page.page > 1 else {})
        response.headers["HX-Push-Url"] = url_for("advisory.framework_organizations", **args)
    return response


@bp.route("/advisory/framework/organizations/<int:organization_id>", methods=["GET", "POST"])
def framework_organization(organization_id: int):
    require("advisory.framework")
    entry = framework.reporting_entry(g.ctx, organization_id)
    if request.method == "POST":
        require("advisory.framework_reporting", entry)
    form = ReportingForm(data=entry.values())
    if submit(form, lambda: framework.save_reporting(g.ctx, entry, form.values())):
        message = f"{entry.name}'s mandatory-reporting duties were saved."
        return done(message, url_for("advisory.framework_organization", organization_id=entry.organization_id))
    return render(
        "advisory/framework/organization.html",
        entry=entry,
        form=form,
        may_edit=g.ctx.can("advisory.framework_reporting", entry),
        status=form_status(form),
    )
