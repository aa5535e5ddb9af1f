"""Directory rules that depend on the record, on top of the role matrix in workspaces.policies."""

from __future__ import annotations

from partnership_hub.workspaces.models import Role
from partnership_hub.workspaces.policies import can


def may_see_representative(membership, representative) -> bool:
    """A representative who is a workspace member is listed only to people who may see that member
    (survivor advisors' identities stay with coordinators and advisors); contacts are listed to all."""
    if representative.membership is None:
        return True
    other = representative.membership
    if other.user_id == membership.user_id:
        return True
    if other.role == Role.SURVIVOR_ADVISOR:
        return can(membership, "members.view_survivor_advisors")
    return True
