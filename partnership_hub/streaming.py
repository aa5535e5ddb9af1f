"""Downloads that list records with their children, read as they stream at a fixed number of statements.

An export of goals with their objectives (or organizations with their sectors) reads the parents as
one statement in the file's order, and each kind of child as one statement of its own over the same
parents — the same FROM, filter and ORDER BY, joined to the children — so its rows come grouped by
parent, in the parents' order. ``streams`` opens them all at once, each its own cursor read a batch
at a time (``yield_per``: a server-side cursor on PostgreSQL), and ``Children`` walks a child stream
beside the parents (a merge join), handing each parent its rows. Memory holds a batch of each stream
and the children of one parent, and the statements do not depend on the number of rows, as one
``IN (...)`` per batch of parents would.

The merge needs every stream to see the same rows: a parent renamed between two statements would put
its children out of step. So the streams read one snapshot: PostgreSQL gives each statement of a READ
COMMITTED transaction a snapshot of its own, and ``streams`` begins the transaction REPEATABLE READ;
SQLite's transaction is one snapshot already (WAL, and SQLAlchemy's own BEGIN, ``db.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Executable, Result, Row

from partnership_hub.extensions import db

BATCH = 500  # rows a stream reads at a time


@contextmanager
def streams(*statements: Executable, size: int | None = None) -> Iterator[list[Result[Any]]]:
    """The results of ``statements``, each its own cursor read ``size`` (``BATCH``) rows at a time, in
    one snapshot, closed together when the block ends (a download stopped half way closes its
    generator, and with it the cursors, not when the garbage collector gets to them).

    Call it before the transaction begins (as a download does: ``csv_response`` streams in a fresh
    session); a transaction already open keeps its own isolation."""
    session = db.session()
    if not session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    results: list[Result[Any]] = []
    try:
        for statement in statements:
            results.append(session.execute(statement.execution_options(yield_per=size or BATCH)))
        yield results
    finally:
        for result in results:
            result.close()


class Children:
    """The rows of a child stream, handed out per parent as the parents stream by: ``of(key)`` takes the
    rows at the front whose ``column`` is ``key`` (none when the parent has no children). The stream
    must follow the parents' order, each parent's rows together (``streams``)."""

    def __init__(self, rows: Iterable[Row[Any]], column: str) -> None:
        self._rows = iter(rows)
        self._column = column
        self._next = next(self._rows, None)

    def of(self, key: Any) -> list[Any]:
        """The rows of the parent ``key`` (typed ``Any``, as their columns are: the rules read them as
        they read the models)."""
        taken = []
        while self._next is not None and getattr(self._next, self._column) == key:
            taken.append(self._next)
            self._next = next(self._rows, None)
        return taken

    def finish(self) -> None:
        """After the last parent: every child was handed out (else the streams were out of step)."""
        if self._next is not None:
            raise RuntimeError(f"a child stream is out of step with its parents at {self._column}")
