"""The fixed cost of a signed-in request: what every page pays before it does its own work.

A workspace page resolves the session, the person, the partnership and the membership, and on
PostgreSQL hands the ids to row-level security, in two statements; the partnership switcher costs
nothing until its menu is opened. None of it may weaken the walls (``tests/postgres/test_rls.py``,
``tests/web/test_route_walk.py``): the tests below also check the settings RLS sees.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask import g
from sqlalchemy import bindparam, literal, select, text, update

from partnership_hub.accounts.models import UserSession
from partnership_hub.db import SelectApplyingSettings, bind_tenant, bind_user, utcnow
from partnership_hub.extensions import db
from partnership_hub.workspaces.models import Partnership, Role
from tests.budget import counting
from tests.factories import add_member

# Statements of a signed-in workspace page that runs no query of its own (``/profile``): the
# session with its person, the partnership and the RLS settings; then the membership.
WORKSPACE_FIXED = 2
# Outside a workspace: the session with its person (and the RLS user setting).
SIGNED_IN_FIXED = 1

HTMX = {"HX-Request": "true"}


def queries(seen: list[str]) -> list[str]:
    """The statements without the transaction's BEGIN: the app sends it itself on SQLite (so it is
    counted there), psycopg sends it without a cursor on PostgreSQL. Either way it is not a query."""
    return [statement for statement in seen if statement.strip().upper() != "BEGIN"]


def statements(app, client, path: str, **kwargs) -> tuple[list[str], object]:
    client.get(path, **kwargs)  # warm-up: a session seen long ago is touched (one write) once
    with counting(app) as seen:
        response = client.get(path, **kwargs)
    return queries(seen), response


def test_a_bare_workspace_page_costs_two_statements(app, world, login_as):
    seen, response = statements(app, login_as("member"), f"/p/{world.home.slug}/profile")
    assert response.status_code == 200
    assert len(seen) <= WORKSPACE_FIXED, seen
    # On PostgreSQL the settings ride along with the first statement: no statement of their own.
    assert not any(statement.lstrip().upper().startswith("SELECT SET_CONFIG") for statement in seen), seen


def test_a_signed_in_page_outside_workspaces_costs_one_statement(app, world, login_as):
    seen, response = statements(app, login_as("member"), "/partnerships/new")
    assert response.status_code == 200
    assert len(seen) <= SIGNED_IN_FIXED, seen


def test_the_cost_is_the_same_in_every_role(app, world, login_as):
    counts = {
        role: len(statements(app, login_as(role), f"/p/{world.home.slug}/profile")[0])
        for role in ("coordinator", "member", "survivor_advisor", "observer")
    }
    assert len(set(counts.values())) == 1 and max(counts.values()) <= WORKSPACE_FIXED, counts


# --- the partnership switcher -----------------------------------------------------------------


def test_pages_do_not_list_the_switcher_and_the_menu_fetches_it(app, world, login_as):
    add_member(app, world.other, world.user("member"), Role.MEMBER, key="shared")
    client = login_as("member")

    seen, page = statements(app, client, f"/p/{world.home.slug}/profile")
    assert len(seen) <= WORKSPACE_FIXED
    assert world.other.name not in page.text  # the other partnership is only in the menu, once asked for
    assert 'hx-get="/partnerships/menu?here=' in page.text and 'hx-trigger="toggle once"' in page.text
    assert 'href="/?all=1"' in page.text  # without JavaScript the menu links to the full list

    seen, menu = statements(app, client, f"/partnerships/menu?here={world.home.slug}", headers=HTMX)
    assert menu.status_code == 200 and len(seen) <= SIGNED_IN_FIXED + 1, seen
    assert world.home.name in menu.text and world.other.name in menu.text
    assert "<html" not in menu.text and menu.text.count("<li>") == 2
    assert f'href="/p/{world.home.slug}/" aria-current="true"' in menu.text
    assert f'href="/p/{world.other.slug}/">' in menu.text


def test_the_menu_without_htmx_is_the_partnership_list_and_needs_a_sign_in(app, world, login_as, client):
    assert login_as("member").get("/partnerships/menu").headers["Location"] == "/?all=1"
    anonymous = client.get("/partnerships/menu", headers=HTMX)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")


def test_the_menu_lists_only_ones_own_partnerships(app, world, login_as):
    menu = login_as(world.other.members["coordinator"]).get("/partnerships/menu", headers=HTMX)
    assert world.other.name in menu.text and world.home.name not in menu.text


# --- the session, its expiry and its touch ----------------------------------------------------


def _age_sessions(app, user_id: int, age: timedelta) -> None:
    with app.app_context():
        db.session.execute(
            update(UserSession).where(UserSession.user_id == user_id).values(last_seen_at=utcnow() - age)
        )
        db.session.commit()


def test_a_session_idle_past_its_lifetime_is_refused(app, world, login_as):
    client = login_as("member")
    _age_sessions(app, world.user("member").id, app.config["PERMANENT_SESSION_LIFETIME"] + timedelta(minutes=1))
    response = client.get(f"/p/{world.home.slug}/profile")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_revoked_session_is_refused(app, world, login_as):
    client = login_as("member")
    with app.app_context():
        db.session.execute(update(UserSession).values(revoked_at=utcnow()))
        db.session.commit()
    assert client.get(f"/p/{world.home.slug}/profile").status_code == 302


def test_activity_is_noted_at_most_every_few_minutes(app, world, login_as):
    client = login_as("member")
    _age_sessions(app, world.user("member").id, timedelta(minutes=10))
    with counting(app) as first:
        assert client.get(f"/p/{world.home.slug}/profile").status_code == 200
    with counting(app) as second:
        assert client.get(f"/p/{world.home.slug}/profile").status_code == 200
    assert any(statement.startswith("UPDATE user_sessions") for statement in first)
    assert not any(statement.startswith("UPDATE") for statement in second)
    assert len(queries(second)) <= WORKSPACE_FIXED


def _session_cookie(response) -> str | None:
    return next((h for h in response.headers.getlist("Set-Cookie") if h.startswith("ph_session=")), None)


def test_the_session_cookie_is_sent_again_only_when_the_activity_is_noted(app, world, login_as):
    """Not re-signed on every response; its expiry still slides with the server-side session's."""
    client = login_as("member")
    client.get(f"/p/{world.home.slug}/profile")  # the first page after signing in keeps its CSRF token
    quiet = client.get(f"/p/{world.home.slug}/profile")
    assert quiet.status_code == 200 and _session_cookie(quiet) is None

    _age_sessions(app, world.user("member").id, timedelta(minutes=10))
    touched = client.get(f"/p/{world.home.slug}/profile")
    cookie = _session_cookie(touched)
    assert touched.status_code == 200 and cookie is not None
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert expires - utcnow() > app.config["PERMANENT_SESSION_LIFETIME"] - timedelta(minutes=1)
    assert client.get(f"/p/{world.home.slug}/profile").status_code == 200  # the new cookie still signs in


