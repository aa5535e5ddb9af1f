"""Meeting times in the viewer's own time zone, with the meeting's alongside when they differ."""

from __future__ import annotations

from tests.meetings.conftest import schedule
from tests.meetings.test_views import SOON


def test_meeting_times_follow_the_persons_zone_with_the_meetings_alongside(login_as, app, home):
    meeting_id = schedule(app, home, date=SOON)  # in the partnership's zone, America/Denver
    client = login_as("member")
    client.post("/account/time-zone", data={"time_zone": "Europe/London"})
    text = client.get(f"/p/{home.slug}/meetings/{meeting_id}").text
    assert "Shown in Europe/London, your time zone." in text
    assert "America/Denver, the meeting's time zone" in text
    listing = client.get(f"/p/{home.slug}/meetings").text
    assert "Times are in Europe/London, your time zone." in listing
