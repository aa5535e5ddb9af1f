"""Goals permissions. What a person may *read* also depends on each goal's confidentiality level,
which the confidentiality layer decides (``partnership_hub/confidentiality.py``).

Owners act on what they own: the owner of a goal may add objectives to it and post progress on its
objectives, whatever their role (observers excepted: they only read); the owner of an objective may
post progress on it. Everything else about a goal (editing it, its status, the stalled setting) is
the coordinators'."""

from __future__ import annotations

from partnership_hub.policies import ALL_ROLES, CONTRIBUTORS, LEADERSHIP
from partnership_hub.workspaces.models import Membership, Role

PERMISSIONS = {
    "goals.view": ALL_ROLES,
    "goals.manage": LEADERSHIP,  # create and edit goals and objectives, change status, the stalled setting
    "goals.add_objective": CONTRIBUTORS,  # coordinators, and the goal's owner (record rule below)
    "goals.endorse": CONTRIBUTORS,  # as a representative of an organization
    "goals.post_update": CONTRIBUTORS,
}


def may_add_objective(membership: Membership, goal) -> bool:
    """Coordinators add objectives to any goal; others to the goals they own."""
    return membership.role == Role.COORDINATOR or goal.owner_membership_id == membership.id


def may_post_update(membership: Membership, objective) -> bool:
    """Coordinators post on any objective; others on the objectives they own and on every objective
    of a goal they own."""
    if membership.role == Role.COORDINATOR or objective.owner_membership_id == membership.id:
        return True
    return objective.goal.owner_membership_id == membership.id


RECORD_RULES = {"goals.add_objective": may_add_objective, "goals.post_update": may_post_update}
