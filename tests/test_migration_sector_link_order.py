"""Migration 0032 (each sector link's copy of its organization's name order and active flag) goes down
and up again on a database with rows: down removes the columns, indexes and triggers; up backfills the
rows that exist and puts the triggers back. On a scratch database of the suite's kind (SQLite, or a
throwaway PostgreSQL database beside the test one)."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from partnership_hub.config import _sqlalchemy_url
from partnership_hub.members.models import Organization, OrganizationSector
from partnership_hub.workspaces.models import Partnership
from tests.conftest import ON_POSTGRES, OWNER_URL, REQUIRE_SERVICES, _test_config

TRIGGERS = ("organization_sectors_order", "organizations_order")  # SQLite's: with _on_insert, _on_move


@pytest.fixture
def scratch_url():
    if not ON_POSTGRES:
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{Path(directory) / 'migrate.db'}"
        return
    owner = make_url(_sqlalchemy_url(OWNER_URL))
    name = f"{owner.database}_m{uuid.uuid4().hex[:8]}"
    server = create_engine(owner, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - an owner who may not create databases
        server.dispose()
        if REQUIRE_SERVICES:  # CI's owner may create databases: not being able to is a failure there
            raise
        pytest.skip(f"cannot create a scratch database: {error}")
    try:
        yield owner.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def _migrate(url: str, revision: str, down: bool = False) -> None:
    from flask_migrate import downgrade, upgrade

    from partnership_hub import create_app
    from partnership_hub.cli import attach_migrations

    app = create_app(_test_config(url, url))
    attach_migrations(app)
    with app.app_context():
        (downgrade if down else upgrade)(revision=revision)
        from partnership_hub.extensions import db

        db.engine.dispose()


def _bound(conn, partnership_id: int) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT set_config('app.partnership_id', :p, true)"), {"p": str(partnership_id)})


def _triggers(conn) -> set[str]:
    if conn.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return {name for name in conn.execute(text(query)).scalars() if name.startswith(TRIGGERS)}


def test_0032_goes_down_and_up_with_rows(scratch_url):
    _migrate(scratch_url, "head")
    engine = create_engine(scratch_url)
    try:
        with engine.begin() as conn:
            partnership_id = conn.execute(
                Partnership.__table__.insert().returning(Partnership.__table__.c.id), {"name": "P", "slug": "p"}
            ).scalar_one()
            _bound(conn, partnership_id)
            organizations = Organization.__table__
            ids = [
                conn.execute(
                    organizations.insert().returning(organizations.c.id),
                    {"partnership_id": partnership_id, "name": name, "name_key": name.lower()},
                ).scalar_one()
                for name in ("Beacon", "Anchor")
            ]
            conn.execute(
                OrganizationSector.__table__.insert(),
                [{"partnership_id": partnership_id, "organization_id": i, "sector_key": "healthcare"} for i in ids],
            )
            assert _triggers(conn)

        _migrate(scratch_url, "0031", down=True)
        with engine.begin() as conn:
            columns = {column["name"] for column in inspect(conn).get_columns("organization_sectors")}
            assert not {"organization_name_key", "organization_active"} & columns
            assert not _triggers(conn)
            _bound(conn, partnership_id)
            # Changed while nothing keeps the links in step: the upgrade's backfill must see it.
            conn.execute(
                text("UPDATE organizations SET name_key = 'zed', archived_at = created_at WHERE id = :o"), {"o": ids[0]}
            )

        _migrate(scratch_url, "head")
        with engine.begin() as conn:
            assert _triggers(conn)
            _bound(conn, partnership_id)
            rows = conn.execute(
                text(
                    "SELECT organization_id, organization_name_key, organization_active FROM organization_sectors "
                    "ORDER BY organization_id"
                )
            ).all()
            assert [(o, key, bool(active)) for o, key, active in rows] == [
                (ids[0], "zed", False),
                (ids[1], "anchor", True),
            ]
            restore = "UPDATE organizations SET name_key = 'able', archived_at = NULL WHERE id = :o"
            conn.execute(text(restore), {"o": ids[0]})
            link = (
                "SELECT organization_name_key, organization_active FROM organization_sectors WHERE organization_id = :o"
            )
            name_key, active = conn.execute(text(link), {"o": ids[0]}).one()
            assert (name_key, bool(active)) == ("able", True)
    finally:
        engine.dispose()
