"""The tenancy resolver: every ``/p/<slug>/...`` URL passes through here and only here.

``workspace_blueprint`` makes a blueprint whose routes live under ``/p/<slug>``. Before any of its
views runs, the slug is resolved, the current user's membership loaded and the session bound to
the partnership (``db.bind_tenant``). Anonymous visitors are sent to sign in; signed-in people who
are not members get 404 — the same answer as for a partnership that does not exist.

It costs two statements: the sign-in loader's (session, person, the partnership with this slug,
and the settings for row-level security, all at once: ``requested_slug``/``offer_partnership``) and
the membership read, which also reads the areas' badges for the header (``Area.membership_badges``,
scalar subqueries: the unread notifications) into ``ctx.memo``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Blueprint, abort, current_app, g
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import Select, bindparam, select
from werkzeug.routing import Map

from partnership_hub import areas
from partnership_hub.confidentiality import write_noted_reads
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import UTCDateTime, bind_tenant, utcnow
from partnership_hub.extensions import db, login_manager
from partnership_hub.workspaces.models import Membership, Partnership

PREFIX = "/p/<slug>"
BADGES_NOW = bindparam("badges_now", type_=UTCDateTime())  # the time the badges count up to
BADGES_MEMO = "membership_badges"  # WorkspaceContext.memo key: the badges read with the membership


def workspace_blueprint(name: str, import_name: str, **options: Any) -> Blueprint:
    bp = Blueprint(name, import_name, url_prefix=PREFIX, **options)
    bp.url_value_preprocessor(_pull_slug)
    bp.before_request(_resolve_workspace)
    bp.after_request(write_noted_reads)  # the access log of what the request showed (confidentiality.py)
    return bp


def _pull_slug(endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.workspace_slug = (values or {}).pop("slug", None)


def requested_slug() -> str | None:
    """The partnership slug of this request's URL (None outside ``/p/<slug>``), known before anyone
    looks at the signed-in user."""
    slug: str | None = g.get("workspace_slug")
    return slug


def offer_partnership(slug: str, partnership: Partnership | None) -> None:
    """The sign-in loader found the partnership with ``slug`` (or none) in its own statement; the
    resolver uses it instead of looking again. Finding it proves nothing about membership."""
    g.offered_partnership = (slug, partnership)


def _partnership(slug: str) -> Partnership | None:
    offered = g.pop("offered_partnership", None)
    if offered is not None and offered[0] == slug:
        partnership: Partnership | None = offered[1]
        return partnership
    return db.session.scalars(select(Partnership).where(Partnership.slug == slug)).one_or_none()


@lru_cache(maxsize=1)
def _membership_statement() -> Select[Any]:
    """The signed-in person's membership and its badges: built once per worker, the person and the
    time bound at execution (the partnership is the session's tenant filter), so a request neither
    rebuilds nor re-fingerprints it."""
    columns = [badge(Membership.id, BADGES_NOW).label(name) for name, badge in areas.membership_badges().items()]
    return select(Membership, *columns).where(Membership.user_id == bindparam("user_id"))


def _own_membership(partnership: Partnership) -> tuple[Membership | None, dict[str, Any]]:
    """The signed-in person's membership in ``partnership`` and its badges (``Area.membership_badges``:
    the unread notifications in the header), read together in ONE statement; the session stays bound to
    the partnership only if there is a membership."""
    # Bound before the read so that it needs no settings statement (the sign-in loader's statement
    # applied these ids); unbound at once if it is not theirs, so nothing else ever runs as this
    # partnership — through the ORM filter or through RLS.
    bind_tenant(db.session, partnership.id, current_user.id)
    membership, values = None, {}
    try:
        row = db.session.execute(
            _membership_statement(), {"user_id": current_user.id, BADGES_NOW.key: utcnow()}
        ).one_or_none()
        if row is not None:
            membership, values = row[0], dict(zip(areas.membership_badges(), row[1:], strict=True))
    finally:
        if membership is None:
            bind_tenant(db.session, None)
    return membership, values


def _resolve_workspace() -> ResponseReturnValue | None:
    if not current_user.is_authenticated:
        to_sign_in: ResponseReturnValue = login_manager.unauthorized()  # Flask-Login has no type hints
        return to_sign_in
    partnership = _partnership(g.workspace_slug or "")
    membership, badges = _own_membership(partnership) if partnership is not None else (None, {})
    if partnership is None or membership is None:
        abort(404)  # no such partnership, or not a member of it: the same answer
    g.ctx = WorkspaceContext(partnership, membership, current_user._get_current_object())
    g.ctx.memo[BADGES_MEMO] = badges
    return None


def membership_badge(name: str) -> Any:
    """A badge of the signed-in person read with their membership (``Area.membership_badges``), or None
    outside a workspace request."""
    ctx = g.get("ctx")
    badges = ctx.memo.get(BADGES_MEMO) if ctx is not None else None
    return badges.get(name) if isinstance(badges, dict) else None


def current_context() -> WorkspaceContext:
    ctx: WorkspaceContext = g.ctx
    return ctx


@lru_cache(maxsize=1024)
def _expects_slug(url_map: Map, endpoint: str) -> bool:
    # The URL map is complete once the app is built; a page builds dozens of URLs.
    return url_map.is_endpoint_expecting(endpoint, "slug")


def add_slug_default(endpoint: str, values: dict[str, Any]) -> None:
    """url_for inside a workspace fills in the current slug."""
    ctx = g.get("ctx")
    if ctx is not None and "slug" not in values and _expects_slug(current_app.url_map, endpoint):
        values["slug"] = ctx.partnership.slug
