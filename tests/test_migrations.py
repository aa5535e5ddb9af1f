"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

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
