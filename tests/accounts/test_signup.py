"""Signing up creates an account, a workspace and a first coordinator, and nothing on bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from partnership_hub.accounts.models import User
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Membership, Partnership, Role
from tests.factories import create_user, outbox

GOOD = {
    "name": "Rosa Diaz",
    "email": "Rosa@Example.org",
    "password": "a long enough password",
    "partnership_name": "Pueblo Anti-Trafficking Task Force",
}


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Partnership.id))))


def test_signup_creates_account_workspace_and_coordinator(app, client):
    response = client.post("/signup", data=GOOD)

    assert response.status_code == 302
    assert response.headers["Location"] == "/p/pueblo-anti-trafficking-task-force/"
    with app.app_context():
        user = db.session.scalars(select(User)).one()
        assert user.email == "rosa@example.org"
        assert user.password_hash.startswith("$argon2id$")
        assert user.email_verified_at is None
        partnership = db.session.scalars(select(Partnership)).one()
        bind_tenant(db.session, partnership.id)
        membership = db.session.scalars(select(Membership)).one()
        assert (membership.user_id, membership.role) == (user.id, Role.COORDINATOR)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "Pueblo Anti-Trafficking Task Force" in page.text
    [mail] = outbox(app, to="rosa@example.org")
    assert mail.kind == "verify_email"
    assert "/verify-email/" in mail.text_body and "/verify-email/" in mail.html_body


def test_second_partnership_with_the_same_name_gets_its_own_slug(app, client):
    client.post("/signup", data=GOOD)
    other = app.test_client()
    response = other.post("/signup", data=GOOD | {"email": "someone@example.org"})
    assert response.headers["Location"] == "/p/pueblo-anti-trafficking-task-force-2/"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter your name."),
        ("email", "not-an-email", "Enter an email address like name@example.org."),
        ("password", "short", "Use between 10 and 256 characters."),
        ("partnership_name", "", "Name your partnership."),
        ("partnership_name", "x" * 121, "Use at most 120 characters."),
    ],
)
def test_bad_input_is_answered_at_the_field_and_writes_nothing(app, client, field, value, message):
    response = client.post("/signup", data=GOOD | {field: value})

    assert response.status_code == 422
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert counts(app) == (0, 0)
    assert outbox(app) == []


def test_password_equal_to_email_is_refused(app, client):
    response = client.post("/signup", data=GOOD | {"password": "rosa@example.org"})
    assert response.status_code == 422
    assert "Don&#39;t use your email address as your password." in response.text
    assert counts(app) == (0, 0)


def test_taken_email_is_refused_without_creating_a_partnership(app, client):
    create_user(app, email="rosa@example.org")
    response = client.post("/signup", data=GOOD)
    assert response.status_code == 422
    assert "An account already uses this address." in response.text
    assert counts(app) == (1, 0)


def test_signed_in_people_are_sent_home(app, client):
    client.post("/signup", data=GOOD)
    assert client.get("/signup").status_code == 302
