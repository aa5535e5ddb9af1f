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

    assert load_config({})["SQLALCHEMY_ENGINE_OPTIONS"]["query_cache_size"] == 500
    settings = load_config({"DATABASE_QUERY_CACHE_SIZE": "120", "DATABASE_URL": f"sqlite:///{tmp_path}/c.db"})
    app = create_app({**settings, "TESTING": True})
    with app.app_context():
        assert db.engine._compiled_cache.capacity == 120
