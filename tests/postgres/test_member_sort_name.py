"""``memberships.sort_name`` follows a rename in every partnership of the person, done as the app role
whatever partnership (if any) the request is bound to: memberships are under FORCEd row-level
security, so the database does it (a SECURITY DEFINER trigger function and its policy), PostgreSQL only."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from partnership_hub.accounts.models import User
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Role
from tests import factories

pytestmark = pytest.mark.postgres


def _sort_names(owner_engine, user_id: int) -> dict[int, str]:
    with owner_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT partnership_id, sort_name FROM memberships WHERE user_id = :u"), {"u": user_id}
        ).all()
    return dict(rows)


def _rename_as_the_app(app, user_id: int, name: str, bound_to: int | None) -> None:
    with app.app_context():
        assert db.session.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar() is False
        if bound_to is not None:
            bind_tenant(db.session, bound_to, user_id)
        db.session.get(User, user_id).name = name
        db.session.commit()


@pytest.mark.parametrize("bound", ["neither", "home", "other"])
def test_a_rename_by_the_app_role_reaches_both_partnerships(app, world, owner_engine, bound):
    user = world.user("member")
    factories.add_member(app, world.other, user, Role.OBSERVER)
    assert _sort_names(owner_engine, user.id) == {world.home.id: "member person", world.other.id: "member person"}
    bound_to = {"neither": None, "home": world.home.id, "other": world.other.id}[bound]
    _rename_as_the_app(app, user.id, "Ángel ZAMORA", bound_to)
    assert _sort_names(owner_engine, user.id) == {world.home.id: "ángel zamora", world.other.id: "ángel zamora"}


def test_a_new_membership_takes_the_name_whatever_it_is_sent(app, world, owner_engine):
    user = factories.create_user(app, "Mixed Case Name")
    with app.app_context():
        bind_tenant(db.session, world.home.id)
        db.session.execute(
            text(
                "INSERT INTO memberships (partnership_id, user_id, role, sort_name, created_at) "
                "VALUES (:p, :u, 'member', 'aaa', now())"
            ),
            {"p": world.home.id, "u": user.id},
        )
        db.session.commit()
    assert _sort_names(owner_engine, user.id) == {world.home.id: "mixed case name"}


def test_the_app_role_cannot_call_the_definer_function_or_use_its_policy(app, world):
    with app.app_context():
        callable_ = db.session.execute(
            text("SELECT has_function_privilege(current_user, 'sync_member_sort_name()', 'EXECUTE')")
        ).scalar()
        # Unbound, at trigger depth 0: the policy for the owner does not apply to the app role.
        seen = db.session.execute(text("SELECT count(*) FROM memberships")).scalar()
    assert callable_ is False
    assert seen == 0


def test_it_works_with_an_owner_that_is_not_a_superuser(app, world, owner_engine):
    """CI's owner is a superuser (who skips row-level security): hand the function and its policies to
    an ordinary role for this test, as a production owner would be, and rename again."""
    with owner_engine.connect() as conn:
        if not conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
            pytest.skip("needs a superuser owner to create the stand-in role")
        owner = conn.execute(text("SELECT quote_ident(current_user)")).scalar_one()
    role = f"ph_sort_name_owner_{os.getpid()}"
    setup = [
        f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, UPDATE ON memberships TO {role}",
        f"ALTER FUNCTION sync_member_sort_name() OWNER TO {role}",
        f"ALTER POLICY sort_name_sync ON memberships TO {role}",
        f"ALTER POLICY sort_name_sync_read ON memberships TO {role}",
    ]
    teardown = [
        f"ALTER POLICY sort_name_sync_read ON memberships TO {owner}",
        f"ALTER POLICY sort_name_sync ON memberships TO {owner}",
        f"ALTER FUNCTION sync_member_sort_name() OWNER TO {owner}",
        f"REVOKE ALL ON memberships FROM {role}",
        f"REVOKE ALL ON SCHEMA public FROM {role}",
        f"DROP ROLE IF EXISTS {role}",
    ]
    user = world.user("member")
    factories.add_member(app, world.other, user, Role.MEMBER)
    try:
        with owner_engine.begin() as conn:
            for statement in setup:
                conn.execute(text(statement))
        _rename_as_the_app(app, user.id, "Renamed Person", world.home.id)
        assert _sort_names(owner_engine, user.id) == {world.home.id: "renamed person", world.other.id: "renamed person"}
        # Without its policy the function would see no membership at all (FORCEd RLS binds the owner).
        with owner_engine.begin() as conn:
            conn.execute(text(f"ALTER POLICY sort_name_sync_read ON memberships TO {owner}"))
        _rename_as_the_app(app, user.id, "Stale Person", None)
        assert _sort_names(owner_engine, user.id) == {world.home.id: "renamed person", world.other.id: "renamed person"}
    finally:
        with owner_engine.begin() as conn:
            for statement in teardown:
                conn.execute(text(statement))
