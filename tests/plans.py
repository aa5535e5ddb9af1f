"""PostgreSQL plans of the statements a piece of code sends, for tests that pin an index to a query."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest
from sqlalchemy import event

from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db


def plan_nodes(partnership_id: int, run: Callable[[], object], table: str, scans_off: Iterable[str]) -> list[dict]:
    """Every node of the plan of the last statement ``run`` sends that reads ``table``, EXPLAIN ANALYZEd
    in the partnership after a fresh ANALYZE of ``table``, with ``scans_off`` ("seqscan", "bitmapscan",
    "indexscan") switched off for it. A test's table is small and its statistics depend on what ran
    before: with the scans that read every row ruled out, the plan shows which index the statement can
    walk, whatever the sizes; with index scans off too, every plan pays the same penalty, so an
    index-only scan wins exactly where the index carries every column the statement reads.
    Skips on SQLite: plans are PostgreSQL's."""
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
    statement, parameters = next((s, p) for s, p in reversed(ran) if f"FROM {table}" in s)
    connection = db.session.connection()
    connection.exec_driver_sql(f"ANALYZE {table}")
    for scan in scans_off:
        connection.exec_driver_sql(f"SET LOCAL enable_{scan} = off")
    [plan] = connection.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).scalar()
    nodes, stack = [], [plan["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes
