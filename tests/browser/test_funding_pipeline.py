"""The funding board in a real browser, on the demo data: a card dragged onto another column lands there,
and the same move by keyboard with the card's "Move to" list and Move button; the board, list, totals,
form and an opportunity's page pass axe, and none of them scrolls sideways at 320 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator@demo.partnershiphub.local"
WIDER_THAN_THE_SCREEN = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"


def column(page, status: str):
    return page.locator(f"section[data-board-column][data-status='{status}']")


def test_a_card_moves_by_drag_and_drop_and_by_keyboard(demo_base, page):
    log_in(page, demo_base, COORDINATOR)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")
    board = demo_base + "/p/front-range/funding"
    page.goto(board)
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding")
    expect(page.get_by_role("heading", level=2)).to_have_count(8)  # a heading per status
    assert_accessible(page)

    # Drag: the submitted foundation grant onto "Awarded".
    card = column(page, "submitted").locator("li", has_text="Community foundation: survivor housing")
    expect(card).to_have_count(1)
    card.drag_to(column(page, "awarded"))
    page.wait_for_load_state("load")
    expect(page.get_by_role("status").filter(has_text="is now awarded")).to_be_visible()
    expect(column(page, "awarded").locator("li", has_text="Community foundation: survivor housing")).to_have_count(1)
    expect(column(page, "submitted").locator("li", has_text="Community foundation")).to_have_count(0)
    expect(column(page, "awarded").get_by_role("heading", level=2)).to_contain_text("(1)")

    # Keyboard: the state grant being written, one status on, with its "Move to" list and Move button.
    title = "State victim services grant"
    chooser = page.get_by_label(f"Move to, for “{title}”")
    expect(chooser).to_have_value("applying")
    chooser.focus()
    page.keyboard.press("ArrowDown")
    expect(chooser).to_have_value("submitted")
    page.keyboard.press("Tab")
    move = page.get_by_role("button", name=f"Move “{title}”")
    expect(move).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    expect(page.get_by_role("status").filter(has_text=f"“{title}” is now submitted.")).to_be_visible()
    expect(column(page, "submitted").locator("li", has_text=title)).to_have_count(1)
    expect(column(page, "applying").locator("li", has_text=title)).to_have_count(0)
    assert re.search(r"/funding#opportunity-\d+$", page.url)
    assert_accessible(page)


def test_the_pipeline_pages_pass_axe_and_fit_a_320px_screen(demo_base, browser):
    pages = {}
    for width in (1280, 320):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, demo_base, COORDINATOR)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")
        page.goto(demo_base + "/p/front-range/funding/opportunities")
        expect(page.get_by_role("heading", level=1)).to_have_text("Funding opportunities")
        detail = page.get_by_role("link", name="Federal anti-trafficking task force award").get_attribute("href")
        pages = {
            "board": "/p/front-range/funding",
            "list": "/p/front-range/funding/opportunities",
            "filtered list": "/p/front-range/funding/opportunities?status=reporting&owner=me",
            "totals": "/p/front-range/funding/totals",
            "detail": detail,
            "form": "/p/front-range/funding/opportunities/new",
            "edit": f"{detail}/edit",
        }
        for name, path in pages.items():
            page.goto(demo_base + path if path.startswith("/p/") else demo_base + str(path))
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert not page.evaluate(WIDER_THAN_THE_SCREEN), f"{name} scrolls sideways at {width}px"
            if width == 1280:
                assert_accessible(page)
        context.close()
    assert len(pages) == 7


def test_the_list_filters_in_place_and_the_warning_shows_on_a_late_application(demo_base, page):
    log_in(page, demo_base, COORDINATOR)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")
    page.goto(demo_base + "/p/front-range/funding/opportunities")
    page.get_by_label("Status", exact=True).select_option("declined")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Regional bank sponsorship")
    expect(page.locator("#results-status")).to_have_text("1 opportunity.")
    assert "status=declined" in page.url
    expect(page.locator("#results #results")).to_have_count(0)  # the block replaced, not nested

    page.goto(demo_base + "/p/front-range/funding/opportunities/new")
    page.get_by_label("Name", exact=True).fill("Late county grant")
    page.get_by_label("Type", exact=True).select_option("government_grant")
    page.get_by_label("Status", exact=True).select_option("applying")
    page.get_by_label("Amount asked", exact=True).fill("-5")
    page.get_by_label("Application deadline", exact=True).fill("2020-01-15")
    page.get_by_role("button", name="Add to the pipeline").click()
    expect(page.locator("#amount_asked-error")).to_contain_text("cannot be negative")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Late county grant")
    assert_accessible(page)
    page.get_by_label("Amount asked", exact=True).fill("5,000")
    page.get_by_role("button", name="Add to the pipeline").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Late county grant")
    expect(page.locator(".alert-warning")).to_contain_text("has passed")
    expect(page.locator("#flash-messages")).to_contain_text("Please check:")
