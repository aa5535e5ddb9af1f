"""The one place that answers "may this membership do X (to this record)?".

The role matrix is the union of every installed area's ``permissions`` (action → roles allowed);
record rules and membership rules come from the areas too (``areas.py``). Views ask through the
request toolkit (``web/toolkit.require``), templates through the ``can`` global, services through
``ctx.can`` / ``ctx.require``. What a person may *read* of a confidential record is the
confidentiality layer's question (``confidentiality.py``), not this module's.
"""

from __future__ import annotations

from partnership_hub import areas
from partnership_hub.workspaces.models import Membership, Role

ALL_ROLES = frozenset(Role)
LEADERSHIP = frozenset({Role.COORDINATOR})
CONTRIBUTORS = frozenset({Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR})  # everyone but observers


def can(membership: Membership | None, action: str, record: object | None = None) -> bool:
    """True when ``membership`` may perform ``action`` (on ``record``, where the rule needs it)."""
    if membership is None:
        return False
    allowed = areas.role_matrix().get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}: declare it in an area's permissions")
    if membership.role not in allowed:
        return False
    membership_rule = areas.membership_rules().get(action)
    if membership_rule and not membership_rule(membership):
        return False
    rule = areas.record_rules().get(action)
    return rule(membership, record) if (rule and record is not None) else True


def roles_allowed(action: str) -> frozenset[Role]:
    """The roles the matrix allows ``action`` (for rules that defer to another action's roles)."""
    return areas.role_matrix()[action]
