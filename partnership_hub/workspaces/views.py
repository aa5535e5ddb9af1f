"""Workspace pages: the partnership list, creating a partnership, joining by invitation, the public
profile page, and inside a workspace its home, the people page (members, roles, invitations), the
partnership profile, the planning team and the new-member orientation checklist."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from flask_login import current_user, login_required

from partnership_hub import toolkit
from partnership_hub.accounts import services as accounts
from partnership_hub.accounts.forms import JoinSignupForm
from partnership_hub.accounts.views import sign_in
from partnership_hub.db import get_scoped, utcnow
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.policies import can
from partnership_hub.web.forms import show_error
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.workspaces import services
from partnership_hub.workspaces.forms import (
    COMMON_TIME_ZONES,
    ConfirmForm,
    FlagForm,
    InviteForm,
    MoveForm,
    NewPartnershipForm,
    OrientationItemForm,
    ProfileForm,
    RoleForm,
)
from partnership_hub.workspaces.models import Invitation, Membership, OrientationItem, Role

bp = Blueprint("workspaces", __name__)
ws = workspace_blueprint("workspace", __name__)


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
    """The workspace home: every installed area's panels (``Area.home_panels``) the person may see,
    their own work first. All panels' counts are evaluated together in one query."""
    return render("workspaces/home.html", panels=services.home_panels(g.ctx))


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
    membership = get_scoped(db.session, Membership, membership_id)
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
    invitation = get_scoped(db.session, Invitation, invitation_id)
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


# --- the partnership profile --------------------------------------------------------------------


@bp.get("/about/<slug>")
def public_profile(slug: str):
    """The one-page profile a partnership chose to publish. Outside the workspace: no login."""
    profile = services.public_profile(slug)
    if profile is None:
        abort(404)  # unpublished or unknown: the same answer
    response = render("workspaces/profile_public.html", profile=profile)
    # Shared by link, kept out of search engines: people in this field can be targeted.
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@ws.get("/profile")
def profile():
    require("profile.view")
    return render("workspaces/profile.html", summary=services.describe_profile(g.ctx.partnership))


@ws.route("/profile/edit", methods=["GET", "POST"])
def edit_profile():
    require("profile.edit")
    ctx = g.ctx
    form = ProfileForm() if request.method == "POST" else ProfileForm.for_partnership(ctx.partnership)
    status = 200
    if form.validate_on_submit():
        try:
            changed = services.update_profile(ctx, form.profile_data())
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("The profile was saved." if changed else "Nothing had changed.", "success" if changed else "info")
            return redirect(url_for("workspace.profile"))
    if request.method == "POST":
        status = 422
    return render(
        "workspaces/profile_edit.html",
        form=form,
        status=status,
        functions=toolkit.FUNCTIONS,
        choice_descriptions={c.key: c.description for c in (*toolkit.COORDINATION_MODELS, *toolkit.STAGES)},
        time_zones=COMMON_TIME_ZONES,
    )


# --- the planning team and directory editors ------------------------------------------------------


def _planning_page(*, block: str | None = None, status: int = 200, row_errors: dict[int, str] | None = None):
    members = services.list_members(g.ctx)
    return render(
        "workspaces/planning.html",
        block=block,
        status=status,
        members=members.visible,
        hidden_count=members.hidden_count,
        row_errors=row_errors or {},
    )


@ws.get("/planning")
def planning():
    require("planning.manage")
    return _planning_page()


def _planning_action(membership_id: int, action) -> object:
    """Set one member's flag; answer with the team block (htmx), the page with the error, or a redirect."""
    require("planning.manage")
    membership = get_scoped(db.session, Membership, membership_id)
    if not can(g.ctx.membership, "members.view", membership):
        abort(404)
    form = FlagForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        message = action(membership, form.on)
    except ServiceError as error:
        db.session.rollback()
        return _planning_page(block="team_section", status=422, row_errors={membership_id: error.message})
    db.session.commit()
    flash(message, "success")
    if is_htmx():
        return _planning_page(block="team_section")
    return redirect(url_for("workspace.planning"))


@ws.post("/planning/<int:membership_id>/team")
def set_planning_team(membership_id: int):
    def _set(membership: Membership, on: bool) -> str:
        services.set_planning_team(g.ctx, membership, on)
        verb = "is on" if on else "is no longer on"
        return f"{membership.user.name} {verb} the planning team."

    return _planning_action(membership_id, _set)


@ws.post("/planning/<int:membership_id>/directory-editor")
def set_directory_editor(membership_id: int):
    def _set(membership: Membership, on: bool) -> str:
        services.set_directory_editor(g.ctx, membership, on)
        verb = "can now" if on else "can no longer"
        return f"{membership.user.name} {verb} edit the organization directory and resource map."

    return _planning_action(membership_id, _set)


