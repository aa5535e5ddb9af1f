"""After a meeting, in a real browser (desktop): answer the invitation of the next one, record who
came, write the minutes, record a decision and add an action item; each page passes axe."""

from __future__ import annotations

import re
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


def _schedule(app, partnership_id: int, membership_id: int, title: str, day: date) -> int:
    with app.app_context():
        ctx = context_for(partnership_id, membership_id)
        request = services.ScheduleRequest(title, MeetingKind.FULL_PARTNERSHIP, day, time(9), time(10))
        meeting_id = services.schedule_meeting(ctx, request.data()).id
        db.session.commit()
        return meeting_id


def test_answering_recording_attendance_minutes_a_decision_and_an_action(live_server, page):
    app, base = live_server
    coordinator = create_user(app, "Cora Coordinator")
    partnership = create_partnership(app, coordinator, "Minutes Partnership")
    held = _schedule(app, partnership.id, coordinator.id, "Spring planning", date.today() - timedelta(days=2))
    coming = _schedule(app, partnership.id, coordinator.id, "Summer planning", date.today() + timedelta(days=5))

    log_in(page, base, coordinator.email, PASSWORD)

    # The next meeting: answer its invitation (htmx swaps the section; the pressed answer shows).
    page.goto(f"{base}/p/{partnership.slug}/meetings/{coming}")
    attendance = page.locator("#meeting-attendance")
    attendance.get_by_role("button", name="Yes").click()
    expect(attendance.get_by_role("button", name="Yes")).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)

    # The meeting that was held: who came.
    page.goto(f"{base}/p/{partnership.slug}/meetings/{held}")
    expect(page.locator("#meeting-attendance")).to_contain_text("This meeting is over.")
    page.get_by_role("link", name="Record attendance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who attended “Spring planning”")
    assert_accessible(page)
    page.get_by_label(re.compile("Cora Coordinator")).check()
    page.get_by_role("button", name="Save attendance").click()

    # The minutes, in Markdown, rendered (and cleaned) on the meeting page.
    page.goto(f"{base}/p/{partnership.slug}/meetings/{held}")
    page.locator("#meeting-minutes").get_by_role("link", name="Write the minutes").click()
    assert_accessible(page)
    page.get_by_label("Minutes").fill("We agreed the **referral protocol**.\n\n- Training in May\n- <script>x</script>")
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_text("The minutes were saved.")).to_be_visible()
    minutes = page.locator("#meeting-minutes")
    expect(minutes.locator("strong")).to_have_text("referral protocol")
    expect(minutes.get_by_text("Training in May")).to_be_visible()
    assert minutes.locator("script").count() == 0

    # A decision, then an action item from the meeting.
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Decision").fill("Adopt the shared referral protocol from June.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The decision was recorded.")).to_be_visible()
    expect(page.locator("#meeting-minutes")).to_contain_text("Adopt the shared referral protocol from June.")

    page.get_by_role("link", name="Add an action item").click()
    assert_accessible(page)
    page.get_by_label("What needs to be done").fill("Circulate the protocol to every member agency")
    page.get_by_role("button", name="Add the action item").click()
    expect(page.get_by_text("The action item was added to the action plan.")).to_be_visible()
    expect(page.locator("#meeting-actions")).to_contain_text("Circulate the protocol to every member agency")
    assert_accessible(page)
