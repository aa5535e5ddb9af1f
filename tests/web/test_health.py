"""Liveness, readiness and error pages."""

from __future__ import annotations

import pytest


def test_healthz_answers_while_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_checks_the_database_and_the_configured_broker(client, app):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["database"] == "ok"
    assert ("broker" in response.json["checks"]) == bool(app.config["REDIS_URL"])


def test_readyz_names_an_unreachable_database(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["failed"] == ["database"]


def test_a_broker_outage_is_reported_but_leaves_the_web_tier_ready(make_app):
    # Pages and writes work without the broker (#16, finding 3): a load balancer must keep the instance.
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.json["status"] == "ready" and response.json["failed"] == []
    assert response.json["checks"]["broker"] == "unreachable"
    assert response.json["degraded"] == ["broker"]


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "couldn" in response.text and "<h1" in response.text


@pytest.fixture
def failing_app(make_app):
    app = make_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret survivor detail")

    return app


def test_unexpected_errors_show_a_calm_page_that_leaks_nothing(failing_app, caplog):
    response = failing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert "secret survivor detail" not in response.text
    assert "Nothing you entered was saved" in response.text


def test_readyz_does_not_load_the_person_a_probe_happens_to_carry(make_app, login_as):
    # With the database down, loading the signed-in person after the view would fail a second time (#16).
    from sqlalchemy import event

    from partnership_hub.extensions import db

    app = make_app()
    client = login_as("member", on=app)
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert client.get("/readyz").status_code == 200
    assert [s for s in statements if s != "BEGIN"] == ["SELECT 1"]  # SQLite says BEGIN itself
