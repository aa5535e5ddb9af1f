"""Error pages. They say what happened in plain words and never echo request data or internals.

An error page never touches the database: it may be the database that failed. The page is rendered
from its template alone (no context processors, so no ``current_user`` load) with values read from
what the request already holds. A database that can't be reached (connection refused or dropped,
server shutting down, pool exhausted) is a 503 with ``Retry-After``, not a 500; each failure is
logged once, as one line with one traceback.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, jsonify, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from sqlalchemy import inspect
from werkzeug.exceptions import HTTPException

from partnership_hub.errors import Forbidden, NotFound
from partnership_hub.extensions import db, login_manager

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
RETRY_AFTER_SECONDS = 10
# SQLSTATE classes that mean "the server can't be reached or is going away", not "this statement
# was wrong": 08 connection exception, 57P01-03 shutdown / can't connect now, 53300 too many clients.
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
_UNAVAILABLE_SQLITE = {"SQLITE_CANTOPEN", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR"}


def database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database can't be reached right now (a retry later may work), as
    opposed to a statement or data problem: a pool timeout, a dropped or refused connection."""
    if isinstance(error, sa_exc.TimeoutError):  # the pool had no connection to give within its timeout
        return True
    if not isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError):
        return False
    if error.connection_invalidated:
        return True
    orig = error.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    sqlite_name = getattr(orig, "sqlite_errorname", None)
    if isinstance(sqlite_name, str):
        return sqlite_name in _UNAVAILABLE_SQLITE
    # psycopg raises its own OperationalError with no SQLSTATE when it can't connect at all.
    return isinstance(error, sa_exc.OperationalError)


def _loaded(instance: object, attribute: str) -> object | None:
    """An ORM attribute's value if it is already in memory; never a query (after a rollback, or with
    the database gone, a load would fail)."""
    state = inspect(instance, raiseerr=False)
    return None if state is None else state.dict.get(attribute)


def _way_on() -> tuple[str | None, str | None]:
    """The page's one link, from what this request already loaded: the member's partnership, the
    signed-in person's list, or the start page."""
    ctx = g.get("ctx")
    if ctx is not None and ctx.membership is not None:  # set only once membership is established
        slug, name = _loaded(ctx.partnership, "slug"), _loaded(ctx.partnership, "name")
        if slug and name:
            return url_for("workspace.home", slug=slug), f"Go to {name}"
    user = g.get("_login_user")  # set by Flask-Login once this request loaded the user; never loads it
    if user is not None and user.is_authenticated:
        return url_for("workspaces.home", all=1), "Go to your partnerships"
    return None, None


def _render(status: int, title: str | None = None, detail: str | None = None) -> tuple[Response | str, int]:
    default_title, default_detail = MESSAGES.get(status, MESSAGES[500])
    if request.accept_mimetypes.best == "application/json" or request.path in ("/healthz", "/readyz"):
        return jsonify(error=title or default_title), status
    next_url, next_label = _way_on()
    user = g.get("_login_user")  # loaded earlier in this request, or not at all: never a query here
    # Straight from the environment: render_template would run the context processors, and
    # Flask-Login's loads current_user from the database.
    page = current_app.jinja_env.get_template("errors/error.html").render(
        status=status,
        title=title or default_title,
        detail=detail or default_detail,
        next_url=next_url,
        next_label=next_label,
        signed_in=user is not None and user.is_authenticated,
    )
    return page, status


def _rollback() -> None:
    """End the request's transaction; with the database gone the rollback itself may fail, and an
    error page must not fail with it."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is already lost; the pool discards it
        log.debug("rollback after an error failed too", exc_info=True)


def _unavailable(error: BaseException, *, logged: bool = False) -> Response:
    if not logged:
        log.error(
            "database unavailable on %s %s (%s)", request.method, request.url_rule, type(error).__name__, exc_info=error
        )
    if "_login_user" not in g:
        # Nobody can be loaded now: the hooks still to run (after_request asks for current_user)
        # would otherwise try the database again and turn this answer into a bare 500.
        g._login_user = login_manager.anonymous_user()
    body, status = _render(503)
    response = current_app.make_response((body, status))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _end_session(error: BaseException | None) -> None:
    """Close the request's session before Flask-SQLAlchemy's teardown does (teardowns run in reverse
    order of registration). With the connection cut after the answer was made, closing it raises;
    escaping the teardown, that error would turn a finished page into the server's bare 500."""
    try:
        db.session.remove()
    except Exception as exc:  # noqa: BLE001 - the connection is gone; the pool has already discarded it
        log.warning("database connection lost while ending the request (%s)", type(exc).__name__)
        db.session.registry.clear()  # the next request starts with a new session


def register_errorhandlers(app: Flask) -> None:
    app.teardown_appcontext(_end_session)

    # Each handler renders first, then ends the transaction: the rollback expires what the request
    # loaded, and the page's link is made from what was loaded (``_way_on``).
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[Response | str, int]:
        page = _render(400, "This form has expired", "Reload the page and submit it again. Nothing was saved.")
        _rollback()
        return page

    # Services raise domain errors (a Celery task can call them too); the web answers them here.
    @app.errorhandler(NotFound)
    def _not_found(error: NotFound) -> tuple[Response | str, int]:
        page = _render(404)
        _rollback()
        return page

    @app.errorhandler(Forbidden)
    def _forbidden(error: Forbidden) -> tuple[Response | str, int]:
        page = _render(403)
        _rollback()
        return page

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[Response | str, int] | Response:
        original = getattr(error, "original_exception", None)
        if error.code == 500 and original is not None and database_unavailable(original):
            # Failed after the view, in an after_request hook (the access log's write): Flask logged it
            # (``Flask.log_exception``) and wrapped it in a 500. The page is not shown, and it's a 503.
            response = _unavailable(original, logged=True)
            _rollback()
            return response
        if error.code == 429:
            page = _render(429, detail=f"Too many attempts. Please wait and try again ({error.description}).")
        else:
            page = _render(error.code or 500)
        _rollback()
        if error.code == 503:
            response = current_app.make_response(page)
            response.headers.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
            return response
        return page

    @app.errorhandler(sa_exc.SQLAlchemyError)
    def _database(error: sa_exc.SQLAlchemyError) -> tuple[Response | str, int] | Response:
        if database_unavailable(error):
            response = _unavailable(error)
            _rollback()
            return response
        log.exception("unhandled database error on %s %s", request.method, request.url_rule)
        page = _render(500)
        _rollback()
        return page

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Response | str, int]:
        log.exception("unhandled error on %s %s", request.method, request.url_rule)
        page = _render(500)
        _rollback()
        return page
