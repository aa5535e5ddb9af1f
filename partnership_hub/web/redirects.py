"""Where a form may send the browser next: only a path on this site, never another origin."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request

from partnership_hub.parsing import has_control_characters


def safe_next(default: str, *, within: str = "/") -> str:
    """The request's ``next`` (query or form) when it is a local path under ``within``, else ``default``.

    Refuses control characters (CR/LF would split the ``Location`` header), absolute URLs,
    scheme-relative ``//host`` and ``/\\host`` (browsers read a backslash as a slash)."""
    target = request.args.get("next") or request.form.get("next") or ""
    if has_control_characters(target):  # CR/LF would reach the Location header
        return default
    parts = urlsplit(target)
    if (
        target.startswith(within)
        and not target.startswith("//")
        and "\\" not in target
        and not parts.scheme
        and not parts.netloc
    ):
        return target
    return default
