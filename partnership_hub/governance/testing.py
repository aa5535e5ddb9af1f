"""One record of every kind this area's routes take by id, for the route-walking test
(``Area.test_seed``): each section seeds its own (``<section>.seed_for_tests(ctx)`` when defined)."""

from __future__ import annotations

from importlib import import_module

from partnership_hub.context import WorkspaceContext
from partnership_hub.governance.overview import SECTIONS


def seed_for_tests(ctx: WorkspaceContext) -> None:
    for section, _template in SECTIONS:
        seed = getattr(import_module(f"partnership_hub.governance.{section}"), "seed_for_tests", None)
        if seed is not None:
            seed(ctx)
