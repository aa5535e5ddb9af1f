"""Workspace pages: the partnership list, creating a partnership, joining by invitation, the public
profile page, and inside a workspace its home, the people page (members, roles, invitations), the
partnership profile, the planning team and the new-member orientation checklist.

Changes made inside a list (a role, a flag, a checklist step) answer an htmx request with the list's
block drawn again — the flash rides along out of band — and a plain form post with a redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from partnership_hub import toolkit
from partnership_hub.accounts import services as accounts
from partnership_hub.accounts.forms import JoinSignupForm
from partnership_hub.accounts.models import User
from partnership_hub.accounts.views import log_in, open_session
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import get_scoped, utcnow
from partnership_hub.extensions import db
from partnership_hub.picking import chosen_ids
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint
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
from partnership_hub.workspaces import services
from partnership_hub.workspaces.forms import (
    COMMON_TIME_ZONES,
    ConfirmForm,
    EditorPickForm,
    FlagForm,
    InviteForm,
    MoveForm,
    NewPartnershipForm,
    OrientationItemForm,
    ProfileForm,
    RoleForm,
    TeamPickForm,
)
from partnership_hub.workspaces.models import Invitation, Membership, OrientationItem, Partnership, Role

bp = Blueprint("workspaces", __name__)
ws = workspace_blueprint("workspace", __name__)


def _refusal(form: FlaskForm) -> str:
    """The service's refusal that ``submit`` put on ``form``, to show beside the row it concerns."""
    return " ".join(message for messages in form.errors.values() for message in messages)


def _changed(message: str | None, to: str, block: Callable[[], Response]) -> Response:
    """After a change made inside a list: htmx gets the list's ``block`` again, a plain post ``done``."""
    if not is_htmx():
        return done(message, to)
    if message:
        flash(message, "success")  # the block's flash region shows it
    return block()


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
    if saved := submit(form, lambda: services.create_partnership(current_user, form.name.data)):
        partnership = saved.value.partnership
        return done(
            f"{partnership.name} is ready. Invite the people you work with from the People page.",
            url_for("workspace.home", slug=partnership.slug),
        )
    return render("workspaces/new.html", form=form, status=form_status(form))


def _welcome(partnership: Partnership) -> Response:
    return done(f"Welcome to {partnership.name}.", url_for("workspace.home", slug=partnership.slug))


@bp.route("/join/<slug>/<token>", methods=["GET", "POST"])
def join(slug: str, token: str):
    lookup = services.find_invitation(slug, token)
    if lookup is None or lookup.problem:
        return render("workspaces/join_invalid.html", lookup=lookup, status=410 if lookup else 404)
    invitation = lookup.invitation

    if current_user.is_authenticated:
        confirm_form = ConfirmForm()
        if accounts.normalize_email(current_user.email) != invitation.email:
            return render(
                "workspaces/join.html",
                lookup=lookup,
                mode="wrong_account",
                form=confirm_form,
                status=403 if request.method == "POST" else 200,
            )
        if submit(confirm_form, lambda: services.accept_invitation(lookup, current_user)):
            return _welcome(lookup.partnership)
        return render(
            "workspaces/join.html", lookup=lookup, mode="accept", form=confirm_form, status=form_status(confirm_form)
        )

    if accounts.find_user_by_email(invitation.email) is not None:
        return render(
            "workspaces/join.html",
            lookup=lookup,
            mode="sign_in",
            form=ConfirmForm(),
            login_url=url_for("accounts.login", next=request.path),
        )

    form = JoinSignupForm()

    def create_account_and_join() -> User:
        # Following the emailed link proves the address: the account starts verified.
        user = accounts.create_user(form.name.data, invitation.email, form.password.data, verified=True)
        services.accept_invitation(lookup, user)
        return open_session(user)  # committed with the account and the membership, or not at all

    if saved := submit(form, create_account_and_join):
        log_in(saved.value)
        return _welcome(lookup.partnership)
    return render("workspaces/join.html", lookup=lookup, mode="create_account", form=form, status=form_status(form))


