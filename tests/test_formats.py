"""The CSV formula guard (``formats.spreadsheet_cell``): a cell a spreadsheet could evaluate gets a
leading ``'``, however its first character is disguised."""

from __future__ import annotations

import pytest

from partnership_hub.formats import spreadsheet_cell


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        '\uff1dHYPERLINK("http://x")',  # full-width equals sign
        "\uff0b1 555",  # full-width plus
        "\uff0d2",  # full-width hyphen-minus
        "\uff20SUM(A1)",  # full-width commercial at
        "\ufe66cmd",  # small equals sign
        "\u200b=1+1",  # zero-width space
        "\u200c\u200d=1+1",  # zero-width non-joiner and joiner
        "\u2060+1",  # word joiner
        "\ufeff-1",  # byte order mark
        "\u00ad@SUM(A1)",  # soft hyphen
        "\u202e=1",  # right-to-left override
        "\u3164=1",  # Hangul filler
        "\u00a0=1",  # no-break space
        "\u200b\uff1d1",  # both at once
    ],
)
def test_disguised_formula_starts_get_the_guard(value):
    assert spreadsheet_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    ["Safe House", "Plain = text", "a\u200b=b", "\u200bSafe", "\uff21BC", "café", "１２３", ""],
)
def test_ordinary_text_is_left_alone(value):
    assert spreadsheet_cell(value) == value


def test_the_quick_answer_for_plain_first_characters_agrees_with_the_full_rule():
    """Cells starting with visible ASCII skip the Unicode look-ups: for every first character up to
    U+FFFF, followed by a formula or by plain text, the guard decides as the full rule does."""
    from partnership_hub.formats import _looks_like_formula

    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue  # surrogates are no characters of a str from a form or the database
        for rest in ("=1+1", "x"):
            text = chr(code) + rest
            assert spreadsheet_cell(text) == ("'" + text if _looks_like_formula(text) else text), hex(code)
