"""Meetings: the list (upcoming first, then past), scheduling a meeting or a recurring series, the
meeting page, editing one occurrence or this and all following, and cancelling.

Everyone reads the meetings they may see (a meeting above someone's level is a 404 for them);
coordinators schedule; coordinators and a meeting's facilitator edit and cancel it. Every form works
as a plain post; the list's filter and pages swap the results over htmx.
"""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for

from partnership_hub.confidentiality import may_read
from partnership_hub.db import utcnow
from partnership_hub.meetings import services
from partnership_hub.meetings.forms import CancelForm, MeetingForm, parse_filters
from partnership_hub.meetings.models import KIND_LABELS, Meeting, MeetingSeries
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import done, form_status, page_number, require, submit

bp = workspace_blueprint("meetings", __name__)


@bp.context_processor
def _meeting_helpers() -> dict:
    ctx = g.get("ctx")
    zone = services.viewer_zone(ctx) if ctx else "UTC"
    own_zone = bool(ctx and ctx.user and ctx.user.time_zone)
    return {
        "kind_labels": KIND_LABELS,
        "meeting_status_labels": services.STATUS_LABELS,
        "viewer_zone": zone,
        "viewer_zone_note": "your time zone" if own_zone else "the partnership's time zone",
        "meeting_when": lambda meeting: services.when(meeting, zone),
    }


@bp.get("/meetings")
def index():
    require("meetings.view")
    filters = parse_filters(request.args)
    page = services.meeting_list(g.ctx, filters, utcnow(), page_number(request.args))
    partial = is_htmx()
    response = render("meetings/index.html", block="results", partial=partial, filters=filters, page=page)
    if partial:
        args: dict[str, Any] = filters.query_args() | ({"page": page.page} if page.page > 1 else {})
        response.headers["HX-Push-Url"] = url_for("meetings.index", **args)
    return response


def _form_page(form: MeetingForm, meeting: Meeting | None = None, series: MeetingSeries | None = None):
    # Each picker holds the chosen person and a page of matches; its search box asks for more.
    form.set_choices(services.form_pickers(g.ctx, form.values()))
    suggestions = services.facilitator_suggestions(g.ctx, utcnow())
    zone = meeting.time_zone if meeting else g.ctx.partnership.time_zone
    return render(
        "meetings/form.html",
        form=form,
        meeting=meeting,
        series=series,
        suggestions=suggestions,
        form_zone=zone,
        status=form_status(form),
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
def new():
    require("meetings.schedule")
    form = MeetingForm()
    if request.method == "GET":
        kind = request.args.get("kind", "")
        form.kind.data = kind if kind in {k.value for k in KIND_LABELS} else "full_partnership"
        form.repeat.data = "none"
    if saved := submit(form, lambda: services.schedule_meeting(g.ctx, form.values())):
        return _saved(saved.value, f"“{saved.value.title}” was scheduled.")
    return _form_page(form)


def _saved(meeting: Meeting, message: str):
    """On to the meeting's page, or to the list when its level keeps out the person who saved it (a
    coordinator not on the survivor advisory board scheduling the board's meeting: a 404 otherwise)."""
    if may_read(g.ctx, meeting):
        return done(message, url_for("meetings.detail", meeting_id=meeting.id))
    hidden = " Only the people its level admits can open it; you are not among them."
    return done(message + hidden, url_for("meetings.index"))


@bp.get("/meetings/<int:meeting_id>")
def detail(meeting_id: int):
    require("meetings.view")
    page = services.meeting_page(g.ctx, meeting_id)
    return render("meetings/detail.html", page=page, meeting=page.meeting)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit(meeting_id: int):
    meeting, series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.edit", meeting)
    form = MeetingForm()
    if request.method == "GET":
        form.process(data=services.form_values(meeting, series))
        form.scope.data = "following" if request.args.get("scope") == "following" else "one"
    scope = form.scope.data or "one"
    if saved := submit(form, lambda: services.update_meeting(g.ctx, meeting, series, form.values(), scope)):
        following = scope == "following" and series is not None
        message = "This and the following meetings were updated." if following else "The meeting was updated."
        return _saved(saved.value, message)
    return _form_page(form, meeting, series)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel(meeting_id: int):
    """GET asks first (which meetings, with a warning); POST cancels."""
    meeting, series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.cancel", meeting)
    form = CancelForm()
    if request.method == "GET":
        form.scope.data = "following" if request.args.get("scope") == "following" else "one"
    scope = form.scope.data or "one"
    if saved := submit(form, lambda: services.cancel_meeting(g.ctx, meeting, series, scope)):
        count = saved.value
        message = "The meeting was cancelled." if count == 1 else f"{count} meetings were cancelled."
        return done(message, url_for("meetings.detail", meeting_id=meeting.id))
    return render("meetings/cancel.html", form=form, meeting=meeting, series=series, status=form_status(form))


from partnership_hub.meetings import (  # noqa: E402 - routes on bp, registered once bp exists
    agenda_views,  # noqa: E402, F401 - routes on bp
    attendance_views,  # noqa: E402, F401 - routes on bp
    calendar_views,  # noqa: E402, F401 - routes on bp
    health_views,  # noqa: E402, F401 - routes on bp
    minutes_views,  # noqa: E402, F401 - routes on bp
)
