"""The survivor advisory board in a real browser, on the demo data (a board chaired by Amara Okafor with
two advisors, a restricted discussion, payments, a pending request, an assessment with two rounds):
the chair reads and replies in the restricted area and reviews who read it; a coordinator keeps the
roster but gets a 404 at the restricted area's door; an advisor answers a request from their inbox and
keeps their contact preferences; awareness days and the funding board are there for the coordinator.
Every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from partnership_hub.demo import DEMO_DOMAIN
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser
BASE_PATH = "/p/front-range"


def _context(browser, demo_base, local: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, demo_base, f"{local}@{DEMO_DOMAIN}")
    return context, page


def test_the_chair_uses_the_restricted_area_and_reviews_who_read_it(browser, demo_base):
    context, page = _context(browser, demo_base, "amara.okafor")
    try:
        page.goto(demo_base + BASE_PATH + "/advisory")
        expect(page.get_by_role("heading", level=1)).to_have_text("Survivor advisory board")
        roster = page.locator("section", has=page.get_by_role("heading", name="Who sits on the board"))
        for name in ("Amara Okafor", "Jordan Reyes", "Noor Haddad"):
            expect(roster).to_contain_text(name)
        assert_accessible(page)

        page.goto(demo_base + BASE_PATH + "/advisory/restricted/threads")
        page.get_by_role("link", name="Feedback on the first-responder training").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Feedback on the first-responder training")
        assert_accessible(page)
        page.get_by_label("Your reply").fill("Agreed: let's add a break before the role play.")
        page.get_by_role("button", name="Post your reply").click()
        expect(page.get_by_text("let's add a break before the role play")).to_be_visible()

        page.goto(demo_base + BASE_PATH + "/advisory/access-log")
        expect(page.get_by_role("heading", level=1)).to_have_text("Who read the board's records")
        expect(page.locator("main table")).to_contain_text("Amara Okafor")
        assert_accessible(page)
    finally:
        context.close()


def test_a_coordinator_keeps_the_roster_but_not_the_board_s_space(browser, demo_base):
    context, page = _context(browser, demo_base, "coordinator")
    try:
        page.goto(demo_base + BASE_PATH + "/advisory")
        expect(page.get_by_role("link", name="Give someone a seat")).to_be_visible()
        expect(page.get_by_text("Coordinators keep the roster but do not read the board's space")).to_be_visible()
        expect(page.get_by_text("Feedback on the first-responder training")).to_have_count(0)
        response = page.goto(demo_base + BASE_PATH + "/advisory/restricted")
        assert response is not None and response.status == 404
        for path, heading in (
            ("/advisory/compensation", "Compensation"),
            ("/advisory/requests/all", "Every request to the board"),
            ("/advisory/consent", "Story & image consent"),
            ("/advisory/framework", "Confidentiality framework"),
            ("/advisory/assessment", "Trauma-informed practice"),
            ("/awareness", "Awareness days"),
            ("/awareness/calendar?year=2027", "Awareness days in 2027"),
            ("/awareness/campaigns", "Campaign plans"),
            ("/funding", "Funding"),
            ("/funding/in-kind", None),
            ("/funding/in-kind/needs", None),
        ):
            answer = page.goto(demo_base + BASE_PATH + path)
            assert answer is not None and answer.status == 200, path
            if heading:
                expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
            assert_accessible(page)
    finally:
        context.close()


def test_an_advisor_answers_a_request_and_keeps_their_preferences(browser, demo_base):
    context, page = _context(browser, demo_base, "jordan.reyes")
    try:
        page.goto(demo_base + BASE_PATH + "/advisory/requests/inbox")
        assert_accessible(page)
        accept = page.get_by_role("button", name=re.compile("^Accept", re.I)).first
        expect(accept).to_be_visible()
        accept.click()
        expect(page.locator(".flashes, [role=status], .alert").first).to_be_visible()

        page.goto(demo_base + BASE_PATH + "/advisory/safety")
        expect(page.get_by_role("heading", level=1)).to_have_text("Contact and safety")
        assert_accessible(page)
        page.get_by_label("Safe mode for email").check()
        page.get_by_role("button", name="Save my preferences").click()
        expect(page.get_by_label("Safe mode for email")).to_be_checked()
    finally:
        context.close()
