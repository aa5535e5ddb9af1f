"""Workspace permissions: who sees the partnership, its people and profile, who invites, manages
roles and the planning team. The role matrix is assembled from every area's ``PERMISSIONS``
(``partnership_hub/policies.py``); these are this area's rows and record rules."""

from __future__ import annotations

from partnership_hub.policies import ALL_ROLES, CONTRIBUTORS, LEADERSHIP
from partnership_hub.workspaces.models import Membership, Role

SEE_SURVIVOR_ADVISORS = frozenset({Role.COORDINATOR, Role.SURVIVOR_ADVISOR})

PERMISSIONS = {
    "workspace.view": ALL_ROLES,
    "members.view": CONTRIBUTORS,
    # Survivor advisors' identities are shared with coordinators and with each other only.
    "members.view_survivor_advisors": SEE_SURVIVOR_ADVISORS,
    "members.invite": LEADERSHIP,
    "members.manage": LEADERSHIP,
    # Partnership profile (coordinators edit, everyone reads).
    "profile.view": ALL_ROLES,
    "profile.edit": LEADERSHIP,
    # Planning team, orientation checklist and who may edit the directory.
    "planning.manage": LEADERSHIP,
    "orientation.complete": ALL_ROLES,
}


def may_see_member(membership: Membership, other: Membership) -> bool:
    """Survivor advisors are listed only to coordinators and other advisors (and to themselves)."""
    if other.role == Role.SURVIVOR_ADVISOR and other.user_id != membership.user_id:
        return membership.role in SEE_SURVIVOR_ADVISORS
    return True


RECORD_RULES = {"members.view": may_see_member}
