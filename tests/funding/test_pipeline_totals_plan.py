"""On PostgreSQL, the totals read the years shown from one index that carries every column they need (an
index-only scan, whatever the viewer's role): no opportunity is fetched from the table to be summed."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.funding import pipeline
from partnership_hub.workspaces.models import Role
from tests.factories import add_member, create_partnership, create_user
from tests.funding.pipeline_helpers import bulk, ctx_of, today_of

INDEX = "ix_funding_opportunities_totals"


@pytest.fixture
def pipeline_of(app):
    partnership = create_partnership(app, create_user(app), "Totals")
    add_member(app, partnership, create_user(app), Role.MEMBER, "member")
    bulk(app, partnership, 60)
    return partnership


def _plan_nodes(partnership_id, run) -> list[dict]:
    """Every plan node of the last statement ``run`` sends, EXPLAIN ANALYZEd with every kind of scan switched
    off: each plan then pays the same penalty, so PostgreSQL still takes the cheapest, and an index-only scan
    beats a plain index scan only where the index carries every column the statement reads (whatever a
    test table's visibility map says)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    bind_tenant(db.session, partnership_id)
    ran: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        ran.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    statement, parameters = ran[-1]
    connection = db.session.connection()
    connection.exec_driver_sql("ANALYZE funding_opportunities")
    for scan in ("seqscan", "bitmapscan", "indexscan"):
        connection.exec_driver_sql(f"SET LOCAL enable_{scan} = off")
    [plan] = connection.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).scalar()
    nodes, stack = [], [plan["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_the_totals_are_an_index_only_scan(app, pipeline_of, who):
    with app.app_context():
        ctx = ctx_of(pipeline_of, who)
        year = today_of(app, pipeline_of).year
        nodes = _plan_nodes(pipeline_of.id, lambda: pipeline.totals(ctx, year, None))
    reads = [n for n in nodes if n.get("Relation Name") == "funding_opportunities"]
    assert reads, json.dumps(nodes, indent=1)
    assert all(n["Node Type"] == "Index Only Scan" and n["Index Name"] == INDEX for n in reads), json.dumps(
        reads, indent=1
    )
