"""The one-click unsubscribe link of every notice email (RFC 8058): opening it changes nothing (mail
scanners open links); a POST — the page's button, or a mail client's one-click POST without a session or a
CSRF token — turns that kind's email off (the digest: the digest off) for the person the signed token names,
in the partnership it names and no other; a bad link is a clear 404."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from partnership_hub.advisory import safety
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.notifications import notices
from partnership_hub.notifications.models import NotificationPreference
from partnership_hub.workspaces.models import Membership
from partnership_hub.workspaces.services import context_for
from tests.factories import outbox
from tests.notifications.test_preferences import install_kinds

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture(autouse=True)
def kinds(monkeypatch):
    install_kinds(monkeypatch)


def link(app, partnership, role: str, kind: str = "test_everyone", membership_id: int | None = None) -> str:
    with app.app_context():
        token = notices.unsubscribe_token(partnership.id, membership_id or partnership.membership_ids[role], kind)
    return f"/notifications/unsubscribe/{token}"


def preference_rows(app, partnership) -> list[NotificationPreference]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        found = list(db.session.scalars(select(NotificationPreference)))
        db.session.expunge_all()
        return found


def takes(app, partnership, role: str, kind: str = "test_everyone") -> tuple[bool, bool]:
    """(by email, in the app), as ``notify`` reads it."""
    with app.app_context():
        ctx = context_for(partnership.id)
        [person] = notices.recipients(ctx, kind, [partnership.membership_ids[role]])
        return person.email_on, person.app_on


def test_opening_the_link_says_what_it_stops_and_changes_nothing(app, world, client):
    response = client.get(link(app, world.home, "member"))
    assert response.status_code == 200
    assert "Stop emails about “Test notice for everyone” from Front Range Partnership?" in response.text
    assert re.search(r'<form method="post" action="/notifications/unsubscribe/[^"]+">', response.text)
    assert "no-store" in response.headers["Cache-Control"]
    assert preference_rows(app, world.home) == []
    assert takes(app, world.home, "member") == (True, True)


def test_a_mail_clients_one_click_post_needs_no_session_and_no_csrf_token(csrf_app, world):
    client = csrf_app.test_client()  # nobody signed in, no CSRF token
    response = client.post(link(csrf_app, world.home, "member"), data=ONE_CLICK)
    assert response.status_code == 200
    assert "Done: emails about “Test notice for everyone” from Front Range Partnership will stop." in response.text
    assert takes(csrf_app, world.home, "member") == (False, True)  # the email only; the app as before
    [row] = preference_rows(csrf_app, world.home)
    assert row.membership_id == world.home.membership_ids["member"]
    # Everything else keeps its default: a kind off by email stays off, the rest on.
    assert takes(csrf_app, world.home, "member", "test_quiet") == (False, True)
    assert f'href="/p/{world.home.slug}/notifications/preferences"' in response.text

    again = client.get(link(csrf_app, world.home, "member"))
    assert "Emails about “Test notice for everyone” from Front Range Partnership are already off." in again.text


def test_only_the_unsubscribe_link_is_exempt_from_csrf(csrf_app, world, login_as):
    client = login_as("member", on=csrf_app)
    refused = client.post(f"/p/{world.home.slug}/notifications/preferences", data={"digest": "daily"})
    assert refused.status_code == 400
    assert preference_rows(csrf_app, world.home) == []


def test_the_digest_link_turns_the_digest_off(app, world, client):
    response = client.post(link(app, world.home, "coordinator", "digest"), data=ONE_CLICK)
    assert response.status_code == 200
    assert "Done: digest emails from Front Range Partnership will stop." in response.text
    [row] = preference_rows(app, world.home)
    assert (row.digest, row.member_digest) == ("off", False)  # explicit: a coordinator's default is weekly
    assert takes(app, world.home, "coordinator") == (True, True)  # notices untouched


@pytest.mark.parametrize(
    "token",
    ["garbage", "WzEsMiwidGVzdCJd.forged", "%00", "x" * 300],
)
def test_a_bad_link_is_a_clear_404(app, world, client, token):
    for method in ("GET", "POST"):
        response = client.open(f"/notifications/unsubscribe/{token}", method=method, data=ONE_CLICK)
        assert response.status_code == 404
        assert "This link can't be used" in response.text and "Nothing was changed." in response.text
    assert preference_rows(app, world.home) == []


def test_a_signed_link_for_a_kind_nobody_sends_or_a_person_who_left_is_404(app, world, client):
    assert client.post(link(app, world.home, "member", "no_such_kind"), data=ONE_CLICK).status_code == 404
    gone = link(app, world.home, "member")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.delete(db.session.get(Membership, world.home.membership_ids["member"]))
        db.session.commit()
    assert client.post(gone, data=ONE_CLICK).status_code == 404
    assert preference_rows(app, world.home) == []


def test_another_partnerships_token_cannot_touch_this_one(app, world, client):
    # A token naming this partnership and a membership of the other one (signed: as good as it gets).
    crossed = link(app, world.home, "coordinator", membership_id=world.other.membership_ids["coordinator"])
    assert client.post(crossed, data=ONE_CLICK).status_code == 404
    # And the other way round: the other partnership with one of this partnership's memberships.
    crossed = link(app, world.other, "coordinator", membership_id=world.home.membership_ids["member"])
    assert client.post(crossed, data=ONE_CLICK).status_code == 404
    assert preference_rows(app, world.home) == [] and preference_rows(app, world.other) == []

    # The other partnership's own link changes only its own person's choice.
    assert client.post(link(app, world.other, "coordinator"), data=ONE_CLICK).status_code == 200
    assert preference_rows(app, world.home) == []
    [row] = preference_rows(app, world.other)
    assert row.membership_id == world.other.membership_ids["coordinator"]


def test_in_safe_mode_the_page_names_neither_the_partnership_nor_the_kind(app, world, client):
    with app.app_context():
        ctx = context_for(world.home.id, world.user("survivor_advisor").id)
        safety.save_preferences(ctx, safety.form_values(ctx, None) | {"safe_mode": True, "wants_reminders": True})
        db.session.commit()
    for method in ("GET", "POST"):
        html = client.open(link(app, world.home, "survivor_advisor"), method=method, data=ONE_CLICK).text
        main = html[html.index("<main") :]
        assert "Front Range" not in main and "Test notice" not in main and "front-range" not in main
        assert "these emails" in main.lower()
    assert takes(app, world.home, "survivor_advisor") == (False, True)


def test_the_link_in_a_notice_email_works(app, world, client):
    """End to end: the List-Unsubscribe header ``notify`` puts on the email is this endpoint."""
    with app.app_context():
        ctx = context_for(world.home.id)
        people = notices.recipients(ctx, "test_everyone", [world.home.membership_ids["member"]])
        notices.notify(
            ctx,
            "test_everyone",
            people,
            key="9",
            subject="News",
            title="News",
            endpoint="workspace.home",
            template="safe_update",
        )
        db.session.commit()
    [message] = outbox(app, to=world.user("member").email, kind="test_everyone")
    headers = json.loads(message.headers)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = headers["List-Unsubscribe"].strip("<>").removeprefix(app.config["BASE_URL"])
    assert client.post(url, data=ONE_CLICK).status_code == 200
    assert takes(app, world.home, "member") == (False, True)
