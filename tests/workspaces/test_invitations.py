"""Invitations: emailed, single-use, expiring, revocable, resendable, bound to one address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Invitation, Membership, Role
from tests.factories import PASSWORD, create_user, link_in, outbox


def invite(client, world, email="new.person@example.org", role="member"):
    return client.post(f"/p/{world.home.slug}/people/invite", data={"email": email, "role": role})


def invitations(app, world) -> list[Invitation]:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        rows = list(db.session.scalars(select(Invitation).order_by(Invitation.id)))
        db.session.expunge_all()
        return rows


def membership_of(app, world, email):
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        from partnership_hub.accounts.models import User

        row = db.session.scalars(select(Membership).join(Membership.user).where(User.email == email)).one_or_none()
        db.session.expunge_all()
        return row


@pytest.fixture
def coordinator_client(login_as):
    return login_as("coordinator")


def test_coordinator_invites_by_email_with_a_role(app, coordinator_client, world):
    response = invite(coordinator_client, world, "New.Person@Example.org", "survivor_advisor")
    assert response.status_code == 302
    [invitation] = invitations(app, world)
    assert (invitation.email, invitation.role) == ("new.person@example.org", Role.SURVIVOR_ADVISOR)
    [mail] = outbox(app, kind="invitation")
    assert mail.to_address == "new.person@example.org"
    assert world.home.name in mail.subject
    assert f"/join/{world.home.slug}/" in mail.text_body
    page = coordinator_client.get(f"/p/{world.home.slug}/people")
    assert "new.person@example.org" in page.text


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not an email", "Enter an email address like name@example.org."),
        ("", "Enter the address to invite."),
    ],
)
def test_bad_addresses_are_answered_at_the_field(app, coordinator_client, world, email, message):
    response = invite(coordinator_client, world, email)
    assert response.status_code == 422
    assert message in response.text
    assert invitations(app, world) == [] and outbox(app, kind="invitation") == []


def test_unknown_role_is_refused(app, coordinator_client, world):
    response = invite(coordinator_client, world, role="superuser")
    assert response.status_code == 422
    assert invitations(app, world) == []


def test_current_members_and_pending_invitees_cannot_be_invited_again(app, coordinator_client, world):
    response = invite(coordinator_client, world, world.user("member").email)
    assert response.status_code == 422
    assert "already a member" in response.text
    invite(coordinator_client, world, "twice@example.org")
    response = invite(coordinator_client, world, "twice@example.org")
    assert response.status_code == 422
    assert "already has a pending invitation" in response.text
    assert len(invitations(app, world)) == 1


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_only_coordinators_invite(app, login_as, world, role):
    client = login_as(role)
    assert invite(client, world).status_code == 403
    assert invitations(app, world) == []


def test_a_new_person_creates_an_account_from_the_link_and_joins(app, coordinator_client, world):
    invite(coordinator_client, world, "new.person@example.org", "observer")
    link = link_in(outbox(app, kind="invitation")[0])
    guest = app.test_client()

    page = guest.get(link)
    assert page.status_code == 200
    assert "new.person@example.org" in page.text
    response = guest.post(link, data={"name": "New Person", "password": "a long enough password"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/p/{world.home.slug}/"
    assert guest.get(f"/p/{world.home.slug}/").status_code == 200
    membership = membership_of(app, world, "new.person@example.org")
    assert membership.role == Role.OBSERVER
    [invitation] = invitations(app, world)
    assert invitation.accepted_at is not None
    # Single use.
    assert app.test_client().get(link).status_code == 410


def test_an_existing_account_signs_in_then_accepts(app, coordinator_client, world):
    existing = create_user(app, email="known@example.org")
    invite(coordinator_client, world, "known@example.org")
    link = link_in(outbox(app, kind="invitation")[0])
    guest = app.test_client()
    page = guest.get(link)
    assert "/login?next=" in page.text

    guest.post(f"/login?next={link}", data={"email": existing.email, "password": PASSWORD})
    assert membership_of(app, world, existing.email) is None
    assert guest.get(link).status_code == 200
    assert guest.post(link).status_code == 302
    assert membership_of(app, world, existing.email).role == Role.MEMBER


def test_the_invitation_is_bound_to_the_invited_address(app, coordinator_client, world, login_as):
    invite(coordinator_client, world, "intended@example.org")
    link = link_in(outbox(app, kind="invitation")[0])
    someone_else = create_user(app, email="someone.else@example.org")
    intruder = login_as(someone_else)

    assert "different" in intruder.get(link).text
    assert intruder.post(link).status_code == 403
    assert membership_of(app, world, someone_else.email) is None
    assert invitations(app, world)[0].accepted_at is None


def test_expired_invitations_cannot_be_used(app, coordinator_client, world):
    invite(coordinator_client, world)
    link = link_in(outbox(app, kind="invitation")[0])
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    response = app.test_client().post(link, data={"name": "Late", "password": "a long enough password"})
    assert response.status_code == 410
    assert "expired" in response.text.lower()
    assert membership_of(app, world, "new.person@example.org") is None


def test_revoked_invitations_cannot_be_used(app, coordinator_client, world):
    invite(coordinator_client, world)
    link = link_in(outbox(app, kind="invitation")[0])
    [invitation] = invitations(app, world)
    assert coordinator_client.post(f"/p/{world.home.slug}/invitations/{invitation.id}/revoke").status_code == 302
    assert app.test_client().get(link).status_code == 410
    assert invitations(app, world)[0].revoked_at is not None


def test_resending_replaces_the_link_and_restarts_the_clock(app, coordinator_client, world):
    invite(coordinator_client, world)
    old_link = link_in(outbox(app, kind="invitation")[0])
    [invitation] = invitations(app, world)
    response = coordinator_client.post(f"/p/{world.home.slug}/invitations/{invitation.id}/resend")
    assert response.status_code == 302
    mails = outbox(app, kind="invitation")
    assert len(mails) == 2
    new_link = link_in(mails[1])
    assert new_link != old_link
    assert app.test_client().get(old_link).status_code == 404
    assert app.test_client().get(new_link).status_code == 200
    assert invitations(app, world)[0].send_count == 2


def test_a_link_only_works_under_its_own_partnership(app, coordinator_client, world):
    invite(coordinator_client, world)
    link = link_in(outbox(app, kind="invitation")[0])
    token = link.rsplit("/", 1)[1]
    assert app.test_client().get(f"/join/{world.other.slug}/{token}").status_code == 404


def test_invitation_actions_are_audited(app, coordinator_client, world):
    invite(coordinator_client, world)
    page = coordinator_client.get(f"/p/{world.home.slug}/activity")
    assert page.status_code == 200
    assert "invited someone" in page.text


def test_invitation_mail_never_names_the_survivor_advisory_role(app, coordinator_client, world):
    invite(coordinator_client, world, "advisor@example.org", "survivor_advisor")
    [mail] = outbox(app, kind="invitation")
    for text in (mail.subject, mail.text_body, mail.html_body):
        assert "survivor" not in text.lower()
    invite(coordinator_client, world, "member@example.org", "member")
    assert "Member" in outbox(app, kind="invitation")[1].text_body
