"""The one place that answers "may this membership do X (to this record)?".

Views ask it before acting, templates ask it (through the ``can`` global) before showing a button,
services ask it when a rule depends on the record. Later areas add their actions to ROLE_MATRIX.
"""

from __future__ import annotations

from partnership_hub.workspaces.models import Membership, Role

ALL_ROLES = frozenset(Role)
LEADERSHIP = frozenset({Role.COORDINATOR})

# action -> roles allowed. Record-specific rules live in the functions below.
ROLE_MATRIX: dict[str, frozenset[Role]] = {
    "workspace.view": ALL_ROLES,
    "members.view": frozenset({Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR}),
    # Survivor advisors' identities are shared with coordinators and with each other only.
    "members.view_survivor_advisors": frozenset({Role.COORDINATOR, Role.SURVIVOR_ADVISOR}),
    "members.invite": LEADERSHIP,
    "members.manage": LEADERSHIP,
    "audit.view": LEADERSHIP,
    # Partnership profile (coordinators edit, everyone reads).
    "profile.view": ALL_ROLES,
    "profile.edit": LEADERSHIP,
    # The member directory: organizations, sectors, coverage, linked networks, the resource map.
    "directory.view": ALL_ROLES,
    "directory.view_contacts": frozenset({Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR}),
    # Coordinators edit; members edit only when a coordinator made them directory editors.
    "directory.edit": frozenset({Role.COORDINATOR, Role.MEMBER}),
    # Planning team, orientation checklist and who may edit the directory.
    "planning.manage": LEADERSHIP,
    "orientation.complete": ALL_ROLES,
    # The toolkit setup guide.
    "setup.view": ALL_ROLES,
    "setup.mark": LEADERSHIP,
}


def can(membership: Membership | None, action: str, record: object | None = None) -> bool:
    """True when ``membership`` may perform ``action`` (on ``record``, where the rule needs it)."""
    if membership is None:
        return False
    allowed = ROLE_MATRIX.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}: add it to ROLE_MATRIX")
    if membership.role not in allowed:
        return False
    membership_rule = MEMBERSHIP_RULES.get(action)
    if membership_rule and not membership_rule(membership):
        return False
    rule = RECORD_RULES.get(action)
    return rule(membership, record) if (rule and record is not None) else True


def _may_see_member(membership: Membership, other: Membership) -> bool:
    if other.role == Role.SURVIVOR_ADVISOR and other.user_id != membership.user_id:
        return membership.role in ROLE_MATRIX["members.view_survivor_advisors"]
    return True


RECORD_RULES = {
    "members.view": _may_see_member,
}

# Rules that depend on the membership itself, not only its role.
MEMBERSHIP_RULES = {
    "directory.edit": lambda membership: membership.role == Role.COORDINATOR or membership.directory_editor,
}
