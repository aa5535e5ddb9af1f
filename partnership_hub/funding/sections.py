"""The funding area's sections, in the order their pages and seeds come. Each is a module
``partnership_hub.funding.<section>`` that may define ``setup_facts(ctx)``, ``seed_demo(ctx, people)``
and ``seed_for_tests(ctx)``; the area's facts, demo and test seeds loop over them."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

SECTIONS = ("pipeline", "inkind")


def modules() -> list[ModuleType]:
    return [import_module(f"partnership_hub.funding.{section}") for section in SECTIONS]


def setup_fact_queries(ctx: object) -> dict:
    """Every section's setup facts merged (``Area.setup_facts``)."""
    facts: dict = {}
    for module in modules():
        load = getattr(module, "setup_facts", None)
        if load is not None:
            facts |= load(ctx)
    return facts


def seed_demo(ctx: object, people: dict) -> None:
    for module in modules():
        seed = getattr(module, "seed_demo", None)
        if seed is not None:
            seed(ctx, people)


def seed_for_tests(ctx: object) -> None:
    for module in modules():
        seed = getattr(module, "seed_for_tests", None)
        if seed is not None:
            seed(ctx)