# --- inside a workspace -------------------------------------------------------------------------


@ws.get("/pick/people")
def pick_people():
    """A people picker's options for what has been typed (see the picker macro)."""
    require("members.view")
    query, chosen = picker_request()
    blank = request.args.get("blank") or None
    # ``role`` (repeatable) narrows the people offered, e.g. to members for directory editing.
    asked = set(request.args.getlist("role"))
    roles = tuple(role for role in Role if role.value in asked)
    pick = services.pick_people(g.ctx, query, chosen, blank=blank, **({"roles": roles} if roles else {}))
    return picker_response(pick)


@ws.get("/", endpoint="home")
def workspace_home():
    """The workspace home: every installed area's panels (``Area.home_panels``) the person may see,
    their own work first: the "Your work" kinds areas contribute (``Area.your_work``, one bounded query
    each), then the panels. All panels' counts are evaluated together in one query."""
    return render(
        "workspaces/home.html",
        your_work=services.your_work(g.ctx),
        panels=services.home_panels(g.ctx),
    )


@ws.post("/getting-started/dismiss")
def dismiss_getting_started():
    """A coordinator puts the home's "Getting started" card away (their own home only)."""
    require("members.manage")
    form = confirmed(ConfirmForm())
    if submit(form, lambda: services.dismiss_getting_started(g.ctx), validate=False):
        return done(
            "The getting-started card is hidden. The setup guide keeps track of what is left.",
            url_for("workspace.home"),
            category="info",
        )
    return done(_refusal(form), url_for("workspace.home"), category="error")


def _page_args() -> dict[str, Any]:
    """The page of a list this request is about, as query arguments (none for the first page)."""
    page = page_number(request.args)
    return {"page": str(page)} if page > 1 else {}


def _people_args() -> dict[str, Any]:
    """The People list this request is about — its search, role and page — as query arguments. The
    list's row forms carry them, so a change made on page 2 of a search comes back to it."""
    return services.people_filter(g.ctx, request.args).query_args() | _page_args()


def _people_page(
    invite_form: InviteForm | None = None,
    *,
    block: str | None = None,
    status: int = 200,
    row_errors: dict[int, str] | None = None,
):
    ctx = g.ctx
    filters = services.people_filter(ctx, request.args)
    members = services.member_page(ctx, filters, page_number(request.args))
    list_args = filters.query_args() | ({"page": str(members.page.page)} if members.page.page > 1 else {})
    return render(
        "workspaces/people.html",
        block=block,
        status=status,
        members=members.page,
        hidden_count=members.hidden_count,
        hidden_emails=members.hidden_emails,
        filters=filters,
        filter_roles=services.roles_listed_to(ctx),
        list_args=list_args,
        # The newest few; the rest on their own paginated page.
        invitations=services.invitation_page(ctx, 1) if ctx.can("members.invite") else None,
        inline=True,
        invite_form=invite_form or InviteForm(formdata=None),
        confirm_form=ConfirmForm(),
        row_errors=row_errors or {},
        now=utcnow(),
    )


@ws.get("/people")
def people():
    """Members, searched by name or email as you type and filtered by role, a page at a time (an htmx
    search or page link gets just the list); the invite form and the newest open invitations."""
    require("members.view")
    return _people_page(block="members_section")


@ws.post("/people/invite")
def invite():
    require("members.invite")
    form = InviteForm()
    if saved := submit(form, lambda: services.invite(g.ctx, form.email.data, Role(form.role.data))):
        return _changed(
            f"Invitation sent to {saved.value.email}.",
            url_for("workspace.people"),
            lambda: _people_page(block="invite_section"),
        )
    return _people_page(form, block="invite_section", status=form_status(form))


