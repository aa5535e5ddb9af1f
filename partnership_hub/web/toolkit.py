"""The request toolkit every view uses: permission, load-or-404, one form flow, pages, CSV.

A view reads as the request it handles::

    @bp.route("/actions/<int:action_item_id>/edit", methods=["GET", "POST"])
    def edit(action_item_id: int):
        entry = services.get_entry(g.ctx, action_item_id)      # NotFound → 404 (errors.py)
        require("actions.edit", entry.item)                    # 403 unless the policy allows
        form = ActionItemForm(obj=entry.item)
        if saved := submit(form, lambda: services.update_item(g.ctx, entry.item, form.values())):
            return done(f"“{saved.value.title}” was updated.", url_for("actions.detail", ...))
        return render("actions/form.html", form=form, status=form_status(form))

``submit`` validates, calls ONE service, and commits once; a ``ServiceError`` rolls everything back
and lands at its form field. ``done`` flashes and redirects (``HX-Redirect`` for htmx).
"""

from __future__ import annotations

import csv
import ctypes
import ctypes.util
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Generic, TypeVar

from flask import Response, abort, flash, g, make_response, redirect, render_template, request, stream_with_context
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse
from wtforms import Field, PasswordField, TextAreaField

from partnership_hub.db import bind_tenant
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import spreadsheet_cell
from partnership_hub.pagination import Page, page_number, paginate
from partnership_hub.parsing import clean_text, date_error, parse_date
from partnership_hub.picking import Pick, chosen_ids, clean_query
from partnership_hub.policies import can
from partnership_hub.web.htmx import is_htmx

T = TypeVar("T")
F = TypeVar("F", bound=FlaskForm)

__all__ = [
    "Page",
    "Saved",
    "confirmed",
    "csv_response",
    "done",
    "form_status",
    "page_number",
    "paginate",
    "picker_request",
    "picker_response",
    "require",
    "show_error",
    "submit",
]


def require(action: str, record: object | None = None) -> None:
    """403 unless the current membership may do ``action`` (to ``record``)."""
    if not can(g.ctx.membership, action, record):
        abort(403)


# --- forms ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What ``submit`` returns when the service call succeeded and the change was committed."""

    value: T


