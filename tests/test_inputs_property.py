"""No input is a 500: generated values for every route argument, query-string filter and form field.

The routes come from the URL map; the query-string names each view reads are found by asking the
view (a first GET with a request whose argument dictionary records every name looked up), and the
forms from the POST forms on the GET pages' HTML. A new route, filter or form is therefore covered
without editing this file. Hypothesis then sends values chosen to break parsers — ids beyond 32
bits, Unicode digits, huge page numbers, dates at the ends of the calendar, NUL and CR/LF — and
every answer must be below 500. On PostgreSQL (CI) this is where NUL and 32-bit overflow matter.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict

from tests import factories
from tests.web.walk import fetch, record_ids, routes

NASTY = [
    "2147483648",
    "2147483647",
    "0",
    "-1",
    "²",
    "١٢",
    "999999999999999999",
    "99999999999999999999999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "a\x00b",
    "\x00",
    "/\r\nx",
    "%",
    "\\",
    "1e9",
    " 1 ",
    "me",
    "none",
    "\ud800",
    "x" * 5000,
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(2**40), max_value=2**64).map(str),
    st.text(max_size=40),
)
ROUTE_IDS = st.one_of(st.integers(min_value=0, max_value=2**64), st.sampled_from([2**31, 2**31 - 1, 2**63]))
EXAMPLES = settings(
    max_examples=3, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)
SKIP_ENDPOINTS = {"static"}
NOT_FIELDS = {"csrf_token"}


class _Recording(ImmutableMultiDict):
    """Records every name a view looks up (``get``, ``getlist``, ``[]``, ``in``)."""

    seen: set[str] = set()

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        self.seen.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self.seen.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        self.seen.add(key)
        return super().__contains__(key)


class _RecordingRequest(Request):
    parameter_storage_class = _Recording


class _Forms(HTMLParser):
    """The POST forms of a page: (action, field names)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []
        self._open: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attr = dict(attrs)
        if tag == "form" and (attr.get("method") or "").lower() == "post":
            self._open = (attr.get("action") or "", [])
        elif (
            self._open
            and tag in ("input", "select", "textarea")
            and attr.get("name")
            and (attr.get("type") or "").lower() not in ("submit", "button", "image")
        ):
            self._open[1].append(attr["name"])

    def handle_endtag(self, tag):
        if tag == "form" and self._open:
            self.forms.append(self._open)
            self._open = None


def _read_names(client, url: str) -> set[str]:
    _Recording.seen = set()
    fetch(client, "GET", url)
    return set(_Recording.seen)


def _encoded(values: dict[str, str]) -> str:
    """``values`` URL-encoded as a raw client sends them: a lone surrogate ("\ud800") goes out as the
    invalid UTF-8 bytes it stands for, which no browser would send but anyone can."""
    return urlencode({name: value.encode("utf-8", "surrogatepass") for name, value in values.items()})


def _check(client, method: str, url: str, **kwargs) -> None:
    response = fetch(client, method, url, **kwargs)
    assert response.status_code < 500, f"{method} {url} {kwargs} -> {response.status_code}"


def _get_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint not in SKIP_ENDPOINTS and not rule.rule.startswith("/p/<slug>")
    ]


def _fill(rule, given_values: dict[str, object]) -> str:
    """The rule's path with ``given_values`` put in as they are (no converter check: that is the point)."""
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(r"<(?:[^:<>]+:)?" + name + r">", str(given_values[name]), path)
    return path


def _fuzz(strategy, check) -> None:
    """Run ``check`` on a few values drawn from ``strategy`` (the smallest failing one is reported)."""

    @EXAMPLES
    @given(strategy)
    def run(value):
        check(value)

    run()


@pytest.fixture
def fuzz_app(app, world, monkeypatch):
    monkeypatch.setattr(app, "request_class", _RecordingRequest)
    factories.seed_records(app, world.home)
    return app


# Three parts, each its own test so the parallel run spreads them: query-string filters of every GET page,
# ids in every route, and every POST form found on the pages.
PARTS = ("filters", "ids", "forms")


@pytest.mark.parametrize("part", PARTS)
def test_no_input_gives_a_5xx(fuzz_app, world, login_as, part):
    app = fuzz_app
    ids = record_ids(app, world.home.id)
    coordinator = login_as("coordinator")
    anonymous = app.test_client()
    pages: list[tuple[object, str, str]] = []  # (client, endpoint, url) of every GET page

    for endpoint, method, url in routes(app, world.home.slug, ids):
        if method == "GET":
            pages.append((coordinator, endpoint, url))
    for rule in _get_rules(app):
        values = {name: ("1" if name.endswith("_id") else "x") for name in rule.arguments}
        for client in (coordinator, anonymous):
            pages.append((client, rule.endpoint, _fill(rule, values)))
    assert len(pages) > 40, "the walk found suspiciously few GET pages"

    forms: dict[str, list[str]] = {}
    for client, _endpoint, url in pages:
        if part == "filters":
            names = sorted(_read_names(client, url))
            _fuzz(
                st.fixed_dictionaries({name: VALUES for name in names}),
                lambda args, client=client, url=url: _check(client, "GET", url + "?" + _encoded(args)),
            )
        if part == "forms" and client is coordinator:
            page = _Forms()
            page.feed(fetch(client, "GET", url).get_data(as_text=True))
            for action, fields in page.forms:
                fields = [f for f in fields if f not in NOT_FIELDS]
                if fields and urlsplit(action).path.startswith("/"):
                    forms.setdefault(urlsplit(action).path, sorted(set(fields)))

    # Route arguments: ids beyond 32 bits (and every other number) on every rule that takes one.
    for endpoint, _method, _url in routes(app, world.home.slug, ids) if part == "ids" else ():
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        numbered = sorted(name for name in rule.arguments if name.endswith("_id"))
        if not numbered or "GET" not in rule.methods:
            continue

        _fuzz(
            st.fixed_dictionaries({name: ROUTE_IDS for name in numbered}),
            lambda values, rule=rule: _check(coordinator, "GET", _fill(rule, {"slug": world.home.slug, **values})),
        )

    if part != "forms":
        return
    assert forms, "no POST form found on any page"
    for action, fields in sorted(forms.items(), key=lambda item: (not item[0].startswith("/p/"), item[0])):
        _fuzz(
            st.fixed_dictionaries({name: VALUES for name in fields}),
            lambda data, action=action: _check(
                coordinator, "POST", action, data=_encoded(data), content_type="application/x-www-form-urlencoded"
            ),
        )
