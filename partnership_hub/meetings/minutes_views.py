"""Minutes routes: writing the minutes (whole meeting or one agenda item) and their history, recording
decisions and the decision log, approving and publishing the minutes, and adding an action item agreed
at a meeting. Everyone who may see the meeting reads its minutes (observers: ``workspace`` meetings
only, as for the meeting itself); the note-taker, the facilitator and coordinators write them."""

from __future__ import annotations

from flask import g, request, url_for

from partnership_hub.actions import services as actions
from partnership_hub.db import utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.meetings import minutes, services
from partnership_hub.meetings.minutes_forms import (
    ApproveMinutesForm,
    DecisionForm,
    MeetingActionForm,
    MinutesForm,
    PublishMinutesForm,
)
from partnership_hub.meetings.models import Meeting
from partnership_hub.meetings.views import bp
from partnership_hub.pagination import page_number
from partnership_hub.web.htmx import render
from partnership_hub.web.toolkit import done, form_status, require, submit


@bp.context_processor
def _minutes_helpers() -> dict:
    return {"render_minutes": minutes.render_markdown}


def _detail_url(meeting_id: int, section: str) -> str:
    return url_for("meetings.detail", meeting_id=meeting_id) + f"#{section}"


def _item_choices(meeting: Meeting) -> list[tuple[str, str]]:
    section = minutes.load_section(g.ctx, meeting)
    return [("", "None (the meeting as a whole)")] + [(str(i.agenda_item_id), i.title) for i in section.items]


@bp.get("/meetings/decisions")
def decisions():
    """The decision log across the meetings the viewer may see, newest first, searchable by text."""
    require("meetings.view")
    query = request.args.get("q", "")
    page = minutes.decision_log(g.ctx, query, page_number(request.args))
    return render("meetings/minutes/decisions.html", block="results", page=page, query=query.strip()[:100])


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
def write_minutes(meeting_id: int):
    """Write the whole meeting's minutes, or one agenda item's (``agenda_item_id``)."""
    meeting, _series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.write_minutes", meeting)
    form = MinutesForm()
    try:
        item = minutes.minutes_target(meeting, request.values.get("agenda_item_id"))
    except ServiceError:
        raise NotFound("agenda item of this meeting") from None  # a link or form naming another meeting's item
    if request.method == "GET":
        form.body.data = item.minutes_md if item else meeting.minutes_md
        form.agenda_item_id.data = str(item.id) if item else ""
        latest = minutes.latest_revision_id(meeting, item)
        form.based_on.data = str(latest) if latest else ""
    if submit(form, lambda: minutes.save_minutes(g.ctx, meeting, form.values())):
        return done("The minutes were saved.", _detail_url(meeting.id, "meeting-minutes"))
    return render(
        "meetings/minutes/edit.html",
        meeting=meeting,
        item=item,
        form=form,
        preview=minutes.render_markdown(form.body.data or ""),
        status=form_status(form),
    )


@bp.get("/meetings/<int:meeting_id>/minutes/history")
def minutes_history(meeting_id: int):
    """Every saved version of the minutes, newest first."""
    meeting, _series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.view")
    history = minutes.revision_history(g.ctx, meeting, page_number(request.args))
    return render("meetings/minutes/history.html", meeting=meeting, history=history)


@bp.get("/meetings/minutes/revisions/<int:minutes_revision_id>")
def minutes_revision(minutes_revision_id: int):
    revision = minutes.get_revision(g.ctx, minutes_revision_id)
    meeting, _series = services.get_meeting(g.ctx, revision.meeting_id)  # its visibility is the revision's
    require("meetings.view")
    return render(
        "meetings/minutes/revision.html",
        meeting=meeting,
        revision=revision,
        html=minutes.render_markdown(revision.body_md),
    )


@bp.route("/meetings/<int:meeting_id>/decisions/new", methods=["GET", "POST"])
def new_decision(meeting_id: int):
    meeting, _series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.record_decision", meeting)
    form = DecisionForm()
    form.agenda_item_id.choices = _item_choices(meeting)
    if request.method == "GET":
        form.agenda_item_id.data = request.args.get("agenda_item_id", "")
    if submit(form, lambda: minutes.record_decision(g.ctx, meeting, form.values())):
        return done("The decision was recorded.", _detail_url(meeting.id, "meeting-decisions"))
    return render("meetings/minutes/decision_form.html", meeting=meeting, form=form, status=form_status(form))


@bp.route("/meetings/<int:meeting_id>/minutes/approve", methods=["GET", "POST"])
def approve_minutes(meeting_id: int):
    meeting, _series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.approve_minutes", meeting)
    form = ApproveMinutesForm()
    choices = minutes.approval_choices(g.ctx, meeting, utcnow())
    form.approved_in_meeting_id.choices = choices
    if submit(form, lambda: minutes.approve_minutes(g.ctx, meeting, form.values())):
        return done("The minutes were marked approved.", _detail_url(meeting.id, "meeting-minutes"))
    return render(
        "meetings/minutes/approve.html", meeting=meeting, form=form, has_choices=bool(choices), status=form_status(form)
    )


@bp.route("/meetings/<int:meeting_id>/minutes/publish", methods=["GET", "POST"])
def publish_minutes(meeting_id: int):
    """GET asks first (who will be told); POST publishes and tells the attendees (email, notification centre)."""
    meeting, _series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.publish_minutes", meeting)
    form = PublishMinutesForm()
    if saved := submit(form, lambda: minutes.publish_minutes(g.ctx, meeting)):
        sent = saved.value
        message = f"The minutes were published; {sent} {'attendee was' if sent == 1 else 'attendees were'} told."
        return done(message, _detail_url(meeting.id, "meeting-minutes"))
    return render("meetings/minutes/publish.html", meeting=meeting, form=form, status=form_status(form))


@bp.route("/meetings/<int:meeting_id>/actions/new", methods=["GET", "POST"])
def new_action(meeting_id: int):
    """An action plan item agreed at the meeting (the action plan's form, plus the agenda item)."""
    meeting, _series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.add_action", meeting)
    require("actions.create")
    form = MeetingActionForm()
    form.agenda_item_id.choices = _item_choices(meeting)
    if request.method == "GET":
        form.agenda_item_id.data = request.args.get("agenda_item_id", "")
        form.status.data = "open"
    if submit(form, lambda: minutes.create_action(g.ctx, meeting, form.values())):
        return done("The action item was added to the action plan.", _detail_url(meeting.id, "meeting-actions"))
    form.set_choices(**actions.form_pickers(g.ctx, form.values()))
    return render("meetings/minutes/action_form.html", meeting=meeting, form=form, status=form_status(form))
