"""The one parsing layer for what a request carries: record ids, page numbers, dates and text.

Everything a URL, a query string or a form hands the app passes through here before it reaches a
query, so no value the database cannot hold ever gets there (a 500 is never the answer):

- ids are ASCII digits only (``isdigit()`` also accepts ``²`` and other Unicode digits, which
  ``int()`` then refuses) and lie in 1..2**31-1, PostgreSQL's ``integer``;
- page numbers are bounded the same way (``pagination.page_number`` uses ``parse_int``);
- dates are ISO ``YYYY-MM-DD`` within ``DATE_MIN``..``DATE_MAX`` (no year 9999 to overflow a
  ``+ timedelta``);
- text carries no NUL (PostgreSQL refuses it in ``text``) and no other control characters;
  long text (``multiline=True``) keeps newline and tab.

Query-string filters use the ``query_*`` helpers (unusable values mean "any", as a filter always
has); form fields get ``TEXT_FILTERS`` from ``web.toolkit.submit`` (every form, present and future),
and a field that must hold a date or an id uses ``parse_date``/``parse_id`` and reports the
refusal at the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from werkzeug.routing import IntegerConverter, Map

from partnership_hub.errors import ServiceError

ID_MAX = 2**31 - 1  # PostgreSQL ``integer``
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2200, 12, 31)
TEXT_MAX = 100_000  # a bound for any one text value; fields keep their own, smaller, limits
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_LONG_TEXT_KEEPS = frozenset("\n\t")


def is_ascii_digits(text: str) -> bool:
    """True for a non-empty run of 0-9 only (``str.isdigit`` also says yes to ``²`` and ``٣``)."""
    return text.isascii() and text.isdigit()


def parse_int(raw: object, *, low: int = 1, high: int = ID_MAX) -> int | None:
    """``raw`` as an integer in ``low``..``high``: ASCII digits (surrounding spaces allowed) or an
    ``int``; anything else — a sign, ``1_000``, ``²``, a bool, out of range — is None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = "" if raw is None else str(raw).strip()
        # The length check first: int() of a very long string costs time (and Python refuses it).
        if not is_ascii_digits(text) or len(text) > len(str(high)) + 2:
            return None
        value = int(text)
    return value if low <= value <= high else None


def parse_id(raw: object) -> int | None:
    """A record id (1..2**31-1) or None."""
    return parse_int(raw)


def parse_ids(values: Iterable[object]) -> list[int]:
    """The valid ids among ``values``, in order, once each."""
    ids: list[int] = []
    for value in values:
        record_id = parse_id(value)
        if record_id is not None and record_id not in ids:
            ids.append(record_id)
    return ids


def parse_date(raw: object) -> date | None:
    """An ISO date (``YYYY-MM-DD``) within ``DATE_MIN``..``DATE_MAX``, a ``date`` in that range, or None."""
    if isinstance(raw, date):
        value: date | None = raw
    else:
        text = "" if raw is None else str(raw).strip()
        if not _ISO_DATE.fullmatch(text):
            return None
        try:
            value = date.fromisoformat(text)
        except ValueError:
            return None
    return value if value is not None and DATE_MIN <= value <= DATE_MAX else None


def date_error(raw: object) -> str | None:
    """The message a date field shows for ``raw`` (None when it is a good date or empty)."""
    text = "" if raw is None else str(raw).strip()
    if not text or parse_date(text) is not None:
        return None
    if _ISO_DATE.fullmatch(text):
        try:
            date.fromisoformat(text)
        except ValueError:
            return "Enter a real date (YYYY-MM-DD)."
        return f"Enter a date between {DATE_MIN.year} and {DATE_MAX.year}."
    return "Enter a date as YYYY-MM-DD."


