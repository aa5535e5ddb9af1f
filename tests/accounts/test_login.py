"""Signing in and out: generic errors, rotation, throttling, and cookies that die with the session."""

from __future__ import annotations

from sqlalchemy import select

from partnership_hub.accounts.models import UserSession
from partnership_hub.extensions import db
from tests.accounts.pages import without_token
from tests.conftest import REDIS_URL
from tests.factories import PASSWORD, create_user

MISMATCH = "That email and password don&#39;t match an account."


def test_login_with_the_right_password_lands_in_the_workspace(app, client, world):
    coordinator = world.user("coordinator")
    response = client.post("/login", data={"email": coordinator.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    # One partnership: straight into it.
    assert client.get(response.headers["Location"]).headers["Location"] == f"/p/{world.home.slug}/"


def test_wrong_password_and_unknown_email_get_the_same_answer(app, client, world):
    wrong = client.post("/login", data={"email": world.user("member").email, "password": "wrong password!"})
    unknown = client.post("/login", data={"email": "nobody@example.org", "password": "wrong password!"})
    assert wrong.status_code == unknown.status_code == 422
    assert MISMATCH in wrong.text and MISMATCH in unknown.text
    # The pages differ only in the address typed (and the CSRF token, see ``without_token``).
    assert without_token(wrong.text).replace(world.user("member").email, "X") == without_token(unknown.text).replace(
        "nobody@example.org", "X"
    )


def test_login_rotates_the_session(app, client, world):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/login", data={"email": world.user("member").email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        first_token = session["_user_id"]
    client.post("/logout")
    client.post("/login", data={"email": world.user("member").email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert session["_user_id"] != first_token


def test_logout_revokes_the_session_so_a_replayed_cookie_is_refused(app, login_as):
    client = login_as("member")
    assert client.get("/account").status_code == 200
    stolen = client.get_cookie("ph_session").value

    assert client.post("/logout").status_code == 302

    replay = app.test_client()
    replay.set_cookie("ph_session", stolen)
    response = replay.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    with app.app_context():
        assert db.session.scalars(select(UserSession)).one().revoked_at is not None


def test_logout_needs_a_post(client):
    assert client.get("/logout").status_code == 405


def test_too_many_attempts_for_one_account_are_refused_with_a_clear_message(app, client, world):
    email = world.user("member").email
    for _ in range(5):
        assert client.post("/login", data={"email": email, "password": "wrong password!"}).status_code == 422
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text
    with app.app_context():
        assert db.session.scalars(select(UserSession)).all() == []
    # Another account from the same address is not locked out by the first one's failures.
    other = create_user(app)
    assert client.post("/login", data={"email": other.email, "password": PASSWORD}).status_code == 302


def test_too_many_attempts_from_one_address_are_refused(make_app, world):
    # Counted where production counts them: in Redis when the suite has one.
    app = make_app(LOGIN_LIMIT_PER_IP="3 per minute", RATELIMIT_STORAGE_URI=REDIS_URL or "memory://")
    client = app.test_client()
    for n in range(3):
        client.post("/login", data={"email": f"guess{n}@example.org", "password": "wrong password!"})
    response = client.post("/login", data={"email": "guess9@example.org", "password": "wrong password!"})
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text


def test_next_only_follows_local_paths(app, client, world):
    data = {"email": world.user("member").email, "password": PASSWORD}
    response = client.post("/login?next=//evil.example/steal", data=data)
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post(f"/login?next=/p/{world.home.slug}/people", data=data)
    assert response.headers["Location"] == f"/p/{world.home.slug}/people"


def test_next_refuses_a_backslash_host(app, client, world):
    data = {"email": world.user("member").email, "password": PASSWORD}
    response = client.post("/login?next=/%5Cevil.example/steal", data=data)
    assert response.headers["Location"] == "/"
