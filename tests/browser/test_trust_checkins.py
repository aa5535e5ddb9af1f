"""Trust check-ins in a real browser, on the demo data: the open check-in shows only its count and the
threshold, the coordinator answers it anonymously (the form works with the keyboard-usable radios),
the count moves and nothing else appears; past results trend in a chart beside a table. Every page
passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from partnership_hub import toolkit
from partnership_hub.demo import DEMO_DOMAIN
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser
BASE_PATH = "/p/front-range"


def sign_in(page, base: str, local: str) -> None:
    log_in(page, base, f"{local}@{DEMO_DOMAIN}")


def test_answering_the_check_in_and_the_threshold_message(browser, demo_base):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, demo_base, "coordinator")
        page.goto(demo_base + BASE_PATH + "/governance/checkins")
        expect(page.get_by_role("heading", level=1)).to_have_text("Trust check-ins")
        current = page.locator("section", has=page.get_by_role("heading", name="Current check-in"))
        expect(current.get_by_text("2 of 5 responses so far — results appear at 5")).to_be_visible()
        # The two closed check-ins trend in a chart, with every value in the table beside it.
        expect(page.get_by_role("img", name=re.compile("Average answers of each check-in"))).to_be_visible()
        expect(page.get_by_role("table").first).to_contain_text("2.8")
        assert_accessible(page)

        current.get_by_role("link", name="Answer the check-in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Trust check-in")
        assert_accessible(page)
        for question, score in zip(toolkit.TRUST_CHECKIN_QUESTIONS, ("4", "3", "5", "2"), strict=True):
            group = page.get_by_role("group", name=question.description)
            group.get_by_label(re.compile(rf"^{score} –")).check()
        page.get_by_label("Anything you want to add (optional)").fill("More time for questions, please.")
        page.get_by_role("button", name="Send my answer").click()

        expect(page.get_by_text("Thank you: your answer was recorded, without your name.")).to_be_visible()
        expect(page.get_by_text("3 of 5 responses so far — results appear at 5")).to_be_visible()
        expect(page.get_by_text("You have answered this check-in.")).to_be_visible()
        expect(page.get_by_text("More time for questions, please.")).to_have_count(0)
        expect(page.get_by_role("link", name="Answer the check-in")).to_have_count(0)
        assert_accessible(page)
    finally:
        context.close()
