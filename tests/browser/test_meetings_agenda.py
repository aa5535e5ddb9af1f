"""Building an agenda in a real browser (desktop): add two items, reorder them with the keyboard,
publish; the meeting page and the item form pass axe."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect

from partnership_hub.context import context_for
from partnership_hub.extensions import db
from partnership_hub.meetings import services
from partnership_hub.meetings.models import MeetingKind
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, create_partnership, create_user

pytestmark = pytest.mark.browser


def test_building_reordering_and_publishing_an_agenda(live_server, page):
    app, base = live_server
    coordinator = create_user(app, "Cora Coordinator")
    partnership = create_partnership(app, coordinator, "Agenda Partnership")
    with app.app_context():
        ctx = context_for(partnership.id, coordinator.id)
        request = services.ScheduleRequest(
            "Planning meeting", MeetingKind.FULL_PARTNERSHIP, date.today() + timedelta(days=5), time(10), time(11)
        )
        meeting_id = services.schedule_meeting(ctx, request.data()).id
        db.session.commit()

    log_in(page, base, coordinator.email, PASSWORD)
    page.goto(f"{base}/p/{partnership.slug}/meetings/{meeting_id}")

    for title, minutes in (("Welcome", "5"), ("Awareness month plan", "40")):
        page.get_by_role("link", name="Add an item").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add an agenda item")
        if title == "Welcome":
            assert_accessible(page)
        page.get_by_label("Title").fill(title)
        page.get_by_label("Time allotted (minutes)").fill(minutes)
        page.get_by_role("button", name="Add to the agenda").click()
        expect(page.get_by_text(f"“{title}” was added to the agenda.")).to_be_visible()

    agenda = page.locator("#meeting-agenda")
    expect(agenda.locator(".agenda-item-title")).to_have_text(["Welcome", "Awareness month plan"])
    expect(agenda.get_by_text("45 of 60 minutes allotted")).to_be_visible()
    assert_accessible(page)

    # Keyboard: focus the second item's "Move up" and press Enter (htmx swaps the section in).
    move_up = agenda.get_by_role("button", name="Move up").last
    move_up.focus()
    page.keyboard.press("Enter")
    expect(agenda.locator(".agenda-item-title")).to_have_text(["Awareness month plan", "Welcome"])
    # The pressed button keeps the focus (its item is first now: it says it can go no further).
    expect(agenda.get_by_role("button", name="Move up").first).to_be_focused()
    expect(agenda.get_by_role("button", name="Move up").first).to_have_attribute("aria-disabled", "true")

    page.get_by_role("button", name="Publish the agenda").click()
    expect(page.get_by_text("The agenda is published; 1 person was told.")).to_be_visible()
    expect(page.get_by_role("button", name="Send the updated agenda")).to_be_visible()
    assert_accessible(page)
