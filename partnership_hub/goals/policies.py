"""Goals permissions. What a person may *read* also depends on each goal's confidentiality level,
which the confidentiality layer decides (``partnership_hub/confidentiality.py``)."""

from __future__ import annotations

from partnership_hub.policies import ALL_ROLES, CONTRIBUTORS, LEADERSHIP
from partnership_hub.workspaces.models import Membership, Role

PERMISSIONS = {
    "goals.view": ALL_ROLES,
    "goals.manage": LEADERSHIP,  # create and edit goals and objectives, change status, the stalled setting
    "goals.endorse": CONTRIBUTORS,  # as a representative of an organization
    "goals.post_update": CONTRIBUTORS,
}


def may_post_update(membership: Membership, objective) -> bool:
    """Coordinators post on any objective; others on the objectives they own."""
    return membership.role == Role.COORDINATOR or objective.owner_membership_id == membership.id


RECORD_RULES = {"goals.post_update": may_post_update}
