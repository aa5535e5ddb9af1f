"""The governance part of the demo: each section seeds its own (``<section>.seed_demo(ctx, people)``)."""

from __future__ import annotations

from importlib import import_module

from partnership_hub.context import WorkspaceContext
from partnership_hub.governance.overview import SECTIONS


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    for section, _template in SECTIONS:
        seed = getattr(import_module(f"partnership_hub.governance.{section}"), "seed_demo", None)
        if seed is not None:
            seed(ctx, people)
