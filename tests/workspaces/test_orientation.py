"""The new-member orientation checklist: defining steps, ticking them off, progress, permissions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from partnership_hub.accounts.models import User
from partnership_hub.audit.models import AuditEntry
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.members.models import Organization, Representative
from partnership_hub.workspaces.models import Membership, OrientationCompletion, OrientationItem, Role
from partnership_hub.workspaces.services import PROGRESS_PAGE_SIZE
from tests.budget import BUDGET, counting
from tests.factories import create_partnership, create_user, sign_in


def add_items(app, partnership, *titles: str) -> list[int]:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        items = [OrientationItem(title=t, position=n) for n, t in enumerate(titles, start=1)]
        db.session.add_all(items)
        db.session.commit()
        return [i.id for i in items]


def steps(app, world) -> list[tuple[str, bool]]:
    """(title, archived) in checklist order."""
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        items = db.session.scalars(select(OrientationItem).order_by(OrientationItem.position, OrientationItem.id))
        return [(i.title, i.archived_at is not None) for i in items]


def completions(app, partnership_id: int) -> set[tuple[int, int]]:
    with app.app_context():
        bind_tenant(db.session, partnership_id)
        rows = db.session.execute(
            select(OrientationCompletion.membership_id, OrientationCompletion.orientation_item_id)
        ).tuples()
        return set(rows)


def audit_actions(app, world) -> list[str]:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def coordinator(login_as):
    return login_as("coordinator")


def test_coordinator_defines_edits_reorders_and_archives_steps(app, coordinator, world):
    base = f"/p/{world.home.slug}/orientation"
    assert coordinator.get(f"{base}/manage").status_code == 200
    for title in ("Read the guidelines", "Meet your coordinator", "Sign the agreement"):
        assert coordinator.post(f"{base}/items", data={"title": title, "description": ""}).status_code == 302
    assert [t for t, _ in steps(app, world)] == ["Read the guidelines", "Meet your coordinator", "Sign the agreement"]

    with app.app_context():
        bind_tenant(db.session, world.home.id)
        ids = {i.title: i.id for i in db.session.scalars(select(OrientationItem))}

    coordinator.post(f"{base}/items/{ids['Sign the agreement']}/move", data={"direction": "up"})
    assert [t for t, _ in steps(app, world)] == ["Read the guidelines", "Sign the agreement", "Meet your coordinator"]
    coordinator.post(f"{base}/items/{ids['Read the guidelines']}/move", data={"direction": "up"})  # already first
    assert steps(app, world)[0][0] == "Read the guidelines"

    edit = f"{base}/items/{ids['Meet your coordinator']}/edit"
    assert coordinator.get(edit).status_code == 200
    coordinator.post(edit, data={"title": "Meet a coordinator", "description": "Ask for a coffee."})
    assert ("Meet a coordinator", False) in steps(app, world)

    coordinator.post(f"{base}/items/{ids['Sign the agreement']}/archive")
    assert ("Sign the agreement", True) in steps(app, world)
    page = coordinator.get(f"{base}/manage").text
    assert "Archived steps" in page and "Restore" in page
    coordinator.post(f"{base}/items/{ids['Sign the agreement']}/restore")
    assert steps(app, world)[-1] == ("Sign the agreement", False)  # back, at the end

    assert [a for a in audit_actions(app, world) if a.startswith("orientation.")] == [
        "orientation.item_added",
        "orientation.item_added",
        "orientation.item_added",
        "orientation.item_moved",
        "orientation.item_updated",
        "orientation.item_archived",
        "orientation.item_restored",
    ]


def test_htmx_actions_answer_with_the_checklist_block(app, coordinator, world):
    [first, _second] = add_items(app, world.home, "One", "Two")
    base = f"/p/{world.home.slug}/orientation"
    response = coordinator.post(
        f"{base}/items/{first}/move", data={"direction": "down"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "<html" not in response.text and 'id="checklist-section"' in response.text
    assert [t for t, _ in steps(app, world)] == ["Two", "One"]

    response = coordinator.post(f"{base}/items", data={"title": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "Give the step a title." in response.text and "<html" not in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Give the step a title."),
        ({"title": "x" * 161}, "Use at most 160 characters."),
        ({"title": "Fine", "description": "y" * 2001}, "Use at most 2,000 characters."),
    ],
)
def test_bad_steps_are_field_errors_and_nothing_is_saved(app, coordinator, world, data, message):
    [item] = add_items(app, world.home, "Existing")
    base = f"/p/{world.home.slug}/orientation"
    response = coordinator.post(f"{base}/items", data=data)
    assert response.status_code == 422 and message in response.text
    response = coordinator.post(f"{base}/items/{item}/edit", data=data)
    assert response.status_code == 422 and message in response.text
    assert steps(app, world) == [("Existing", False)]


def test_a_member_ticks_off_their_own_steps_and_sees_their_progress(app, login_as, world):
    ids = add_items(app, world.home, "Read the guidelines", "Meet your coordinator", "Sign the agreement")
    client = login_as("member")
    me = world.home.membership_ids["member"]
    base = f"/p/{world.home.slug}/orientation"

    assert "Your orientation: 0 of 3 done" in client.get(f"/p/{world.home.slug}/").text
    assert client.post(f"{base}/{ids[0]}/done", data={"value": "1"}).status_code == 302
    response = client.post(f"{base}/{ids[1]}/done", data={"value": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "2 of 3 done" in response.text and "<html" not in response.text
    client.post(f"{base}/{ids[1]}/done", data={"value": "1"})  # twice: still one tick
    assert completions(app, world.home.id) == {(me, ids[0]), (me, ids[1])}
    assert "Your orientation: 2 of 3 done" in client.get(f"/p/{world.home.slug}/").text

    client.post(f"{base}/{ids[0]}/done", data={"value": "0"})
    assert completions(app, world.home.id) == {(me, ids[1])}
    assert "1 of 3 done" in client.get(base).text


def test_one_member_cannot_tick_another_members_step(app, login_as, world):
    [item] = add_items(app, world.home, "Read the guidelines")
    client = login_as("member")
    other = world.home.membership_ids["observer"]
    # There is no way to name another membership: a smuggled id is ignored, the tick is your own.
    client.post(f"/p/{world.home.slug}/orientation/{item}/done", data={"value": "1", "membership_id": other})
    assert completions(app, world.home.id) == {(world.home.membership_ids["member"], item)}


def test_archived_steps_leave_progress_and_cannot_be_ticked(app, coordinator, world):
    ids = add_items(app, world.home, "A", "B")
    base = f"/p/{world.home.slug}/orientation"
    coordinator.post(f"{base}/{ids[0]}/done", data={"value": "1"})
    coordinator.post(f"{base}/items/{ids[0]}/archive")
    assert "Your orientation: 0 of 1 done" in coordinator.get(f"/p/{world.home.slug}/").text
    response = coordinator.post(f"{base}/{ids[0]}/done", data={"value": "0"})
    assert response.status_code == 422 and "no longer on the checklist" in response.text
    assert len(completions(app, world.home.id)) == 1  # kept for a restore


def test_coordinators_see_each_members_progress(app, coordinator, world, login_as):
    ids = add_items(app, world.home, "A", "B", "C")
    member = login_as("member")
    for item in ids[:2]:
        member.post(f"/p/{world.home.slug}/orientation/{item}/done", data={"value": "1"})
    page = coordinator.get(f"/p/{world.home.slug}/orientation/manage").text
    row = page.split(world.user("member").name, 1)[1].split("</tr>", 1)[0]
    assert "2 of 3" in row
    row = page.split(world.user("observer").name, 1)[1].split("</tr>", 1)[0]
    assert "0 of 3" in row


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_only_coordinators_define_the_checklist(app, login_as, world, role):
    [item] = add_items(app, world.home, "Read the guidelines")
    client = login_as(role)
    base = f"/p/{world.home.slug}/orientation"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}/manage").status_code == 403
    assert client.post(f"{base}/items", data={"title": "Mine"}).status_code == 403
    assert client.get(f"{base}/items/{item}/edit").status_code == 403
    assert client.post(f"{base}/items/{item}/edit", data={"title": "Changed"}).status_code == 403
    assert client.post(f"{base}/items/{item}/archive").status_code == 403
    assert client.post(f"{base}/items/{item}/move", data={"direction": "down"}).status_code == 403
    assert steps(app, world) == [("Read the guidelines", False)]


def test_outsiders_get_404_and_cannot_tick_foreign_steps(app, login_as, world):
    [item] = add_items(app, world.home, "Read the guidelines")
    client = login_as(world.other.members["coordinator"])
    assert client.get(f"/p/{world.home.slug}/orientation").status_code == 404
    assert client.post(f"/p/{world.home.slug}/orientation/{item}/done", data={"value": "1"}).status_code == 404
    assert client.post(f"/p/{world.other.slug}/orientation/{item}/done", data={"value": "1"}).status_code == 404
    assert client.post(f"/p/{world.other.slug}/orientation/items/{item}/archive").status_code == 404
    assert completions(app, world.home.id) == set()
    assert steps(app, world) == [("Read the guidelines", False)]


def test_removing_a_member_removes_their_ticks_and_representative_rows(app, coordinator, world):
    [item] = add_items(app, world.home, "Read the guidelines")
    member_id = world.home.membership_ids["member"]
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        org = Organization(name="Street's Hope", name_key="street's hope")
        db.session.add(org)
        db.session.flush()
        db.session.add(Representative(organization_id=org.id, membership_id=member_id))
        db.session.add(OrientationCompletion(orientation_item_id=item, membership_id=member_id))
        db.session.commit()

    response = coordinator.post(f"/p/{world.home.slug}/people/{member_id}/remove")
    assert response.status_code == 302

    with app.app_context():
        bind_tenant(db.session, world.home.id)
        assert db.session.scalar(select(func.count(Membership.id)).where(Membership.id == member_id)) == 0
        assert db.session.scalar(select(func.count(Representative.id))) == 0
        assert db.session.scalar(select(func.count(OrientationCompletion.id))) == 0
        assert db.session.scalar(select(func.count(OrientationItem.id))) == 1
        assert db.session.scalar(select(func.count(Organization.id))) == 1


def _grow(app, partnership, size: int) -> None:
    with app.app_context():
        users = [
            User(name=f"Member {n}", email=f"orient{partnership.id}-{n}@example.org", password_hash="x")
            for n in range(size)
        ]
        db.session.add_all(users)
        db.session.flush()
        bind_tenant(db.session, partnership.id)
        roles = list(Role)
        memberships = [Membership(user_id=u.id, role=roles[n % 4]) for n, u in enumerate(users)]
        items = [OrientationItem(title=f"Step {n}", position=n) for n in range(size)]
        db.session.add_all([*memberships, *items])
        db.session.flush()
        coordinator_membership = db.session.scalars(
            select(Membership).where(Membership.user_id == partnership.members["coordinator"].id)
        ).one()
        db.session.add_all(
            OrientationCompletion(orientation_item_id=item.id, membership_id=m.id)
            for m in [coordinator_membership, *memberships[:10]]
            for item in items[::2]
        )
        db.session.commit()


@pytest.mark.parametrize("path", ["/", "/orientation", "/orientation/manage"])
def test_orientation_pages_cost_the_same_for_5_and_for_200_records(app, path):
    counts = {}
    for name, size in (("Small", 5), ("Large", 200)):
        partnership = create_partnership(app, create_user(app), name)
        _grow(app, partnership, size)
        client = app.test_client()
        sign_in(client, app, partnership.members["coordinator"])
        client.get(f"/p/{partnership.slug}{path}")
        with counting(app) as statements:
            assert client.get(f"/p/{partnership.slug}{path}").status_code == 200
        counts[name] = len(statements)
    assert counts["Small"] == counts["Large"] <= BUDGET, counts


def progress_rows(html: str) -> list[str]:
    """The member names in the progress table, in order."""
    section = html.split('id="progress-section"', 1)[1]
    return re.findall(r'<th scope="row">([^<]*?) <span class="cell-sub">', section)


def test_members_progress_is_one_page_by_name_whatever_the_size(app):
    seen = {}
    for name, size in (("Small", 5), ("Large", 200)):
        partnership = create_partnership(app, create_user(app), name)
        _grow(app, partnership, size)
        client = app.test_client()
        sign_in(client, app, partnership.members["coordinator"])
        url = f"/p/{partnership.slug}/orientation/manage"
        client.get(url)
        with counting(app) as statements:
            html = client.get(url).text
        rows = progress_rows(html)
        assert rows == sorted(rows, key=str.casefold)  # by name, a page of the name index
        seen[name] = (len(statements), len(rows))
    assert seen["Small"] == (seen["Large"][0], 6)  # 5 members and the coordinator
    assert seen["Large"][1] == PROGRESS_PAGE_SIZE


def test_members_progress_counts_up_to_the_cap(app, monkeypatch):
    from partnership_hub.workspaces import services

    monkeypatch.setattr(services, "COUNT_CAP", 100)
    partnership = create_partnership(app, create_user(app), "Capped")
    _grow(app, partnership, 200)
    client = app.test_client()
    sign_in(client, app, partnership.members["coordinator"])
    html = client.get(f"/p/{partnership.slug}/orientation/manage").text
    assert f"Showing 1–{PROGRESS_PAGE_SIZE} of 100+." in html
    # Further on, the count reaches the end of the list and is exact.
    last = client.get(f"/p/{partnership.slug}/orientation/manage?page=9").text
    assert "Showing 201–201 of 201." in last and len(progress_rows(last)) == 1
