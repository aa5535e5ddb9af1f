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
}


def may_run_meeting(membership: Membership, meeting) -> bool:
    """Coordinators edit and cancel any meeting; others only a meeting they facilitate."""
    return membership.role == Role.COORDINATOR or (
        meeting.facilitator_membership_id is not None and meeting.facilitator_membership_id == membership.id
    )


RECORD_RULES = {"meetings.edit": may_run_meeting, "meetings.cancel": may_run_meeting}
