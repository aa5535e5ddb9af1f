"""Routes of the board section: roles, seats and terms (coordinators), the chair's grants and the chair's
review of who read the restricted area. Registered on the area's blueprint."""

from __future__ import annotations

from flask import g, request, url_for

from partnership_hub import picking
from partnership_hub.advisory import board
from partnership_hub.advisory.board_forms import (
    EndSeatForm,
    GrantForm,
    RenewForm,
    RevokeForm,
    RoleForm,
    SeatEditForm,
    SeatForm,
)
from partnership_hub.advisory.views import bp
from partnership_hub.web.htmx import render
from partnership_hub.web.toolkit import confirmed, done, form_status, page_number, require, submit
from partnership_hub.workspaces import services as workspaces
from partnership_hub.workspaces.forms import ConfirmForm


def _chosen(values: list) -> list[int]:
    from partnership_hub.parsing import parse_ids

    return parse_ids(values)


# --- roles --------------------------------------------------------------------------------------------


@bp.route("/advisory/roles", methods=["GET", "POST"])
def roles():
    require("advisory.manage")
    form = RoleForm()
    if submit(form, lambda: board.create_role(g.ctx, form.values())):
        return done(f"The role “{form.name.data.strip()}” was added.", url_for("advisory.roles"))
    return render(
        "advisory/board/roles.html",
        form=form,
        roles=board.roles(g.ctx),
        delete_form=ConfirmForm(formdata=None),
        status=form_status(form),
    )


@bp.post("/advisory/roles/defaults")
def roles_defaults():
    """A new board starts with the usual roles (chair, advisor, peer mentor) in one click."""
    require("advisory.manage")
    form = confirmed(ConfirmForm())
    saved = submit(form, lambda: board.ensure_default_roles(g.ctx), validate=False)
    if saved and saved.value:
        message = "The usual roles were added; rename or describe them as your board sees fit."
    else:
        message = "The board has its roles already; nothing was added."
    return done(message, url_for("advisory.roles"))


@bp.route("/advisory/roles/<int:advisory_role_id>/edit", methods=["GET", "POST"])
def role_edit(advisory_role_id: int):
    require("advisory.manage")
    role = board.get_role(g.ctx, advisory_role_id)
    form = RoleForm(obj=role)
    if request.method == "GET":
        form.term_months.data = str(role.term_months or "")
    if submit(form, lambda: board.update_role(g.ctx, role, form.values())):
        return done("The role was updated.", url_for("advisory.roles"))
    return render("advisory/board/role_edit.html", form=form, role=role, status=form_status(form))


@bp.post("/advisory/roles/<int:advisory_role_id>/delete")
def role_delete(advisory_role_id: int):
    require("advisory.manage")
    role = board.get_role(g.ctx, advisory_role_id)
    form = confirmed(ConfirmForm())
    if submit(form, lambda: board.delete_role(g.ctx, role), validate=False):
        return done("The role was removed.", url_for("advisory.roles"))
    return render(
        "advisory/board/roles.html",
        form=RoleForm(formdata=None),
        roles=board.roles(g.ctx),
        delete_form=form,
        status=form_status(form),
    )


# --- seats --------------------------------------------------------------------------------------------


def _role_choices() -> list[tuple[str, str]]:
    return [("", "Choose a role")] + [(str(role.id), role.name) for role in board.roles(g.ctx)]


@bp.route("/advisory/seats/new", methods=["GET", "POST"])
def seat_new():
    require("advisory.manage")
    form = SeatForm()
    if saved := submit(form, lambda: board.seat_member(g.ctx, form.values())):
        return done("They now sit on the board.", url_for("advisory.seat", board_seat_id=saved.value.id))
    pick = picking.pick_together({"person": workspaces.people_spec(g.ctx, _chosen([form.membership_id.data]), "")})
    form.membership_id.choices = pick["person"].choices()
    form.role_id.choices = _role_choices()
    return render("advisory/board/seat_new.html", form=form, status=form_status(form))


