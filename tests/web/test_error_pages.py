"""Error pages render without the database, a database outage is a 503 logged once (issue #16,
finding 1), and sign-in keeps working while the rate limiter's Redis is down (finding 2)."""

from __future__ import annotations

import logging
import socket
import sqlite3

import pytest
from flask import g
from flask_login import current_user, login_required
from sqlalchemy import event
from sqlalchemy import exc as sa_exc

from partnership_hub.extensions import db, limiter
from partnership_hub.web.errors import database_unavailable
from tests.factories import PASSWORD

FRIENDLY = "Partnership Hub is briefly unavailable"


def tracebacks(caplog) -> int:
    return sum(1 for record in caplog.records if record.exc_info)


def _sqlite_cantopen(tmp_path) -> sqlite3.OperationalError:
    try:
        sqlite3.connect(f"file:{tmp_path}/missing/gone.db?mode=rw", uri=True)
    except sqlite3.OperationalError as error:
        return error
    raise AssertionError("the database file should not open")


@pytest.fixture
def outage_app(make_app, tmp_path):
    """An app with a page that loads the signed-in user, then loses the database: from then on every
    statement fails, so an error page that queries (the layout's current_user) cannot render."""
    app = make_app()
    lost = _sqlite_cantopen(tmp_path)

    @app.get("/test/outage")
    @login_required
    def outage():
        assert current_user.email  # loaded, as a real page would have
        g.database_gone = True
        raise sa_exc.OperationalError("SELECT 1", None, lost)

    with app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def _refuse(conn, cursor, statement, parameters, context, executemany):
            if g.get("database_gone"):
                raise AssertionError("the error page queried the database")

    return app


def test_a_database_outage_mid_request_is_a_friendly_503_logged_once(outage_app, login_as, caplog):
    client = login_as("member", on=outage_app)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        response = client.get("/test/outage")
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert FRIENDLY in response.text and "<h1" in response.text
    assert "gone.db" not in response.text
    assert tracebacks(caplog) == 1


def test_pages_answer_503_when_the_database_cannot_be_opened(make_app, login_as, world, tmp_path, caplog):
    signed_in = login_as("member")
    gone = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    client = gone.test_client()
    client.set_cookie("ph_session", signed_in.get_cookie("ph_session").value)  # same secret key
    caplog.clear()
    with caplog.at_level(logging.INFO):
        workspace = client.get(f"/p/{world.home.slug}/")
        login = gone.test_client().post("/login", data={"email": "someone@example.org", "password": PASSWORD})
    for response in (workspace, login):
        assert response.status_code == 503, response.text[:200]
        assert response.headers["Retry-After"].isdigit()
        assert FRIENDLY in response.text
    assert tracebacks(caplog) == 2  # one per failed request


def test_statement_errors_stay_500s(tmp_path):
    unavailable = sa_exc.OperationalError("SELECT 1", None, _sqlite_cantopen(tmp_path))
    assert database_unavailable(unavailable)
    assert database_unavailable(sa_exc.TimeoutError("QueuePool limit reached"))
    with pytest.raises(sqlite3.OperationalError) as syntax:
        sqlite3.connect(":memory:").execute("SELEC 1")
    assert not database_unavailable(sa_exc.OperationalError("SELEC 1", None, syntax.value))
    assert not database_unavailable(sa_exc.IntegrityError("INSERT", None, Exception("duplicate")))


def test_error_pages_do_not_query(make_app, world, login_as, monkeypatch):
    from partnership_hub.web import errors

    app = make_app()
    client = login_as("member", on=app)
    statements: list[str] = []
    with app.app_context():
        event.listen(
            db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]) if g.get("rendering") else None
        )
    render = errors._render

    def rendering(*args, **kwargs):
        g.rendering = True
        try:
            return render(*args, **kwargs)
        finally:
            g.rendering = False

    monkeypatch.setattr(errors, "_render", rendering)
    assert client.get("/no/such/page").status_code == 404
    assert client.get(f"/p/{world.home.slug}/goals/999999").status_code == 404
    assert client.post("/logout", data={}, headers={"Accept": "text/html"}).status_code in (302, 303)
    assert statements == []  # not even the signed-in person: the page reads what the request loaded


def test_a_members_error_page_links_back_to_the_partnership(login_as, world):
    response = login_as("member").get(f"/p/{world.home.slug}/goals/999999")
    assert response.status_code == 404
    assert f'href="/p/{world.home.slug}/"' in response.text and world.home.name in response.text


# --- the login rate limiter with Redis unreachable (finding 2) -------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens here once the probe closes


@pytest.fixture
def redis_gone_app(world, make_app):
    # After ``world``: its ``app`` fixture binds the one limiter object to the default app's storage.
    app = make_app(
        RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_closed_port()}/0", LOGIN_LIMIT_PER_ACCOUNT="3 per minute"
    )
    yield app
    limiter._storage_dead = False  # one limiter object serves every app of the test session


def test_sign_in_works_and_is_still_limited_while_redis_is_unreachable(redis_gone_app, world, caplog):
    email = world.user("member").email
    client = redis_gone_app.test_client()
    with caplog.at_level(logging.INFO):
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
        client.post("/logout")
        answers = [
            client.post("/login", data={"email": email, "password": "wrong password!"}).status_code for _ in range(3)
        ]
    assert answers[:2] == [422, 422] and answers[-1] == 429  # counted in memory: the limit still holds
    fallbacks = [r for r in caplog.records if "falling back to in-memory" in r.getMessage()]
    assert len(fallbacks) == 1
    assert tracebacks(caplog) == 0
