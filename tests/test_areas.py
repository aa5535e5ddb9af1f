"""The area registry holds the product together: central modules know no area, and what each
area declares is consistent with the app it builds."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from partnership_hub import areas
from partnership_hub.setup.guide import ITEMS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "partnership_hub"
AREA_NAMES = set(areas.INSTALLED_AREAS)
# Modules that serve every area: they may reach an area only through the registry. The identity and
# tenancy areas (accounts, workspaces) are the foundation the shared layer stands on: their models
# and services may be imported, never their views or forms.
CENTRAL = sorted(
    [path for path in PACKAGE.glob("*.py")]
    + list((PACKAGE / "web").glob("*.py"))
    + list((ROOT / "worker").glob("*.py"))
)
CORE_ALLOWED = {f"partnership_hub.{area}.{module}" for area in areas.CORE_AREAS for module in ("models", "services")}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):  # function-local imports count too
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", CENTRAL, ids=lambda path: str(path.relative_to(ROOT)))
def test_central_modules_reach_areas_only_through_the_registry(path):
    offending = []
    for name in imported_modules(path):
        parts = name.split(".")
        if len(parts) < 3 or parts[0] != "partnership_hub" or parts[1] not in AREA_NAMES:
            continue  # not an area, or the bare package of a ``from partnership_hub.area import x``
        module = ".".join(parts[:3])
        if module not in CORE_ALLOWED and name not in CORE_ALLOWED:
            offending.append(name)
    assert not offending, f"{path.name} imports area internals: {sorted(offending)}"


def test_every_installed_area_declares_itself_under_its_own_name():
    declared = [area.name for area in areas.installed()]
    assert declared == list(areas.INSTALLED_AREAS)
    for name in declared:
        assert (PACKAGE / name / "area.py").exists()


def test_declared_endpoints_exist(app):
    endpoints = set(app.view_functions)
    for entry in areas.nav_entries():
        assert entry.endpoint in endpoints, f"navigation entry {entry.label!r} points at {entry.endpoint}"
    for key, check in areas.setup_checks().items():
        assert key in ITEMS, f"a setup check for {key!r}, which is not a toolkit question"
        assert check.endpoint is None or check.endpoint in endpoints, f"setup check {key}: {check.endpoint}"
    for kind, target in areas.feed_targets().items():
        assert target.endpoint is None or target.endpoint in endpoints, f"feed target {kind}: {target.endpoint}"
        if target.model:
            assert areas.resolve(target.model).__tablename__, kind


def test_every_action_a_view_or_template_asks_about_is_in_the_role_matrix():
    matrix = areas.role_matrix()
    asked = set()
    pattern = re.compile(r"""(?:require|can)\(\s*(?:[\w.]+,\s*)?["']([a-z_]+\.[a-z_]+)["']""")
    for path in [*PACKAGE.rglob("*.py"), *(ROOT / "templates").rglob("*.html")]:
        asked.update(pattern.findall(path.read_text()))
    assert asked, "the scan found no permission checks"
    assert asked <= set(matrix), f"actions nobody declared: {sorted(asked - set(matrix))}"


def test_every_audited_action_has_a_label_in_its_area():
    labels = areas.audit_labels()
    recorded = set()
    for path in PACKAGE.rglob("*.py"):
        recorded.update(re.findall(r"""audit\.record\(\s*\w+,\s*["']([a-z_]+\.[a-z_]+)["']""", path.read_text()))
    assert recorded, "the scan found no audit entries"
    assert recorded <= set(labels), f"audit actions without a label: {sorted(recorded - set(labels))}"


def test_beat_and_tasks_come_from_the_areas(app):
    from worker.schedule import BEAT_SCHEDULE

    celery = app.extensions["celery"]
    assert areas.beat_schedule() == BEAT_SCHEDULE
    for entry in BEAT_SCHEDULE.values():
        assert entry["task"] in celery.tasks, entry["task"]
