"""The workspace navigation. Each area registers its entries; the layout shows the ones the
current membership may use (asking the policy module)."""

from __future__ import annotations

from dataclasses import dataclass

from partnership_hub.workspaces.policies import can


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    action: str
    order: int
    also: tuple[str, ...] = ()  # other endpoints (or "prefix*") that belong to this entry

    def is_current(self, endpoint: str | None) -> bool:
        if endpoint is None:
            return False
        if endpoint == self.endpoint:
            return True
        return any(endpoint.startswith(p[:-1]) if p.endswith("*") else endpoint == p for p in self.also)


_ITEMS: dict[str, NavItem] = {}


def register(
    endpoint: str, label: str, *, action: str = "workspace.view", order: int = 100, also: tuple[str, ...] = ()
) -> None:
    _ITEMS[endpoint] = NavItem(endpoint, label, action, order, also)


def items_for(membership) -> list[NavItem]:
    return [item for item in sorted(_ITEMS.values(), key=lambda i: i.order) if can(membership, item.action)]
