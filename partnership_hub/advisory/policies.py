"""Advisory-area permissions, one block per section.

Who may read the board's restricted area is not a role question: the confidentiality layer admits the
board (a seat) and the people the chair admits (a grant), and ``board.require_admitted`` answers 404
to everyone else, coordinators included. The role matrix below says who may ask at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from partnership_hub.policies import ALL_ROLES, CONTRIBUTORS, LEADERSHIP
from partnership_hub.workspaces.models import Membership, Role

SEE_ADVISORS = frozenset({Role.COORDINATOR, Role.SURVIVOR_ADVISOR})

PERMISSIONS = {
    # board (board.py): the board page is everyone's but observers' (members see what the board is and
    # how to ask it; the roster's names only for people who may know who advisors are); coordinators keep
    # the roles, seats and terms; the restricted area and the chair's pages check admission, not role.
    "advisory.view": CONTRIBUTORS,
    "advisory.roster": SEE_ADVISORS,
    "advisory.manage": LEADERSHIP,
    "advisory.restricted": CONTRIBUTORS,
    # Sections add theirs below (compensation, safety, requests, consent, restricted, framework, assessment).
}

RECORD_RULES: dict[str, Callable[[Membership, Any], bool]] = {}
MEMBERSHIP_RULES: dict[str, Callable[[Membership], bool]] = {}

__all__ = ["ALL_ROLES", "MEMBERSHIP_RULES", "PERMISSIONS", "RECORD_RULES"]
