"""Small format rules shared by the areas: what counts as a web address, how long a text column's
values may be, CSV cells that a spreadsheet can't turn into formulas, and Markdown made safe HTML."""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup
from sqlalchemy import ColumnElement, String

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters that show nothing (format and control characters, separators, combining marks, the
# Hangul fillers): a spreadsheet may drop them, so they can't hide a formula's first character.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"})
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0")
# Visible ASCII that starts no formula: a cell starting with one is plain text, decided without
# Unicode look-ups (most cells of an export: a name, a number, a date, "yes").
_PLAIN_STARTS = frozenset(map(chr, range(0x21, 0x7F))) - frozenset("=+-@")


def is_web_address(value: str) -> bool:
    """An absolute http(s) address with a dotted host name, and nothing a browser would read differently."""
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        return False
    try:
        parts = urlsplit(value)
        hostname = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and hostname is not None and "." in hostname.strip(".")


def max_length(column: ColumnElement[Any]) -> int:
    """The longest value a VARCHAR column takes, from the schema (so forms and services can't drift from it)."""
    if not isinstance(column.type, String) or column.type.length is None:
        raise TypeError(f"column {column} has no declared length")
    return column.type.length


def _looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula: its first visible character, in its
    compatibility form (a full-width ``＝`` is ``=``), starts one."""
    if text.startswith(FORMULA_STARTS):
        return True
    for ch in text:  # up to the first visible character only: a long cell costs no more
        folded = unicodedata.normalize("NFKC", ch)
        if all(c in _INVISIBLE or unicodedata.category(c) in _INVISIBLE_CATEGORIES for c in folded):
            continue
        return folded.startswith(FORMULA_STARTS)
    return False


def spreadsheet_cell(value: object) -> str:
    """The value as CSV text a spreadsheet shows rather than evaluates (formula-like text gets a ``'``)."""
    text = "" if value is None else str(value)
    if not text or text[0] in _PLAIN_STARTS:
        return text
    return "'" + text if _looks_like_formula(text) else text


# --- Markdown (minutes, guidelines) ------------------------------------------------------------

MARKDOWN_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
})  # fmt: skip
MARKDOWN_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"}}
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def render_markdown(text: str, *, top_headings: bool = True) -> Markup:
    """Markdown people wrote as safe HTML: raw HTML in it is shown as text (markdown-it with html off),
    and the result keeps only ``MARKDOWN_TAGS`` with links to http(s) and mail addresses (nh3).
    ``top_headings=False`` drops h1/h2 for text shown under a page's own h2 (their words stay)."""
    if not text:
        return Markup("")
    tags = set(MARKDOWN_TAGS) if top_headings else set(MARKDOWN_TAGS - {"h1", "h2"})
    cleaned = nh3.clean(
        _markdown.render(text),
        tags=tags,
        attributes=MARKDOWN_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        filter_style_properties={"text-align"},
    )
    return Markup(cleaned)  # noqa: S704 - cleaned by nh3 with an allow-list just above
