"""Information-sharing agreements in a real browser (desktop), on the demo data: recording one that
expires in three weeks flags it as expiring on its page and in the list; every page passes axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Partnership
from tests.browser.conftest import assert_accessible, log_in

pytestmark = pytest.mark.browser


def test_recording_an_agreement_that_expires_soon_flags_it(demo_server, page):
    app, base = demo_server
    with app.app_context():
        partnership = db.session.scalars(select(Partnership).where(Partnership.slug == "front-range")).one()
        from partnership_hub.context import WorkspaceContext

        today = WorkspaceContext(partnership, None, None).today()
    log_in(page, base, "coordinator@demo.partnershiphub.local")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front Range")

    page.goto(base + "/p/front-range/governance/agreements")
    expect(page.get_by_role("heading", level=1)).to_have_text("Information-sharing agreements")
    assert_accessible(page)  # the demo's expiring and expired agreements are flagged in words

    page.get_by_role("link", name="Record an agreement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record an information-sharing agreement")
    assert_accessible(page)
    page.get_by_label("Title").fill("Shelter bed availability")
    parties = page.locator("#organization_ids option")
    page.locator("#organization_ids").select_option([parties.nth(n).get_attribute("value") or "" for n in (0, 1)])
    page.get_by_label("What is shared", exact=True).fill("Open shelter beds each morning.")
    page.get_by_label("Signed on").fill((today - timedelta(days=10)).isoformat())
    page.get_by_label("Expires on").fill((today + timedelta(days=21)).isoformat())
    page.get_by_label("Status").select_option("active")
    page.get_by_label("Document links").fill("not a link")
    page.get_by_role("button", name="Record the agreement").click()

    # A bad link is refused at its field; nothing else typed is lost.
    expect(page.locator("#document_links-error")).to_contain_text("is not a web address")
    expect(page.get_by_label("Title")).to_have_value("Shelter bed availability")
    assert_accessible(page)
    page.get_by_label("Document links").fill("https://example.org/shelter-beds.pdf")
    page.get_by_role("button", name="Record the agreement").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Shelter bed availability")
    expect(page.locator(".agreement-badge-expiring")).to_contain_text("Expiring soon: in 21 days")
    expect(page.get_by_role("note")).to_contain_text("expires on")
    assert_accessible(page)

    page.get_by_role("link", name="Information-sharing agreements").first.click()
    page.get_by_role("link", name="Expiring soon").click()
    card = page.locator(".agreement-card", has_text="Shelter bed availability")
    expect(card).to_contain_text("Expiring soon")
