"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from partnership_hub.extensions import db


# SQLite cannot reflect expression indexes, so autogenerate skips them there (with this warning);
# the PostgreSQL run (CI) compares them like every other index.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index:UserWarning")
def test_migrated_schema_matches_the_models(app, owner_engine):
    with owner_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_flask_db_upgrade_loads_flask_migrate_when_asked(tmp_path):
    """`flask db upgrade` (the README's and the compose file's) still builds the schema through the
    lazily loaded commands, with the group's own options."""
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    env.pop("DATABASE_OWNER_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "partnership_hub", "db"]
    upgraded = subprocess.run([*flask, "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    current = subprocess.run(
        [*flask, "-d", "migrations", "current"], env=env, capture_output=True, text=True, timeout=120
    )
    assert current.returncode == 0, current.stderr[-2000:]
    assert "(head)" in current.stdout
