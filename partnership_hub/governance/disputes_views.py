"""Routes of the dispute log (registered on the governance blueprint).

A dispute the viewer may not read is a 404, exactly like one that does not exist: the load uses the
confidentiality layer's clause. Reads are access-logged by the layer after the request; writes go
through one service call each (``submit``), which writes the audit entry.
"""

from __future__ import annotations

from flask import current_app, g, request, url_for
from flask_wtf import FlaskForm

from partnership_hub import picking, toolkit
from partnership_hub.governance import disputes as services
from partnership_hub.governance.disputes_forms import (
    DisputeForm,
    DisputeStatusForm,
    EntryForm,
    RevokeForm,
    ShareForm,
    parse_filters,
)
from partnership_hub.governance.disputes_models import (
    ENDING,
    KIND_GUIDANCE,
    KIND_LABELS,
    PATH_LABELS,
    STATUS_LABELS,
    Dispute,
    DisputeStatus,
)
from partnership_hub.governance.views import bp
from partnership_hub.members import services as members
from partnership_hub.picking import chosen_ids
from partnership_hub.web.htmx import render
from partnership_hub.web.toolkit import confirmed, done, form_status, page_number, require, submit
from partnership_hub.workspaces import services as workspaces

NOBODY = "Nobody yet"


def _guidelines_link() -> str | None:
    """The guidelines page, where the partnership's dispute resolution process is written (finding the
    document itself would cost the page a statement; the guidelines page lists it)."""
    if "governance.guidelines_index" not in current_app.view_functions:
        return None
    return url_for("governance.guidelines_index")


def _labels() -> dict:
    return {
        "kind_labels": KIND_LABELS,
        "kind_guidance": KIND_GUIDANCE,
        "path_labels": PATH_LABELS,
        "status_labels": STATUS_LABELS,
        "ending_statuses": [status.value for status in ENDING],
        "conflict_leadership": toolkit.CONFLICT_LEADERSHIP,
        "guidelines_link": _guidelines_link(),
    }


@bp.get("/governance/disputes")
def disputes():
    require("disputes.view")
    filters = parse_filters(request.args)
    page = services.dispute_log(g.ctx, filters, page_number(request.args))
    return render(
        "governance/disputes/index.html",
        block="results",
        page=page,
        filters=filters,
        statuses=list(DisputeStatus),
        **_labels(),
    )


def _form_page(form: DisputeForm, dispute: Dispute | None = None):
    picks = picking.pick_together(
        {
            "organizations": members.organizations_spec(chosen_ids(form.organization_ids.data or [])),
            "members": workspaces.people_spec(g.ctx, chosen_ids(form.member_ids.data or [])),
            "handler": workspaces.people_spec(g.ctx, chosen_ids([form.handler_membership_id.data]), NOBODY),
        }
    )
    form.organization_ids.choices = picks["organizations"].choices()
    form.member_ids.choices = picks["members"].choices()
    form.handler_membership_id.choices = picks["handler"].choices()
    return render("governance/disputes/form.html", form=form, dispute=dispute, status=form_status(form), **_labels())


@bp.route("/governance/disputes/new", methods=["GET", "POST"])
def dispute_new():
    require("disputes.manage")
    form = DisputeForm()
    if saved := submit(form, lambda: services.create_dispute(g.ctx, form.values())):
        return done(
            "The dispute was logged. Only coordinators, its handler and the members named can see it.",
            url_for("governance.dispute", dispute_id=saved.value.id),
        )
    return _form_page(form)


@bp.route("/governance/disputes/<int:dispute_id>/edit", methods=["GET", "POST"])
def dispute_edit(dispute_id: int):
    require("disputes.view")  # observers: the same 403 for every id, so nothing is confirmed
    dispute = services.get_visible_dispute(g.ctx, dispute_id)
    require("disputes.manage", dispute)
    form = DisputeForm(obj=dispute)
    if request.method == "GET":
        form.kind.data = dispute.kind.value
        form.path.data = dispute.path.value if dispute.path else ""
        form.handler_membership_id.data = str(dispute.handler_membership_id or "")
        organizations, people = services.party_ids(dispute)
        form.organization_ids.data = [str(i) for i in organizations]
        form.member_ids.data = [str(i) for i in people]
    if submit(form, lambda: services.update_dispute(g.ctx, dispute, form.values())):
        return done("The dispute was updated.", url_for("governance.dispute", dispute_id=dispute.id))
    return _form_page(form, dispute)


