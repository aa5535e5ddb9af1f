"""The workspace navigation: every installed area's entries (``Area.nav``), shown to the people the
policy module allows."""

from __future__ import annotations

from partnership_hub import areas
from partnership_hub.areas import NavEntry
from partnership_hub.policies import can
from partnership_hub.workspaces.models import Membership

NavItem = NavEntry  # the name templates and older tests know


def items_for(membership: Membership | None) -> list[NavEntry]:
    return [item for item in areas.nav_entries() if can(membership, item.action)]
