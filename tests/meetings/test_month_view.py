"""The month view: a grid of the weeks of a month with the meetings the viewer may see, in the
partnership's zone, cancelled ones marked; previous/next/today; a bad ?month means this month; the
same statement count for 1 and 300 meetings and a bounded number of rendered entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from partnership_hub.db import bind_tenant, utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings import calendars, services
from partnership_hub.meetings.models import Meeting, MeetingKind
from tests.budget import assert_fixed_cost
from tests.factories import create_partnership, create_user, seat_on_board, sign_in
from tests.meetings.conftest import NOW, call, schedule


def test_the_month_shows_the_meetings_on_their_local_day(app, home, base, login_as):
    # 21:30 in Denver on Tuesday 10 March is already 11 March in UTC.
    late = schedule(app, home, start_time="21:30", end_time="22:30", title="Evening meeting")
    advisory = schedule(app, home, title="Advisory session", kind="advisory_board", confidentiality="advisory")
    html = login_as("member").get(f"{base}/month?month=2026-03").text

    assert "<h1>March 2026</h1>" in html
    assert '<th scope="col"><abbr title="Sunday">Sun</abbr></th>' in html
    cell = html[html.index('datetime="2026-03-10"') : html.index('datetime="2026-03-11"')]
    assert f'/meetings/{late}"' in cell and "21:30" in cell
    assert "Advisory session" not in html and f"/meetings/{advisory}" not in html
    assert "?month=2026-02" in html and "?month=2026-04" in html
    assert "Advisory session" not in login_as("coordinator").get(f"{base}/month?month=2026-03").text  # not on the board
    seat_on_board(app, home, "survivor_advisor")
    advisor = login_as("survivor_advisor").get(f"{base}/month?month=2026-03").text
    assert "Advisory session" in advisor


def test_cancelled_meetings_are_marked(app, home, base, login_as):
    meeting_id = schedule(app, home, title="Called off")

    def cancel(ctx):
        meeting, series = services.get_meeting(ctx, meeting_id)
        return services.cancel_meeting(ctx, meeting, series, "one", NOW)

    call(app, home, cancel)
    html = login_as("member").get(f"{base}/month?month=2026-03").text
    entry = html[html.index("Called off") :]
    assert entry.index("Cancelled") < entry.index("</li>")
    assert 'class="is-cancelled"' in html


def test_a_bad_month_means_this_month(app, home, base, login_as):
    today = datetime.now(UTC).date()
    for bad in ("2026-13", "abc", "1800-01", "2026-1", ""):
        html = login_as("member").get(f"{base}/month?month={bad}").text
        assert f"<h1>{today.strftime('%B %Y')}</h1>" in html, bad


def test_other_areas_entries_join_the_days(app, home, base, login_as):
    """Other areas' entries (``Area.calendar_entries``): the awareness days land on their day."""
    html = login_as("member").get(f"{base}/month?month=2026-02").text
    cell = html[html.index('datetime="2026-02-20"') : html.index('datetime="2026-02-21"')]
    assert "World Day of Social Justice" in cell
    other = html[html.index('datetime="2026-02-19"') : html.index('datetime="2026-02-20"')]
    assert "World Day of Social Justice" not in other


def grow(app, partnership, size: int) -> None:
    """``size`` meetings in this month (several a day), some advisory."""
    start = utcnow().replace(day=1, hour=15, minute=0, second=0, microsecond=0)
    with app.app_context():
        bind_tenant(db.session, partnership.id)
        db.session.add_all(
            Meeting(
                title=f"Meeting {n}",
                kind=MeetingKind.FULL_PARTNERSHIP,
                starts_at=start + timedelta(days=n % 27, minutes=n),
                ends_at=start + timedelta(days=n % 27, minutes=n + 30),
                time_zone="UTC",
                confidentiality="advisory" if n % 5 == 0 else "workspace",
            )
            for n in range(size)
        )
        db.session.commit()


def test_the_month_costs_the_same_for_1_and_300_meetings(app):
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 1)
    grow(app, large, 300)
    assert_fixed_cost(app, small, large, "/meetings/month")
    client = app.test_client()
    sign_in(client, app, large.members["coordinator"])
    html = client.get(f"/p/{large.slug}/meetings/month").text
    shown = html.count('<li><a href="/p/') + html.count('<li class="is-cancelled"><a')
    assert shown <= 42 * calendars.DAY_CAP and "more</li>" in html
