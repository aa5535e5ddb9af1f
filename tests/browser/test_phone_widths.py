"""Every workspace page at a phone's width (390 px), as the demo coordinator: nothing may widen the
page sideways. The pages come from the URL map (tests/web/walk.py), filled with the demo
partnership's records plus the route walk's seed (one record of every kind a route takes), so a new
page is covered without edits. The walk is split in two halves (``SHARDS``), so the parallel run
spreads it over its processes. A screenshot of each page that fails a check goes to
test-artifacts/screenshots/ (kept by CI as an artefact; ignored by git): full-page screenshots of
every page were most of the walk's time.

The phone menu is checked here too: it starts closed, the button opens and Escape closes it, and
without JavaScript the navigation is simply shown."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import select

from partnership_hub.accounts.models import User
from partnership_hub.demo import DEMO_DOMAIN, DEMO_PASSWORD
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Partnership
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.web.walk import admitted_only, record_ids, routes

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "phone-390"
COORDINATOR = f"coordinator@{DEMO_DOMAIN}"
CHAIR = f"amara.okafor@{DEMO_DOMAIN}"
# Lists whose tables stack as cards on a phone: none of their tables may scroll sideways either
# (People's role control, Save and Remove; the report's Target column were out of sight).
STACKED = {
    "workspace.people",
    "workspace.invitations",
    "workspace.planning",
    "workspace.manage_orientation",
    "goals.report",
    "members.organizations",
    "resources.index",
    "audit.index",
    "audit.access_log",
}
SCROLLING_TABLES = """() => [...document.querySelectorAll('main .table-wrap')]
    .filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1)
    .map(wrap => (wrap.querySelector('caption') || wrap).textContent.trim().slice(0, 60))"""
# A label column as wide as its longest label left the values a few letters a line.
NARROWEST_VALUE = """() => Math.min(
    ...[...document.querySelectorAll('main dl.details-list dd')].map(dd => dd.clientWidth))"""


@pytest.fixture
def demo(demo_server):
    """The demo partnership with a record of every kind; (app, base URL, workspace GET urls)."""
    app, base = demo_server
    with app.app_context():
        partnership = db.session.scalars(select(Partnership).where(Partnership.slug == "front-range")).one()
        user = db.session.scalars(select(User).where(User.email == COORDINATOR)).one()
        rec = factories.PartnershipRec(
            partnership.id,
            partnership.slug,
            partnership.name,
            members={"coordinator": factories.UserRec(user.id, user.name, user.email)},
        )
    factories.seed_records(app, rec)
    ids = record_ids(app, rec.id)
    urls = [(endpoint, url) for endpoint, method, url in routes(app, rec.slug, ids) if method == "GET"]
    return app, base, urls


def sign_in(context, base: str, email: str = COORDINATOR):
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")
    return page


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: none)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


class _Answer(NamedTuple):
    status: int
    redirected: bool  # the server answered with a redirect (the browser followed it)
    html: bool  # a whole HTML page (not a download or an htmx fragment)


def _open(page, url: str) -> _Answer:
    """Open ``url`` in ``page``: what the server answered."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in error.message:  # an attachment (CSV): answered, and no page
            return _Answer(200, False, False)
        raise
    assert response is not None, url
    request = response.request
    first = request
    while first.redirected_from is not None:
        first = first.redirected_from
    if first is not request:
        first_response = first.response()
        return _Answer(first_response.status if first_response else 0, True, False)
    html = response.headers.get("content-type", "").startswith("text/html") and "<html" in response.text()
    return _Answer(response.status, False, html)


