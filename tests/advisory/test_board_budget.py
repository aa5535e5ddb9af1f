"""The board's pages cost the same number of statements with 1 seat (and 1 read, 1 grant) as with 30,
within the budget. The partnership's coordinator chairs the board here, so every page is theirs to open
(a coordinator may sit on the board; it is the seat, not the role, that admits them)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from partnership_hub.advisory import board
from partnership_hub.advisory.board_models import BoardSeat
from partnership_hub.confidentiality import AccessLogEntry, Level
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Role
from tests.budget import BUDGET, assert_fixed_cost, statements_for
from tests.factories import PartnershipRec, add_member, create_partnership, create_user, sign_in
from tests.plans import plan_nodes


def grow(app, partnership: PartnershipRec, size: int) -> None:
    """The coordinator chairs a board of ``size`` seats (each with a renewal); as many people hold the
    chair's grant; ``size`` reads of advisory records and as many of leadership ones."""
    people = []
    for n in range(2 * size - 1):
        user = create_user(app, f"Person {partnership.slug} {n}")
        role = Role.SURVIVOR_ADVISOR if n % 2 else Role.MEMBER
        people.append(add_member(app, partnership, user, role, key=f"p{n}"))
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        today = ctx.today()
        me = partnership.membership_ids["coordinator"]
        board.seed_board(ctx, [(me, "Chair", True)] + [(m, "Advisor", False) for m in people[: size - 1]])
        for seat in db.session.scalars(select(BoardSeat)):
            later = {"term_starts_on": (today + timedelta(days=1)).isoformat(), "note": "Renewed"}
            board.renew_term(ctx, seat, later)
        db.session.commit()
    with app.app_context():
        ctx = context_for(partnership.id, partnership.members["coordinator"].id)
        for membership_id in people[size - 1 :]:
            data = {"membership_id": str(membership_id), "reason": "Helping", "ends_on": today.isoformat()}
            board.grant_access(ctx, data)
        bind_tenant(db.session, partnership.id)
        user_id = partnership.members["coordinator"].id
        db.session.add_all(
            AccessLogEntry(
                user_id=user_id, membership_id=me, record_kind="goal", record_id=n + 1, level=level, how="viewed"
            )
            for n in range(size)
            for level in (Level.ADVISORY, Level.LEADERSHIP)
        )
        db.session.commit()


def _sizes(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 1)
    grow(app, large, 30)
    return small, large


@pytest.fixture
def sizes(keep):
    return keep(_sizes)


def own_seat(app, partnership: PartnershipRec) -> int:
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        me = partnership.membership_ids["coordinator"]
        return db.session.scalar(select(BoardSeat.id).where(BoardSeat.membership_id == me))


@pytest.mark.parametrize(
    "path", ["/advisory", "/advisory/roles", "/advisory/seats/new", "/advisory/access", "/advisory/access-log"]
)
def test_board_pages_cost_the_same_for_1_and_30_seats(app, sizes, path):
    small, large = sizes
    assert_fixed_cost(app, small, large, path)


def test_the_seat_page_costs_the_same(app, sizes):
    small, large = sizes
    counts = (
        statements_for(app, small, f"/advisory/seats/{own_seat(app, small)}"),
        statements_for(app, large, f"/advisory/seats/{own_seat(app, large)}"),
    )
    assert counts[0] == counts[1] <= BUDGET, counts


def test_the_pages_show_everyone_and_the_log_is_paginated(app, sizes):
    _, large = sizes
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    home = client.get(f"/p/{large.slug}/advisory").get_data(as_text=True)
    assert home.count("— Advisor") == 29 and "— Chair</span>" in home  # the Chair role: not "Chair, chair"
    access = client.get(f"/p/{large.slug}/advisory/access").get_data(as_text=True)
    assert access.count("End access") == 30
    log = client.get(f"/p/{large.slug}/advisory/access-log").get_data(as_text=True)
    assert log.count('data-label="Who"') == 30  # the advisory reads only, on one page (50 a page)


def test_the_chairs_log_walks_the_advisory_reads_alone(app, sizes):
    """On PostgreSQL the page and its capped count read the partial index of advisory reads (migration
    0038), never the partnership's whole log: no sequential scan, no sort."""
    _, large = sizes
    with app.app_context():
        ctx = context_for(large.id, large.members["coordinator"].id)
        nodes = plan_nodes(large.id, lambda: board.access_log(ctx, 1), "access_log", ("seqscan", "bitmapscan"))
    reads = [node for node in nodes if node.get("Relation Name") == "access_log"]
    assert len(reads) == 2, json.dumps(nodes, indent=1)  # the page and its count
    assert all(node.get("Index Name") == "ix_access_log_advisory" for node in reads), json.dumps(reads, indent=1)
    assert not [node for node in nodes if node["Node Type"] in ("Sort", "Incremental Sort")]
