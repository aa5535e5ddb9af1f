"""The workspace navigation: every installed area's entries (``Area.nav``), shown to the people the
policy module allows, in sections (``NavEntry.group``) ordered by their first entry.

Every workspace page draws it, so it is made once per permission shape (who may see which entry
depends on nothing else: ``confidentiality.permission_shape``) and its links once per partnership
(``href``), instead of asking the policy and building some thirty URLs on every request."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from flask import current_app, g, request, url_for

from partnership_hub import areas
from partnership_hub.areas import NavEntry
from partnership_hub.confidentiality import Shape, permission_shape, shared_viewer
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

    @cached_property
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
    """The entries ``membership`` may see (shared by everyone of its permission shape: read only)."""
    return _navigation(permission_shape(membership))


@lru_cache(maxsize=64)
def _navigation(shape: Shape) -> Navigation:
    viewer = shared_viewer(shape)
    return Navigation(item for item in areas.nav_entries() if can(viewer, item.action))


def groups_for(membership: Membership | None) -> list[NavGroup]:
    return items_for(membership).groups


HREF_CACHE_SIZE = 4096  # (partnership, entry) links kept per app: a few hundred partnerships' navigation


def href(endpoint: str) -> str:
    """The link of a navigation entry in the current workspace (``url_for``, kept per app, script root
    and partnership: the same for every page and person)."""
    made: Callable[[str, str, str], str] | None = current_app.extensions.get("navigation_hrefs")
    if made is None:
        made = lru_cache(maxsize=HREF_CACHE_SIZE)(lambda _root, slug, endpoint: url_for(endpoint, slug=slug))
        current_app.extensions["navigation_hrefs"] = made
    return made(request.script_root, g.ctx.partnership.slug, endpoint)
