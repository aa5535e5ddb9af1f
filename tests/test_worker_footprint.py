"""What a web worker holds in memory (issue #8's RSS budget): only what requests use, and a statement
cache whose size is a setting."""

from __future__ import annotations

import os
import subprocess
import sys

from partnership_hub.extensions import db


def test_a_web_process_does_not_load_the_migration_tools(tmp_path):
    """Flask-Migrate, Alembic, Mako and Pygments (≈110 modules, several MB a worker) load only where
    something migrates: the app factory leaves them out."""
    code = (
        "import sys\n"
        "from partnership_hub import create_app\n"
        f"create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/x.db', 'TESTING': True}})\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask_migrate', 'alembic', 'mako', 'pygments'}))\n"
    )
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_compiled_statement_cache_size_is_a_setting(tmp_path):
    from partnership_hub import create_app
    from partnership_hub.config import load_config

    assert load_config({})["SQLALCHEMY_ENGINE_OPTIONS"]["query_cache_size"] == 150
    settings = load_config({"DATABASE_QUERY_CACHE_SIZE": "120", "DATABASE_URL": f"sqlite:///{tmp_path}/c.db"})
    app = create_app({**settings, "TESTING": True})
    with app.app_context():
        assert db.engine._compiled_cache.capacity == 120


def test_the_c_library_trim_is_found_where_glibc_runs():
    """On glibc (the Docker image, CI) the trim is a real ``malloc_trim``; other C libraries have none."""
    import platform

    from partnership_hub.web import toolkit

    if platform.libc_ver()[0] == "glibc":
        assert toolkit._TRIM is not None
        assert toolkit._TRIM(0) in (0, 1)


def test_a_download_hands_its_freed_heap_back_once_it_has_streamed(monkeypatch, login_as, world):
    """A large export leaves tens of MB of freed C heap that glibc keeps for the worker unless it is
    trimmed (issue #8's RSS budget): the trim runs once, after the last row, not before."""
    from partnership_hub.web import toolkit

    calls: list[int] = []
    monkeypatch.setattr(toolkit, "_TRIM", calls.append)
    response = login_as("coordinator").get(f"/p/{world.home.slug}/organizations.csv", buffered=False)
    assert response.status_code == 200
    assert calls == []  # the view returned; nothing has streamed yet
    body = b"".join(response.response)
    response.close()
    assert body.startswith(b"Name,Status,Sectors")
    assert calls == [0]
