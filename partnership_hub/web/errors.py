"""Error pages. They say what happened in plain words and never echo request data or internals."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from partnership_hub.errors import Forbidden, NotFound
from partnership_hub.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Something in that request wasn't right", "Go back, check the form and try again."),
    403: ("You don't have access to this", "Ask a coordinator of your partnership if you think you should."),
    404: ("We couldn't find that page", "It may have moved, or you may not have access to it."),
    405: ("That action isn't available here", "Go back and use the page's buttons and forms."),
    413: ("That upload is too large", "Try a smaller file."),
    429: ("Too many attempts", "Please wait a few minutes, then try again."),
    500: ("Something went wrong on our side", "Nothing you entered was saved. Please try again shortly."),
    503: ("Partnership Hub is briefly unavailable", "Please try again in a minute."),
}


def _render(status: int, title: str | None = None, detail: str | None = None) -> tuple[Response | str, int]:
    default_title, default_detail = MESSAGES.get(status, MESSAGES[500])
    if request.accept_mimetypes.best == "application/json" or request.path in ("/healthz", "/readyz"):
        return jsonify(error=title or default_title), status
    return render_template(
        "errors/error.html", status=status, title=title or default_title, detail=detail or default_detail
    ), status


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[Response | str, int]:
        db.session.rollback()
        return _render(400, "This form has expired", "Reload the page and submit it again. Nothing was saved.")

    # Services raise domain errors (a Celery task can call them too); the web answers them here.
    @app.errorhandler(NotFound)
    def _not_found(error: NotFound) -> tuple[Response | str, int]:
        db.session.rollback()
        return _render(404)

    @app.errorhandler(Forbidden)
    def _forbidden(error: Forbidden) -> tuple[Response | str, int]:
        db.session.rollback()
        return _render(403)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[Response | str, int]:
        db.session.rollback()
        if error.code == 429:
            return _render(429, detail=f"Too many attempts. Please wait and try again ({error.description}).")
        return _render(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Response | str, int]:
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.url_rule)
        return _render(500)
