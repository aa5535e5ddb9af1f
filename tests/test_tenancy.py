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


def test_a_statement_built_once_is_filtered_for_each_partnership_in_turn(app, world):
    """One statement object, shared across requests (as the feed's rule is): each execution is scoped
    to the partnership bound at that moment, and the filtered twin is made once, so SQLAlchemy's
    fingerprint of it is memoized rather than recomputed per execution."""
    from partnership_hub.db import _with_tenant_criteria

    shared = select(Membership.partnership_id, Membership.id).order_by(Membership.id)
    assert _with_tenant_criteria(shared) is _with_tenant_criteria(shared)
    with app.app_context():
        for partnership, count in ((world.home, 4), (world.other, 1), (world.home, 4)):
            bind_tenant(db.session, partnership.id)
            rows = db.session.execute(shared).all()
            assert {pid for pid, _ in rows} == {partnership.id}
            assert len(rows) == count
    with app.app_context():  # a new session, the same shared statement
        bind_tenant(db.session, world.other.id)
        assert {pid for pid, _ in db.session.execute(shared)} == {world.other.id}


def test_bulk_updates_and_deletes_touch_the_bound_partnership_only(app, world):
    from sqlalchemy import delete, update

    with app.app_context():
        bind_tenant(db.session, world.other.id)
        changed = db.session.execute(
            update(Membership).values(directory_editor=True).execution_options(synchronize_session=False)
        )
        assert changed.rowcount == 1
        home_member = world.home.membership_ids["member"]
        gone = db.session.execute(
            delete(Membership).where(Membership.id == home_member).execution_options(synchronize_session=False)
        )
        assert gone.rowcount == 0
        bind_tenant(db.session, world.home.id)
        assert not any(m.directory_editor for m in db.session.scalars(select(Membership)))
        assert home_member in {m.id for m in db.session.scalars(select(Membership))}
        db.session.rollback()


def test_the_filter_run_without_its_partnership_fails_loudly(app, world):
    """The partnership filter's value comes from the session at execution; a filtered statement run
    around the session (on the bare connection) has no value and is refused, never run unfiltered."""
    from sqlalchemy.exc import StatementError

    from partnership_hub.db import _with_tenant_criteria

    with app.app_context():
        bind_tenant(db.session, world.home.id)
        filtered = _with_tenant_criteria(select(Membership))
        with pytest.raises(StatementError, match="tenant_partnership_id"):
            db.session.connection().execute(filtered)
        db.session.rollback()