# --- the settings row-level security sees (PostgreSQL) ----------------------------------------


def _settings() -> tuple[str, str]:
    row = db.session.execute(
        text("SELECT current_setting('app.partnership_id', true), current_setting('app.user_id', true)")
    ).one()
    return row[0] or "", row[1] or ""


@pytest.mark.postgres
def test_each_statement_runs_with_the_settings_of_the_binding_and_binding_twice_sends_them_once(app, world):
    member = world.user("member")
    with app.app_context(), counting(app) as seen:
        bind_tenant(db.session, world.home.id, member.id)
        bind_tenant(db.session, world.home.id, member.id)
        assert _settings() == (str(world.home.id), str(member.id))
        assert _settings() == (str(world.home.id), str(member.id))
        bind_tenant(db.session, world.other.id)
        assert _settings() == (str(world.other.id), str(member.id))
        bind_tenant(db.session, None)
        bind_user(db.session, None)
        assert _settings() == ("", "")
    assert [s.lstrip().startswith("SELECT set_config") for s in seen] == [True, False, False, True, False, True, False]


@pytest.mark.postgres
def test_settings_applied_by_a_select_give_way_to_the_binding_at_the_next_statement(app, world):
    """``SelectApplyingSettings`` may set ids the session is not bound to; no later statement sees them."""
    lookup = SelectApplyingSettings.of(
        select(Partnership.id).where(Partnership.slug == bindparam("slug")),
        user_id=literal(world.user("member").id),
        partnership_id=Partnership.id,
    )
    with app.app_context():
        assert lookup.execute(db.session, {"slug": world.home.slug}) == (world.home.id,)
        assert _settings() == ("", "")  # nothing bound: the next statement set them back first
        assert lookup.execute(db.session, {"slug": "no-such-partnership"}) is None
        assert _settings() == ("", "")


@pytest.mark.postgres
def test_a_request_for_a_partnership_one_is_not_in_leaves_no_setting_for_it(make_app, world, login_as):
    app = make_app()
    seen_by_hook: list[tuple[str, str, int | None]] = []

    @app.after_request
    def _capture(response):
        ctx = g.get("ctx")
        seen_by_hook.append((*_settings(), ctx.partnership.id if ctx else None))
        return response

    outsider = login_as(world.other.members["coordinator"], on=app)
    assert outsider.get(f"/p/{world.home.slug}/profile").status_code == 404
    assert outsider.get(f"/p/{world.other.slug}/profile").status_code == 200
    uid = str(world.other.members["coordinator"].id)
    assert seen_by_hook == [("", uid, None), (str(world.other.id), uid, world.other.id)]
