"""Roles, removal, leaving, the last-coordinator rule, and what each role sees."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Membership, Role
from tests.factories import add_member, create_user


def role_of(app, world, key) -> Role | None:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        membership = db.session.scalars(
            select(Membership).where(Membership.id == world.home.membership_ids[key])
        ).one_or_none()
        return membership.role if membership else None


def audit_actions(app, world) -> list[str]:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def coordinator(login_as):
    return login_as("coordinator")


def test_coordinator_changes_a_role_and_it_is_audited(app, coordinator, world):
    member_id = world.home.membership_ids["member"]
    response = coordinator.post(f"/p/{world.home.slug}/people/{member_id}/role", data={"role": "coordinator"})
    assert response.status_code == 302
    assert role_of(app, world, "member") == Role.COORDINATOR
    assert "member.role_changed" in audit_actions(app, world)


def test_role_change_over_htmx_answers_with_the_members_block_only(app, coordinator, world):
    member_id = world.home.membership_ids["member"]
    response = coordinator.post(
        f"/p/{world.home.slug}/people/{member_id}/role", data={"role": "observer"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="members-section"' in response.text
    assert "HX-Request" in response.headers["Vary"]
    assert role_of(app, world, "member") == Role.OBSERVER


def test_the_last_coordinator_cannot_step_down_or_be_removed(app, coordinator, world):
    own_id = world.home.membership_ids["coordinator"]
    response = coordinator.post(
        f"/p/{world.home.slug}/people/{own_id}/role", data={"role": "member"}, follow_redirects=True
    )
    assert "at least one coordinator" in response.text
    assert role_of(app, world, "coordinator") == Role.COORDINATOR

    response = coordinator.post(f"/p/{world.home.slug}/people/{own_id}/remove", follow_redirects=True)
    assert "last coordinator" in response.text
    assert role_of(app, world, "coordinator") == Role.COORDINATOR

    response = coordinator.post(f"/p/{world.home.slug}/leave", follow_redirects=True)
    assert "last coordinator" in response.text
    assert role_of(app, world, "coordinator") == Role.COORDINATOR
    assert "member.role_changed" not in audit_actions(app, world)


def test_with_two_coordinators_one_may_step_down(app, coordinator, world):
    second = add_member(app, world.home, create_user(app), Role.COORDINATOR, key="second")
    own_id = world.home.membership_ids["coordinator"]
    assert coordinator.post(f"/p/{world.home.slug}/people/{own_id}/role", data={"role": "member"}).status_code == 302
    assert role_of(app, world, "coordinator") == Role.MEMBER
    assert second


def test_a_refusal_over_htmx_is_shown_in_the_members_block_beside_the_row(app, coordinator, world):
    own_id = world.home.membership_ids["coordinator"]
    response = coordinator.post(
        f"/p/{world.home.slug}/people/{own_id}/role", data={"role": "member"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "<html" not in response.text and 'id="members-section"' in response.text
    assert f'id="member-error-{own_id}"' in response.text and "at least one coordinator" in response.text
    assert role_of(app, world, "coordinator") == Role.COORDINATOR


def test_a_coordinator_who_removes_themselves_is_sent_to_their_partnership_list(app, coordinator, world):
    add_member(app, world.home, create_user(app), Role.COORDINATOR, key="second")
    own_id = world.home.membership_ids["coordinator"]
    response = coordinator.post(f"/p/{world.home.slug}/people/{own_id}/remove")
    assert response.status_code == 302 and response.headers["Location"] == "/?all=1"
    assert role_of(app, world, "coordinator") is None
    assert coordinator.get(f"/p/{world.home.slug}/").status_code == 404


def test_removing_a_member_ends_their_access_and_their_sessions(app, coordinator, world, login_as):
    member_client = login_as("member")
    assert member_client.get(f"/p/{world.home.slug}/").status_code == 200

    member_id = world.home.membership_ids["member"]
    assert coordinator.post(f"/p/{world.home.slug}/people/{member_id}/remove").status_code == 302

    assert role_of(app, world, "member") is None
    assert member_client.get(f"/p/{world.home.slug}/").status_code == 302  # the old cookie is dead
    signed_in_again = login_as("member")
    assert signed_in_again.get(f"/p/{world.home.slug}/").status_code == 404
    assert "member.removed" in audit_actions(app, world)


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_only_coordinators_manage_people(app, login_as, world, role):
    client = login_as(role)
    target = world.home.membership_ids["coordinator"]
    assert client.post(f"/p/{world.home.slug}/people/{target}/role", data={"role": "observer"}).status_code == 403
    assert client.post(f"/p/{world.home.slug}/people/{target}/remove").status_code == 403
    assert role_of(app, world, "coordinator") == Role.COORDINATOR


def test_a_member_can_leave(app, login_as, world):
    client = login_as("member")
    response = client.post(f"/p/{world.home.slug}/leave")
    assert response.status_code == 302
    assert role_of(app, world, "member") is None
    assert client.get(f"/p/{world.home.slug}/").status_code == 404
    assert "member.left" in audit_actions(app, world)


def test_survivor_advisors_are_listed_only_to_coordinators_and_advisors(app, login_as, world):
    advisor = world.user("survivor_advisor")
    client = login_as("member")
    page = client.get(f"/p/{world.home.slug}/people")
    assert page.status_code == 200
    assert advisor.name not in page.text and advisor.email not in page.text
    assert world.user("coordinator").name in page.text

    for role in ("coordinator", "survivor_advisor"):
        viewer = login_as(role)
        assert advisor.name in viewer.get(f"/p/{world.home.slug}/people").text


def test_observers_do_not_see_the_people_page(app, login_as, world):
    client = login_as("observer")
    assert client.get(f"/p/{world.home.slug}/people").status_code == 403
    assert client.get(f"/p/{world.home.slug}/").status_code == 200


def test_activity_log_is_for_coordinators(app, login_as, world):
    client = login_as("member")
    assert client.get(f"/p/{world.home.slug}/activity").status_code == 403


def test_a_person_in_two_partnerships_switches_and_sees_each_ones_own_people(app, login_as, world):
    add_member(app, world.other, world.user("member"), Role.MEMBER, key="shared")
    client = login_as("member")

    listing = client.get("/")
    assert listing.status_code == 200
    assert world.home.name in listing.text and world.other.name in listing.text

    home_people = client.get(f"/p/{world.home.slug}/people").text
    other_people = client.get(f"/p/{world.other.slug}/people").text
    assert world.user("coordinator").name in home_people
    assert world.user("coordinator").name not in other_people
    assert world.other.members["coordinator"].name in other_people
    assert world.other.members["coordinator"].name not in home_people


def test_creating_another_partnership(app, login_as, world):
    client = login_as("observer")
    response = client.post("/partnerships/new", data={"name": "Second Effort"})
    assert response.status_code == 302
    slug = response.headers["Location"].split("/")[2]
    page = client.get(f"/p/{slug}/people")
    assert page.status_code == 200
    bad = client.post("/partnerships/new", data={"name": ""})
    assert bad.status_code == 422 and "Name your partnership." in bad.text


def test_the_activity_log_names_who_was_affected(app, coordinator, world):
    member_id = world.home.membership_ids["member"]
    coordinator.post(f"/p/{world.home.slug}/people/{member_id}/role", data={"role": "observer"})
    page = coordinator.get(f"/p/{world.home.slug}/activity")
    assert world.user("member").name in page.text
