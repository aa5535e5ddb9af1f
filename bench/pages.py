"""Workspace page budgets (DESIGN.md), measured as ratios — never as timed assertions.

    .venv/bin/python bench/pages.py [--records 10000] [--requests 200]

For every GET workspace page it reports the SQL statements a request runs with a small and a
large partnership (the two must match, and stay at or under 10), and the dashboard's requests
per second as a ratio of a one-query page (/readyz) served by the same app in the same run
(the budget is at least 0.5). Uses a throwaway SQLite file unless DATABASE_URL/DATABASE_OWNER_URL
point at a throwaway PostgreSQL database (its schema is rebuilt).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, text  # noqa: E402

from partnership_hub import create_app  # noqa: E402
from partnership_hub.extensions import db  # noqa: E402
from tests.factories import create_partnership, create_user, login_as  # noqa: E402
from tests.web.test_query_budget import grow  # noqa: E402


def build_app():
    url = os.environ.get("DATABASE_URL")
    owner = os.environ.get("DATABASE_OWNER_URL") or url
    if not url:
        url = owner = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "DATABASE_OWNER_URL": owner,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 64,
        "TASKS_EAGER": True,
        "MAIL_BACKEND": "outbox",
        "RATELIMIT_ENABLED": False,
    }
    app = create_app(config)
    from flask_migrate import upgrade

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import create_engine

            engine = create_engine(app.config["DATABASE_OWNER_URL"])
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
        upgrade()
        if db.engine.dialect.name == "postgresql":
            from partnership_hub.provisioning import provision_app_role

            provision_app_role(app.config["DATABASE_OWNER_URL"], url)
    return app


def statements(app, client, path: str) -> int:
    seen: list[str] = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def rate(client, path: str, requests: int) -> float:
    client.get(path)
    start = time.perf_counter()
    for _ in range(requests):
        client.get(path)
    return requests / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    app = build_app()
    small = create_partnership(app, create_user(app), "Small")
    large = create_partnership(app, create_user(app), "Large")
    grow(app, small, 10)
    grow(app, large, args.records)
    clients = {}
    for partnership in (small, large):
        clients[partnership.slug] = app.test_client()
        login_as(clients[partnership.slug], app, partnership.members["coordinator"])
        clients[partnership.slug].get(f"/p/{partnership.slug}/")

    rules = sorted(
        r.rule
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/p/<slug>") and "GET" in r.methods and len(r.arguments) == 1
    )
    print(f"SQL statements per request (10 vs {args.records} records; budget 10):")
    worst = 0
    for rule in rules:
        counts = [statements(app, clients[p.slug], rule.replace("<slug>", p.slug)) for p in (small, large)]
        worst = max(worst, *counts)
        flag = "" if counts[0] == counts[1] and counts[1] <= 10 else "   <-- over budget"
        print(f"  {rule:40s} {counts[0]:3d} {counts[1]:3d}{flag}")

    client = clients[large.slug]
    dashboard = rate(client, f"/p/{large.slug}/", args.requests)
    baseline = rate(client, "/readyz", args.requests)
    print(f"\nDashboard with {args.records} records: {dashboard:.0f} req/s; one-query page: {baseline:.0f} req/s")
    print(f"ratio dashboard / one-query page = {dashboard / baseline:.2f} (budget >= 0.50)")


if __name__ == "__main__":
    main()
