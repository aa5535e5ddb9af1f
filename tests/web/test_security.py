"""Security baseline: headers, cookies, CSRF on forms and htmx, production settings."""

from __future__ import annotations

import re

import pytest

from partnership_hub.config import DEV_SECRET_KEY, ConfigError, load_config
from tests.factories import PASSWORD


def test_security_headers_and_a_csp_without_inline_scripts(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_styles(login_as, world):
    client = login_as("coordinator")
    for url in ("/login", f"/p/{world.home.slug}/", f"/p/{world.home.slug}/people", "/account"):
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html, url
        assert re.search(r"\son[a-z]+=", html) is None, url


def test_signed_in_pages_are_not_cached(login_as, world):
    assert login_as("member").get(f"/p/{world.home.slug}/").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite_lax(app, client, world):
    response = client.post("/login", data={"email": world.user("member").email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "ph_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development over plain http


def test_production_refuses_the_development_secret_key():
    with pytest.raises(ConfigError):
        load_config({"APP_ENV": "production"})
    with pytest.raises(ConfigError):
        load_config({"APP_ENV": "production", "SECRET_KEY": DEV_SECRET_KEY})
    with pytest.raises(ConfigError):
        load_config({"APP_ENV": "production", "SECRET_KEY": "short"})


def test_production_uses_secure_cookies_and_real_mail():
    config = load_config({"APP_ENV": "production", "SECRET_KEY": "k" * 40})
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["MAIL_BACKEND"] == "smtp"
    with pytest.raises(ConfigError):
        load_config({"APP_ENV": "production", "SECRET_KEY": "k" * 40, "MAIL_BACKEND": "outbox"})


def test_production_hashes_passwords_with_the_rfc_9106_argon2id_profile(app):
    """Unless ARGON2_* are set, passwords are hashed with argon2-cffi's defaults, RFC 9106's
    low-memory Argon2id profile (3 passes over 64 MiB in 4 lanes); only the tests' config lowers
    them (conftest.py), so this checks the hashes production writes."""
    from partnership_hub import security

    config = load_config({"APP_ENV": "production", "SECRET_KEY": "k" * 40})
    costs = (config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"])
    assert costs == (None, None, None)
    try:
        security.configure_hasher(*costs)
        encoded = security.hash_password(PASSWORD)
        assert encoded.startswith("$argon2id$v=19$m=65536,t=3,p=4$"), encoded
        assert security.verify_password(encoded, PASSWORD)
        assert not security.password_needs_rehash(encoded)
    finally:  # the rest of the suite hashes with the test app's cheap parameters again
        security.configure_hasher(
            app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"], app.config["ARGON2_PARALLELISM"]
        )


def test_production_has_no_development_mailbox(make_app):
    app = make_app(APP_ENV="production", MAIL_BACKEND="smtp")
    assert app.test_client().get("/dev/mail/").status_code == 404


def csrf_token(client, url) -> str:
    html = client.get(url).text
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def test_forms_without_a_csrf_token_are_refused_and_change_nothing(csrf_app, world):
    client = csrf_app.test_client()
    response = client.post("/login", data={"email": world.user("member").email, "password": PASSWORD})
    assert response.status_code == 400
    assert "expired" in response.text
    token = csrf_token(client, "/login")
    ok = client.post("/login", data={"email": world.user("member").email, "password": PASSWORD, "csrf_token": token})
    assert ok.status_code == 302


def test_htmx_requests_carry_the_token_in_a_header(csrf_app, world, login_as):
    client = login_as("coordinator", on=csrf_app)
    people = f"/p/{world.home.slug}/people"
    page = client.get(people).text
    header = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page)
    assert header, "the layout must hand htmx the CSRF token"
    target = f"/p/{world.home.slug}/people/{world.home.membership_ids['member']}/role"

    refused = client.post(target, data={"role": "observer"}, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    accepted = client.post(
        target, data={"role": "observer"}, headers={"HX-Request": "true", "X-CSRFToken": header.group(1)}
    )
    assert accepted.status_code == 200


def test_a_history_restore_gets_the_whole_page(login_as, world):
    response = login_as("coordinator").get(
        f"/p/{world.home.slug}/resources", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.text


# --- pages whose URL carries a secret (#9) ------------------------------------------------------


def test_anonymous_token_pages_are_never_stored(app, client, world, login_as):
    from tests.factories import create_user, link_in, outbox

    user = create_user(app)
    client.post("/forgot-password", data={"email": user.email})
    reset = link_in(outbox(app, kind="reset_password")[0])
    login_as("coordinator").post(
        f"/p/{world.home.slug}/people/invite", data={"email": "newcomer@example.org", "role": "member"}
    )
    join = link_in(outbox(app, kind="invitation")[0])
    anonymous = app.test_client()
    for url in (reset, join):
        page = anonymous.get(url)
        assert page.status_code == 200, url
        assert page.headers["Cache-Control"] == "no-store", url
    refused = anonymous.post(reset, data={"password": "short", "confirm": "short"})
    assert refused.status_code == 422 and refused.headers["Cache-Control"] == "no-store"


def test_every_url_with_a_token_is_never_stored(app, client, world):
    """The class, from the URL map: whatever a token page answers (even a refusal), nothing stores it."""
    rules = [rule for rule in app.url_map.iter_rules() if "token" in rule.arguments]
    assert {rule.endpoint for rule in rules} >= {"accounts.reset_password", "accounts.verify_email", "workspaces.join"}
    for rule in rules:
        values = {name: world.home.slug if name == "slug" else "not-a-real-token" for name in rule.arguments}
        url = app.url_map.bind("localhost").build(rule.endpoint, values)
        response = client.get(url)
        assert response.headers.get("Cache-Control") == "no-store", (url, response.status_code)


def test_other_anonymous_pages_may_be_cached(client):
    assert "Cache-Control" not in client.get("/login").headers


# --- trusted proxies (#9) -----------------------------------------------------------------------


def _guess(client, n: int, forwarded_for: str):
    return client.post(
        "/login",
        data={"email": f"guess{n}@example.org", "password": "wrong password!"},
        headers={"X-Forwarded-For": forwarded_for},
    )


def test_behind_a_trusted_proxy_each_client_has_its_own_sign_in_limit(make_app):
    app = make_app(PROXY_HOPS=1, LOGIN_LIMIT_PER_IP="2 per minute")
    client = app.test_client()  # the proxy, at 127.0.0.1
    assert [_guess(client, n, "198.51.100.1").status_code for n in range(3)] == [422, 422, 429]
    assert _guess(client, 9, "198.51.100.2").status_code == 422  # another client is not locked out
    # Only the address the proxy appended counts: a client can't pick its own.
    assert _guess(client, 10, "198.51.100.99, 198.51.100.1").status_code == 429


def test_without_trusted_proxies_forwarding_headers_are_ignored(make_app):
    app = make_app(LOGIN_LIMIT_PER_IP="2 per minute")
    assert app.config["PROXY_HOPS"] == 0
    client = app.test_client()
    statuses = [_guess(client, n, f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [422, 422, 429]  # a forged header doesn't buy more guesses


def test_proxy_hops_must_be_a_small_number():
    assert load_config({})["PROXY_HOPS"] == 0
    assert load_config({"PROXY_HOPS": "2"})["PROXY_HOPS"] == 2
    for bad in ("-1", "one", "²", "99"):
        with pytest.raises(ConfigError):
            load_config({"PROXY_HOPS": bad})