def _membership_action(membership_id: int, form: FlaskForm, action: Callable[[Membership], str]) -> Response:
    """Change one member (role, removal); answer with the members block (htmx) or a redirect, both
    to the same page of the same search."""
    require("members.manage")
    membership = services.get_member(g.ctx, membership_id)
    confirmed(form)
    back = url_for("workspace.people", **_people_args())
    if saved := submit(form, lambda: action(membership), validate=False):
        if g.get("left_workspace"):
            return done(saved.value, url_for("workspaces.home", all=1))
        return _changed(saved.value, back, lambda: _people_page(block="members_section"))
    if is_htmx():
        return _people_page(block="members_section", status=422, row_errors={membership_id: _refusal(form)})
    return done(_refusal(form), back, category="error")


@ws.post("/people/<int:membership_id>/role")
def change_role(membership_id: int):
    form = RoleForm()

    def change(membership: Membership) -> str:
        services.change_role(g.ctx, membership, Role(form.role.data))
        return f"{membership.user.name} is now {membership.role.label.lower()}."

    return _membership_action(membership_id, form, change)


@ws.post("/people/<int:membership_id>/remove")
def remove_member(membership_id: int):
    def remove(membership: Membership) -> str:
        name = membership.user.name
        services.remove_member(g.ctx, membership)
        if membership.user_id == current_user.id:
            g.left_workspace = True
        return f"{name} was removed from the partnership and signed out."

    return _membership_action(membership_id, ConfirmForm(), remove)


@ws.post("/leave")
def leave():
    ctx = g.ctx
    form = confirmed(ConfirmForm())
    if submit(form, lambda: services.remove_member(ctx, ctx.membership), validate=False):
        return done(f"You left {ctx.partnership.name}.", url_for("workspaces.home", all=1), category="info")
    return done(_refusal(form), url_for("workspace.home"), category="error")


def _invitations_page(*, status: int = 200, inline: bool = False) -> Response:
    """The open invitations, a page at a time (``inline``: the People page's copy of page 1)."""
    ctx = g.ctx
    return render(
        "workspaces/invitations.html",
        block="invitations_list",
        status=status,
        invitations=services.invitation_page(ctx, 1 if inline else page_number(request.args)),
        inline=inline,
        now=utcnow(),
    )


@ws.get("/people/invitations")
def invitations():
    """Every open invitation, a page at a time (an htmx page link gets just the list)."""
    require("members.invite")
    return _invitations_page()


def _invitation_action(invitation_id: int, action: Callable[..., Invitation], message: str) -> Response:
    """Resend or revoke an invitation; answer with the invitations list (htmx) or a redirect, to the
    People page or, when the post names a ``page``, to that page of all invitations."""
    require("members.invite")
    invitation = get_scoped(db.session, Invitation, invitation_id)
    form = confirmed(ConfirmForm())
    inline = "page" not in request.args
    back = url_for("workspace.people") if inline else url_for("workspace.invitations", page=page_number(request.args))
    if submit(form, lambda: action(g.ctx, invitation), validate=False):
        return _changed(message.format(email=invitation.email), back, lambda: _invitations_page(inline=inline))
    flash(_refusal(form), "error")
    if is_htmx():
        return _invitations_page(status=422, inline=inline)
    return redirect(back)


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
    profile = services.public_profile(slug)  # unpublished or unknown: the same 404
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
    if saved := submit(form, lambda: services.update_profile(ctx, form.profile_data())):
        if saved.value:
            return done("The profile was saved.", url_for("workspace.profile"))
        return done("Nothing had changed.", url_for("workspace.profile"), category="info")
    return render(
        "workspaces/profile_edit.html",
        form=form,
        status=form_status(form),
        functions=toolkit.FUNCTIONS,
        choice_descriptions={c.key: c.description for c in (*toolkit.COORDINATION_MODELS, *toolkit.STAGES)},
        time_zones=COMMON_TIME_ZONES,
    )


# --- the planning team and directory editors ------------------------------------------------------


