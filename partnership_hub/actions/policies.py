"""Action plan permissions. Observers read; the record rule says whose items others may change. An
item under a goal someone may not see is hidden from them (the goal's confidentiality)."""

from __future__ import annotations

from partnership_hub.policies import ALL_ROLES, CONTRIBUTORS, LEADERSHIP
from partnership_hub.workspaces.models import Membership, Role

PERMISSIONS = {
    "actions.view": ALL_ROLES,
    "actions.create": CONTRIBUTORS,
    "actions.edit": CONTRIBUTORS,
    "actions.update_status": CONTRIBUTORS,
    "actions.delete": LEADERSHIP,
}


def may_change_action_item(membership: Membership, item) -> bool:
    """Coordinators change any action item; others the ones they created or are assigned."""
    return membership.role == Role.COORDINATOR or membership.id in (
        item.created_by_membership_id,
        item.assignee_membership_id,
    )


RECORD_RULES = {"actions.edit": may_change_action_item, "actions.update_status": may_change_action_item}
