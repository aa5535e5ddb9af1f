"""The meetings calendar in a real browser, on the demo data: the month view passes axe and moves
between months; the feed page makes an address shown once, and passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser
BASE_PATH = "/p/front-range"


@pytest.fixture
def demo_page(demo_server, page):
    _app, base = demo_server
    log_in(page, base, "coordinator@demo.partnershiphub.local")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")
    return page, base + BASE_PATH


def test_the_month_view_and_making_a_feed_address(demo_page):
    page, base = demo_page
    page.goto(base + "/meetings")
    page.get_by_role("link", name="Month view").click()
    expect(page.locator("table.month-grid")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Sun")).to_be_visible()
    assert_accessible(page)
    heading = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("navigation", name="Months").get_by_role("link").last.click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(heading)
    page.get_by_role("link", name="Today").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)

    page.get_by_role("link", name="Subscribe in your calendar").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your calendar feed")
    assert_accessible(page)
    page.get_by_role("button", name="Make a feed address").click()
    address = page.get_by_label("Calendar feed address")
    expect(address).to_have_value(re.compile(r"/calendar/\d+-[\w-]+\.ics$"))
    assert_accessible(page)
    expect(page.get_by_role("button", name="Stop the feed")).to_be_visible()