def _control(ch: str) -> bool:
    # Cc: C0/C1 controls (NUL, CR, LF, ESC...); Cs: lone surrogates, which no database encoding holds.
    return unicodedata.category(ch) in ("Cc", "Cs")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True when ``text`` holds NUL or another control character (newline and tab allowed in long text)."""
    keep = _LONG_TEXT_KEEPS if multiline else frozenset()
    return any(_control(ch) and ch not in keep for ch in text)


def clean_text(raw: object, *, multiline: bool = False) -> str:
    """``raw`` without NUL and other control characters; long text keeps newline and tab (``\\r\\n``
    becomes ``\\n``), one-line text turns them into spaces."""
    text = "" if raw is None else str(raw)
    if multiline:
        text = text.replace("\r\n", "\n")
        keep = _LONG_TEXT_KEEPS
    else:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ").replace("\r", " ")
        keep = frozenset()
    if not any(_control(ch) and ch not in keep for ch in text):
        return text
    return "".join(ch for ch in text if not _control(ch) or ch in keep)


def form_text(data: Mapping[str, Any], name: str, limit: int, required: str | None = None) -> str:
    """A submitted text value, stripped. ``ServiceError`` at ``name`` when it is not text, when it is
    empty and ``required`` (that message), or when it is longer than ``limit``."""
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ServiceError("Enter text.", name)
    value = value.strip()
    if required and not value:
        raise ServiceError(required, name)
    if len(value) > limit:
        raise ServiceError(f"Use at most {limit:,} characters.", name)
    return value


# What a checkbox or a service caller may send for "yes" (a checkbox sends "y"; a test or task may pass True).
TRUE_WORDS = ("y", "yes", "on", "true", "1")


def form_flag(data: Mapping[str, Any], name: str) -> bool:
    """A submitted yes/no: one of ``TRUE_WORDS`` (or True) is yes, anything else no."""
    value = data.get(name)
    if isinstance(value, str):
        return value.strip().lower() in TRUE_WORDS
    return bool(value)


def form_ids(raw: Iterable[object] | None, name: str, message: str) -> set[int]:
    """The record ids a form sent (blanks left out): ``ServiceError(message)`` at ``name`` when one
    is not an id (``parse_id``: ASCII digits in 1..2³¹−1)."""
    ids = set()
    for value in raw or []:
        if value in (None, "", 0):
            continue
        record_id = parse_id(value)
        if record_id is None:
            raise ServiceError(message, name)
        ids.add(record_id)
    return ids


def strip_line(value: object) -> object:
    """WTForms filter for one-line fields: control characters out (non-strings pass through)."""
    return clean_text(value) if isinstance(value, str) else value


def strip_long(value: object) -> object:
    """WTForms filter for long text: control characters out, newline and tab kept."""
    return clean_text(value, multiline=True) if isinstance(value, str) else value


# --- query-string filters -------------------------------------------------------------------------


def query_id(args: Mapping[str, str], name: str) -> int | None:
    """An id filter (``?owner=12``); anything unusable is None ("any")."""
    return parse_id(args.get(name))


def query_date(args: Mapping[str, str], name: str) -> date | None:
    """A date filter (``?end=2026-06-30``) within the sane range, or None."""
    return parse_date(args.get(name))


def query_text(args: Mapping[str, str], name: str, *, limit: int = 160) -> str:
    """A search box or text filter: one line, no control characters, trimmed, at most ``limit`` long."""
    return " ".join(clean_text(args.get(name) or "").split())[:limit]


def query_choice(args: Mapping[str, str], name: str, choices: Iterable[str], default: str = "") -> str:
    """One of ``choices`` or ``default``."""
    value = (args.get(name) or "").strip()
    return value if value in set(choices) else default


class IdConverter(IntegerConverter):
    """The ``int`` URL converter bounded to record ids: ``/goals/2147483648`` (or ``/goals/²``) is
    no match, so a 404, before any loader runs. ``create_app`` installs it as ``int`` before the
    blueprints register: ``app.url_map.converters["int"] = IdConverter``."""

    regex = r"[0-9]+"

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)