SHARDS = 2


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_workspace_page_fits_a_phone(browser, demo, shard):
    app, base, all_urls = demo
    urls = all_urls[shard::SHARDS]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=PHONE)
    # The pages an area opens only to the people it admitted (the board's restricted area and the chair's
    # pages) are walked as the demo board's chair, in a context of their own.
    chair_context = browser.new_context(viewport=PHONE)
    try:
        coordinator_page = sign_in(context, base)
        chair_page = sign_in(chair_context, base, CHAIR)
        checked, too_wide, broken, sideways = [], [], [], []
        for endpoint, url in urls:
            gated = admitted_only(endpoint)
            page = chair_page if gated else coordinator_page
            # Each page is opened once, in the browser (asking the server first as well, to see what
            # it answers, cost a second rendering of every page).
            answer = _open(page, base + url)
            if answer.status == 404:
                # A record of the board's (an advisory meeting's agenda item) opens for the chair only; a
                # request the chair was not asked, for the coordinators who oversee them all.
                page = coordinator_page if gated else chair_page
                answer = _open(page, base + url)
            if answer.status == 403 and gated:
                continue  # in the board's space, editing is the author's: the chair is refused some
            if answer.status >= 400:
                broken.append(f"{url} ({endpoint}): {answer.status}")
            if answer.status != 200 or answer.redirected:
                continue  # refused (above) or a permalink that redirects to a page walked anyway
            if not answer.html:
                continue  # downloads (CSV) and htmx fragments (pickers' options) are not pages to look at
            checked.append(endpoint)
            problems = len(too_wide) + len(sideways)
            if (extra := overflow(page)) > 1:
                widest = page.evaluate(
                    """() => {
                        const w = window.innerWidth;
                        const el = [...document.querySelectorAll('main *')]
                          .filter(e => e.getBoundingClientRect().right > w + 1)
                          .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)[0];
                        return el ? el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') : '?';
                    }"""
                )
                too_wide.append(f"{url} ({endpoint}): {extra}px wider than the phone (widest: {widest})")
            if endpoint in STACKED and (tables := page.evaluate(SCROLLING_TABLES)):
                sideways.append(f"{url} ({endpoint}): {tables}")
            if page.locator("main dl.details-list dd").count() and (narrowest := page.evaluate(NARROWEST_VALUE)) < 240:
                sideways.append(f"{url} ({endpoint}): a details value only {narrowest}px wide")
            if len(too_wide) + len(sideways) > problems:
                page.screenshot(path=str(SCREENSHOTS / f"{endpoint}.png"), full_page=True)
    finally:
        context.close()
        chair_context.close()
    assert not broken, "every workspace page should open for the coordinator (or the chair):\n" + "\n".join(broken)
    assert len(checked) >= 30, f"only {len(checked)} pages were checked: {checked}"
    assert not too_wide, "pages that scroll sideways at 390 px:\n" + "\n".join(too_wide)
    assert {endpoint for endpoint, _url in all_urls} >= STACKED, "a stacked list is no longer in the walk"
    mine = STACKED & {endpoint for endpoint, _url in urls}
    assert set(checked) >= mine, f"not walked: {mine - set(checked)}"
    assert not sideways, "tables that scroll sideways or cramped details at 390 px:\n" + "\n".join(sideways)


def test_the_phone_menu_opens_and_closes(browser, demo):
    _app, base, _urls = demo
    context = browser.new_context(viewport=PHONE)
    try:
        page = sign_in(context, base)
        page.goto(base + "/p/front-range/goals")
        menu = page.get_by_role("button", name="Menu")
        nav = page.get_by_role("navigation", name="Partnership")
        expect(menu).to_have_attribute("aria-expanded", "false")
        expect(nav).to_be_hidden()
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(nav.get_by_role("link", name="Goals")).to_have_attribute("aria-current", "page")
        expect(nav.get_by_role("link", name="People")).to_be_visible()
        assert overflow(page) <= 1
        assert_accessible(page)
        page.screenshot(path=str(SCREENSHOTS / "menu-open.png"), full_page=True)
        page.keyboard.press("Escape")
        expect(nav).to_be_hidden()
        expect(menu).to_be_focused()
        expect(menu).to_have_attribute("aria-expanded", "false")
        nav_on_desktop = context.new_page()
        nav_on_desktop.set_viewport_size({"width": 1280, "height": 900})
        nav_on_desktop.goto(base + "/p/front-range/people")
        expect(nav_on_desktop.get_by_role("button", name="Menu")).to_be_hidden()
        desktop_nav = nav_on_desktop.get_by_role("navigation", name="Partnership")
        expect(desktop_nav.get_by_role("link", name="People")).to_be_visible()
        assert_accessible(nav_on_desktop)
    finally:
        context.close()


def test_without_javascript_the_navigation_is_shown(browser, demo):
    _app, base, _urls = demo
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = sign_in(context, base)
        page.goto(base + "/p/front-range/people")
        expect(page.get_by_role("button", name="Menu")).to_be_hidden()
        expect(page.get_by_role("navigation", name="Partnership").get_by_role("link", name="Coverage")).to_be_visible()
        assert overflow(page) <= 1
    finally:
        context.close()
