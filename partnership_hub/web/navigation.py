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


_ITEMS: dict[str, NavItem] = {}


def register(endpoint: str, label: str, *, action: str = "workspace.view", order: int = 100) -> None:
    _ITEMS[endpoint] = NavItem(endpoint, label, action, order)


def items_for(membership) -> list[NavItem]:
    return [item for item in sorted(_ITEMS.values(), key=lambda i: i.order) if can(membership, item.action)]