def _planning_page(
    *,
    block: str | None = None,
    status: int = 200,
    row_errors: dict[int, str] | None = None,
    team_form: TeamPickForm | None = None,
    editor_form: EditorPickForm | None = None,
):
    ctx = g.ctx
    team_form = team_form or TeamPickForm(formdata=None, prefix="team")
    editor_form = editor_form or EditorPickForm(formdata=None, prefix="editor")
    # Each picker holds what is chosen plus the first few matches, never everyone (the same
    # roles and empty choice as its searches in planning.html).
    for form, roles, blank in (
        (team_form, tuple(Role), "Choose someone"),
        (editor_form, (Role.MEMBER,), "Choose a member"),
    ):
        chosen = chosen_ids([form.membership_id.data])
        form.membership_id.choices = services.pick_people(ctx, "", chosen, blank=blank, roles=roles).choices()
    planning = services.planning_people(ctx, page_number(request.args))
    return render(
        "workspaces/planning.html",
        block=block,
        status=status,
        planning=planning,
        team_form=team_form,
        editor_form=editor_form,
        all_roles=[role.value for role in Role],
        page_args={"page": str(planning.page.page)} if planning.page.page > 1 else {},
        row_errors=row_errors or {},
    )


@ws.get("/planning")
def planning():
    """Who is on the planning team and who edits the directory, a page at a time; a picker adds someone."""
    require("planning.manage")
    return _planning_page(block="team_section")


def _planning_pick(
    form: TeamPickForm | EditorPickForm, set_flag: Callable[[WorkspaceContext, Membership, bool], bool], verb: str
) -> Response:
    """Set a flag for the person a picker chose; answer with the planning block (htmx) or a redirect,
    or the page with the picker's error."""
    require("planning.manage")

    def add() -> str:
        ids = chosen_ids([form.membership_id.data])
        membership = services.picked_member(g.ctx, ids[0] if ids else None, "membership_id")
        set_flag(g.ctx, membership, True)
        return f"{membership.user.name} {verb}."

    if saved := submit(form, add):
        return _changed(saved.value, url_for("workspace.planning"), lambda: _planning_page(block="team_section"))
    forms = {"team_form": form} if isinstance(form, TeamPickForm) else {"editor_form": form}
    return _planning_page(block="team_section", status=form_status(form), **forms)


@ws.post("/planning/team")
def add_to_planning_team():
    return _planning_pick(TeamPickForm(prefix="team"), services.set_planning_team, "is on the planning team")


@ws.post("/planning/directory-editors")
def add_directory_editor():
    verb = "can now edit the organization directory and resource map"
    return _planning_pick(EditorPickForm(prefix="editor"), services.set_directory_editor, verb)


def _planning_action(membership_id: int, action: Callable[[Membership, bool], str]) -> Response:
    """Set one member's flag; answer with the planning block (htmx), the page with the error, or a
    redirect, all to the same page of the list."""
    require("planning.manage")
    membership = services.get_member(g.ctx, membership_id)
    form = confirmed(FlagForm())
    if saved := submit(form, lambda: action(membership, form.on), validate=False):
        back = url_for("workspace.planning", **_page_args())
        return _changed(saved.value, back, lambda: _planning_page(block="team_section"))
    return _planning_page(block="team_section", status=422, row_errors={membership_id: _refusal(form)})


@ws.post("/planning/<int:membership_id>/team")
def set_planning_team(membership_id: int):
    def set_flag(membership: Membership, on: bool) -> str:
        services.set_planning_team(g.ctx, membership, on)
        verb = "is on" if on else "is no longer on"
        return f"{membership.user.name} {verb} the planning team."

    return _planning_action(membership_id, set_flag)


@ws.post("/planning/<int:membership_id>/directory-editor")
def set_directory_editor(membership_id: int):
    def set_flag(membership: Membership, on: bool) -> str:
        services.set_directory_editor(g.ctx, membership, on)
        verb = "can now" if on else "can no longer"
        return f"{membership.user.name} {verb} edit the organization directory and resource map."

    return _planning_action(membership_id, set_flag)


# --- the new-member orientation checklist ---------------------------------------------------------


