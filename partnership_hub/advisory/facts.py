"""The advisory area's setup facts (``Area.setup_facts``): every section's ``setup_facts(ctx)`` merged,
so the setup guide evaluates them with every other area's in one round trip."""

from __future__ import annotations

from typing import Any

from partnership_hub.advisory.sections import modules
from partnership_hub.context import WorkspaceContext


def setup_fact_queries(ctx: WorkspaceContext) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for module in modules():
        load = getattr(module, "setup_facts", None)
        if load is not None:
            facts |= load(ctx)
    return facts
