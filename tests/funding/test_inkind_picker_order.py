"""The match form's offer picker at any size: the first page of matchable offers by (lower(title), id),
the same rows whether the database sorts every offer or walks an index in that order, at a fixed number of
statements; on PostgreSQL, an index in exactly that order exists (a LIMIT walk, never a sort of every offer)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.funding import inkind
from partnership_hub.funding.inkind_models import InkindMatch, InkindNeed, InkindOffer, OfferStatus
from partnership_hub.picking import PICK_LIMIT
from partnership_hub.workspaces.services import context_for
from tests.budget import BUDGET, statements_for
from tests.factories import create_partnership, create_user

SIZE = 90  # several pages of matches


def _titles(n: int) -> str:
    # Mixed case and a shared prefix, so the order is lower(title)'s, not the insertion order or the id's.
    return ["offer", "Offer", "OFFER B", "offer a"][n % 4] + f" {(n * 37) % SIZE:03d}"


@pytest.fixture
def offers(app):
    partnership = create_partnership(app, create_user(app), "Offers")
    coordinator = partnership.membership_ids["coordinator"]
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        rows = [
            InkindOffer(
                kind="space",
                title=_titles(n),
                description="",
                quantity="",
                status=list(OfferStatus)[n % 5],
                author_membership_id=coordinator,
            )
            for n in range(SIZE)
        ]
        need = InkindNeed(title="A hall", details="", status="open", posted_by_membership_id=coordinator)
        db.session.add_all([*rows, need])
        db.session.flush()
        matchable = [o for o in rows if o.status in inkind.MATCHABLE]
        # The need is already matched to every third matchable offer: the picker leaves those out for it.
        taken = {o.id for o in matchable[::3]}
        db.session.add_all(
            InkindMatch(offer_id=offer_id, need_id=need.id, matched_by_membership_id=coordinator)
            for offer_id in sorted(taken)
        )
        db.session.commit()
        everything = [(o.id, o.title) for o in matchable]
        return partnership, need.id, everything, taken


def _expected(rows: list[tuple[int, str]]) -> list[tuple[str, str]]:
    return [(str(i), title) for i, title in sorted(rows, key=lambda r: (r[1].lower(), r[0]))][:PICK_LIMIT]


def test_the_picker_lists_the_first_matchable_offers_by_title(app, offers):
    partnership, need_id, everything, taken = offers
    with app.app_context():
        ctx = context_for(partnership.id)
        bind_tenant(db.session, partnership.id)
        pick = inkind.pick_offers(ctx, "")
        assert pick.matches == _expected(everything)
        assert pick.more
        for_need = inkind.pick_offers(ctx, "", [], need_id)
        assert for_need.matches == _expected([r for r in everything if r[0] not in taken])
        searched = inkind.pick_offers(ctx, "offer b")
        assert searched.matches == _expected([r for r in everything if "offer b" in r[1].lower()])
        last = max(everything, key=lambda r: (r[1].lower(), r[0]))
        assert inkind.pick_offers(ctx, "", [last[0]]).chosen == [(str(last[0]), last[1])]


def test_the_picker_costs_the_same_statements_for_a_page_or_for_many(app, offers):
    partnership, need_id, _everything, _taken = offers
    small = create_partnership(app, create_user(app), "Few offers")
    counts = {
        statements_for(app, small, "/funding/in-kind/pick/offers?field=offer_id"),
        statements_for(app, partnership, "/funding/in-kind/pick/offers?field=offer_id"),
        statements_for(app, partnership, f"/funding/in-kind/pick/offers?field=offer_id&need={need_id}"),
    }
    assert len(counts) == 1 and counts.pop() <= BUDGET


def test_on_postgresql_the_first_page_is_an_index_walk(app, offers):
    """The picker's own statement, planned with sorting made prohibitively expensive, needs no Sort node:
    an index in its (partnership, lower(title), id) order exists and matches it."""
    partnership, need_id, _everything, _taken = offers
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the expression index is PostgreSQL's (SQLite cannot reflect one back)")
        ctx = context_for(partnership.id)
        bind_tenant(db.session, partnership.id)
        ran: list[tuple[str, object]] = []

        def keep(conn, cursor, statement, parameters, context, executemany):
            ran.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            inkind.pick_offers(ctx, "", [], need_id)
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
        [(statement, parameters)] = [(s, p) for s, p in ran if "inkind_offers" in s]
        connection = db.session.connection()
        connection.exec_driver_sql("SET LOCAL enable_sort = off")
        plan = "\n".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters))
        assert "ix_inkind_offers_partnership_id_lower_title" in plan, plan
        assert "Sort" not in plan, plan