def _checklist_page(*, block: str | None = None, status: int = 200, error: str | None = None):
    ctx = g.ctx
    items = services.orientation_items(ctx)
    ticked = services.completed_item_ids(ctx, ctx.membership)
    return render(
        "workspaces/orientation.html",
        block=block,
        status=status,
        items=items,
        done=ticked,
        progress=services.Progress(sum(1 for i in items if i.id in ticked), len(items)),
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
    form = confirmed(FlagForm())
    if submit(form, lambda: services.set_orientation_done(g.ctx, item, form.on), validate=False):
        # No message: the tick itself shows it.
        return _changed(
            None,
            url_for("workspace.orientation") + f"#step-{orientation_item_id}",
            lambda: _checklist_page(block="checklist_section"),
        )
    return _checklist_page(block="checklist_section", status=422, error=_refusal(form))


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
        progress=services.orientation_progress_page(ctx, page_number(request.args)),
        form=form or OrientationItemForm(formdata=None),
        move_form=MoveForm(formdata=None),
        row_errors=row_errors or {},
    )


@ws.get("/orientation/manage")
def manage_orientation():
    """The checklist's steps to edit, and every member's progress a page at a time (an htmx page link
    gets just the progress list)."""
    require("planning.manage")
    return _manage_page(block="progress_section")


@ws.post("/orientation/items")
def add_orientation_item():
    require("planning.manage")
    form = OrientationItemForm()
    if saved := submit(form, lambda: services.add_orientation_item(g.ctx, form.title.data, form.description.data)):
        return _changed(
            f"“{saved.value.title}” was added to the checklist.",
            url_for("workspace.manage_orientation"),
            lambda: _manage_page(block="checklist_section"),
        )
    return _manage_page(form, block="checklist_section", status=form_status(form))


@ws.route("/orientation/items/<int:orientation_item_id>/edit", methods=["GET", "POST"])
def edit_orientation_item(orientation_item_id: int):
    require("planning.manage")
    item = get_scoped(db.session, OrientationItem, orientation_item_id)
    form = OrientationItemForm(obj=item)
    if submit(form, lambda: services.update_orientation_item(g.ctx, item, form.title.data, form.description.data)):
        return done("The step was saved.", url_for("workspace.manage_orientation"))
    return render("workspaces/orientation_item_edit.html", item=item, form=form, status=form_status(form))


def _item_action(orientation_item_id: int, form: FlaskForm, action: Callable[[OrientationItem], str | None]):
    """Archive, restore or move a step; answer with the checklist block (htmx) or a redirect."""
    require("planning.manage")
    item = get_scoped(db.session, OrientationItem, orientation_item_id)
    confirmed(form)
    if saved := submit(form, lambda: action(item), validate=False):
        return _changed(
            saved.value, url_for("workspace.manage_orientation"), lambda: _manage_page(block="checklist_section")
        )
    return _manage_page(block="checklist_section", status=422, row_errors={orientation_item_id: _refusal(form)})


@ws.post("/orientation/items/<int:orientation_item_id>/archive")
def archive_orientation_item(orientation_item_id: int):
    def archive(item: OrientationItem) -> str:
        services.archive_orientation_item(g.ctx, item)
        return f"“{item.title}” was archived. Members' ticks are kept if you restore it."

    return _item_action(orientation_item_id, ConfirmForm(), archive)


@ws.post("/orientation/items/<int:orientation_item_id>/restore")
def restore_orientation_item(orientation_item_id: int):
    def restore(item: OrientationItem) -> str:
        services.restore_orientation_item(g.ctx, item)
        return f"“{item.title}” is back on the checklist, at the end."

    return _item_action(orientation_item_id, ConfirmForm(), restore)


@ws.post("/orientation/items/<int:orientation_item_id>/move")
def move_orientation_item(orientation_item_id: int):
    form = MoveForm()

    def move(item: OrientationItem) -> None:  # no message: the list itself shows the new order
        services.move_orientation_item(g.ctx, item, form.direction.data)

    return _item_action(orientation_item_id, form, move)
