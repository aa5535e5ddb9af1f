"""On PostgreSQL, the pipeline's table reads a page of opportunities from an index in its order, never
sorting every opportunity of the partnership (its own statement, EXPLAIN ANALYZEd)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.funding import pipeline
from tests.funding.pipeline_helpers import ctx_of
from tests.funding.test_pipeline_list_order import pipeline_of  # noqa: F401 - a fixture


def _analyzed(app, partnership_id, run) -> list[dict]:
    """Every plan node of the one statement ``run`` sends that reads the table, EXPLAIN ANALYZEd."""
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
    # A test's table is small, and its statistics depend on what ran before: with scans that read every
    # row ruled out, the plan shows whether an index in the page's order exists, whatever the sizes.
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    connection.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
    [plan] = connection.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).scalar()
    nodes, stack = [], [plan["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


def test_the_pipeline_table_walks_its_index(app, pipeline_of):  # noqa: F811
    with app.app_context():
        ctx = ctx_of(pipeline_of)
        nodes = _analyzed(app, pipeline_of.id, lambda: pipeline.opportunities_page(ctx, pipeline.ListFilters(), 1))
    assert not [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")], json.dumps(nodes, indent=1)
    assert any(n.get("Index Name") == "ix_funding_opportunities_list" for n in nodes)
