"""Browser fixtures: the app served on a real port, driven by Debian's Chromium via Playwright.

Chromium comes from the system packages, never from a browser download: Debian's
``chromium-headless-shell`` where it is installed (the same Blink and V8 without the full browser's
user interface: tests/browser took a third less time and processor), else ``chromium``. Where
neither is there the browser tests fail in CI (BROWSER_TESTS=1 or CI set) and are skipped with that
reason elsewhere.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = (
    os.environ.get("CHROMIUM_PATH")
    or shutil.which("chromium-headless-shell")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
BROWSER_REQUIRED = bool(os.environ.get("CI") or os.environ.get("BROWSER_TESTS"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Where the live server hands out axe-core (the copy axe-playwright-python ships), beside the app.
AXE_PATH = "/__tests__/axe.min.js"
_serving_axe: set[str] = set()  # the origins (scheme://host:port) of the live servers


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        message = "Chromium is not installed (apt-get install chromium)"
        if BROWSER_REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def served_app(shared_app):
    """The session's default app, served on a free local port from a thread for the whole run
    (building an app for each browser test cost a few tenths of a second)."""
    app, _config = shared_app
    server = make_server("127.0.0.1", 0, _with_axe(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    _serving_axe.add(base)
    yield base
    _serving_axe.discard(base)
    server.shutdown()
    thread.join(timeout=10)


def _with_axe(app):
    """``app``, and axe-core's script at ``AXE_PATH`` (cacheable for an hour). A page loads it as a
    same-origin script (the app's CSP allows those) instead of Playwright sending its 570 KB through
    the DevTools pipe and the browser process on every check: half the cost of putting axe in a page."""
    from axe_playwright_python.base import AXE_FILE_PATH
    from werkzeug.wrappers import Response

    script = Response(AXE_FILE_PATH.read_bytes(), mimetype="text/javascript")
    script.cache_control.max_age = 3600

    def wsgi(environ, start_response):
        if environ.get("PATH_INFO") == AXE_PATH:
            return script(environ, start_response)
        return app(environ, start_response)

    return wsgi


@pytest.fixture
def live_server(csrf_app, served_app):
    """The app with CSRF on, as a person gets it, on a real port: (app, base URL). Links in its
    email point at the server. The browser may keep the stylesheet and scripts for an hour instead
    of asking again on every page (Flask's default: three more requests to the app per page; each
    test's browser context starts with an empty cache). ``app`` puts the settings back."""
    csrf_app.config["BASE_URL"] = served_app
    csrf_app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    return csrf_app, served_app


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page) -> None:
    """Run axe-core (WCAG 2.2 A/AA rules) on the current page and fail on any violation.

    axe comes from the live server (``AXE_PATH``) once per document: a page changed in place (htmx)
    is checked with the copy already in it. A page from elsewhere gets it through Playwright."""
    from urllib.parse import urlsplit

    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        url = urlsplit(page.url)
        if (origin := f"{url.scheme}://{url.netloc}") in _serving_axe:
            page.add_script_tag(url=origin + AXE_PATH)
        else:
            page.evaluate(AXE_SCRIPT)
    # Only violations come back in full: axe's passes and inapplicable rules would double the time.
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = page.evaluate("options => axe.run(document, options)", options)["violations"]
    assert not violations, f"{page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )


@pytest.fixture(scope="session")
def demo_rows(shared_app, owner_engine):
    """The rows ``partnership_hub.demo.seed`` writes, seeded once through the services on the empty
    schema (as the ``world`` is): seeding takes a second or more, writing its rows back milliseconds.
    None where the database was not empty (it always is between tests): each test then seeds."""
    from partnership_hub.demo import seed
    from partnership_hub.extensions import db
    from tests.conftest import _clean, _dump

    if _dump(owner_engine):
        return None
    app, _config = shared_app
    try:
        with app.app_context():
            seed()
            db.session.remove()
        return _dump(owner_engine)
    finally:
        _clean(owner_engine)


@pytest.fixture
def demo_server(live_server, demo_rows, owner_engine):
    """``live_server`` with the demo partnership in place (``partnership_hub.demo``): its rows are
    written back, committed, so the test's data is what ``seed()`` writes."""
    from partnership_hub.demo import seed
    from tests.conftest import _restore

    app, base = live_server
    if demo_rows is None:
        with app.app_context():
            seed()
    else:
        _restore(owner_engine, demo_rows)
    return app, base


@pytest.fixture
def demo_base(demo_server):
    """The live server's base URL, with the demo partnership seeded (``partnership_hub.demo``)."""
    return demo_server[1]


def log_in(page, base: str, email: str, password: str | None = None) -> None:
    """Sign in through the real login form (the demo's password unless another is given)."""
    import re

    from partnership_hub.demo import DEMO_PASSWORD

    page.goto(base + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
