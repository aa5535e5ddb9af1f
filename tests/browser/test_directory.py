"""The member directory, resource map, profile and setup guide in a real browser, on the demo data:
adding an organization shows up in coverage, search filters as you type, every page passes axe."""

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


PAGES = (
    "/profile",
    "/profile/edit",
    "/organizations",
    "/organizations/new",
    "/sectors",
    "/coverage",
    "/networks",
    "/resources",
    "/resources/new",
    "/planning",
    "/orientation",
    "/orientation/manage",
    "/setup",
)


def test_directory_pages_are_accessible(demo_page):
    page, base = demo_page
    for path in PAGES:
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)


def test_a_new_organization_fills_a_gap_in_coverage(demo_page):
    page, base = demo_page
    page.goto(base + "/coverage")
    gaps = page.get_by_role("heading", name=re.compile("Have you considered inviting")).locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(gaps).to_contain_text("Probation Services")

    page.goto(base + "/organizations/new")
    page.get_by_label("Organization name").fill("Tenth Judicial District Probation")
    page.get_by_label("Probation Services").check()
    page.get_by_label("Prevention").check()
    page.get_by_role("button", name="Add organization").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tenth Judicial District Probation")

    page.goto(base + "/coverage")
    expect(gaps).not_to_contain_text("Probation Services")


def test_searching_organizations_as_you_type(demo_page):
    page, base = demo_page
    page.goto(base + "/organizations")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("Search").fill("Harbor")
    expect(page.get_by_role("link", name="Front Range Safe Harbor")).to_be_visible()
    expect(page.get_by_role("link", name="Mile High Community Health Center")).to_have_count(0)
    assert page.evaluate("window.__marker") == "same page"
    expect(page).to_have_url(re.compile(r"q=Harbor"))