def _seat_page(seat, edit_form=None, renew_form=None, end_form=None):
    name, role = board.seat_person(g.ctx, seat)
    edit = edit_form or SeatEditForm(formdata=None, role_id=str(seat.role_id), is_chair=seat.is_chair)
    edit.role_id.choices = _role_choices()
    forms = [f for f in (edit_form, renew_form, end_form) if f is not None]
    return render(
        "advisory/board/seat.html",
        seat=seat,
        name=name,
        person_role=role,
        terms=board.seat_terms(g.ctx, seat),
        edit_form=edit,
        renew_form=renew_form or RenewForm(formdata=None),
        end_form=end_form or EndSeatForm(formdata=None),
        status=max([form_status(f) for f in forms] or [200]),
        today=g.ctx.today(),
    )


@bp.route("/advisory/seats/<int:board_seat_id>", methods=["GET", "POST"])
def seat(board_seat_id: int):
    require("advisory.manage")
    found = board.get_seat(g.ctx, board_seat_id)
    if request.method == "GET":
        return _seat_page(found)
    form = SeatEditForm()
    if submit(form, lambda: board.update_seat(g.ctx, found, form.values())):
        return done("The seat was updated.", url_for("advisory.seat", board_seat_id=found.id))
    return _seat_page(found, edit_form=form)


@bp.post("/advisory/seats/<int:board_seat_id>/renew")
def seat_renew(board_seat_id: int):
    require("advisory.manage")
    found = board.get_seat(g.ctx, board_seat_id)
    form = RenewForm()
    if submit(form, lambda: board.renew_term(g.ctx, found, form.values())):
        return done("The renewal was recorded.", url_for("advisory.seat", board_seat_id=found.id))
    return _seat_page(found, renew_form=form)


@bp.post("/advisory/seats/<int:board_seat_id>/end")
def seat_end(board_seat_id: int):
    require("advisory.manage")
    found = board.get_seat(g.ctx, board_seat_id)
    form = EndSeatForm()
    if submit(form, lambda: board.end_seat(g.ctx, found, form.values())):
        return done("Their seat has ended; so has their access to the restricted area.", url_for("advisory.index"))
    return _seat_page(found, end_form=form)


# --- the chair's grants and review ----------------------------------------------------------------------


def _access_page(form: GrantForm, revoke_form: RevokeForm | None = None):
    pick = picking.pick_together({"person": workspaces.people_spec(g.ctx, _chosen([form.membership_id.data]), "")})
    form.membership_id.choices = pick["person"].choices()
    revoke = revoke_form or RevokeForm(formdata=None)
    return render(
        "advisory/board/access.html",
        form=form,
        revoke_form=revoke,
        grants=board.access_grants(g.ctx),
        today=g.ctx.today(),
        status=max(form_status(form), form_status(revoke)),
    )


@bp.route("/advisory/access", methods=["GET", "POST"])
def access():
    """The chair admits people to the restricted area (a reason and an end date each); others: 404."""
    require("advisory.restricted")
    board.require_chair(g.ctx)
    form = GrantForm()
    if submit(form, lambda: board.grant_access(g.ctx, form.values())):
        message = "They are admitted to the board's restricted area until the date you gave."
        return done(message, url_for("advisory.access"))
    return _access_page(form)


@bp.post("/advisory/access/revoke")
def access_revoke():
    require("advisory.restricted")
    board.require_chair(g.ctx)
    form = RevokeForm()
    if submit(form, lambda: board.revoke_access(g.ctx, form.values())):
        return done("Their access has ended.", url_for("advisory.access"))
    return _access_page(GrantForm(formdata=None), revoke_form=form)


@bp.get("/advisory/access-log")
def access_log():
    """Every read of the board's records, for the chair (others: 404)."""
    require("advisory.restricted")
    board.require_chair(g.ctx)
    page = board.access_log(g.ctx, page_number(request.args))
    return render("advisory/board/access_log.html", page=page)
