"""The setup guide in a real browser, on the demo data, at 1280 and 390 px: the toolkit's guidance opens
under its question, a coordinator records an answer (a refusal lands at the field), the page passes
axe and never scrolls sideways; an observer reads the answers and has nothing to record with."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from partnership_hub.demo import DEMO_DOMAIN, DEMO_PASSWORD
from partnership_hub.setup.services import ANSWER_MAX
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
BASE_PATH = "/p/front-range/setup"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "setup-guide"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def sign_in(browser, base: str, who: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("Email address").fill(f"{who}@{DEMO_DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")
    return context, page


def fits(page) -> None:
    assert page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)") == 0


@pytest.fixture
def demo(demo_server):
    _app, base = demo_server
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return base


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_coordinator_reads_the_guidance_and_records_an_answer(browser, demo, width):
    context, page = sign_in(browser, demo, "coordinator", WIDTHS[width])
    try:
        page.goto(demo + BASE_PATH)
        expect(page.get_by_role("heading", level=1)).to_have_text("Toolkit setup guide")
        fits(page)
        assert_accessible(page)

        # The guidance is collapsed under its question; it opens in place.
        item = page.locator("#item-trauma_informed")
        guidance = item.locator("details.setup-guidance")
        expect(guidance.get_by_text("Realize the widespread impact of trauma", exact=False)).to_be_hidden()
        guidance.locator("summary").click()
        expect(guidance.get_by_text("Realize the widespread impact of trauma", exact=False)).to_be_visible()
        expect(guidance).to_contain_text("Trustworthiness and transparency")

        # A refusal comes back at the field, under the same question.
        item = page.locator("#item-conflict")
        item.locator("details.setup-record summary").click()
        item.get_by_label("Answer or note").fill("x" * (ANSWER_MAX + 1))
        item.get_by_role("button", name=re.compile("Record answer")).click()
        item = page.locator("#item-conflict")
        expect(item.locator(".field-error")).to_contain_text(f"Use at most {ANSWER_MAX:,} characters.")
        expect(item.get_by_label("Answer or note")).to_have_attribute("aria-invalid", "true")
        fits(page)
        assert_accessible(page)

        # A good answer is recorded with who and when, and the question is addressed.
        item.get_by_label("Answer or note").fill("The coordinators mediate first; the full group decides.")
        item.get_by_role("button", name=re.compile("Record answer")).click()
        item = page.locator("#item-conflict")
        expect(item.locator(".setup-answer")).to_contain_text("Answer recorded by Dana Whitfield on")
        expect(item.locator(".setup-answer")).to_contain_text("The coordinators mediate first")
        expect(item.locator(".setup-status")).to_have_text("Done")
        expect(page.get_by_text("Answer recorded.", exact=True)).to_be_visible()
        fits(page)
        assert_accessible(page)
        page.screenshot(path=str(SCREENSHOTS / f"coordinator-{width}.png"), full_page=False)
        page.locator("#section-trust").screenshot(path=str(SCREENSHOTS / f"coordinator-{width}-answer.png"))
    finally:
        context.close()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_observer_reads_answers_and_guidance_only(browser, demo, width):
    context, page = sign_in(browser, demo, "helen.cho", WIDTHS[width])
    try:
        page.goto(demo + BASE_PATH)
        item = page.locator("#item-trust")
        expect(item.locator(".setup-answer")).to_contain_text("A short check-in round opens every meeting")
        expect(page.locator("details.setup-record")).to_have_count(0)
        expect(page.get_by_role("button", name=re.compile("Mark as addressed"))).to_have_count(0)
        item.locator("details.setup-guidance summary").click()
        expect(item.locator("details.setup-guidance")).to_contain_text("Trustworthiness and transparency")
        fits(page)
        assert_accessible(page)
        item.screenshot(path=str(SCREENSHOTS / f"observer-{width}-guidance.png"))
    finally:
        context.close()
