"""The trauma-informed self-assessment in a real browser, on the demo data: the two completed rounds are
compared in a chart (an image with a name) beside a table, a survivor advisor starts a round and rates
an area with the radio groups (each a group named by its principle), and every page passes axe."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from partnership_hub import toolkit
from partnership_hub.demo import DEMO_DOMAIN
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser
BASE_PATH = "/p/front-range/advisory/assessment"
SHOTS = os.environ.get("ASSESSMENT_SHOTS", "")  # a directory: save screenshots there (for a look by eye)


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=not name.endswith("-390"))


@pytest.mark.parametrize("width", [1280, 390])
def test_rounds_compare_and_an_area_is_rated(browser, demo_base, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        log_in(page, demo_base, f"jordan.reyes@{DEMO_DOMAIN}")
        page.goto(demo_base + BASE_PATH)
        expect(page.get_by_role("heading", level=1)).to_have_text("Trauma-informed practice")
        expect(page.get_by_text(toolkit.FOUR_RS[0].description)).to_be_visible()
        expect(page.get_by_role("table")).to_contain_text("Spring 2026")
        assert_accessible(page)
        shot(page, f"index-{width}")

        page.get_by_role("link", name="Compare rounds").click()
        expect(page.get_by_role("img", name=re.compile("Average score of each key area"))).to_be_visible()
        expect(page.get_by_role("table").first).to_contain_text("Up")
        assert_accessible(page)
        shot(page, f"compare-{width}")

        page.get_by_role("list", name=re.compile("Rounds in the chart")).get_by_role("link", name="Spring 2026").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Spring 2026")
        expect(page.get_by_role("table")).to_contain_text("3 Established")
        assert_accessible(page)
        shot(page, f"round-{width}")

        page.goto(demo_base + BASE_PATH + "/new")
        page.get_by_label("Name of the round").fill(f"Winter check {width}")
        page.get_by_role("button", name="Start the round").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Governance and leadership")
        assert_accessible(page)
        for principle, score in zip(toolkit.TRAUMA_INFORMED_PRINCIPLES, "321034", strict=True):
            group = page.get_by_role("group", name=principle.label)
            group.get_by_label(re.compile(rf"^{score} –")).check()
        page.get_by_label("Next steps").fill("Ask the board to review the partnership's decision-making.")
        shot(page, f"area-{width}")
        page.get_by_role("button", name=re.compile("Save and go to the next area")).click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Policy")
        expect(page.get_by_text("Governance and leadership was saved (6 of 6 principles rated).")).to_be_visible()
        expect(page.get_by_text("Areas rated so far: 1 of 10")).to_be_visible()
        page.get_by_role("button", name="Save and see the round").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Winter check {width}")
        expect(page.get_by_text("Areas rated: 1 of 10")).to_be_visible()
        assert_accessible(page)
        shot(page, f"progress-{width}")
    finally:
        context.close()
