"""Email verification, changing the password, and signing other devices out."""

from __future__ import annotations

from sqlalchemy import select

from partnership_hub.accounts.models import User, UserSession
from partnership_hub.extensions import db
from tests.accounts.pages import flash
from tests.factories import PASSWORD, create_user, link_in, outbox, sign_in


def test_verification_link_confirms_the_address_once(app, client):
    client.post(
        "/signup",
        data={
            "name": "Ana",
            "email": "ana@example.org",
            "password": "a long enough password",
            "partnership_name": "Ana's Partnership",
        },
    )
    home = client.get("/", follow_redirects=True)
    assert "confirm your email" in home.text.lower()
    link = link_in(outbox(app, kind="verify_email")[0])

    assert client.get(link).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(User)).one().email_verified_at is not None
    assert client.get(link).status_code == 410


def test_resending_the_verification_email(app, client):
    user = create_user(app, verified=False)
    sign_in(client, app, user)
    assert client.post("/verify-email/resend").status_code == 302
    assert len(outbox(app, kind="verify_email", to=user.email)) == 1


def test_change_password_needs_the_current_one(app, client):
    user = create_user(app)
    sign_in(client, app, user)
    response = client.post(
        "/account/password",
        data={"current_password": "not it at all", "password": "a new password!!", "confirm": "a new password!!"},
    )
    assert response.status_code == 422
    assert "That is not your current password." in response.text


def test_change_password_signs_out_other_devices_but_not_this_one(app, client):
    user = create_user(app)
    other = app.test_client()
    sign_in(other, app, user)
    sign_in(client, app, user)

    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a new password!!", "confirm": "a new password!!"},
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_signing_out_another_device(app, client):
    user = create_user(app)
    other = app.test_client()
    sign_in(other, app, user)
    sign_in(client, app, user)
    assert other.get("/account").status_code == 200
    with app.app_context():
        other_session = db.session.scalars(select(UserSession).order_by(UserSession.id)).first()
    revoke = f"/account/sessions/{other_session.id}/revoke"
    page = client.get("/account")
    assert page.status_code == 200
    assert f'action="{revoke}"' in page.text and page.text.count("Sign out this device") == 1

    response = client.post(revoke)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    page = client.get("/account")
    assert "That device has been signed out." in flash(page)
    assert f'action="{revoke}"' not in page.text and "Sign out this device" not in page.text  # only this one is left
    with app.app_context():
        assert db.session.get(UserSession, other_session.id).revoked_at is not None

    refused = other.get("/account")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    assert client.get("/account").status_code == 200


def test_this_session_is_ended_by_signing_out_not_revoked(app, client):
    user = create_user(app)
    sign_in(client, app, user)
    with app.app_context():
        own = db.session.scalars(select(UserSession)).one()
    response = client.post(f"/account/sessions/{own.id}/revoke")
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    page = client.get("/account")
    assert page.status_code == 200
    assert "To end this session, sign out." in flash(page)
    with app.app_context():
        assert db.session.get(UserSession, own.id).revoked_at is None


def test_someone_elses_session_cannot_be_revoked(app, client):
    victim = create_user(app)
    victim_client = app.test_client()
    sign_in(victim_client, app, victim)
    sign_in(client, app, create_user(app))
    with app.app_context():
        victim_session = db.session.scalars(select(UserSession).where(UserSession.user_id == victim.id)).one()
    response = client.post(f"/account/sessions/{victim_session.id}/revoke")
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert "signed out" not in flash(client.get("/account"))
    with app.app_context():
        assert db.session.get(UserSession, victim_session.id).revoked_at is None
    assert victim_client.get("/account").status_code == 200


# --- the password change is rate-limited like sign-in (#9) --------------------------------------

NEW = {"password": "a new password!!", "confirm": "a new password!!"}


def _password_hash(app, user) -> str:
    with app.app_context():
        return db.session.get(User, user.id).password_hash


