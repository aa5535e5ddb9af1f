"""Calendars: "Add to calendar" (.ics) for a meeting and for a whole series, the month view, the
personal feed's settings page, and the feed itself.

The feed (``feed_bp``, ``/calendar/<token>.ics``) lives outside ``/p/<slug>``: calendar clients fetch
it without signing in, and the token alone says whose feed it is (``calendars.feed_for_token``).
"""

from __future__ import annotations

from flask import Blueprint, g, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse

from partnership_hub.db import utcnow
from partnership_hub.meetings import calendars, ics
from partnership_hub.meetings.models import Meeting
from partnership_hub.meetings.services import get_meeting
from partnership_hub.meetings.views import bp
from partnership_hub.notifications.services import absolute_url
from partnership_hub.web.htmx import render
from partnership_hub.web.toolkit import confirmed, done, require, submit

feed_bp = Blueprint("calendar_feed", __name__)


def _link_for(slug: str):
    def link(meeting: Meeting) -> str:
        return absolute_url("meetings.detail", slug=slug, meeting_id=meeting.id)

    return link


def _ics(body: bytes, filename: str) -> BaseResponse:
    response = BaseResponse(body, mimetype="text/calendar")
    response.headers["Content-Type"] = ics.CONTENT_TYPE
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/meetings/<int:meeting_id>.ics")
def meeting_ics(meeting_id: int):
    """One meeting as an .ics file (PUBLISH, or CANCEL once cancelled)."""
    require("meetings.view")
    meeting, _series = get_meeting(g.ctx, meeting_id)
    link = _link_for(g.ctx.partnership.slug)(meeting)
    body = ics.meeting_calendar(meeting, link, ics.uid_domain(), utcnow())
    return _ics(body, f"meeting-{meeting.id}.ics")


@bp.get("/meetings/series/<int:meeting_series_id>.ics")
def series_ics(meeting_series_id: int):
    """A whole series as an .ics file: the rule, its exceptions and its changed occurrences."""
    require("meetings.view")
    found = calendars.series_file(g.ctx, meeting_series_id)
    body = ics.series_calendar(
        found.series,
        found.occurrences,
        found.hidden_starts,
        _link_for(g.ctx.partnership.slug),
        ics.uid_domain(),
        utcnow(),
    )
    return _ics(body, f"meeting-series-{found.series.id}.ics")


@bp.get("/meetings/month")
def month():
    """The month view: a calendar grid of the meetings the viewer may see (a list by day on a phone)."""
    require("meetings.view")
    view = calendars.month_view(g.ctx, calendars.parse_month(request.args.get("month"), g.ctx.today()))
    return render("meetings/calendar/month.html", view=view)


class FeedForm(FlaskForm):
    """The feed page's buttons (CSRF only)."""


@bp.route("/meetings/calendar-feed", methods=["GET", "POST"])
def calendar_feed():
    """The personal feed: make (or remake) its address, shown once, or stop it."""
    require("meetings.calendar_feed")
    form = FeedForm()
    feed_url = None
    if saved := submit(form, lambda: calendars.create_feed_token(g.ctx)):
        feed_url = absolute_url("calendar_feed.feed", token=saved.value)
    state = calendars.feed_state(g.ctx)
    status = 422 if request.method == "POST" and feed_url is None else 200
    return render(
        "meetings/calendar/feed.html",
        form=form,
        state=state,
        feed_url=feed_url,
        days_back=calendars.FEED_DAYS_BACK,
        status=status,
    )


@bp.post("/meetings/calendar-feed/revoke")
def revoke_calendar_feed():
    require("meetings.calendar_feed")
    form = confirmed(FeedForm())
    if saved := submit(form, lambda: calendars.revoke_feed(g.ctx), validate=False):
        message = "Your calendar feed was stopped. Calendars subscribed to it get nothing new." if saved.value else None
        return done(message, url_for("meetings.calendar_feed"))
    return done(None, url_for("meetings.calendar_feed"))


@feed_bp.get("/calendar/<token>.ics")
def feed(token: str):
    """A person's subscription feed (no sign-in: the token is the key). Unknown, revoked or left: 404."""
    found = calendars.feed_for_token(token)
    now = utcnow()
    body = ics.feed_calendar(
        f"{found.partnership.name} meetings",
        found.meetings,
        _link_for(found.partnership.slug),
        ics.uid_domain(),
        now,
        calendars.feed_all_day_events(found, now),
    )
    response = BaseResponse(body, mimetype="text/calendar")
    response.headers["Content-Type"] = ics.CONTENT_TYPE
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
