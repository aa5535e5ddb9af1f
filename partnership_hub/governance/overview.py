"""The governance overview: one card per section, each loaded by its section in ONE bounded
statement (``<section>.overview_card(ctx)``, returning the card's template context or None to leave
it out for this viewer)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from partnership_hub.context import WorkspaceContext


@dataclass(frozen=True)
class Card:
    template: str  # templates/governance/_card_<section>.html
    data: dict[str, Any]


# (section, template): each section module defines ``overview_card(ctx) -> dict | None``.
SECTIONS = (
    ("guidelines", "governance/_card_guidelines.html"),
    ("agreements", "governance/_card_agreements.html"),
    ("disputes", "governance/_card_disputes.html"),
    ("checkins", "governance/_card_checkins.html"),
)


def cards(ctx: WorkspaceContext) -> list[Card]:
    """The overview's cards, in the sections' order; a section without ``overview_card`` yet is left out."""
    from importlib import import_module

    found = []
    for section, template in SECTIONS:
        load = getattr(import_module(f"partnership_hub.governance.{section}"), "overview_card", None)
        data = load(ctx) if load else None
        if data is not None:
            found.append(Card(template, data))
    return found
