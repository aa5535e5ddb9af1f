"""The workspace home: this area's panels (orientation, getting started, at a glance) for every role."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import OrientationItem

ROLES = ["coordinator", "member", "survivor_advisor", "observer"]


def add_steps(app, world, count: int) -> None:
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.add_all(OrientationItem(title=f"Step {n}", position=n) for n in range(1, count + 1))
        db.session.commit()


def stats(html: str) -> dict[str, int]:
    """The "at a glance" numbers by label: {"members": 4, "pending invitations": 1}."""
    found = re.findall(r'stat-number">(\d+)</span>\s*<span class="stat-label">([^<]+)</span>', html)
    return {label.strip(): int(number) for number, label in found}


@pytest.mark.parametrize("role", ROLES)
def test_the_home_renders_for_every_role(world, login_as, role):
    response = login_as(role).get(f"/p/{world.home.slug}/")
    assert response.status_code == 200
    assert f"Welcome to {world.home.name}" in response.text
    assert response.text.count("<h1") == 1
    assert "Leave " + world.home.name in response.text


@pytest.mark.parametrize(
    ("role", "getting_started", "glance", "coordinators_named"),
    [
        ("coordinator", True, {"members": 4, "pending invitations": 0}, False),
        ("member", False, {"members": 3}, True),  # survivor advisors are not counted for members
        ("survivor_advisor", False, {"members": 4}, True),
        ("observer", False, {}, False),
    ],
)
def test_each_role_gets_its_own_panels(world, login_as, role, getting_started, glance, coordinators_named):
    page = login_as(role).get(f"/p/{world.home.slug}/").text
    assert ("Getting started" in page) is getting_started
    assert ("At a glance" in page) is bool(glance)
    assert stats(page) == glance
    named = f"Your coordinator is {world.user('coordinator').name}." in page
    assert named is coordinators_named
    assert "Your orientation" not in page  # no checklist yet: no panel


def test_pending_invitations_are_counted_for_coordinators(world, login_as):
    coordinator = login_as("coordinator")
    coordinator.post(f"/p/{world.home.slug}/people/invite", data={"email": "new@example.org", "role": "member"})
    assert stats(coordinator.get(f"/p/{world.home.slug}/").text) == {"members": 4, "pending invitation": 1}


@pytest.mark.parametrize("role", ROLES)
def test_everyone_sees_their_own_orientation_progress_first(app, world, login_as, role):
    add_steps(app, world, 2)
    client = login_as(role)
    page = client.get(f"/p/{world.home.slug}/").text
    assert "Your orientation: 0 of 2 done" in page and "Continue your orientation" in page
    if role == "coordinator":  # your own work comes before running the workspace
        assert page.index("Your orientation") < page.index("Getting started") < page.index("At a glance")

    with app.app_context():
        bind_tenant(db.session, world.home.id)
        ids = list(db.session.scalars(db.select(OrientationItem.id)))
    for item in ids:
        client.post(f"/p/{world.home.slug}/orientation/{item}/done", data={"value": "1"})
    page = client.get(f"/p/{world.home.slug}/").text
    assert "Your orientation: 2 of 2 done" in page and "Review your checklist" in page


def test_at_a_glance_counts_stop_at_the_cap(world, login_as, monkeypatch):
    """Members and pending invitations are counted up to COUNT_CAP: beyond it the home says "N+"."""
    from partnership_hub.workspaces import services

    coordinator = login_as("coordinator")
    for n in range(3):
        coordinator.post(f"/p/{world.home.slug}/people/invite", data={"email": f"new{n}@example.org", "role": "member"})
    monkeypatch.setattr(services, "COUNT_CAP", 2)
    page = coordinator.get(f"/p/{world.home.slug}/").text
    found = re.findall(r'stat-number">([^<]+)</span>\s*<span class="stat-label">([^<]+)</span>', page)
    assert {label: number for number, label in found} == {"members": "2+", "pending invitations": "2+"}


# --- getting started that finishes (issue #10) ---------------------------------------------------


def getting_started(html: str) -> str:
    """The "Getting started" card ("" when it is not on the page)."""
    match = re.search(r'<section class="card panel-accent" aria-labelledby="start-heading">.*?</section>', html, re.S)
    return match.group(0) if match else ""


def finish_setup(app, world, *, except_step: str | None = None) -> None:
    """Make the data show every getting-started step done (but ``except_step``)."""
    from partnership_hub.actions.models import ActionItem
    from partnership_hub.goals.models import Goal, Horizon
    from partnership_hub.meetings.models import MeetingSeries
    from partnership_hub.workspaces.models import Membership, Partnership, Role

    with app.app_context():
        bind_tenant(db.session, world.home.id)
        if except_step != "profile":
            partnership = db.session.get(Partnership, world.home.id)
            partnership.vision, partnership.mission = "No one bought or sold.", "Work together."
        if except_step != "coordination":
            db.session.get(Membership, world.home.membership_ids["member"]).role = Role.COORDINATOR
        if except_step != "goals":
            db.session.add(Goal(title="Shared referral protocol", horizon=Horizon.SHORT))
        if except_step != "action_plan":
            db.session.add(ActionItem(title="Book the venue"))
        if except_step != "meetings":
            db.session.add(
                MeetingSeries(
                    rule="FREQ=MONTHLY;BYDAY=2TU",
                    first_start_local=datetime(2026, 1, 13, 10, 0),
                    duration_minutes=90,
                    time_zone="UTC",
                )
            )
        db.session.commit()


def test_getting_started_ticks_its_steps_from_the_data(world, login_as):
    card = getting_started(login_as("coordinator").get(f"/p/{world.home.slug}/").text)
    assert "1 of 6 steps done" in card
    # four people have joined: the invitation step is done; no vision, one coordinator, no goals yet
    done = re.findall(r'<li class="is-done">\s*<span class="badge badge-success">Done</span>\s*<strong>([^<]+)', card)
    assert done == ["Invite the people you work with."]
    for step in ("Say what the partnership is for.", "Share the coordination.", "Set the partnership&#39;s goals."):
        assert step in card
    assert "will appear here" not in card


@pytest.mark.parametrize("left", ["profile", "coordination", "goals", "action_plan", "meetings"])
def test_the_card_stays_while_a_step_is_left(app, world, login_as, left):
    finish_setup(app, world, except_step=left)
    card = getting_started(login_as("coordinator").get(f"/p/{world.home.slug}/").text)
    assert "5 of 6 steps done" in card


def test_the_card_goes_when_every_step_is_done(app, world, login_as):
    finish_setup(app, world)
    page = login_as("coordinator").get(f"/p/{world.home.slug}/").text
    assert "Getting started" not in page
    assert "At a glance" in page  # the rest of the home is still there


def test_a_coordinator_can_hide_the_card_on_their_own_home(app, world, login_as):
    from partnership_hub.workspaces.models import Role
    from tests.factories import add_member, create_user

    second = create_user(app, "Second Coordinator")
    add_member(app, world.home, second, Role.COORDINATOR, "second")
    coordinator = login_as("coordinator")
    response = coordinator.post(f"/p/{world.home.slug}/getting-started/dismiss")
    assert response.status_code == 302
    page = coordinator.get(f"/p/{world.home.slug}/").text
    assert "Getting started" not in page
    assert "The getting-started card is hidden." in page
    assert "Getting started" in login_as(second).get(f"/p/{world.home.slug}/").text  # theirs, not everyone's
    assert coordinator.post(f"/p/{world.home.slug}/getting-started/dismiss").status_code == 302  # twice is fine


@pytest.mark.parametrize("role", ["member", "survivor_advisor", "observer"])
def test_only_coordinators_hide_the_card(world, login_as, role):
    assert login_as(role).post(f"/p/{world.home.slug}/getting-started/dismiss").status_code == 403
