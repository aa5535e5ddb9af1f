"""Reading account pages in tests: the flashed messages, and a page with its CSRF tokens blanked."""

from __future__ import annotations

import re


def flash(page) -> str:
    """The text of a page's flashed-message region."""
    return page.text.split('id="flash-messages"', 1)[1].split("</div>\n", 1)[0]


def without_token(html: str) -> str:
    """``html`` with its CSRF tokens blanked: they are signed with the time, so two pages asked for a
    second apart differ there and nowhere else."""
    return re.sub(r'(X-CSRFToken": "|name="csrf_token"[^>]*?value=")[^"]+', r"\1TOKEN", html)