def show_error(form: FlaskForm, error: ServiceError) -> None:
    """Show a service's refusal at the field it names (or above the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _clean_field(field: Field) -> None:
    if isinstance(field, PasswordField):  # hashed, never stored as text: compared exactly as typed
        return
    multiline = isinstance(field, TextAreaField)
    if isinstance(field.data, str):
        field.data = clean_text(field.data, multiline=multiline)
    elif isinstance(field.data, list) and all(isinstance(item, str) for item in field.data):
        field.data = [clean_text(item) for item in field.data]


def clean_form_input(form: FlaskForm) -> None:
    """Every posted text value without NUL and other control characters (``parsing.clean_text``;
    newline and tab stay in a ``TextAreaField``), before any validator or service sees it. Every
    form goes through ``submit`` or ``confirmed``, so a new form is covered without a line of its own."""
    if not form.is_submitted():
        return
    for field in form:
        for subfield in getattr(field, "entries", None) or [field]:  # FieldList entries
            if hasattr(subfield, "_fields"):  # FormField: its own fields
                for inner in subfield:
                    _clean_field(inner)
            else:
                _clean_field(subfield)


def dates_in_range(form: FlaskForm) -> bool:
    """Every date field within ``parsing.DATE_MIN``..``DATE_MAX`` (year 9999 would overflow the first
    ``+ timedelta``); a date outside gets a message at its field."""
    fine = True
    for field in form:
        if isinstance(field.data, date) and parse_date(field.data) is None:
            field.errors = [*field.errors, date_error(field.data.isoformat()) or "Enter a real date."]
            fine = False
    return fine


def submit(form: FlaskForm, call: Callable[[], T], *, validate: bool = True) -> Saved[T] | None:
    """Validate ``form`` (a POST with a good CSRF token and valid fields), run ``call`` — one service
    call — and commit. On a refusal roll back, show it at its field and return None."""
    clean_form_input(form)
    if validate and not (form.validate_on_submit() and dates_in_range(form)):
        return None
    try:
        value = call()
    except ServiceError as error:
        db.session.rollback()
        show_error(form, error)
        return None
    db.session.commit()
    return Saved(value)


def confirmed(form: F) -> F:
    """The form behind a one-click button (confirm, toggle, move), or 400: a post without a valid one
    (an expired page, a tampered value) has no page to be shown again on."""
    clean_form_input(form)
    if not form.validate_on_submit():
        abort(400)
    return form


def form_status(form: FlaskForm) -> int:
    """422 for a form shown again with errors (so htmx and tests can tell), else 200."""
    return 422 if (form.errors or form.form_errors) else 200


def done(message: str | None, to: str, *, category: str = "success") -> BaseResponse:
    """After a successful write: flash ``message`` and go to ``to`` (``HX-Redirect`` for htmx)."""
    if message:
        flash(message, category)
    if is_htmx():
        response = Response(status=204)
        response.headers["HX-Redirect"] = to
        return response
    return redirect(to)


# --- pickers ----------------------------------------------------------------------------------------


def picker_request() -> tuple[str, list[int]]:
    """What a picker's search asks for: (the search text, the ids chosen now). The search URL names
    the form ``field``; the picker sends the text as ``<field>__q`` and the select's values as
    ``<field>`` (see the ``picker`` macro)."""
    name = request.args.get("field", "")
    return clean_query(request.args.get(f"{name}__q", "")), chosen_ids(request.args.getlist(name))


def picker_response(pick: Pick) -> Response:
    """The picker's <option>s for this search (``templates/_picker_options.html``)."""
    response = make_response(render_template("_picker_options.html", pick=pick))
    response.vary.add("HX-Request")
    return response


# --- CSV ------------------------------------------------------------------------------------------


CSV_CHUNK = 500  # rows a CSV download hands on at a time (a worker holds one chunk of text, not the file)


def csv_response(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Response:
    """Stream ``rows`` as a CSV download named ``<partnership-slug>-<name>.csv``.

    Every cell passes the formula guard (``formats.spreadsheet_cell``); the file is private to the
    person who asked for it (``Cache-Control: private, no-store``)."""

    # Flask ends the request's database session when the view returns, before the body streams:
    # the generator binds a fresh one to the same partnership, so ``rows`` may be a lazy query.
    ctx = g.get("ctx")
    tenant = (ctx.partnership.id, ctx.user.id if ctx.user else None) if ctx else None

    def generate() -> Iterator[str]:
        if tenant is not None:
            bind_tenant(db.session, *tenant)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        # CSV_CHUNK rows at a time, each written by the csv module in one call (its C loop, not ours).
        remaining = iter(rows)
        try:
            while chunk := list(islice(remaining, CSV_CHUNK)):
                writer.writerows([map(spreadsheet_cell, values) for values in chunk])
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
            if buffer.tell():  # the header of a file without rows
                yield buffer.getvalue()
        finally:
            release_freed_memory()

    response = Response(stream_with_context(generate()), mimetype="text/csv")
    slug = g.ctx.partnership.slug if g.get("ctx") else "partnership-hub"
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-{name}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, musl)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def release_freed_memory() -> None:
    """Hand the C heap's free pages back to the operating system (glibc's ``malloc_trim``).

    A large export streams with flat *Python* memory, but the database driver's and the CSV text's
    C buffers leave tens of MB of freed, fragmented heap that glibc keeps for the process: a web
    worker that served one ``updates.csv`` stayed about 30 MB bigger for the rest of its life. Trimming
    takes a few ms, so it runs once, after a download, not after every request."""
    if _TRIM is not None:
        _TRIM(0)
