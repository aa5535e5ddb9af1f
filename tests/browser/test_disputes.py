"""The dispute log in a real browser (desktop), on the demo data: a coordinator logs a dispute and
adds a timeline entry; every page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser
BASE_PATH = "/p/front-range"


@pytest.fixture
def demo_page(demo_server, page):
    _app, base = demo_server
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "coordinator@demo.partnershiphub.local")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")
    return page, base + BASE_PATH


def test_a_coordinator_logs_a_dispute_and_adds_to_its_timeline(demo_page):
    page, base = demo_page
    page.goto(base + "/governance/disputes")
    expect(page.get_by_role("link", name="Which organization leads survivor intake referrals")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Log a dispute").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a dispute")
    assert_accessible(page)
    page.get_by_role("button", name="Log dispute").click()  # nothing filled in: told what is missing
    expect(page.locator("#title-error")).to_contain_text("Give the dispute a short, neutral title")
    page.get_by_label("Title").fill("Data sharing at the referral desk")
    page.get_by_label("Personality-driven").check()
    expect(page.get_by_text("dissipates as relational trust grows")).to_be_visible()  # the toolkit's guidance
    organizations = page.get_by_label("Organizations involved", exact=True)
    values = organizations.locator("option").evaluate_all("options => options.slice(0, 2).map(o => o.value)")
    organizations.select_option(values)
    page.get_by_label("Path chosen").select_option("informal")
    page.get_by_role("button", name="Log dispute").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Data sharing at the referral desk")
    expect(page.get_by_role("status").first).to_contain_text("The dispute was logged")
    assert_accessible(page)
    page.get_by_label("What happened").fill("Spoke with both representatives after the meeting.")
    page.get_by_label("What was agreed").fill("Each writes down what they need from the other.")
    page.get_by_role("button", name="Add entry").click()
    timeline = page.locator("ol.dispute-timeline")
    expect(timeline).to_contain_text("Spoke with both representatives after the meeting.")
    expect(timeline).to_contain_text("Each writes down what they need from the other.")
    assert_accessible(page)