def test_too_many_wrong_current_passwords_are_refused_and_change_nothing(app, client):
    user = create_user(app)
    other = app.test_client()
    sign_in(other, app, user)
    sign_in(client, app, user)
    before = _password_hash(app, user)
    for _ in range(5):  # LOGIN_LIMIT_PER_ACCOUNT
        wrong = client.post("/account/password", data={"current_password": "a guess, wrong", **NEW})
        assert wrong.status_code == 422
    # The next one is refused even with the right password: the guesser can't tell.
    response = client.post("/account/password", data={"current_password": PASSWORD, **NEW})
    assert response.status_code == 429
    assert "Too many password attempts" in response.text
    assert 'id="password-heading"' in response.text  # the account page, with the message at the field
    assert _password_hash(app, user) == before
    assert other.get("/account").status_code == 200  # other devices stay signed in
    assert client.get("/account").status_code == 200  # and the page itself still works


def test_the_password_budget_is_shared_between_sign_in_and_the_password_change(app, client):
    user = create_user(app)
    sign_in(client, app, user)
    guesser = app.test_client()
    for _ in range(3):
        assert guesser.post("/login", data={"email": user.email, "password": "a guess, wrong"}).status_code == 422
    for _ in range(2):
        wrong = client.post("/account/password", data={"current_password": "a guess, wrong", **NEW})
        assert wrong.status_code == 422
    assert client.post("/account/password", data={"current_password": PASSWORD, **NEW}).status_code == 429
    assert guesser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 429
    # Someone else's account keeps its own budget.
    stranger = create_user(app)
    assert app.test_client().post("/login", data={"email": stranger.email, "password": PASSWORD}).status_code == 302


def test_too_many_password_changes_from_one_address_are_refused(make_app):
    app = make_app(LOGIN_LIMIT_PER_IP="3 per minute")
    refused = []
    for _ in range(2):  # two accounts, so only the per-address limit can be what refuses
        client = app.test_client()
        sign_in(client, app, create_user(app))
        for _ in range(2):
            response = client.post("/account/password", data={"current_password": "a guess, wrong", **NEW})
            refused.append(response.status_code)
    assert refused == [422, 422, 422, 429]


# --- the devices list and who sees a survivor advisor ---------------------------------------------

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
SAFARI_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
)


def test_devices_are_named_as_people_say_them():
    from partnership_hub.accounts.devices import device_name

    assert device_name(FIREFOX_WINDOWS) == "Firefox on Windows"
    assert device_name(CHROME_ANDROID) == "Chrome on Android"
    assert device_name(EDGE_WINDOWS) == "Edge on Windows"
    assert device_name(SAFARI_IPHONE) == "Safari on iPhone"
    assert device_name(SAFARI_MAC) == "Safari on macOS"
    assert device_name("") == device_name(None) == device_name("curl/8.5") == "Unknown browser"
    assert device_name("SomeBot/1.0 (Linux)") == "A browser on Linux"


def test_times_are_the_partnerships_local_time():
    from datetime import UTC, datetime

    from partnership_hub.accounts.devices import local_time, zone_label

    moment = datetime(2026, 7, 1, 18, 30, tzinfo=UTC)
    assert local_time(moment, "America/Denver") == "1 Jul 2026, 12:30"  # MDT, UTC-6
    assert local_time(moment.replace(tzinfo=None), "UTC") == "1 Jul 2026, 18:30"
    assert local_time(moment, "Not/AZone") == "1 Jul 2026, 18:30"
    assert zone_label("America/Denver") == "Denver time" and zone_label("UTC") == "UTC"
    assert zone_label("America/New_York") == "New York time"


def test_the_account_page_shows_devices_by_name_in_local_time(app, client, world):
    user = world.user("member")
    with app.app_context():
        accounts_user = db.session.get(User, user.id)
        from partnership_hub.accounts import services as accounts

        accounts.start_session(accounts_user, FIREFOX_WINDOWS)
        db.session.commit()
    sign_in(client, app, user)
    page = client.get("/account").text
    assert "Firefox on Windows" in page and "Mozilla/5.0" not in page
    assert "Unknown browser" in page  # this test client sends no user agent
    assert "Times are UTC." in page  # the test partnership's zone
    assert " UTC ·" not in page and "Who can see that you are a survivor advisor" not in page


def test_a_survivor_advisor_is_told_who_sees_her_name_and_role(app, client, world):
    sign_in(client, app, world.user("survivor_advisor"))
    page = client.get("/account").text
    assert "Who can see that you are a survivor advisor" in page
    assert "Only coordinators and the other survivor advisors see your name" in page
