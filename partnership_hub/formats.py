"""Small format rules shared by the areas: what counts as a web address, and CSV cells that a
spreadsheet can't turn into formulas."""

from __future__ import annotations

from urllib.parse import urlsplit

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
    return parts.scheme.lower() in ("http", "https") and bool(hostname) and "." in hostname.strip(".")


def spreadsheet_cell(value: object) -> str:
    """The value as CSV text a spreadsheet shows rather than evaluates (formula-like text gets a ``'``)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
