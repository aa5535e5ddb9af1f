"""One record of every kind this area's routes take by id, for the route-walking test
(``Area.test_seed``): each section seeds its own (``<section>.seed_for_tests(ctx)`` when defined)."""

from __future__ import annotations

from partnership_hub.advisory.sections import modules
from partnership_hub.context import WorkspaceContext


def seed_for_tests(ctx: WorkspaceContext) -> None:
    for module in modules():
        seed = getattr(module, "seed_for_tests", None)
        if seed is not None:
            seed(ctx)
