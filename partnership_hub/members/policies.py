"""Directory permissions: the member directory, sectors, coverage, linked networks and (shared with
the resources area) the resource map."""

from __future__ import annotations

from partnership_hub.policies import ALL_ROLES, CONTRIBUTORS
from partnership_hub.workspaces.models import Membership, Role
from partnership_hub.workspaces.policies import SEE_SURVIVOR_ADVISORS

PERMISSIONS = {
    "directory.view": ALL_ROLES,
    "directory.view_contacts": CONTRIBUTORS,
    # Coordinators edit; members edit only when a coordinator made them directory editors.
    "directory.edit": frozenset({Role.COORDINATOR, Role.MEMBER}),
}

MEMBERSHIP_RULES = {
    "directory.edit": lambda membership: membership.role == Role.COORDINATOR or membership.directory_editor,
}


def may_see_representative(membership: Membership, representative) -> bool:
    """A representative who is a workspace member is listed only to people who may see that member
    (survivor advisors' identities stay with coordinators and advisors); contacts are listed to all."""
    if representative.membership is None:
        return True
    other = representative.membership
    if other.user_id == membership.user_id:
        return True
    if other.role == Role.SURVIVOR_ADVISOR:
        return membership.role in SEE_SURVIVOR_ADVISORS
    return True
