"""Imports every area's models, so SQLAlchemy's metadata and Alembic see the whole schema."""

from partnership_hub.accounts.models import AccountToken, User, UserSession
from partnership_hub.actions.models import ActionItem
from partnership_hub.audit.models import AuditEntry
from partnership_hub.goals.models import (
    Goal,
    GoalAccess,
    GoalEndorsement,
    GoalLeadOrganization,
    Objective,
    ProgressUpdate,
)
from partnership_hub.members.models import CustomSector, LinkedNetwork, Organization, OrganizationSector, Representative
from partnership_hub.notifications.models import OutboxMessage
from partnership_hub.resources.models import CommunityResource
from partnership_hub.setup.models import SetupGuideMark
from partnership_hub.workspaces.models import (
    Invitation,
    Membership,
    OrientationCompletion,
    OrientationItem,
    Partnership,
)

__all__ = [
    "ActionItem",
    "Goal",
    "GoalAccess",
    "GoalEndorsement",
    "GoalLeadOrganization",
    "Objective",
    "ProgressUpdate",
    "AccountToken",
    "AuditEntry",
    "CommunityResource",
    "CustomSector",
    "LinkedNetwork",
    "Organization",
    "OrganizationSector",
    "OrientationCompletion",
    "OrientationItem",
    "Representative",
    "SetupGuideMark",
    "Invitation",
    "Membership",
    "OutboxMessage",
    "Partnership",
    "User",
    "UserSession",
]
