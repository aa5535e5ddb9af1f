"""The toolkit setup guide page."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, url_for

from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.policies import can
from partnership_hub.setup import services
from partnership_hub.setup.forms import MarkForm
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint

bp = workspace_blueprint("setup", __name__)


def _guide_page(block: str | None = None, status: int = 200):
    return render(
        "setup/index.html",
        block=block,
        status=status,
        state=services.guide_state(g.ctx),
        form=MarkForm(formdata=None),
        has_endpoint=lambda endpoint: endpoint in current_app.view_functions,
    )


@bp.get("/setup")
def index():
    if not can(g.ctx.membership, "setup.view"):
        abort(403)
    return _guide_page()


def _change_mark(change, message: str):
    if not can(g.ctx.membership, "setup.mark"):
        abort(403)
    form = MarkForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        change(g.ctx, form.item_key.data)
    except LookupError:
        abort(404)
    except ServiceError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _guide_page("guide", status=422) if is_htmx() else redirect(url_for("setup.index"))
    db.session.commit()
    flash(message, "success")
    if is_htmx():
        return _guide_page("guide")
    return redirect(url_for("setup.index", _anchor=f"item-{form.item_key.data}"))


@bp.post("/setup/mark")
def mark():
    return _change_mark(services.mark_addressed, "Marked as addressed.")


@bp.post("/setup/unmark")
def unmark():
    return _change_mark(services.unmark, "Marked as open again.")
