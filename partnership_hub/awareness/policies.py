"""Awareness permissions: everyone reads the calendar and the plans; coordinators keep the partnership's
own days, which toolkit days it observes and its lead time; everyone but observers plans campaigns
(coordinators and a plan's owner change it: ``campaigns.may_edit``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from partnership_hub.policies import ALL_ROLES, CONTRIBUTORS, LEADERSHIP
from partnership_hub.workspaces.models import Membership

PERMISSIONS = {
    "awareness.view": ALL_ROLES,
    "awareness.manage": LEADERSHIP,
    "campaigns.plan": CONTRIBUTORS,
}

RECORD_RULES: dict[str, Callable[[Membership, Any], bool]] = {}
MEMBERSHIP_RULES: dict[str, Callable[[Membership], bool]] = {}
