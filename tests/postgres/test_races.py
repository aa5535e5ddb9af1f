"""Invariants that hold under concurrent requests (issue #9, finding 5), on PostgreSQL: the racing
requests run in parallel threads, each with its own connection."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces import services
from partnership_hub.workspaces.models import Invitation, Membership, Role
from tests.factories import add_member, create_user

pytestmark = pytest.mark.postgres


def _slowly(monkeypatch, name: str, seconds: float = 0.3) -> None:
    """Widen the window between a check and the write it guards, as a loaded server would."""
    original = getattr(services, name)

    def slow(*args, **kwargs):
        value = original(*args, **kwargs)
        time.sleep(seconds)
        return value

    monkeypatch.setattr(services, name, slow)


def _together(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


# Demoting or removing each other: either way, the partnership keeps one coordinator.
@pytest.mark.parametrize(
    ("action", "data"), [("role", {"role": "member"}), ("remove", {})], ids=["demoting", "removing"]
)
def test_two_coordinators_acting_on_each_other_at_once_leave_one(app, world, login_as, monkeypatch, action, data):
    second = create_user(app, "Second Coordinator")
    second_id = add_member(app, world.home, second, Role.COORDINATOR, key="second")
    first_id = world.home.membership_ids["coordinator"]
    first_client, second_client = login_as("coordinator"), login_as(second)
    for name in ("coordinator_count", "_other_coordinators"):
        if hasattr(services, name):
            _slowly(monkeypatch, name)
    slug = world.home.slug

    responses = _together(
        [
            lambda: first_client.post(f"/p/{slug}/people/{second_id}/{action}", data=data),
            lambda: second_client.post(f"/p/{slug}/people/{first_id}/{action}", data=data),
        ]
    )

    assert all(r.status_code < 500 for r in responses)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        coordinators = db.session.scalar(select(func.count()).where(Membership.role == Role.COORDINATOR))
    assert coordinators == 1


def test_eight_invitations_to_one_address_at_once_make_one(app, world, login_as, monkeypatch):
    _slowly(monkeypatch, "new_token", 0.2)
    clients = [login_as("coordinator") for _ in range(8)]
    url = f"/p/{world.home.slug}/people/invite"

    responses = _together(
        [lambda c=c: c.post(url, data={"email": "same@example.org", "role": "member"}) for c in clients]
    )

    assert sorted({r.status_code for r in responses}) in ([302], [302, 422])
    assert sum(r.status_code == 302 for r in responses) == 1
    assert all("already has a pending invitation" in r.text for r in responses if r.status_code == 422)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        open_rows = db.session.scalar(
            select(func.count()).where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        )
    assert open_rows == 1
