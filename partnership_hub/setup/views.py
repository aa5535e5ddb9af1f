"""The toolkit setup guide page: everyone reads it with the toolkit's guidance; coordinators mark the
questions the data can't answer and record the partnership's answers and notes."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, g, url_for

from partnership_hub.context import WorkspaceContext
from partnership_hub.setup import guide, services
from partnership_hub.setup.forms import AnswerForm, MarkForm
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import done, form_status, require, submit

bp = workspace_blueprint("setup", __name__)


def _guide_page(block: str | None = None, status: int = 200, answer_form: AnswerForm | None = None):
    """The guide (or its block for htmx). ``answer_form``: a refused answer, shown again at its question."""
    return render(
        "setup/index.html",
        block=block,
        status=status,
        state=services.guide_state(g.ctx, answers=True),
        form=MarkForm(formdata=None),
        answer_form=answer_form,
        answer_max=services.ANSWER_MAX,
        has_endpoint=lambda endpoint: endpoint in current_app.view_functions,
        page_entry=guide.page_entry,
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


@bp.post("/setup/answer")
def answer():
    """Record an answer or a note; a refusal is shown at the field, under its question."""
    require("setup.answer")
    form = AnswerForm()
    key = form.item_key.data
    saved = submit(
        form, lambda: services.record_answer(g.ctx, key, form.text.data or "", addressed=bool(form.addressed.data))
    )
    if saved:
        message = "Answer recorded."
        if is_htmx():
            flash(message, "success")
            return _guide_page("guide")
        return done(message, url_for("setup.index", _anchor=f"item-{key}"))
    if key not in guide.ITEMS:  # the form posts a fixed key: anything else is forged
        abort(404 if key else 400)
    return _guide_page("guide", status=form_status(form), answer_form=form)
