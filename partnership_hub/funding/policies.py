"""Funding permissions, one block per section. Who may see an opportunity above ``workspace`` is the
confidentiality layer's question."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from partnership_hub.policies import ALL_ROLES, CONTRIBUTORS, LEADERSHIP
from partnership_hub.workspaces.models import Membership, Role

PERMISSIONS: dict[str, Any] = {
    # pipeline (pipeline.py): coordinators manage funding (issue #14); everyone reads what the layer
    # lets them see.
    "funding.view": ALL_ROLES,
    "funding.manage": LEADERSHIP,
    "funding.own": CONTRIBUTORS,  # an opportunity's owner sees its deadlines in "Your work"
    # in-kind (inkind.py): members read and post offers and needs; coordinators match them.
    "inkind.view": ALL_ROLES,
    "inkind.post": CONTRIBUTORS,
    "inkind.edit": CONTRIBUTORS,  # their own offers and needs; coordinators any (record rule below)
    "inkind.match": LEADERSHIP,
}


def may_change_inkind(membership: Membership, record: Any) -> bool:
    """Coordinators change any in-kind offer or need; others their own: one they posted, or an offer
    made in their name."""
    if membership.role == Role.COORDINATOR:
        return True
    own = ("author_membership_id", "offered_by_membership_id", "posted_by_membership_id")
    return any(getattr(record, name, None) == membership.id for name in own)


RECORD_RULES: dict[str, Callable[[Membership, Any], bool]] = {"inkind.edit": may_change_inkind}
MEMBERSHIP_RULES: dict[str, Callable[[Membership], bool]] = {}
