"""The governance area's setup facts (``Area.setup_facts``): every section's ``setup_facts(ctx)``
merged, so the setup guide evaluates them with every other area's in one round trip."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from partnership_hub.context import WorkspaceContext
from partnership_hub.governance.overview import SECTIONS


def setup_fact_queries(ctx: WorkspaceContext) -> dict[str, Any]:
    """Each section's facts (plain values and scalar subqueries); a section without ``setup_facts`` adds none."""
    facts: dict[str, Any] = {}
    for section, _template in SECTIONS:
        load = getattr(import_module(f"partnership_hub.governance.{section}"), "setup_facts", None)
        if load is not None:
            facts |= load(ctx)
    return facts
