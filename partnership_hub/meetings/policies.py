"""Meetings permissions. Coordinators schedule meetings; coordinators and a meeting's facilitator edit,
reschedule and cancel it. Everyone reads the meetings they may see: which ones is the confidentiality
layer's question (observers see ``workspace`` meetings only; advisory board meetings are ``advisory``
by default)."""

from __future__ import annotations

from partnership_hub.policies import ALL_ROLES, CONTRIBUTORS, LEADERSHIP
from partnership_hub.workspaces.models import Membership, Role

PERMISSIONS = {
    "meetings.view": ALL_ROLES,
    "meetings.schedule": LEADERSHIP,  # a new meeting or series
    "meetings.edit": CONTRIBUTORS,  # coordinators, and the meeting's facilitator (record rule below)
    "meetings.cancel": CONTRIBUTORS,  # the same people
    "meetings.rsvp": CONTRIBUTORS,  # answer invitations (observers have no meetings of their own)
    "meetings.calendar_feed": ALL_ROLES,  # a personal calendar feed of the meetings one may see
    # Attendance, minutes, decisions and action items (attendance.py, minutes.py):
    "meetings.invite": CONTRIBUTORS,  # coordinators and the facilitator (record rule below)
    "meetings.record_attendance": CONTRIBUTORS,  # coordinators, the facilitator, the note-taker
    "meetings.write_minutes": CONTRIBUTORS,  # the same people
    "meetings.record_decision": CONTRIBUTORS,  # the same people
    "meetings.add_action": CONTRIBUTORS,  # the same people
    "meetings.approve_minutes": CONTRIBUTORS,  # coordinators and the facilitator of the approving meeting
    "meetings.publish_minutes": LEADERSHIP,
    "meetings.attendance_history": CONTRIBUTORS,  # a person's own; coordinators anyone's (record rule)
    # The agenda (agenda.py): coordinators and the facilitator build it; others propose and comment.
    "meetings.agenda_edit": CONTRIBUTORS,  # coordinators and the facilitator (record rule below)
    "meetings.agenda_propose": CONTRIBUTORS,
    "meetings.agenda_comment": CONTRIBUTORS,
    "meetings.agenda_comment_delete": CONTRIBUTORS,  # the comment's author (record rule below)
    # Meeting health (health.py): coordinators and the planning team read it (membership rule below).
    "meetings.health": CONTRIBUTORS,
    "meetings.set_frequency": LEADERSHIP,  # the partnership's intended meeting frequency
}

# Meeting health is for the people who run the meetings: coordinators and the planning team.
MEMBERSHIP_RULES = {
    "meetings.health": lambda membership: membership.role == Role.COORDINATOR or membership.on_planning_team,
}


def may_run_meeting(membership: Membership, meeting) -> bool:
    """Coordinators edit and cancel any meeting; others only a meeting they facilitate."""
    return membership.role == Role.COORDINATOR or (
        meeting.facilitator_membership_id is not None and meeting.facilitator_membership_id == membership.id
    )


def may_take_notes(membership: Membership, meeting) -> bool:
    """Coordinators, the meeting's facilitator and its note-taker record what happened at it."""
    return may_run_meeting(membership, meeting) or (
        meeting.note_taker_membership_id is not None and meeting.note_taker_membership_id == membership.id
    )


def may_see_attendance_of(membership: Membership, person: Membership) -> bool:
    """A person's attendance history: their own, or anyone's for coordinators."""
    return membership.role == Role.COORDINATOR or person.id == membership.id


def may_delete_comment(membership: Membership, comment) -> bool:
    """A comment on an agenda item is deleted by its author only."""
    return comment.author_membership_id is not None and comment.author_membership_id == membership.id


RECORD_RULES = {
    "meetings.edit": may_run_meeting,
    "meetings.cancel": may_run_meeting,
    "meetings.invite": may_run_meeting,
    "meetings.record_attendance": may_take_notes,
    "meetings.write_minutes": may_take_notes,
    "meetings.record_decision": may_take_notes,
    "meetings.add_action": may_take_notes,
    "meetings.approve_minutes": may_run_meeting,
    "meetings.attendance_history": may_see_attendance_of,
    "meetings.agenda_edit": may_run_meeting,
    "meetings.agenda_comment_delete": may_delete_comment,
}
