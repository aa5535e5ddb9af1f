"""The tenancy mechanism in db.py: scoped reads, refused unscoped reads, refused cross-tenant writes."""

from __future__ import annotations

import pytest
from sqlalchemy import ForeignKeyConstraint, select

from partnership_hub.db import (
    CrossTenantWrite,
    TenantContextMissing,
    TenantMixin,
    bind_tenant,
    cross_tenant,
    get_scoped,
)
from partnership_hub.errors import NotFound
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Membership, Role


def test_reading_tenant_rows_with_no_partnership_bound_is_refused(app, world):
    with app.app_context(), pytest.raises(TenantContextMissing):
        db.session.scalars(select(Membership)).all()


def test_bound_reads_see_only_that_partnership(app, world):
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        rows = db.session.scalars(select(Membership)).all()
        assert {m.partnership_id for m in rows} == {world.home.id}
        assert len(rows) == 4
        bind_tenant(db.session, world.other.id)
        assert {m.partnership_id for m in db.session.scalars(select(Membership))} == {world.other.id}


def test_get_scoped_refuses_another_partnerships_id(app, world):
    with app.app_context():
        bind_tenant(db.session, world.other.id)
        with pytest.raises(NotFound):
            get_scoped(db.session, Membership, world.home.membership_ids["member"])
        with pytest.raises(NotFound):
            get_scoped(db.session, Membership, "not-a-number")


def test_writing_a_row_for_another_partnership_is_refused(app, world):
    with app.app_context():
        bind_tenant(db.session, world.other.id)
        db.session.add(Membership(partnership_id=world.home.id, user_id=world.user("member").id, role=Role.MEMBER))
        with pytest.raises(CrossTenantWrite):
            db.session.flush()
        db.session.rollback()


def test_new_rows_take_the_bound_partnership(app, world):
    from tests.factories import create_user

    newcomer = create_user(app)
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        membership = Membership(user_id=newcomer.id, role=Role.OBSERVER)
        db.session.add(membership)
        db.session.flush()
        assert membership.partnership_id == world.home.id
        db.session.rollback()


def test_cross_tenant_is_explicit(app, world):
    with app.app_context():
        rows = db.session.scalars(cross_tenant(select(Membership))).all()
        if db.engine.dialect.name == "sqlite":
            assert {m.partnership_id for m in rows} == {world.home.id, world.other.id}
        else:  # RLS: with no partnership and no user bound, PostgreSQL shows nothing at all
            assert rows == []


def test_every_tenant_table_has_a_not_null_indexed_foreign_key_to_partnerships():
    tenant_tables = [m.local_table for m in db.Model.registry.mappers if issubclass(m.class_, TenantMixin)]
    assert {t.name for t in tenant_tables} >= {"memberships", "invitations", "audit_entries"}
    for table in tenant_tables:
        column = table.c.partnership_id
        assert not column.nullable, table.name
        assert any(
            isinstance(c, ForeignKeyConstraint) and c.referred_table.name == "partnerships" for c in table.constraints
        ), table.name
        assert any(index.columns.values()[0].name == "partnership_id" for index in table.indexes), table.name


def test_tenant_tables_inside_subqueries_are_scoped_and_guarded(app, world):
    from sqlalchemy import func

    counting = select(select(func.count(Membership.id)).scalar_subquery())
    with app.app_context():
        with pytest.raises(TenantContextMissing):
            db.session.execute(counting)
        bind_tenant(db.session, world.other.id)
        assert db.session.execute(counting).scalar() == 1
        bind_tenant(db.session, world.home.id)
        assert db.session.execute(counting).scalar() == 4
