"""Pages of a list, for services and views alike: ``Page`` (one page, where it is, how many in all),
``page_number`` (the page a query string asks for, bounded) and ``paginate`` (one page of a SELECT
with its total in one statement)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from sqlalchemy import Select, func, select

from partnership_hub.extensions import db

T = TypeVar("T")

MAX_PAGE = 100_000  # far beyond any real list; keeps OFFSET arithmetic inside the database's integers


@dataclass
class Page(Generic[T]):
    """One page of a list: its items, where it is, and how many there are in all."""

    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.items else 0

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.items) - 1 if self.items else 0

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to link: the first, the last and a few around this one; None marks a gap."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        out: list[int | None] = []
        for number in sorted(n for n in wanted if 1 <= n <= self.pages):
            if out and out[-1] is not None and number - out[-1] > 1:
                out.append(None)
            out.append(number)
        return out


def page_number(args: Mapping[str, str], name: str = "page") -> int:
    """The page asked for: ASCII digits only, 1 to ``MAX_PAGE``; anything else is page 1."""
    raw = (args.get(name) or "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        return 1
    return min(max(1, int(raw)), MAX_PAGE)


@overload
def paginate(stmt: Select[tuple[T]], page: int, page_size: int, *, row: None = None) -> Page[T]: ...
@overload
def paginate(stmt: Select[Any], page: int, page_size: int, *, row: None = None) -> Page[Any]: ...
@overload
def paginate(stmt: Select[Any], page: int, page_size: int, *, row: Callable[[Any], T]) -> Page[T]: ...
def paginate(stmt: Select[Any], page: int, page_size: int, *, row: Callable[[Any], T] | None = None) -> Page[Any]:
    """One page of ``stmt`` with its total in ONE statement (a window count rides along), whatever
    the list's size. A page past the end (an old link, a narrower filter) shows the last page, at the
    cost of two more statements (a count and the re-fetch). Rows of a one-entity select are that
    entity; otherwise a tuple. Eager-load collections with ``selectinload`` (a joined collection would repeat rows)."""
    counted = stmt.add_columns(func.count().over().label("_page_total"))

    def fetch(number: int) -> list[Any]:
        return list(db.session.execute(counted.limit(page_size).offset((number - 1) * page_size)).all())

    page = min(max(1, page), MAX_PAGE)
    rows = fetch(page)
    if not rows and page > 1:
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        page = max(1, math.ceil(total / page_size))
        rows = fetch(page)
    total = rows[0][-1] if rows else 0
    values: list[Any] = [r[0] if len(r) == 2 else tuple(r[:-1]) for r in rows]
    return Page([row(v) for v in values] if row else values, total, page, page_size)
