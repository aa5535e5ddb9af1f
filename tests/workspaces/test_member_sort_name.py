"""Member lists sort by ``memberships.sort_name`` (issue #8), which the database keeps equal to the
person's lower-cased name: when the membership is created and whenever the person is renamed, in every
partnership they belong to."""

from __future__ import annotations

from sqlalchemy import func, select

from partnership_hub.accounts.models import User
from partnership_hub.context import context_for
from partnership_hub.db import bind_tenant
from partnership_hub.extensions import db
from partnership_hub.picking import pick_together
from partnership_hub.workspaces import services
from partnership_hub.workspaces.models import Membership, Role
from tests import factories


def _sort_names(owner_engine, user_id: int) -> dict[int, str]:
    """partnership id -> sort_name of every membership of the person (as the owner: past RLS)."""
    with owner_engine.connect() as conn:
        rows = conn.execute(
            select(Membership.partnership_id, Membership.sort_name).where(Membership.user_id == user_id)
        ).all()
    return {partnership: name for partnership, name in rows}


def _rename(app, user_id: int, name: str) -> None:
    """A rename the way any code path would do it: outside any partnership."""
    with app.app_context():
        db.session.get(User, user_id).name = name
        db.session.commit()


def test_a_new_membership_takes_the_lower_cased_name(app, world, owner_engine):
    user = world.user("member")
    assert _sort_names(owner_engine, user.id) == {world.home.id: user.name.lower()}


def test_a_rename_reaches_every_partnership_of_the_person(app, world, owner_engine):
    user = world.user("member")
    factories.add_member(app, world.other, user, Role.MEMBER)
    _rename(app, user.id, "Ángel Zamora")
    with app.app_context():  # the database's lower() (SQLite's folds ASCII letters only), as before
        lowered = db.session.execute(select(func.lower("Ángel Zamora"))).scalar_one()
    assert lowered.endswith("ngel zamora")
    assert _sort_names(owner_engine, user.id) == {world.home.id: lowered, world.other.id: lowered}


def _order_on(client, url: str, names: list[str]) -> list[str]:
    text = client.get(url).text
    found = [(text.find(name), name) for name in names]
    assert all(at >= 0 for at, _ in found), found
    return [name for _, name in sorted(found)]


def test_people_and_planning_follow_a_rename(app, world, login_as):
    home = world.home
    for name in ("Bea Blue", "Dan Dale"):
        factories.add_member(app, home, factories.create_user(app, name), Role.MEMBER, name)
    with app.app_context():
        bind_tenant(db.session, home.id)
        for membership in db.session.scalars(select(Membership)):
            membership.on_planning_team = True
        db.session.commit()
    client = login_as("coordinator")
    people = f"/p/{home.slug}/people"
    names = ["Bea Blue", "Dan Dale", "Member Person"]
    assert _order_on(client, people, names) == ["Bea Blue", "Dan Dale", "Member Person"]
    _rename(app, world.user("member").id, "Aaron Member")
    names = ["Aaron Member", "Bea Blue", "Dan Dale"]
    assert _order_on(client, people, names) == ["Aaron Member", "Bea Blue", "Dan Dale"]
    assert _order_on(client, f"/p/{home.slug}/people?role=member", names) == names
    assert _order_on(client, f"/p/{home.slug}/planning", names) == names
    # Coordinators still come first on the People page, whatever their name.
    _rename(app, world.user("coordinator").id, "Zoe Coordinator")
    assert _order_on(client, people, ["Zoe Coordinator", *names]) == ["Zoe Coordinator", *names]


def test_pickers_order_by_the_sort_name_alone_and_together(app, world, login_as):
    home = world.home
    names = ["Abe Renamed", "bea lower", "Bea Upper", "Carl"]
    for name in ("Carl", "Bea Upper", "bea lower"):
        factories.add_member(app, home, factories.create_user(app, name), Role.MEMBER, name)
    _rename(app, world.user("member").id, "Abe Renamed")
    client = login_as("coordinator")
    assert _order_on(client, f"/p/{home.slug}/pick/people?field=x", names) == names
    with app.app_context():
        ctx = context_for(home.id, world.user("coordinator").id)
        alone = [label for _, label in services.pick_people(ctx, "", []).matches]
        together = pick_together({"a": services.people_spec(ctx, []), "b": services.people_spec(ctx, [])})
    assert [n for n in alone if n in names] == names
    assert together["a"].matches == together["b"].matches
    assert [label for _, label in together["a"].matches] == alone
