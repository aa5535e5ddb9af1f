"""Attendance routes: answering an invitation (in the app, and from a signed link in an email that
needs no sign-in), who is invited, recording who came, and attendance history per person and per
organization.

The RSVP link lives outside ``/p/<slug>/`` (``links_bp``): its token names the partnership, and
``attendance.open_rsvp_link`` binds the session to it before reading anything. Its pages are never
cached (``no_store``; its URL carries a ``token`` too). Opening the link changes nothing (mail scanners
open links); the button on the page records the answer, and the page then offers the other answers.
"""

from __future__ import annotations

from flask import Blueprint, g, request, url_for

from partnership_hub.db import utcnow
from partnership_hub.extensions import db
from partnership_hub.meetings import attendance, services
from partnership_hub.meetings.attendance_forms import (
    AttendanceForm,
    InviteForm,
    LinkAnswerForm,
    RemoveInviteeForm,
    RsvpForm,
)
from partnership_hub.meetings.views import bp
from partnership_hub.members.services import organizations_spec
from partnership_hub.pagination import page_number
from partnership_hub.parsing import parse_ids
from partnership_hub.picking import pick_together
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.security import no_store
from partnership_hub.web.toolkit import confirmed, done, form_status, require, submit
from partnership_hub.workspaces.services import people_spec

links_bp = Blueprint("meeting_links", __name__, url_prefix="/meetings/rsvp")


@bp.context_processor
def _attendance_helpers() -> dict:
    return {"rsvp_labels": attendance.RSVP_LABELS, "now_utc": utcnow, "rsvp_errors": []}


@links_bp.context_processor
def _link_helpers() -> dict:
    return {"sentences": attendance.RSVP_SENTENCES | {attendance.Rsvp.NONE: "No answer yet"}}


def _detail_url(meeting_id: int, section: str = "meeting-attendance") -> str:
    return url_for("meetings.detail", meeting_id=meeting_id) + f"#{section}"


# --- answering in the app ------------------------------------------------------------------------


@bp.post("/meetings/<int:meeting_id>/rsvp")
def rsvp(meeting_id: int):
    """Answer yes, no or maybe. htmx swaps the attendance section; a plain post returns to the page."""
    meeting, _series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.rsvp")
    form = RsvpForm()
    saved = submit(form, lambda: attendance.rsvp(g.ctx, meeting, form.answer.data))
    if saved and not is_htmx():
        answer = attendance.RSVP_LABELS[saved.value.rsvp]
        return done(f"Your answer was saved: {answer}.", _detail_url(meeting.id))
    page = services.meeting_page(g.ctx, meeting.id)
    errors = [*form.answer.errors, *form.form_errors]
    csrf = getattr(form, "csrf_token", None)
    if csrf is not None and csrf.errors:
        errors.append("This form has expired. Reload the page and answer again.")
    return render(
        "meetings/detail.html", page=page, meeting=page.meeting, rsvp_errors=errors, status=200 if saved else 422
    )


# --- the signed link from an email -----------------------------------------------------------------


def _refused(error: attendance.LinkRefused):
    db.session.rollback()
    return render("meetings/attendance/link_refused.html", message=error.message, status=error.status)


@links_bp.route("/<token>", methods=["GET", "POST"])
@no_store
def rsvp_link(token: str):
    """GET: the answer the link gives, with a button to confirm it. POST: record it."""
    form = LinkAnswerForm()
    try:
        if request.method == "POST":
            if not form.validate_on_submit():
                landing = attendance.open_rsvp_link(token, utcnow())
                return render(
                    "meetings/attendance/link.html", landing=landing, form=form, answered=False, expired_form=True
                )
            landing = attendance.answer_by_link(token, utcnow())
            db.session.commit()
            return render("meetings/attendance/link.html", landing=landing, form=form, answered=True)
        landing = attendance.open_rsvp_link(token, utcnow())
    except attendance.LinkRefused as error:
        return _refused(error)
    return render("meetings/attendance/link.html", landing=landing, form=form, answered=False)


# --- invitations ---------------------------------------------------------------------------------


def _invite_pickers(form: InviteForm) -> None:
    chosen_people = parse_ids(form.membership_ids.data or [])
    organization = parse_ids([form.organization_id.data] if form.organization_id.data else [])
    picks = pick_together(
        {
            "membership_ids": people_spec(g.ctx, chosen_people),
            "organization_id": organizations_spec(organization, "No organization"),
        }
    )
    form.set_choices(picks)


@bp.route("/meetings/<int:meeting_id>/invitations", methods=["GET", "POST"])
def invitations(meeting_id: int):
    """Who is invited: everyone, or named people (added by name or by organization), by pages."""
    meeting, _series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.invite", meeting)
    form = InviteForm()
    if request.method == "GET":
        form.invite_scope.data = meeting.invite_scope.value
    if saved := submit(form, lambda: attendance.change_invitations(g.ctx, meeting, form.values())):
        added = saved.value
        message = f"{added} {'person was' if added == 1 else 'people were'} added." if added else "Invitations saved."
        return done(message, url_for("meetings.invitations", meeting_id=meeting.id))
    _invite_pickers(form)
    people = attendance.invitee_page(g.ctx, meeting, page_number(request.args))
    return render(
        "meetings/attendance/invitations.html",
        meeting=meeting,
        form=form,
        people=people,
        remove_form=RemoveInviteeForm(),
        status=form_status(form),
    )


@bp.post("/meetings/<int:meeting_id>/invitations/remove")
def remove_invitee(meeting_id: int):
    meeting, _series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.invite", meeting)
    form = confirmed(RemoveInviteeForm())
    to = url_for("meetings.invitations", meeting_id=meeting.id)
    if submit(form, lambda: attendance.remove_invitee(g.ctx, meeting, form.membership_id.data), validate=False):
        return done("They were taken off the list.", to)
    return done(form.form_errors[0] if form.form_errors else "Nothing changed.", to, category="error")


# --- recording attendance ------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
def record_attendance(meeting_id: int):
    """Tick who came, a page of invitees at a time (each page saves its own people)."""
    meeting, _series = services.get_meeting(g.ctx, meeting_id)
    require("meetings.record_attendance", meeting)
    form = AttendanceForm()
    number = page_number(request.args)
    if saved := submit(form, lambda: attendance.record_attendance(g.ctx, meeting, form.values())):
        count = saved.value
        message = f"Attendance saved: {count} {'person' if count == 1 else 'people'} attended."
        return done(message, url_for("meetings.record_attendance", meeting_id=meeting.id, page=number))
    people = attendance.invitee_page(g.ctx, meeting, number)
    return render(
        "meetings/attendance/record.html",
        meeting=meeting,
        form=form,
        people=people,
        not_started=utcnow() < meeting.starts_at,
        status=form_status(form),
    )


# --- history ---------------------------------------------------------------------------------------


@bp.get("/meetings/attendance/people/<int:membership_id>")
def member_history(membership_id: int):
    membership, name = attendance.load_person(g.ctx, membership_id)
    require("meetings.attendance_history", membership)
    history = attendance.member_history(g.ctx, membership, page_number(request.args))
    return render(
        "meetings/attendance/member_history.html",
        person=membership,
        name=name,
        history=history,
        labels=attendance.RSVP_LABELS,
    )


@bp.get("/meetings/attendance/organizations/<int:organization_id>")
def organization_history(organization_id: int):
    require("meetings.attendance_history")
    organization = attendance.load_organization(g.ctx, organization_id)
    history = attendance.organization_history(g.ctx, organization, page_number(request.args))
    return render("meetings/attendance/organization_history.html", organization=organization, history=history)
