"""The toolkit setup guide page: everyone reads it, coordinators mark the questions the data can't answer."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, g, url_for

from partnership_hub.context import WorkspaceContext
from partnership_hub.setup import services
from partnership_hub.setup.forms import MarkForm
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import done, require, submit

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
    require("setup.view")
    return _guide_page()


def _change_mark(change: Callable[[WorkspaceContext, str], object], message: str):
    """Mark or reopen a question; htmx gets the guide block back (with the message), a plain post the page."""
    require("setup.mark")
    form = MarkForm()
    if submit(form, lambda: change(g.ctx, form.item_key.data)):
        if is_htmx():
            flash(message, "success")
            return _guide_page("guide")
        return done(message, url_for("setup.index", _anchor=f"item-{form.item_key.data}"))
    if not form.form_errors:  # the buttons post a fixed key: a bad form is forged or expired
        abort(400)
    # A refusal: the guide has no form to show it at, so it goes where the page shows messages.
    refusal = " ".join(form.form_errors)
    if is_htmx():
        flash(refusal, "error")
        return _guide_page("guide", status=422)
    return done(refusal, url_for("setup.index"), category="error")


@bp.post("/setup/mark")
def mark():
    return _change_mark(services.mark_addressed, "Marked as addressed.")


@bp.post("/setup/unmark")
def unmark():
    return _change_mark(services.unmark, "Marked as open again.")
