"""A goal's page in a real browser, on the demo data, at 1280 px and 390 px: its action items, the
charts with their tables beside them, the survivor advisor acting on the goal she owns, and the
forms this issue polished (the action form's date, the sector checklist, the account page). Every
page passes axe and fits a phone; screenshots go to test-artifacts/screenshots/goal-page/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from partnership_hub.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser
BASE_PATH = "/p/front-range"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "goal-page"
WIDTHS = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def demo(demo_server):
    _app, base = demo_server
    return base


def sign_in(browser, base: str, who: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("Email address").fill(f"{who}@{DEMO_DOMAIN}")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("sign in", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")
    return context, page


def check(page, name: str) -> None:
    """axe clean, no sideways scrolling, and a screenshot for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)") <= 1, name
    assert_accessible(page)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_goal_page_shows_its_actions_and_readable_charts(browser, demo, width):
    context, page = sign_in(browser, demo, "priya.raman", WIDTHS[width])
    try:
        page.goto(demo + BASE_PATH + "/goals")
        page.get_by_role("link", name="Train 200 frontline workers to identify trafficking").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Train 200 frontline workers")
        actions = page.locator("#goal-actions")
        expect(actions.get_by_role("heading", name=re.compile("Action items"))).to_be_visible()
        # The history is a visible table with a caption, not folded away.
        expect(page.locator("table caption").first).to_be_visible()
        expect(page.locator("svg.goal-chart text", has_text="Target").first).to_be_visible()
        check(page, f"goal-{width}")

        add = actions.get_by_role("link", name=re.compile("Add an action item"))
        if add.count():
            add.click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Add an action")
            expect(page.locator("#goal_id option:checked")).to_contain_text("Train 200 frontline workers")
            due = page.get_by_label("Due date")
            expect(due).to_have_attribute("type", "date")
            assert due.evaluate("e => getComputedStyle(e).borderTopWidth") == "2px"  # styled like the others
            expect(page.get_by_text("For example 2026-05-31")).to_have_count(0)
            check(page, f"action-form-{width}")
    finally:
        context.close()


def test_the_survivor_advisor_acts_on_the_goal_she_owns(browser, demo):
    context, page = sign_in(browser, demo, "amara.okafor", WIDTHS["phone"])
    try:
        page.goto(demo + BASE_PATH + "/goals")
        page.get_by_role("link", name="Fair compensation for survivor advisors").click()
        page.get_by_role("link", name="Add an objective").click()
        check(page, "advisor-objective-form")
        page.locator("#title").fill("Advisors paid for their time")
        page.get_by_label("What is measured").fill("Advisors paid within 30 days")
        page.get_by_label("Unit").fill("advisors")
        page.get_by_label("Baseline").fill("0")
        page.get_by_label("Target").fill("4")
        page.get_by_role("button", name="Add objective").click()
        objective = page.locator("article", has=page.get_by_role("heading", name="Advisors paid for their time"))
        objective.get_by_label("New value (advisors)").fill("1")
        objective.get_by_role("button", name="Post update").click()
        objective = page.locator("article", has=page.get_by_role("heading", name="Advisors paid for their time"))
        expect(objective).to_contain_text("now 1")
        check(page, "advisor-goal")
    finally:
        context.close()


def test_account_and_sector_checklist(browser, demo):
    context, page = sign_in(browser, demo, "amara.okafor", WIDTHS["wide"])
    try:
        page.goto(demo + "/account")
        expect(page.get_by_text("Only coordinators and the other survivor advisors see your name")).to_be_visible()
        expect(page.locator(".ua").first).not_to_contain_text("Mozilla")
        check(page, "account-advisor")
    finally:
        context.close()
    context, page = sign_in(browser, demo, "coordinator", WIDTHS["wide"])
    try:
        page.goto(demo + BASE_PATH + "/organizations/new")
        sub = page.locator(".dir-checkbox-group .dir-checkbox-sub").first
        parent = page.locator(".dir-checkbox-group > .dir-checkbox:not(.dir-checkbox-sub)").first
        assert sub.bounding_box()["x"] > parent.bounding_box()["x"] + 10  # indented under its sector
        check(page, "organization-form")
        page.goto(demo + BASE_PATH + "/goals")
        button = page.get_by_role("button", name="Show goals")
        group_by = page.locator(".goal-group-by")
        button_box, group_box = button.bounding_box(), group_by.bounding_box()
        # On the same row as "Group by", their bottoms within a few pixels.
        assert abs((button_box["y"] + button_box["height"]) - (group_box["y"] + group_box["height"])) < 12
        check(page, "goals-filters")
    finally:
        context.close()
