"""Workspace pages: the partnership list, creating a partnership, joining by invitation, and
inside a workspace its home and the people page (members, roles, invitations)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_login import current_user, login_required

from partnership_hub import toolkit
from partnership_hub.accounts import services as accounts
from partnership_hub.accounts.forms import JoinSignupForm
from partnership_hub.accounts.views import sign_in
from partnership_hub.audit import services as audit
from partnership_hub.db import get_scoped_or_404, utcnow
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.web import navigation
from partnership_hub.web.forms import show_error
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.workspaces import services
from partnership_hub.workspaces.forms import ConfirmForm, InviteForm, NewPartnershipForm, RoleForm
from partnership_hub.workspaces.models import Invitation, Membership, Role
from partnership_hub.workspaces.policies import can

bp = Blueprint("workspaces", __name__)
ws = workspace_blueprint("workspace", __name__)

navigation.register("workspace.home", "Home", order=0)
navigation.register("workspace.people", "People", action="members.view", order=90)


def require(action: str, record: object | None = None) -> None:
    """403 unless the current membership may do ``action``."""
    if not can(g.ctx.membership, action, record):
        abort(403)


# --- outside any workspace ----------------------------------------------------------------------


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return render("workspaces/landing.html", functions=toolkit.FUNCTIONS)
    memberships = services.memberships_of(current_user)
    if len(memberships) == 1 and not request.args.get("all"):
        return redirect(url_for("workspace.home", slug=memberships[0].partnership.slug))
    return render("workspaces/index.html", memberships=memberships)


@bp.route("/partnerships/new", methods=["GET", "POST"])
@login_required
def new_partnership():
    form = NewPartnershipForm()
    if form.validate_on_submit():
        ctx = services.create_partnership(current_user, form.name.data)
        db.session.commit()
        flash(f"{ctx.partnership.name} is ready. Invite the people you work with from the People page.", "success")
        return redirect(url_for("workspace.home", slug=ctx.partnership.slug))
    return render("workspaces/new.html", form=form, status=422 if form.errors else 200)


@bp.route("/join/<slug>/<token>", methods=["GET", "POST"])
def join(slug: str, token: str):
    lookup = services.find_invitation(slug, token)
    if lookup is None or lookup.problem:
        return render("workspaces/join_invalid.html", lookup=lookup, status=410 if lookup else 404)
    invitation = lookup.invitation
    signup_form = JoinSignupForm()
    confirm_form = ConfirmForm()

    if current_user.is_authenticated:
        if accounts.normalize_email(current_user.email) != invitation.email:
            return render(
                "workspaces/join.html",
                lookup=lookup,
                mode="wrong_account",
                form=confirm_form,
                status=403 if request.method == "POST" else 200,
            )
        if request.method == "POST" and confirm_form.validate_on_submit():
            ctx = services.accept_invitation(lookup, current_user)
            db.session.commit()
            flash(f"Welcome to {ctx.partnership.name}.", "success")
            return redirect(url_for("workspace.home", slug=ctx.partnership.slug))
        return render("workspaces/join.html", lookup=lookup, mode="accept", form=confirm_form)

    if accounts.find_user_by_email(invitation.email) is not None:
        return render(
            "workspaces/join.html",
            lookup=lookup,
            mode="sign_in",
            form=confirm_form,
            login_url=url_for("accounts.login", next=request.path),
        )

    if signup_form.validate_on_submit():
        try:
            user = accounts.create_user(
                signup_form.name.data, invitation.email, signup_form.password.data, verified=True
            )
            ctx = services.accept_invitation(lookup, user)
        except ServiceError as error:
            db.session.rollback()
            show_error(signup_form, error)
        else:
            sign_in(user)  # commits the account, the membership and the session together
            flash(f"Welcome to {ctx.partnership.name}.", "success")
            return redirect(url_for("workspace.home", slug=ctx.partnership.slug))
    return render(
        "workspaces/join.html",
        lookup=lookup,
        mode="create_account",
        form=signup_form,
        status=422 if signup_form.errors else 200,
    )


# --- inside a workspace -------------------------------------------------------------------------


@ws.get("/", endpoint="home")
def workspace_home():
    ctx = g.ctx
    now = utcnow()
    members = services.list_members(ctx).visible if can(ctx.membership, "members.view") else []
    invitations = services.list_invitations(ctx) if can(ctx.membership, "members.invite") else []
    activity = audit.recent_entries(ctx, limit=8) if can(ctx.membership, "audit.view") else []
    return render(
        "workspaces/home.html",
        members=members,
        pending_invitations=[i for i in invitations if i.status(now) == "pending"],
        activity=activity,
        people=audit.people_named(activity),
        action_labels=audit.ACTION_LABELS,
    )


def _people_page(
    invite_form: InviteForm | None = None,
    *,
    block: str | None = None,
    status: int = 200,
    row_errors: dict[int, str] | None = None,
):
    ctx = g.ctx
    members = services.list_members(ctx)
    return render(
        "workspaces/people.html",
        block=block,
        status=status,
        members=members.visible,
        hidden_count=members.hidden_count,
        invitations=services.list_invitations(ctx) if can(ctx.membership, "members.invite") else [],
        invite_form=invite_form or InviteForm(formdata=None),
        confirm_form=ConfirmForm(),
        row_errors=row_errors or {},
        now=utcnow(),
    )


@ws.get("/people")
def people():
    require("members.view")
    return _people_page()


@ws.post("/people/invite")
def invite():
    require("members.invite")
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = services.invite(g.ctx, form.email.data, Role(form.role.data))
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"Invitation sent to {invitation.email}.", "success")  # shown by the block too
            if is_htmx():
                return _people_page(block="invite_section")
            return redirect(url_for("workspace.people"))
    return _people_page(form, block="invite_section", status=422)


def _membership_action(membership_id: int, action) -> object:
    """Run a role change or removal; answer with the members block (htmx) or a redirect."""
    require("members.manage")
    membership = get_scoped_or_404(db.session, Membership, membership_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        message = action(membership)
    except ServiceError as error:
        db.session.rollback()
        if is_htmx():
            return _people_page(block="members_section", status=422, row_errors={membership_id: error.message})
        flash(error.message, "error")
        return redirect(url_for("workspace.people"))
    db.session.commit()
    flash(message, "success")
    if g.get("left_workspace"):
        return redirect(url_for("workspaces.home", all=1))
    if is_htmx():
        return _people_page(block="members_section")
    return redirect(url_for("workspace.people"))


@ws.post("/people/<int:membership_id>/role")
def change_role(membership_id: int):
    form = RoleForm()
    if not form.validate():
        abort(400)

    def _change(membership: Membership) -> str:
        services.change_role(g.ctx, membership, Role(form.role.data))
        return f"{membership.user.name} is now {membership.role.label.lower()}."

    return _membership_action(membership_id, _change)


@ws.post("/people/<int:membership_id>/remove")
def remove_member(membership_id: int):
    def _remove(membership: Membership) -> str:
        name = membership.user.name
        services.remove_member(g.ctx, membership)
        if membership.user_id == current_user.id:
            g.left_workspace = True
        return f"{name} was removed from the partnership and signed out."

    return _membership_action(membership_id, _remove)


@ws.post("/leave")
def leave():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    ctx = g.ctx
    try:
        services.remove_member(ctx, ctx.membership)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("workspace.home"))
    db.session.commit()
    flash(f"You left {ctx.partnership.name}.", "info")
    return redirect(url_for("workspaces.home", all=1))


def _invitation_action(invitation_id: int, action, message: str):
    require("members.invite")
    invitation = get_scoped_or_404(db.session, Invitation, invitation_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action(g.ctx, invitation)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        if is_htmx():
            return _people_page(block="invite_section", status=422)
    else:
        db.session.commit()
        flash(message.format(email=invitation.email), "success")
        if is_htmx():
            return _people_page(block="invite_section")
    return redirect(url_for("workspace.people"))


@ws.post("/invitations/<int:invitation_id>/resend")
def resend_invitation(invitation_id: int):
    return _invitation_action(invitation_id, services.resend_invitation, "A new invitation was sent to {email}.")


@ws.post("/invitations/<int:invitation_id>/revoke")
def revoke_invitation(invitation_id: int):
    return _invitation_action(invitation_id, services.revoke_invitation, "The invitation to {email} was revoked.")
