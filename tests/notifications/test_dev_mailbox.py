"""The development mailbox: all mail for this machine, only their own for anyone else (#9), and the
loud warning when development mode runs where other people can reach it."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from partnership_hub.accounts import services as accounts
from partnership_hub.extensions import db
from partnership_hub.notifications.models import OutboxMessage
from partnership_hub.notifications.services import open_outbox
from partnership_hub.web.security import development_reach, is_loopback_host
from tests.factories import create_user, sign_in

REMOTE = "203.0.113.7"


def _reset_mail_for(app, *users) -> dict[str, int]:
    """A password-reset email (with a live link) for each user: message id by address."""
    with app.app_context():
        for user in users:
            accounts.request_password_reset(user.email)
        db.session.commit()
        open_outbox()  # on PostgreSQL only the delivery work reads the whole outbox
        rows = db.session.execute(select(OutboxMessage.to_address, OutboxMessage.id)).all()
    return {address: message_id for address, message_id in rows}


def _remote(client, address: str = REMOTE):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_this_machine_sees_every_message(app, client):
    mine, theirs = create_user(app), create_user(app)
    ids = _reset_mail_for(app, mine, theirs)
    page = client.get("/dev/mail/")
    assert page.status_code == 200
    assert mine.email in page.text and theirs.email in page.text
    assert "/reset-password/" in client.get(f"/dev/mail/{ids[theirs.email]}").text


def test_from_elsewhere_an_anonymous_visitor_is_sent_to_sign_in(app):
    victim = create_user(app)
    ids = _reset_mail_for(app, victim)
    client = _remote(app.test_client())
    for url in ("/dev/mail/", f"/dev/mail/{ids[victim.email]}"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url
        assert victim.email not in response.text and "reset-password" not in response.text


def test_from_elsewhere_a_signed_in_person_sees_only_their_own_mail(app):
    mine, theirs = create_user(app), create_user(app)
    ids = _reset_mail_for(app, mine, theirs)
    client = _remote(app.test_client())
    sign_in(client, app, mine)
    page = client.get("/dev/mail/")
    assert page.status_code == 200
    assert mine.email in page.text and theirs.email not in page.text
    assert "only the mail sent to" in page.text
    assert "/reset-password/" in client.get(f"/dev/mail/{ids[mine.email]}").text
    assert client.get(f"/dev/mail/{ids[theirs.email]}").status_code == 404


def test_a_proxy_on_this_machine_does_not_make_a_visitor_local(app):
    victim = create_user(app)
    _reset_mail_for(app, victim)
    client = app.test_client()  # 127.0.0.1, the proxy's own address
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        response = client.get("/dev/mail/", headers={header: REMOTE})
        assert response.status_code == 302, header


def test_behind_a_trusted_proxy_the_client_address_decides(make_app):
    app = make_app(PROXY_HOPS=1)
    victim = create_user(app)
    _reset_mail_for(app, victim)
    client = app.test_client()
    assert client.get("/dev/mail/", headers={"X-Forwarded-For": REMOTE}).status_code == 302
    # A client can't claim to be local: the proxy appends the address it saw.
    forged = client.get("/dev/mail/", headers={"X-Forwarded-For": f"127.0.0.1, {REMOTE}"})
    assert forged.status_code == 302
    local = client.get("/dev/mail/", headers={"X-Forwarded-For": "127.0.0.1"})
    assert local.status_code == 200 and victim.email in local.text


def test_mailbox_pages_are_never_cached(app, client):
    ids = _reset_mail_for(app, create_user(app))
    assert client.get("/dev/mail/").headers["Cache-Control"] == "no-store"
    assert client.get(f"/dev/mail/{next(iter(ids.values()))}").headers["Cache-Control"] == "no-store"


# --- the start-up warning -----------------------------------------------------------------------


def _config(**overrides):
    from partnership_hub.config import load_config

    config = load_config({})
    config.update(overrides)
    return config


def test_development_mode_is_reachable_with_postgres_redis_or_a_public_bind():
    assert development_reach(_config()) == []
    assert development_reach(_config(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://u@db/x")) == [
        "PostgreSQL is configured"
    ]
    assert development_reach(_config(REDIS_URL="redis://redis:6379/0")) == ["Redis is configured"]
    assert development_reach(_config(), bind_host="0.0.0.0")  # noqa: S104 - the bind being judged
    assert development_reach(_config(), bind_host="127.0.0.1") == []
    production = _config(APP_ENV="production", REDIS_URL="redis://redis:6379/0")
    assert development_reach(production, bind_host="0.0.0.0") == []  # noqa: S104


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),  # noqa: S104
        ("::", False),
        ("192.168.1.4", False),
        ("example.org", False),
    ],
)
def test_loopback_binds(host, local):
    assert is_loopback_host(host) is local


def test_the_app_factory_warns_when_development_mode_has_redis(make_app, caplog):
    with caplog.at_level(logging.WARNING, logger="partnership_hub.web.security"):
        make_app(TESTING=False, REDIS_URL="redis://127.0.0.1:1/0")
    [warning] = [r for r in caplog.records if r.name == "partnership_hub.web.security"]
    assert warning.levelno == logging.WARNING
    message = warning.getMessage()
    assert "DEVELOPMENT MODE" in message and "Redis is configured" in message and "/dev/mail" in message


class _IdleScheduler:
    def __init__(self, *args):
        pass

    def start(self) -> None:
        pass


def test_flask_serve_warns_when_bound_beyond_this_machine(app, monkeypatch, caplog):
    import werkzeug.serving

    import worker.embedded

    served = []
    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda host, port, *a, **k: served.append(host))
    monkeypatch.setattr(worker.embedded, "EmbeddedScheduler", _IdleScheduler)
    runner = app.test_cli_runner()
    caplog.clear()  # importing ``worker`` builds its own app, which may warn about PostgreSQL/Redis
    with caplog.at_level(logging.WARNING, logger="partnership_hub.web.security"):
        assert runner.invoke(args=["serve", "--host", "127.0.0.1"]).exit_code == 0
        assert not caplog.records
        assert runner.invoke(args=["serve", "--host", "0.0.0.0"]).exit_code == 0  # noqa: S104
    assert served == ["127.0.0.1", "0.0.0.0"]  # noqa: S104
    [warning] = caplog.records
    assert "listens on 0.0.0.0" in warning.getMessage()
