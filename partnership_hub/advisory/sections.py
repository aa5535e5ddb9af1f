"""The advisory area's sections, in the order their pages and seeds come. Each is a module
``partnership_hub.advisory.<section>`` that may define ``setup_facts(ctx)``, ``seed_demo(ctx, people)``
and ``seed_for_tests(ctx)``; the area's facts, demo and test seeds loop over them."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

SECTIONS = ("board", "safety", "compensation", "requests", "consent", "restricted", "framework", "assessment")


def modules() -> list[ModuleType]:
    return [import_module(f"partnership_hub.advisory.{section}") for section in SECTIONS]
