"""Pick-a-record controls that never load the whole list (DESIGN.md: "pickers of people or
organizations search as you type and never load the whole list").

An area that offers something to pick writes one query function
``(ctx, query, chosen_ids, limit) -> Pick`` with ``search`` below, and one GET route that answers
``templates/_picker_options.html`` (its results are ``<option>``s for the ``picker`` macro in
``templates/_forms.html``). The same function fills the form's choices when the page is rendered,
so a select holds at most the chosen records plus ``PICK_LIMIT`` matches, whatever the size of the
partnership. The services still check every id a form sends. A page with several pickers fills
them all in ONE statement with ``pick_together`` (each a ``PickSpec`` over the area's "pickable"
SELECT, e.g. ``workspaces.services.pickable_people``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, or_, select, union_all
from sqlalchemy.orm import QueryableAttribute

from partnership_hub.extensions import db
from partnership_hub.parsing import parse_ids

PICK_LIMIT = 20
QUERY_MAX = 100


Column = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass
class Pick:
    """What a picker shows: the chosen records (kept selected), matches, whether there are more."""

    chosen: list[tuple[str, str]] = field(default_factory=list)
    matches: list[tuple[str, str]] = field(default_factory=list)
    more: bool = False
    query: str = ""
    blank: str | None = None  # the label of the empty choice ("Nobody yet"), or None: a value is required

    def choices(self) -> list[tuple[str, str]]:
        """(value, label) pairs for a WTForms SelectField, in the order the picker shows them."""
        blank = [("", self.blank)] if self.blank is not None else []
        return blank + self.chosen + self.matches


def clean_query(raw: object) -> str:
    """The search text: one line, no control characters, bounded."""
    text = "" if raw is None else str(raw)
    return " ".join("".join(ch for ch in text if ch.isprintable()).split())[:QUERY_MAX]


def chosen_ids(values: Iterable[object]) -> list[int]:
    """The ids a form or a picker request carries (ASCII digits, 32-bit), in order, once each."""
    return parse_ids(values)


def contains(columns: Iterable[Column], query: str) -> ColumnElement[bool]:
    """SQL: ``query`` appears (case-insensitive, LIKE wildcards taken literally) in any of ``columns``."""
    pattern = "%" + query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))


def search(
    stmt: Select[Any],
    *,
    id_column: Column,
    label_column: Column,
    search_columns: Iterable[Column],
    query: str,
    chosen: list[int],
    limit: int = PICK_LIMIT,
    blank: str | None = None,
    sort_columns: tuple[Column, ...] | None = None,
) -> Pick:
    """Run a picker's two bounded statements over ``stmt`` (a SELECT of (id, label) rows already
    limited to what the viewer may pick): the chosen records, and up to ``limit`` matches for
    ``query`` (case-insensitive, anywhere in any of ``search_columns``) ordered by label — or by
    ``sort_columns`` when the records keep their own sort key (``lower(label)``, id, indexed)."""
    query = clean_query(query)
    pick = Pick(query=query, blank=blank)
    if chosen:
        rows = db.session.execute(stmt.where(id_column.in_(chosen))).all()
        labels = {row[0]: row[1] for row in rows}
        pick.chosen = [(str(i), labels[i]) for i in chosen if i in labels]
    matching = stmt
    if query:
        matching = matching.where(contains(search_columns, query))
    if chosen:
        matching = matching.where(id_column.notin_(chosen))
    order = sort_columns or (func.lower(label_column), id_column)
    rows = db.session.execute(matching.order_by(*order).limit(limit + 1)).all()
    pick.matches = [(str(row[0]), row[1]) for row in rows[:limit]]
    pick.more = len(rows) > limit
    return pick


@dataclass
class PickSpec:
    """One picker to fill: its (id, label) SELECT, what was typed and what is chosen."""

    stmt: Select[Any]
    id_column: Column
    label_column: Column
    query: str = ""
    chosen: list[int] = field(default_factory=list)
    blank: str | None = None
    sort_columns: tuple[Column, ...] | None = None  # the order of matches, if not (lower(label), id)


def pick_together(specs: dict[str, PickSpec]) -> dict[str, Pick]:
    """What ``search`` gives for each picker (the chosen records, then at most
    ``PICK_LIMIT`` matches by label), for several pickers in ONE statement: a page with three
    pickers costs one query, not six."""
    parts: list[Select[Any]] = []
    picks: dict[str, Pick] = {}
    for name, spec in specs.items():
        query = clean_query(spec.query)
        picks[name] = Pick(query=query, blank=spec.blank)
        label = spec.label_column
        if spec.chosen:
            chosen_rows = spec.stmt.where(spec.id_column.in_(spec.chosen))
            parts.append(chosen_rows.with_only_columns(literal(f"{name}:chosen"), spec.id_column, label, literal(0)))
        matching = spec.stmt
        if query:
            matching = matching.where(contains((label,), query))
        if spec.chosen:
            matching = matching.where(spec.id_column.notin_(spec.chosen))
        order = spec.sort_columns or (func.lower(label), spec.id_column)
        # Each match's place in its picker's order rides along (a UNION keeps no order).
        limited = (
            matching.with_only_columns(
                spec.id_column.label("id"), label.label("label"), func.row_number().over(order_by=order).label("place")
            )
            .order_by(*order)
            .limit(PICK_LIMIT + 1)
            .subquery()
        )
        parts.append(select(literal(name), limited.c.id, limited.c.label, limited.c.place))
    # Sorted here as each picker's own query sorts (chosen ones as chosen).
    rows = db.session.execute(union_all(*parts)).all()
    chosen = {(kind.partition(":")[0], value): label for kind, value, label, _ in rows if kind.endswith(":chosen")}
    for name, spec in specs.items():
        picks[name].chosen = [(str(i), chosen[name, i]) for i in spec.chosen if (name, i) in chosen]
    for kind, value, label, _ in sorted((r for r in rows if ":" not in r[0]), key=lambda r: (r[0], r[3])):
        pick = picks[kind]
        if len(pick.matches) < PICK_LIMIT:
            pick.matches.append((str(value), label))
        else:
            pick.more = True
    return picks
