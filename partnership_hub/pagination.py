"""Pages of a list, for services and views alike: ``Page`` (one page, where it is, how many in all —
or "at least N" when the count is capped), ``page_number`` (the page a query string asks for,
bounded) and ``paginate`` (one page of a SELECT with its total in one statement)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from sqlalchemy import ColumnElement, Select, func, select

from partnership_hub.extensions import db
from partnership_hub.parsing import parse_int

T = TypeVar("T")

MAX_PAGE = 100_000  # far beyond any real list; keeps OFFSET arithmetic inside the database's integers
COUNT_CAP = 1_000  # a capped count reads at most this many rows past the page ("1–25 of 1,000+")

# The page's SELECT, or a function of how many rows from the top it must get right (for a statement
# that bounds its own parts, such as a UNION of separately ordered groups, each LIMITed).
PageStatement = Select[Any] | Callable[[int], Select[Any]]


@dataclass
class Page(Generic[T]):
    """One page of a list: its items, where it is, and how many there are in all (``exact``) or at
    least (``exact`` false: a capped count found more than ``total``)."""

    items: list[T]
    total: int
    page: int
    page_size: int
    exact: bool = True

    @property
    def pages(self) -> int:
        """The pages known to exist (all of them when ``exact``)."""
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def total_label(self) -> str:
        """The total as shown: ``1,234``, or ``1,000+`` when the count stopped there."""
        return f"{self.total:,}" if self.exact else f"{self.total:,}+"

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
        """Page numbers to link: the first, the last known and a few around this one; None marks a gap."""
        wanted = {1, self.pages, *range(self.page - around, self.page + around + 1)}
        out: list[int | None] = []
        for number in sorted(n for n in wanted if 1 <= n <= self.pages):
            if out and out[-1] is not None and number - out[-1] > 1:
                out.append(None)
            out.append(number)
        return out


def page_number(args: Mapping[str, str], name: str = "page") -> int:
    """The page asked for: ASCII digits only, 1 to ``MAX_PAGE``; anything else is page 1."""
    number = parse_int(args.get(name), low=0)
    return 1 if number is None else min(max(1, number), MAX_PAGE)


def count_horizon(rows_needed: int, cap: int) -> int:
    """How far a capped count looks: the first multiple of ``cap`` beyond the page's last row, so the
    total reads as a round number ("of 1,000+", "of 2,000+") and at least a few pages lie ahead."""
    return (rows_needed // cap + 1) * cap


@overload
def paginate(
    stmt: Select[tuple[T]],
    page: int,
    page_size: int,
    *,
    row: None = None,
    cap: int | None = ...,
    count_from: Select[Any] | None = ...,
) -> Page[T]: ...
@overload
def paginate(
    stmt: PageStatement,
    page: int,
    page_size: int,
    *,
    row: None = None,
    cap: int | None = ...,
    count_from: Select[Any] | None = ...,
) -> Page[Any]: ...
@overload
def paginate(
    stmt: PageStatement,
    page: int,
    page_size: int,
    *,
    row: Callable[[Any], T],
    cap: int | None = ...,
    count_from: Select[Any] | None = ...,
) -> Page[T]: ...
def paginate(
    stmt: PageStatement,
    page: int,
    page_size: int,
    *,
    row: Callable[[Any], T] | None = None,
    cap: int | None = None,
    count_from: Select[Any] | None = None,
) -> Page[Any]:
    """One page of ``stmt`` with its total in ONE statement, whatever the list's size.

    Without ``cap`` the total is exact (a window count rides along: it reads the whole list, so keep
    that for lists that stay small). With ``cap`` a scalar subquery counts at most ``cap`` rows past
    the page (``count_horizon``): with an index that serves the list's filter and order, the page and
    its count read a bounded number of rows however long the list is, and ``Page.exact`` says whether
    the count stopped. ``count_from`` is the list to count when ``stmt`` is not (unordered, no joins
    it does not need); by default ``stmt`` without its order. ``stmt`` may be a function of how many
    rows from the top the page needs (see ``PageStatement``); it then needs ``cap`` or ``count_from``.

    A page past the end (an old link, a narrower filter) shows the last page, at the cost of two more
    statements (a count, bounded by the page asked for, and the re-fetch). Rows of a one-entity select
    are that entity; otherwise a tuple. Eager-load collections with ``selectinload`` (a joined
    collection would repeat rows)."""
    build: Callable[[int], Select[Any]] = stmt if callable(stmt) else (lambda _rows: stmt)
    if callable(stmt) and cap is None and count_from is None:
        raise TypeError("paginate: a statement function needs cap= or count_from=")

    def counted_source(limit: int | None) -> Select[Any]:
        source = count_from if count_from is not None else build(limit or 0).order_by(None)
        return source.limit(limit) if limit is not None else source

    def fetch(number: int) -> list[Any]:
        offset = (number - 1) * page_size
        base = build(offset + page_size)
        total: ColumnElement[Any]
        if cap is None and count_from is None:
            total = func.count().over()
        else:
            limit = count_horizon(offset + page_size, cap) + 1 if cap is not None else None
            total = select(func.count()).select_from(counted_source(limit).subquery()).scalar_subquery()
        counted = base.add_columns(total.label("_page_total"))
        return list(db.session.execute(counted.limit(page_size).offset(offset)).all())

    page = min(max(1, page), MAX_PAGE)
    rows = fetch(page)
    if not rows and page > 1:
        # Nothing at this page: the list has at most ``offset`` rows, so a count that stops there is exact.
        limit = (page - 1) * page_size if cap is not None else None
        total = db.session.scalar(select(func.count()).select_from(counted_source(limit).subquery())) or 0
        page = max(1, math.ceil(total / page_size))
        rows = fetch(page)
    total = rows[0][-1] if rows else 0
    exact = True
    if cap is not None:
        horizon = count_horizon(page * page_size, cap)
        exact = total <= horizon
        total = min(total, horizon)
    values: list[Any] = [r[0] if len(r) == 2 else tuple(r[:-1]) for r in rows]
    return Page([row(v) for v in values] if row else values, total, page, page_size, exact)
