"""The query budget, shared by every area's budget tests: a workspace page runs the same number
of SQL statements for a small and a large partnership, and no more than ten (DESIGN.md)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from partnership_hub.extensions import db
from tests.factories import PartnershipRec, sign_in

BUDGET = 10


@contextmanager
def counting(app):
    """Collect the SQL statements the app's engine runs inside the block."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def statements_for(app, partnership: PartnershipRec, path: str) -> int:
    """How many statements the coordinator's GET of ``/p/<slug><path>`` runs (after a warm-up), a
    download's included: its body is read inside, so the statements it runs as it streams count."""
    client = app.test_client()
    sign_in(client, app, partnership.members["coordinator"])
    client.get(f"/p/{partnership.slug}{path}").get_data()  # warm-up: session touch, lazy setup
    with counting(app) as statements:
        response = client.get(f"/p/{partnership.slug}{path}")
        response.get_data()
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)


def assert_fixed_cost(app, small: PartnershipRec, large: PartnershipRec, path: str) -> None:
    counts = {"small": statements_for(app, small, path), "large": statements_for(app, large, path)}
    assert counts["small"] == counts["large"], counts
    assert counts["small"] <= BUDGET, counts


def planned_with_count(app, partnership: PartnershipRec, planner, now) -> tuple[int, int]:
    """Run an area's ``notice_planner`` for ``partnership`` at ``now`` (committed): (how many it told, how
    many statements it ran)."""
    from partnership_hub.workspaces.services import context_for

    with app.app_context():
        ctx = context_for(partnership.id)
        with counting(app) as statements:
            told = planner(ctx, now)
        db.session.commit()
    return told, len(statements)
