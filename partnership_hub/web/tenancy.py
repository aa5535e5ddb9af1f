"""The tenancy resolver: every ``/p/<slug>/...`` URL passes through here and only here.

``workspace_blueprint`` makes a blueprint whose routes live under ``/p/<slug>``. Before any of its
views runs, the slug is resolved, the current user's membership loaded and the session bound to
the partnership (``db.bind_tenant``). Anonymous visitors are sent to sign in; signed-in people who
are not members get 404 — the same answer as for a partnership that does not exist.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, g
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from partnership_hub.context import WorkspaceContext
from partnership_hub.db import bind_tenant, cross_tenant
from partnership_hub.extensions import db, login_manager
from partnership_hub.workspaces.models import Membership, Partnership

PREFIX = "/p/<slug>"


def workspace_blueprint(name: str, import_name: str, **options: Any) -> Blueprint:
    bp = Blueprint(name, import_name, url_prefix=PREFIX, **options)
    bp.url_value_preprocessor(_pull_slug)
    bp.before_request(_resolve_workspace)
    return bp


def _pull_slug(endpoint: str | None, values: dict[str, Any] | None) -> None:
    g.workspace_slug = (values or {}).pop("slug", None)


def _resolve_workspace() -> ResponseReturnValue | None:
    if not current_user.is_authenticated:
        to_sign_in: ResponseReturnValue = login_manager.unauthorized()  # Flask-Login has no type hints
        return to_sign_in
    # One query: the signed-in person's own membership in the partnership with this slug. It is
    # read before the tenant is bound, so it goes around the ORM filter explicitly; on PostgreSQL
    # RLS still lets a person see only their own memberships at this point.
    membership = db.session.scalars(
        cross_tenant(
            select(Membership)
            .join(Membership.partnership)
            .options(contains_eager(Membership.partnership))
            .where(Partnership.slug == (g.workspace_slug or ""), Membership.user_id == current_user.id)
        )
    ).one_or_none()
    if membership is None:
        abort(404)  # no such partnership, or not a member of it: the same answer
    bind_tenant(db.session, membership.partnership_id, current_user.id)
    g.ctx = WorkspaceContext(membership.partnership, membership, current_user._get_current_object())
    return None


def current_context() -> WorkspaceContext:
    ctx: WorkspaceContext = g.ctx
    return ctx


def add_slug_default(endpoint: str, values: dict[str, Any]) -> None:
    """url_for inside a workspace fills in the current slug."""
    ctx = g.get("ctx")
    if ctx is not None and "slug" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "slug"):
        values["slug"] = ctx.partnership.slug
