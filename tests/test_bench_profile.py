"""The benchmark's per-page profile (bench/pages.py ``layer_profile``): each layer's share of a page's own
time, and the app's heaviest functions outside the views, read from a real request."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import pages as bench  # noqa: E402 - the bench's own module, not a package


@pytest.mark.parametrize(
    ("filename", "layer"),
    [
        ("/x/site-packages/psycopg/cursor.py", "PostgreSQL wait"),
        ("/x/site-packages/sqlalchemy/orm/session.py", "SQLAlchemy"),
        ("/x/site-packages/werkzeug/local.py", "Flask"),
        ("/x/site-packages/flask_wtf/csrf.py", "Flask"),
        ("/x/site-packages/jinja2/runtime.py", "Jinja"),
        (f"{ROOT}/templates/base.html", "Jinja"),
        (f"{ROOT}/partnership_hub/web/tenancy.py", "app"),
        ("/usr/lib/python3.11/functools.py", "stdlib"),
        ("~", "stdlib"),  # a built-in call
    ],
)
def test_each_file_belongs_to_one_layer(filename, layer):
    assert bench._layer(filename) == layer


def test_a_real_page_is_profiled_by_layer(app):
    client = app.test_client()
    profile = bench.layer_profile(client, "/login", requests=3)

    assert sum(profile.shares.values()) == pytest.approx(1.0)
    assert profile.shares["Flask"] > 0
    assert profile.shares["Jinja"] > 0  # the login form's template
    assert len(profile.cells()) == len(bench.LAYER_NAMES)
    assert profile.top, "the app's own functions under the request"
    assert all(name.startswith("partnership_hub/") for name, _ in profile.top)
    assert not any("views.py" in name or "web/htmx.py" in name for name, _ in profile.top)
    assert [ms for _, ms in profile.top] == sorted((ms for _, ms in profile.top), reverse=True)


@pytest.mark.parametrize(
    ("total_ms", "expected"),
    [(1.0, 10), (150.0, 6), (400.0, 2), (5000.0, 1), (0.0, 1)],
)
def test_profiled_requests_fit_the_pages_budget(total_ms, expected):
    split = bench.Split(requests=20, total_ms=total_ms, sql_ms=0.0, template_ms=0.0)
    assert bench.profile_requests(split, (20, 2.0)) == expected


def _page(rule: str, small: float, large: float, full: float | None = None, statements=(5, 5)) -> bench.Page:
    page = bench.Page(rule=f"/p/<slug>{rule}", endpoint=rule, floor=100.0)
    page.load = {"small": bench.Load(rps=small, requests=10), "large": bench.Load(rps=large, requests=10)}
    if full is not None:
        page.load["full"] = bench.Load(rps=full, requests=10)
    page.statements = dict(zip(("small", "large"), statements, strict=True))
    return page


def test_the_summary_sorts_each_large_small_miss_by_its_cause():
    pages = [
        _page("/goals/report", small=50, large=20, full=21),  # 2.5x the small one, 1.05x the full page
        _page("/goals.csv", small=50, large=2),  # an export: a file of every row
        _page("/funding", small=50, large=20, full=40),  # 2x the full page too
        _page("/profile", small=50, large=48),  # within the budget
        _page("/people", small=50, large=48, statements=(4, 5)),
    ]
    results = bench.Results(
        pages=pages, floors=[100.0], rss_app={}, rss_floor={}, restarted=False, machine={}, command="",
        started=None, seconds=0.0, seed_summary="", duration=2,
    )  # fmt: skip

    found = bench.verdicts(results)
    assert [p.endpoint for p in found.fuller] == ["/goals/report"]
    assert [p.endpoint for p in found.exports] == ["/goals.csv"]
    assert [p.endpoint for p in found.slower] == ["/funding"]
    assert [p.endpoint for p in found.statements_differ] == ["/people"]
    assert [p.endpoint for p in found.floor_met] == ["/profile", "/people"]  # 48 req/s against 100: 0.48x
    lines = "\n".join(bench.budget_lines(results))
    assert "2 of 5 pages meet their budget" in lines
    assert "3 pages miss it" in lines
    assert "Slower against the full page too (1): `/funding`" in lines
    assert "not `/people`" in lines
    assert lines in bench.summary(results)


def test_a_sequential_scan_of_a_big_table_is_found_anywhere_in_a_plan():
    plan = {
        "Node Type": "Limit",
        "Plans": [
            {"Node Type": "Seq Scan", "Relation Name": "progress_updates", "Actual Rows": 40, "Actual Loops": 3},
            {
                "Node Type": "Nested Loop",
                "Plans": [
                    {"Node Type": "Seq Scan", "Relation Name": "goals", "Actual Rows": 5, "Actual Loops": 1},
                    {"Node Type": "Index Scan", "Relation Name": "objectives", "Actual Rows": 9, "Actual Loops": 5},
                ],
            },
        ],
    }
    assert bench.seq_scans(plan, {"progress_updates", "objectives"}) == [("progress_updates", 120)]
    assert bench.seq_scans(plan, set()) == []


def test_every_read_of_a_page_is_explained_inside_its_request(app, login_as, world):
    """On its connection and in its transaction (row-level security needs the request's settings); what
    the request writes is not run a second time."""
    from partnership_hub.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("plans are PostgreSQL's")
    page = bench.Page(rule="/p/<slug>/organizations", endpoint="members.organizations")
    plans = bench.explain_page(app, login_as("coordinator"), page, f"/p/{world.home.slug}/organizations", set())

    statements = [plan.statement for plan in plans]
    assert any("FROM user_sessions" in s or "JOIN user_sessions" in s for s in statements), statements
    assert any("FROM organizations" in s for s in statements), statements
    assert all(plan.planning_ms >= 0 and plan.execution_ms >= 0 for plan in plans)
    assert not any(bench.WRITES.search(s) for s in statements)
    assert not any(plan.export for plan in plans)
    summary = bench.plans_summary(plans)
    assert f"{len(plans)} statements on 1 page)" in summary
    assert "`/organizations`" in bench.plans_table(plans)
