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
    # Goals, objectives and progress. What a person may read also depends on the goal's
    # confidentiality: goal_visibility_clause / may_see_goal below.
    "goals.view": ALL_ROLES,
    "goals.manage": LEADERSHIP,  # create and edit goals and objectives, change status, the stalled setting
    "goals.endorse": frozenset({Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR}),  # as a representative
    "goals.post_update": frozenset({Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR}),
    # The action plan. Observers read; the record rules below say whose items others may change.
    "actions.view": ALL_ROLES,
    "actions.create": frozenset({Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR}),
    "actions.edit": frozenset({Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR}),
    "actions.update_status": frozenset({Role.COORDINATOR, Role.MEMBER, Role.SURVIVOR_ADVISOR}),
    "actions.delete": LEADERSHIP,
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


def _may_post_update(membership: Membership, objective) -> bool:
    """Coordinators post on any objective; others on the objectives they own."""
    return membership.role == Role.COORDINATOR or objective.owner_membership_id == membership.id


def may_see_goal(membership: Membership | None, goal, granted: bool = False) -> bool:
    """The Python twin of ``goal_visibility_clause``: may ``membership`` read ``goal``?
    ``granted`` says whether a GoalAccess row names this membership for the goal."""
    from partnership_hub.goals.models import Confidentiality

    if membership is None:
        return False
    level = goal.confidentiality
    if level == Confidentiality.WORKSPACE:
        return True
    if membership.role == Role.OBSERVER:
        return False  # observers read workspace-level goals only
    if level == Confidentiality.LEADERSHIP:
        return membership.role == Role.COORDINATOR
    if level == Confidentiality.ADVISORY:
        return membership.role in (Role.COORDINATOR, Role.SURVIVOR_ADVISOR) or granted
    return goal.author_membership_id == membership.id or granted  # private


def goal_visibility_clause(membership: Membership):
    """A SQL condition on ``Goal`` that is true for the goals ``membership`` may read, so lists,
    counts and pages filter in the database (one query, correct pagination)."""
    from sqlalchemy import and_, exists, false, or_

    from partnership_hub.goals.models import Confidentiality, Goal, GoalAccess

    if membership is None:
        return false()
    workspace = Goal.confidentiality == Confidentiality.WORKSPACE
    if membership.role == Role.OBSERVER:
        return workspace
    granted = exists().where(GoalAccess.goal_id == Goal.id, GoalAccess.membership_id == membership.id)
    advisory = Goal.confidentiality == Confidentiality.ADVISORY
    private = and_(
        Goal.confidentiality == Confidentiality.PRIVATE, or_(Goal.author_membership_id == membership.id, granted)
    )
    if membership.role == Role.COORDINATOR:
        return or_(
            Goal.confidentiality.in_([Confidentiality.WORKSPACE, Confidentiality.LEADERSHIP, Confidentiality.ADVISORY]),
            private,
        )
    if membership.role == Role.SURVIVOR_ADVISOR:
        return or_(workspace, advisory, private)
    return or_(workspace, and_(advisory, granted), private)


def _may_change_action_item(membership: Membership, item) -> bool:
    """Coordinators change any action item; others the ones they created or are assigned."""
    return membership.role == Role.COORDINATOR or membership.id in (
        item.created_by_membership_id,
        item.assignee_membership_id,
    )


RECORD_RULES = {
    "members.view": _may_see_member,
    "goals.post_update": _may_post_update,
    "actions.edit": _may_change_action_item,
    "actions.update_status": _may_change_action_item,
}

# Rules that depend on the membership itself, not only its role.
MEMBERSHIP_RULES = {
    "directory.edit": lambda membership: membership.role == Role.COORDINATOR or membership.directory_editor,
}