# --- the new-member orientation checklist ---------------------------------------------------------


def _checklist_page(*, block: str | None = None, status: int = 200, error: str | None = None):
    ctx = g.ctx
    items = services.orientation_items(ctx)
    done = services.completed_item_ids(ctx, ctx.membership)
    return render(
        "workspaces/orientation.html",
        block=block,
        status=status,
        items=items,
        done=done,
        progress=services.Progress(sum(1 for i in items if i.id in done), len(items)),
        error=error,
    )


@ws.get("/orientation")
def orientation():
    require("orientation.complete")
    return _checklist_page()


@ws.post("/orientation/<int:orientation_item_id>/done")
def orientation_done(orientation_item_id: int):
    require("orientation.complete")
    item = get_scoped(db.session, OrientationItem, orientation_item_id)
    form = FlagForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_orientation_done(g.ctx, item, form.on)
    except ServiceError as error:
        db.session.rollback()
        return _checklist_page(block="checklist_section", status=422, error=error.message)
    db.session.commit()
    if is_htmx():
        return _checklist_page(block="checklist_section")
    return redirect(url_for("workspace.orientation") + f"#step-{item.id}")


def _manage_page(
    form: OrientationItemForm | None = None,
    *,
    block: str | None = None,
    status: int = 200,
    row_errors: dict[int, str] | None = None,
):
    ctx = g.ctx
    items, archived = services.all_orientation_items(ctx)
    return render(
        "workspaces/orientation_manage.html",
        block=block,
        status=status,
        items=items,
        archived=archived,
        members=services.list_members(ctx).visible,
        progress=services.orientation_progress_by_member(ctx),
        form=form or OrientationItemForm(formdata=None),
        move_form=MoveForm(formdata=None),
        row_errors=row_errors or {},
    )


@ws.get("/orientation/manage")
def manage_orientation():
    require("planning.manage")
    return _manage_page()


@ws.post("/orientation/items")
def add_orientation_item():
    require("planning.manage")
    form = OrientationItemForm()
    if form.validate_on_submit():
        try:
            item = services.add_orientation_item(g.ctx, form.title.data, form.description.data)
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"“{item.title}” was added to the checklist.", "success")
            if is_htmx():
                return _manage_page(block="checklist_section")
            return redirect(url_for("workspace.manage_orientation"))
    return _manage_page(form, block="checklist_section", status=422)


@ws.route("/orientation/items/<int:orientation_item_id>/edit", methods=["GET", "POST"])
def edit_orientation_item(orientation_item_id: int):
    require("planning.manage")
    item = get_scoped(db.session, OrientationItem, orientation_item_id)
    form = OrientationItemForm(obj=item)
    if form.validate_on_submit():
        try:
            services.update_orientation_item(g.ctx, item, form.title.data, form.description.data)
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("The step was saved.", "success")
            return redirect(url_for("workspace.manage_orientation"))
    status = 422 if request.method == "POST" else 200
    return render("workspaces/orientation_item_edit.html", item=item, form=form, status=status)


def _item_action(orientation_item_id: int, action) -> object:
    require("planning.manage")
    item = get_scoped(db.session, OrientationItem, orientation_item_id)
    try:
        message = action(item)
    except ServiceError as error:
        db.session.rollback()
        return _manage_page(block="checklist_section", status=422, row_errors={orientation_item_id: error.message})
    db.session.commit()
    if message:
        flash(message, "success")
    if is_htmx():
        return _manage_page(block="checklist_section")
    return redirect(url_for("workspace.manage_orientation"))


@ws.post("/orientation/items/<int:orientation_item_id>/archive")
def archive_orientation_item(orientation_item_id: int):
    form = ConfirmForm()

    def _archive(item: OrientationItem) -> str:
        if not form.validate_on_submit():
            abort(400)
        services.archive_orientation_item(g.ctx, item)
        return f"“{item.title}” was archived. Members' ticks are kept if you restore it."

    return _item_action(orientation_item_id, _archive)


@ws.post("/orientation/items/<int:orientation_item_id>/restore")
def restore_orientation_item(orientation_item_id: int):
    form = ConfirmForm()

    def _restore(item: OrientationItem) -> str:
        if not form.validate_on_submit():
            abort(400)
        services.restore_orientation_item(g.ctx, item)
        return f"“{item.title}” is back on the checklist, at the end."

    return _item_action(orientation_item_id, _restore)


@ws.post("/orientation/items/<int:orientation_item_id>/move")
def move_orientation_item(orientation_item_id: int):
    form = MoveForm()

    def _move(item: OrientationItem) -> str | None:
        if not form.validate_on_submit():
            abort(400)
        services.move_orientation_item(g.ctx, item, form.direction.data)
        return None  # the list itself shows the new order

    return _item_action(orientation_item_id, _move)
