"""Row-level security: the database's own wall between partnerships (PostgreSQL only)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from partnership_hub.db import bind_tenant, cross_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Membership

pytestmark = pytest.mark.postgres

TENANT_TABLES = ("memberships", "invitations", "audit_entries")


def test_the_app_role_neither_owns_the_tables_nor_bypasses_rls(app):
    with app.app_context():
        role = db.session.execute(text("SELECT current_user")).scalar()
        flags = db.session.execute(
            text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).one()
        owners = set(db.session.execute(text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")).scalars())
    assert flags == (False, False)
    assert role not in owners


def test_tenant_tables_enable_and_force_rls_with_using_and_with_check(owner_engine):
    with owner_engine.connect() as conn:
        for table in TENANT_TABLES:
            enabled, forced = conn.execute(
                text("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"), {"t": table}
            ).one()
            assert enabled and forced, table
            qual, check = conn.execute(
                text(
                    "SELECT qual, with_check FROM pg_policies WHERE tablename = :t AND policyname = 'tenant_isolation'"
                ),
                {"t": table},
            ).one()
            assert "app.partnership_id" in qual and "app.partnership_id" in check, table


def test_every_tenant_model_table_has_rls(owner_engine):
    from partnership_hub.db import TenantMixin

    tables = {m.local_table.name for m in db.Model.registry.mappers if issubclass(m.class_, TenantMixin)}
    with owner_engine.connect() as conn:
        protected = set(
            conn.execute(text("SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity")).scalars()
        )
    assert tables <= protected, f"tenant tables without RLS: {tables - protected}"


def test_with_no_partnership_set_tenant_tables_are_empty(app, world):
    with app.app_context():
        for table in TENANT_TABLES:
            assert db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0  # noqa: S608


def test_removing_the_orm_filter_still_reads_nothing_of_another_partnership(app, world):
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        # cross_tenant() switches the ORM's automatic filter off: only RLS stands in the way.
        rows = db.session.scalars(cross_tenant(select(Membership))).all()
        assert rows and {m.partnership_id for m in rows} == {world.home.id}
        raw = db.session.execute(text("SELECT DISTINCT partnership_id FROM memberships")).scalars().all()
        assert raw == [world.home.id]


def test_writing_into_another_partnership_is_refused_by_the_database(app, world):
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        with pytest.raises(DBAPIError, match="row-level security"):
            db.session.execute(
                text(
                    "INSERT INTO memberships (partnership_id, user_id, role, created_at) "
                    "VALUES (:p, :u, 'member', now())"
                ),
                {"p": world.other.id, "u": world.user("member").id},
            )
        db.session.rollback()
        bind_tenant(db.session, world.home.id)
        with pytest.raises(DBAPIError, match="row-level security"):
            db.session.execute(text("UPDATE memberships SET partnership_id = :p"), {"p": world.other.id})
        db.session.rollback()


def test_a_pooled_connection_does_not_carry_a_partnership_into_the_next_transaction(app, world):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            with conn.begin():
                conn.execute(text("SELECT set_config('app.partnership_id', :p, true)"), {"p": str(world.home.id)})
                assert conn.execute(text("SELECT count(*) FROM memberships")).scalar() == 4
            with conn.begin():
                assert conn.execute(text("SELECT count(*) FROM memberships")).scalar() == 0
        with engine.connect() as conn:  # the same pooled connection, checked out again
            assert conn.execute(text("SELECT count(*) FROM memberships")).scalar() == 0
    finally:
        engine.dispose()


def test_a_person_sees_their_own_memberships_everywhere_but_nobody_elses(app, world):
    member = world.user("member")
    with app.app_context():
        from partnership_hub.db import bind_user

        bind_user(db.session, member.id)
        rows = db.session.scalars(cross_tenant(select(Membership))).all()
        assert [(m.user_id, m.partnership_id) for m in rows] == [(member.id, world.home.id)]