def _detail_page(
    dispute: Dispute,
    *,
    entry_form: EntryForm | None = None,
    status_form: DisputeStatusForm | None = None,
    status: int = 200,
):
    return render(
        "governance/disputes/detail.html",
        status=status,
        dispute=dispute,
        people=services.dispute_people(g.ctx, dispute),
        timeline=services.timeline(dispute, page_number(request.args)),
        entry_form=entry_form or EntryForm(formdata=None),
        status_form=status_form or DisputeStatusForm(formdata=None, status=dispute.status.value),
        today=g.ctx.today(),
        **_labels(),
    )


@bp.get("/governance/disputes/<int:dispute_id>")
def dispute(dispute_id: int):
    require("disputes.view")  # observers: the same 403 for every id, so nothing is confirmed
    found = services.get_visible_dispute(g.ctx, dispute_id)
    return _detail_page(found)  # the read goes to the access log after the request (confidentiality.py)


@bp.post("/governance/disputes/<int:dispute_id>/entries")
def dispute_entry(dispute_id: int):
    require("disputes.view")  # observers: the same 403 for every id, so nothing is confirmed
    found = services.get_visible_dispute(g.ctx, dispute_id)
    require("disputes.handle", found)
    form = EntryForm()
    if submit(form, lambda: services.add_entry(g.ctx, found, form.values())):
        return done("The entry was added to the timeline.", url_for("governance.dispute", dispute_id=found.id))
    return _detail_page(found, entry_form=form, status=form_status(form))


@bp.post("/governance/disputes/<int:dispute_id>/status")
def dispute_status(dispute_id: int):
    require("disputes.view")  # observers: the same 403 for every id, so nothing is confirmed
    found = services.get_visible_dispute(g.ctx, dispute_id)
    require("disputes.handle", found)
    form = DisputeStatusForm()
    if submit(form, lambda: services.change_status(g.ctx, found, form.values())):
        message = f"The dispute is now {STATUS_LABELS[found.status].lower()}."
        return done(message, url_for("governance.dispute", dispute_id=found.id))
    return _detail_page(found, status_form=form, status=form_status(form))


def _share_page(found: Dispute, form: ShareForm, revoke_form: FlaskForm | None = None):
    pick = picking.pick_together({"person": workspaces.people_spec(g.ctx, chosen_ids([form.membership_id.data]), "")})
    form.membership_id.choices = pick["person"].choices()
    revoke = revoke_form or RevokeForm(formdata=None)
    return render(
        "governance/disputes/share.html",
        dispute=found,
        form=form,
        revoke_form=revoke,
        people=services.dispute_people(g.ctx, found),
        status=max(form_status(form), form_status(revoke)),
        **_labels(),
    )


@bp.route("/governance/disputes/<int:dispute_id>/sharing", methods=["GET", "POST"])
def dispute_sharing(dispute_id: int):
    require("disputes.view")  # observers: the same 403 for every id, so nothing is confirmed
    found = services.get_visible_dispute(g.ctx, dispute_id)
    require("disputes.manage", found)
    form = ShareForm()
    if submit(form, lambda: services.share_dispute(g.ctx, found, form.values())):
        return done("The dispute is shared with them.", url_for("governance.dispute_sharing", dispute_id=found.id))
    return _share_page(found, form)


@bp.post("/governance/disputes/<int:dispute_id>/sharing/revoke")
def dispute_revoke(dispute_id: int):
    require("disputes.view")  # observers: the same 403 for every id, so nothing is confirmed
    found = services.get_visible_dispute(g.ctx, dispute_id)
    require("disputes.manage", found)
    form = confirmed(RevokeForm())
    if submit(form, lambda: services.revoke_share(g.ctx, found, form.membership_id.data), validate=False):
        return done("They can no longer see the dispute.", url_for("governance.dispute_sharing", dispute_id=found.id))
    return _share_page(found, ShareForm(formdata=None), form)
