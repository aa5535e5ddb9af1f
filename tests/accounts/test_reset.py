"""Password reset by an emailed, single-use, expiring link that says nothing about who exists."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from partnership_hub.accounts.models import AccountToken
from partnership_hub.db import utcnow
from partnership_hub.extensions import db
from tests.accounts.pages import without_token
from tests.factories import PASSWORD, link_in, outbox

NEW = "a brand new password"


def request_reset(client, email):
    return client.post("/forgot-password", data={"email": email})


def test_the_answer_is_the_same_whether_or_not_the_account_exists(app, client, world):
    known = request_reset(client, world.user("member").email)
    unknown = request_reset(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert without_token(known.text).replace(world.user("member").email, "X") == without_token(unknown.text).replace(
        "nobody@example.org", "X"
    )
    assert [m.to_address for m in outbox(app, kind="reset_password")] == [world.user("member").email]


def test_reset_link_sets_the_password_once_and_signs_every_device_out(app, client, world, login_as):
    member = world.user("member")
    other_device = login_as(member)
    request_reset(client, member.email)
    link = link_in(outbox(app, kind="reset_password")[0])

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == "/login"

    assert other_device.get("/account").status_code == 302  # its session was revoked
    assert client.post("/login", data={"email": member.email, "password": PASSWORD}).status_code == 422
    assert client.post("/login", data={"email": member.email, "password": NEW}).status_code == 302
    # Single use.
    assert app.test_client().get(link).status_code == 410
    assert (
        app.test_client().post(link, data={"password": "yet another one!", "confirm": "yet another one!"}).status_code
        == 410
    )


def test_an_expired_link_is_refused(app, client, world):
    request_reset(client, world.user("member").email)
    link = link_in(outbox(app, kind="reset_password")[0])
    with app.app_context():
        db.session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    response = client.get(link)
    assert response.status_code == 410
    assert "expired" in response.text.lower()


def test_a_new_password_must_be_acceptable_and_the_link_survives_a_mistake(app, client, world):
    request_reset(client, world.user("member").email)
    link = link_in(outbox(app, kind="reset_password")[0])
    response = client.post(link, data={"password": NEW, "confirm": "something else!!"})
    assert response.status_code == 422
    assert "The two passwords don&#39;t match." in response.text
    assert client.post(link, data={"password": NEW, "confirm": NEW}).status_code == 302


def test_an_unknown_link_is_refused(client):
    assert client.get("/reset-password/not-a-real-token").status_code == 410
