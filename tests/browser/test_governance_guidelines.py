"""Governance guidelines in a real browser (desktop), on the demo data: a coordinator drafts version 3
with a new meeting frequency, publishes it, and reads what changed; every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_publishing_a_new_version_and_reading_the_diff(demo_server, page):
    app, base = demo_server
    log_in(page, base, "coordinator@demo.partnershiphub.local")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")

    page.goto(base + "/p/front-range/governance/guidelines")
    expect(page.get_by_role("heading", level=1)).to_have_text("Guidelines")
    assert_accessible(page)
    page.get_by_role("link", name="Governance guidelines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Governance guidelines")
    expect(page.locator(".lede").first).to_contain_text("Version 2")
    assert_accessible(page)

    page.get_by_role("button", name="Draft a new version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft of the governance guidelines")
    assert_accessible(page)
    frequency = page.get_by_label("The partnership meets every … weeks")
    expect(frequency).to_have_value("6")
    frequency.fill("60")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#meeting_every_weeks-error")).to_contain_text("from 1 to 52")
    assert_accessible(page)
    frequency.fill("2")
    page.get_by_label("Shared coordination").check()
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("status").first).to_contain_text("The draft was saved")
    page.get_by_role("button", name="Publish version 3").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Governance guidelines")
    expect(page.locator(".lede").first).to_contain_text("Version 3")
    expect(page.locator("#section-meeting_frequency")).to_be_visible()
    expect(page.get_by_text("Every 2 weeks")).to_be_visible()
    page.get_by_role("link", name="What changed in version 3").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What changed in the governance guidelines")
    expect(page.get_by_text("From version 2 to version 3.")).to_be_visible()
    changed = page.locator(".diff-section", has=page.get_by_role("heading", name="Meeting frequency"))
    expect(changed.locator("del")).to_contain_text("6")
    expect(changed.locator("ins")).to_contain_text("2")
    expect(page.get_by_role("heading", name=re.compile(r"Decision-making \(unchanged\)"))).to_be_visible()
    assert_accessible(page)
