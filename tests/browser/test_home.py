"""The workspace home in a real browser, on the demo data, at 1280 px and 390 px, as the demo
coordinator, a member (Priya) and the observer: "Your work" comes first with the person's own items,
the page passes axe and never scrolls sideways. Screenshots go to test-artifacts/screenshots/home/
(kept by CI as artefacts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from partnership_hub.demo import DEMO_DOMAIN
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, create_partnership, create_user

pytestmark = pytest.mark.browser
BASE_PATH = "/p/front-range"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "home"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# What each person's "Your work" must show (from the demo seed), and what it must not.
EXPECTED = {
    "coordinator": (["Circulate the draft memorandum of understanding"], ["Draft the shared referral protocol"]),
    "priya.raman": (["Draft the shared referral protocol"], ["Circulate the draft memorandum of understanding"]),
    "amara.okafor": ([], ["Circulate the draft memorandum of understanding"]),  # the survivor advisor
    "helen.cho": ([], []),  # the observer has no work of their own
}


def sign_in(page, base: str, local: str) -> None:
    log_in(page, base, f"{local}@{DEMO_DOMAIN}")
    page.goto(base + BASE_PATH + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("person", EXPECTED)
def test_the_home_starts_with_your_work(browser, demo_base, person, width):
    context = browser.new_context(viewport=WIDTHS[width])
    page = context.new_page()
    try:
        sign_in(page, demo_base, person)
        shown, hidden = EXPECTED[person]
        your_work = page.locator("section.your-work")
        if person == "helen.cho":
            expect(your_work).to_have_count(0)
        else:
            expect(your_work.get_by_role("heading", level=2, name="Your work")).to_be_visible()
            for title in shown:
                item = your_work.get_by_role("listitem").filter(has=page.get_by_role("link", name=title))
                expect(item).to_contain_text("Overdue")
            for title in hidden:
                expect(your_work.get_by_role("link", name=title)).to_have_count(0)
            # "Your work" is the first thing after the welcome
            assert page.evaluate("document.querySelector('main h2').textContent.trim()") == "Your work"
        if person == "amara.okafor":
            # She owns a goal, and she is told who can see her name and role; the header does not say it.
            expect(your_work.get_by_role("link", name="Fair compensation for survivor advisors")).to_be_visible()
            expect(page.get_by_text("Only coordinators and the other survivor advisors see your name")).to_be_visible()
            expect(page.locator("header")).not_to_contain_text("Survivor advisor")
        assert_accessible(page)
        overflow = page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")
        assert overflow <= 1, f"{person} at {width}: the page scrolls sideways by {overflow}px"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{person}-{width}.png"), full_page=True)
    finally:
        context.close()


def test_the_demo_coordinator_has_finished_getting_started(browser, demo_base):
    """The demo partnership has its vision and mission, six people, two coordinators, goals and an
    action plan: every step is done, so the card is gone."""
    context = browser.new_context(viewport=WIDTHS["desktop"])
    page = context.new_page()
    try:
        sign_in(page, demo_base, "coordinator")
        expect(page.locator("section[aria-labelledby='start-heading']")).to_have_count(0)
    finally:
        context.close()


def test_a_new_coordinator_sees_the_steps_and_can_hide_them(browser, live_server):
    app, base = live_server
    user = create_user(app, "Rosa Diaz")
    partnership = create_partnership(app, user, "Pueblo Task Force")
    context = browser.new_context(viewport=WIDTHS["phone"])
    page = context.new_page()
    try:
        log_in(page, base, user.email, PASSWORD)
        page.goto(f"{base}/p/{partnership.slug}/")
        card = page.locator("section[aria-labelledby='start-heading']")
        expect(card).to_contain_text("0 of 6 steps done")
        expect(card.get_by_role("link", name="Invite people")).to_be_visible()
        assert_accessible(page)
        assert page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)") <= 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "getting-started-phone.png"), full_page=True)
        card.get_by_role("button", name="Hide this card").click()
        expect(page.get_by_text("The getting-started card is hidden.")).to_be_visible()
        expect(page.locator("section[aria-labelledby='start-heading']")).to_have_count(0)
        assert_accessible(page)
    finally:
        context.close()
