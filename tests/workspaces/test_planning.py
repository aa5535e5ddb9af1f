"""The planning team and directory editors: who may set them, what is audited, who is listed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from partnership_hub.accounts.models import User
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Membership, Role
from tests.budget import BUDGET, counting
from tests.factories import create_partnership, create_user, sign_in


def flags(app, world, key) -> tuple[bool, bool]:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        m = db.session.scalars(select(Membership).where(Membership.id == world.home.membership_ids[key])).one()
        return m.on_planning_team, m.directory_editor


def audit_log(app, world) -> list[tuple[str, int | None]]:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [(e.action, (e.details or {}).get("user_id")) for e in entries]


@pytest.fixture
def coordinator(login_as):
    return login_as("coordinator")


def test_coordinator_puts_members_on_the_planning_team_and_takes_them_off(app, coordinator, world):
    member_id = world.home.membership_ids["member"]
    url = f"/p/{world.home.slug}/planning/{member_id}/team"
    response = coordinator.post(url, data={"value": "1"})
    assert response.status_code == 302
    assert flags(app, world, "member") == (True, False)
    # Setting the same value again (a double submit) changes and audits nothing.
    coordinator.post(url, data={"value": "1"})
    assert coordinator.get(f"/p/{world.home.slug}/planning").text.count("On the team") == 1

    coordinator.post(url, data={"value": "0"})
    assert flags(app, world, "member") == (False, False)
    member_user = world.user("member").id
    assert [a for a in audit_log(app, world) if a[0].startswith("planning.")] == [
        ("planning.member_added", member_user),
        ("planning.member_removed", member_user),
    ]


def test_survivor_advisors_can_be_on_the_planning_team(app, coordinator, world):
    advisor_id = world.home.membership_ids["survivor_advisor"]
    assert coordinator.post(f"/p/{world.home.slug}/planning/{advisor_id}/team", data={"value": "1"}).status_code == 302
    assert flags(app, world, "survivor_advisor") == (True, False)


def test_htmx_toggle_answers_with_the_team_block(app, coordinator, world):
    member_id = world.home.membership_ids["member"]
    response = coordinator.post(
        f"/p/{world.home.slug}/planning/{member_id}/team", data={"value": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="team-section"' in response.text
    assert "is on the planning team" in response.text  # the flash, swapped out of band
    assert "HX-Request" in response.headers["Vary"]


def test_directory_editor_is_granted_to_members_only_and_audited(app, coordinator, world):
    slug = world.home.slug
    member_id = world.home.membership_ids["member"]
    assert coordinator.post(f"/p/{slug}/planning/{member_id}/directory-editor", data={"value": "1"}).status_code == 302
    assert flags(app, world, "member") == (False, True)
    coordinator.post(f"/p/{slug}/planning/{member_id}/directory-editor", data={"value": "0"})
    assert flags(app, world, "member") == (False, False)

    for key in ("observer", "survivor_advisor", "coordinator"):
        mid = world.home.membership_ids[key]
        response = coordinator.post(f"/p/{slug}/planning/{mid}/directory-editor", data={"value": "1"})
        assert response.status_code == 422
        assert "can&#39;t be directory editors" in response.text or "can't be directory editors" in response.text
        assert flags(app, world, key)[1] is False
    response = coordinator.post(
        f"/p/{slug}/planning/{world.home.membership_ids['observer']}/directory-editor",
        data={"value": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422 and 'id="team-section"' in response.text and "<html" not in response.text

    member_user = world.user("member").id
    assert [a for a in audit_log(app, world) if a[0].startswith("directory_editor.")] == [
        ("directory_editor.granted", member_user),
        ("directory_editor.revoked", member_user),
    ]


def test_a_directory_editor_gets_the_directory_edit_permission(app, coordinator, world):
    from partnership_hub.policies import can

    coordinator.post(
        f"/p/{world.home.slug}/planning/{world.home.membership_ids['member']}/directory-editor", data={"value": "1"}
    )
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        m = db.session.scalars(select(Membership).where(Membership.id == world.home.membership_ids["member"])).one()
        assert can(m, "directory.edit")


def test_a_tampered_value_is_refused_without_a_change(app, coordinator, world):
    member_id = world.home.membership_ids["member"]
    assert coordinator.post(f"/p/{world.home.slug}/planning/{member_id}/team", data={"value": "yes"}).status_code == 400
    assert coordinator.post(f"/p/{world.home.slug}/planning/{member_id}/team", data={}).status_code == 400
    assert flags(app, world, "member") == (False, False)


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_only_coordinators_manage_the_planning_team(app, login_as, world, role):
    client = login_as(role)
    own = world.home.membership_ids[role]
    assert client.get(f"/p/{world.home.slug}/planning").status_code == 403
    assert client.post(f"/p/{world.home.slug}/planning/{own}/team", data={"value": "1"}).status_code == 403
    assert client.post(f"/p/{world.home.slug}/planning/{own}/directory-editor", data={"value": "1"}).status_code == 403
    assert flags(app, world, role) == (False, False)
    assert 'href="/p/' + world.home.slug + '/planning"' not in client.get(f"/p/{world.home.slug}/").text


def test_outsiders_get_404_and_foreign_membership_ids_are_404(app, login_as, world):
    client = login_as(world.other.members["coordinator"])
    member_id = world.home.membership_ids["member"]
    assert client.get(f"/p/{world.home.slug}/planning").status_code == 404
    assert client.post(f"/p/{world.home.slug}/planning/{member_id}/team", data={"value": "1"}).status_code == 404
    # Under their own slug, the other partnership's membership id is not found either.
    assert client.post(f"/p/{world.other.slug}/planning/{member_id}/team", data={"value": "1"}).status_code == 404
    assert flags(app, world, "member") == (False, False)


def test_the_planning_page_offers_everyone_to_coordinators_and_lists_the_team(app, coordinator, world):
    page = coordinator.get(f"/p/{world.home.slug}/planning").text
    for key in ("coordinator", "member", "survivor_advisor", "observer"):
        assert world.user(key).name in page  # among the picker's first matches
    assert page.count("<h1") == 1
    member_id = world.home.membership_ids["member"]
    coordinator.post(f"/p/{world.home.slug}/planning/team", data={"team-membership_id": str(member_id)})
    page = coordinator.get(f"/p/{world.home.slug}/planning").text
    assert '<th scope="col">' in page and '<th scope="row">' in page
    assert f'id="planning-{member_id}-name"' in page


def _grow(app, partnership, size: int) -> None:
    with app.app_context():
        users = [
            User(name=f"Member {n}", email=f"plan{partnership.id}-{n}@example.org", password_hash="x")
            for n in range(size)
        ]
        db.session.add_all(users)
        db.session.flush()
        bind_tenant(db.session, partnership.id)
        roles = list(Role)
        db.session.add_all(
            Membership(user_id=u.id, role=roles[n % 4], on_planning_team=n % 3 == 0, directory_editor=n % 4 == 1)
            for n, u in enumerate(users)
        )
        db.session.commit()


def test_the_planning_page_costs_the_same_for_5_and_for_200_members(app):
    counts = {}
    for name, size in (("Small", 5), ("Large", 200)):
        partnership = create_partnership(app, create_user(app), name)
        _grow(app, partnership, size)
        client = app.test_client()
        sign_in(client, app, partnership.members["coordinator"])
        client.get(f"/p/{partnership.slug}/planning")
        with counting(app) as statements:
            assert client.get(f"/p/{partnership.slug}/planning").status_code == 200
        counts[name] = len(statements)
    assert counts["Small"] == counts["Large"] <= BUDGET, counts


def test_the_home_activity_names_who_joined_the_planning_team(app, coordinator, world):
    member_id = world.home.membership_ids["member"]
    coordinator.post(f"/p/{world.home.slug}/planning/{member_id}/team", data={"value": "1"})
    response = coordinator.get(f"/p/{world.home.slug}/")
    assert response.status_code == 200
    assert "added someone to the planning team" in response.text
    assert f"({world.user('member').name})" in response.text
