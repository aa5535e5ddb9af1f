"""Invitations can't be used to send spam (issue #9, finding 3): only verified accounts invite,
sending is limited per person, per partnership and per invitation, and names in subjects are one line."""

from __future__ import annotations

import email
import unicodedata
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from partnership_hub.accounts.models import User
from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.notifications import mail
from partnership_hub.notifications import services as notifications
from partnership_hub.workspaces import services
from partnership_hub.workspaces.models import Invitation, Partnership
from tests.factories import create_partnership, create_user, outbox


def invite(client, slug, address="new.person@example.org"):
    return client.post(f"/p/{slug}/people/invite", data={"email": address, "role": "member"})


def invitations(app, partnership_id) -> list[Invitation]:
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        rows = list(db.session.scalars(select(Invitation).order_by(Invitation.id)))
        db.session.expunge_all()
        return rows


def test_an_unverified_account_cannot_invite_or_resend_until_it_verifies(app, login_as):
    unverified = create_user(app, "New Coordinator", verified=False)
    partnership = create_partnership(app, unverified)
    client = login_as(unverified)

    response = invite(client, partnership.slug)
    assert response.status_code == 422
    assert "Confirm your email address before sending invitations" in response.text
    assert "Send a new link" in client.get(f"/p/{partnership.slug}/people").text  # the way to verify
    assert invitations(app, partnership.id) == [] and outbox(app, kind="invitation") == []

    with app.app_context():
        db.session.execute(update(User).where(User.id == unverified.id).values(email_verified_at=utcnow()))
        db.session.commit()
    assert invite(client, partnership.slug).status_code == 302
    [invitation] = invitations(app, partnership.id)

    with app.app_context():  # unverified again (say, a changed address): resending is refused too
        db.session.execute(update(User).where(User.id == unverified.id).values(email_verified_at=None))
        db.session.commit()
    client.post(f"/p/{partnership.slug}/invitations/{invitation.id}/resend")
    assert len(outbox(app, kind="invitation")) == 1
    assert invitations(app, partnership.id)[0].send_count == 1


def test_invitations_are_limited_per_person_across_partnerships(app, login_as, world, monkeypatch):
    monkeypatch.setattr(services, "INVITATIONS_PER_HOUR_PER_INVITER", 3)
    coordinator = world.user("coordinator")
    second = create_partnership(app, coordinator)
    client = login_as("coordinator")
    for n in range(2):
        assert invite(client, world.home.slug, f"a{n}@example.org").status_code == 302
    assert invite(client, second.slug, "b0@example.org").status_code == 302
    response = invite(client, second.slug, "b1@example.org")
    assert response.status_code == 422
    assert "You have sent 3 invitations in the last hour" in response.text
    assert len(outbox(app, kind="invitation")) == 3


def test_invitations_are_limited_per_partnership(app, login_as, world, monkeypatch):
    monkeypatch.setattr(services, "INVITATIONS_PER_HOUR_PER_PARTNERSHIP", 2)
    client = login_as("coordinator")
    for n in range(2):
        assert invite(client, world.home.slug, f"a{n}@example.org").status_code == 302
    response = invite(client, world.home.slug, "a2@example.org")
    assert response.status_code == 422 and "This partnership has sent 2 invitations" in response.text
    [first, _] = invitations(app, world.home.id)
    client.post(f"/p/{world.home.slug}/invitations/{first.id}/resend")  # a resend is a send too
    assert len(outbox(app, kind="invitation")) == 2

    with app.app_context():  # an hour later the partnership may send again
        notifications.open_outbox()
        from partnership_hub.notifications.models import OutboxMessage

        db.session.execute(update(OutboxMessage).values(created_at=utcnow() - timedelta(hours=1, minutes=1)))
        db.session.commit()
    assert invite(client, world.home.slug, "a2@example.org").status_code == 302


def test_an_invitation_is_resent_at_most_once_every_few_minutes(app, login_as, world):
    client = login_as("coordinator")
    invite(client, world.home.slug)
    [invitation] = invitations(app, world.home.id)
    resend = f"/p/{world.home.slug}/invitations/{invitation.id}/resend"
    assert client.post(resend).status_code == 302  # "they didn't get it": at once, once
    page = client.post(resend, headers={"HX-Request": "true"})
    assert page.status_code == 422 and "was resent less than 10 minutes ago" in page.text
    assert invitations(app, world.home.id)[0].send_count == 2

    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(update(Invitation).values(last_sent_at=utcnow() - services.RESEND_INTERVAL))
        db.session.commit()
    assert client.post(resend).status_code == 302
    assert invitations(app, world.home.id)[0].send_count == 3
    assert len(outbox(app, kind="invitation")) == 3


def test_an_expired_invitation_is_renewed_not_duplicated(app, login_as, world):
    client = login_as("coordinator")
    invite(client, world.home.slug)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert invite(client, world.home.slug).status_code == 302
    [invitation] = invitations(app, world.home.id)
    assert invitation.send_count == 2 and invitation.expires_at > utcnow()
    assert len(outbox(app, kind="invitation")) == 2


BAD_NAMES = ["Task Force\r\nBcc: victim@example.org", "Visit http://spam.example\nnow", "Tab\there", "NUL\x00"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_names_that_reach_email_subjects_are_stored_on_one_line(app, login_as, world, name):
    # The form layer (web.toolkit.submit -> parsing.clean_text) turns line breaks and tabs in a
    # one-line field into spaces and drops other control characters before any validator runs.
    client = login_as("coordinator")
    assert client.post("/partnerships/new", data={"name": name}).status_code == 302
    response = client.post(
        f"/p/{world.home.slug}/profile/edit",
        data={"name": name, "time_zone": "UTC", "stage": "", "coordination_model": ""},
    )
    assert response.status_code == 302
    guest = app.test_client()
    response = guest.post(
        "/signup",
        data={"name": name, "email": "x@example.org", "password": "a long enough password", "partnership_name": name},
    )
    assert response.status_code == 302
    with app.app_context():
        names = [*db.session.scalars(select(Partnership.name)), *db.session.scalars(select(User.name))]
    ours = [n for n in names if n.split()[0] == name.split()[0].rstrip("\x00")]
    assert len(ours) >= 4  # the new partnership, the renamed one, the sign-up's person and partnership
    assert all(not any(unicodedata.category(ch) == "Cc" for ch in n) for n in ours), ours


def test_a_name_with_a_line_break_already_stored_still_makes_a_one_line_subject(app, login_as, world):
    with app.app_context():  # written before names were checked
        db.session.execute(
            update(Partnership).where(Partnership.id == world.home.id).values(name="Front\r\nBcc: x@example.org Range")
        )
        db.session.commit()
    assert invite(login_as("coordinator"), world.home.slug).status_code == 302
    [message] = outbox(app, kind="invitation")
    assert message.subject == "You're invited to join Front Bcc: x@example.org Range on Partnership Hub"
    with app.app_context():
        built = mail.build_message(message)
    parsed = email.message_from_bytes(built.as_bytes())
    assert parsed["Bcc"] is None  # no header of its own: folded, the subject is still one logical line
    assert " ".join(parsed["Subject"].split()) == message.subject


def test_header_values_are_collapsed_to_one_line():
    assert mail.header_value("a\r\n b\u2028c\x00d\te") == "a b c d e"
    assert mail.header_value("x" * 300, limit=200) == "x" * 200
