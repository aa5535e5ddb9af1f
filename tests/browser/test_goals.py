"""Goals in a real browser, on the demo data: every goals page passes axe, and posting progress
with htmx updates the objective in place (no page load)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from partnership_hub.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
BASE_PATH = "/p/front-range"


@pytest.fixture
def demo_page(demo_server, page):
    _app, base = demo_server
    page.goto(base + "/login")
    page.get_by_label("Email address").fill("coordinator@demo.partnershiphub.local")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")
    return page, base + BASE_PATH


def test_goals_pages_are_accessible_and_an_update_posts_in_place(demo_page):
    page, base = demo_page
    for path in ("/goals", "/goals?group=p", "/goals/report", "/goals/new"):
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)

    page.goto(base + "/goals")
    page.get_by_role("link", name="Train 200 frontline workers to identify trafficking").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Train 200 frontline workers")
    assert_accessible(page)

    page.evaluate("window.__marker = 'same page'")
    objective = page.locator("article", has=page.get_by_role("heading", name="Frontline workers trained"))
    objective.get_by_label("New value (people)").fill("lots")
    objective.get_by_role("button", name="Post update").click()
    expect(page.locator("article", has=page.get_by_role("heading", name="Frontline workers trained"))).to_contain_text(
        "Enter a number in people."
    )
    objective = page.locator("article", has=page.get_by_role("heading", name="Frontline workers trained"))
    objective.get_by_label("New value (people)").fill("180")
    objective.get_by_label("Note").fill("Two more cohorts")
    objective.get_by_role("button", name="Post update").click()
    objective = page.locator("article", has=page.get_by_role("heading", name="Frontline workers trained"))
    expect(objective).to_contain_text("now 180")
    expect(objective.locator("progress")).to_have_attribute("value", "90")
    assert page.evaluate("window.__marker") == "same page"
    assert_accessible(page)
