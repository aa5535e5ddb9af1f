"""Meeting health and the home's "Your next meetings" in a real browser, on the demo data: the
coordinator sees the numbers and sets the intended frequency; a member sees the next meeting on their
home with their RSVP state and a link to answer. Both pages pass axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from partnership_hub.demo import DEMO_DOMAIN
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser
BASE_PATH = "/p/front-range"


def sign_in(page, base: str, local: str) -> None:
    log_in(page, base, f"{local}@{DEMO_DOMAIN}")


def test_a_coordinator_reads_meeting_health_and_changes_the_intended_frequency(browser, demo_base):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, demo_base, "coordinator")
        page.goto(demo_base + BASE_PATH + "/meetings/health")
        expect(page.get_by_role("heading", level=1)).to_have_text("Meeting health")
        expect(page.get_by_role("heading", name="Attendance")).to_be_visible()
        expect(page.get_by_role("region", name="How often you meet")).to_contain_text("means to meet every")
        assert_accessible(page)
        page.get_by_text("How often do you mean to meet?").click()
        page.get_by_label("The partnership means to meet every … weeks").fill("2")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("The partnership means to meet every 2 weeks.")).to_be_visible()
    finally:
        context.close()


def test_a_member_sees_her_next_meetings_on_her_home(browser, demo_base):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, demo_base, "priya.raman")
        page.goto(demo_base + BASE_PATH + "/")
        meetings = page.locator("section.your-work")
        expect(meetings.get_by_role("heading", name="Your next meetings")).to_be_visible()
        expect(meetings.get_by_role("link", name="Planning team: spring training", exact=True)).to_be_visible()
        expect(meetings.get_by_role("link", name=re.compile(r"^(Answer|Change your answer)"))).not_to_have_count(0)
        # The board's meeting is at the advisory level: Priya holds the chair's grant in the demo (she
        # co-plans a training with the board), so it is on her list; Marcus, with no grant, never sees it.
        expect(meetings.get_by_role("link", name="Survivor advisory board")).not_to_have_count(0)
        assert_accessible(page)
        context.clear_cookies()
        sign_in(page, demo_base, "marcus.bell")
        page.goto(demo_base + BASE_PATH + "/")
        expect(page.locator("section.your-work").get_by_role("link", name="Survivor advisory board")).to_have_count(0)
    finally:
        context.close()
