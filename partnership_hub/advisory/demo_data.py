"""The advisory part of the demo: each section seeds its own (``<section>.seed_demo(ctx, people)``)."""

from __future__ import annotations

from partnership_hub.advisory.sections import modules
from partnership_hub.context import WorkspaceContext


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    for module in modules():
        seed = getattr(module, "seed_demo", None)
        if seed is not None:
            seed(ctx, people)
