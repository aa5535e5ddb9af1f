"""The workspace navigation: every installed area's entries (``Area.nav``), shown to the people the
policy module allows, in sections (``NavEntry.group``) ordered by their first entry."""

from __future__ import annotations

import re
from dataclasses import dataclass

from partnership_hub import areas
from partnership_hub.areas import NavEntry
from partnership_hub.policies import can
from partnership_hub.workspaces.models import Membership

NavItem = NavEntry  # the name templates and older tests know


@dataclass(frozen=True)
class NavGroup:
    """One section of the navigation, with the entries the viewer may see (at least one)."""

    label: str
    entries: tuple[NavEntry, ...]

    @property
    def id(self) -> str:
        """An id for the section's list (``aria-labelledby``), from its label."""
        return "nav-" + (re.sub(r"[^a-z0-9]+", "-", self.label.lower()).strip("-") or "section")

    @property
    def single(self) -> bool:
        """A section with one entry is shown as that entry alone, without a heading."""
        return len(self.entries) == 1


class Navigation(list[NavEntry]):
    """The entries one viewer may see, in order (a list, as the layout's ``nav_items``), with their
    sections (``groups``) and the one entry a page belongs to (``current``)."""

    @property
    def groups(self) -> list[NavGroup]:
        """The entries by section; a section keeps the place of its first entry."""
        grouped: dict[str, list[NavEntry]] = {}
        for entry in self:
            grouped.setdefault(entry.group or entry.label, []).append(entry)
        return [NavGroup(label, tuple(entries)) for label, entries in grouped.items()]

    def current(self, endpoint: str | None) -> NavEntry | None:
        """The entry that claims the page. Each page has exactly one (tests/web/test_navigation.py);
        should two ever claim one, only the first is marked."""
        return next((entry for entry in self if entry.is_current(endpoint)), None)


def items_for(membership: Membership | None) -> Navigation:
    return Navigation(item for item in areas.nav_entries() if can(membership, item.action))


def groups_for(membership: Membership | None) -> list[NavGroup]:
    return items_for(membership).groups
