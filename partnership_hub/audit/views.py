"""The partnership's activity feed and access log, for coordinators.

The feed's filters (area, person) are a plain GET form; with htmx a change swaps just the results.
Both pages go "Newer" / "Older" by keyset (``before`` / ``after`` cursors), so any page costs the same.
"""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for

from partnership_hub.audit import queries
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import require

bp = workspace_blueprint("audit", __name__)


@bp.get("/activity")
def index():
    require("audit.view")
    filters = queries.FeedFilters.from_args(request.args)
    page = queries.feed_page(g.ctx, filters, queries.Position.from_args(request.args))
    partial = is_htmx()
    choices: dict[str, Any] = (
        {} if partial else {"feed_areas": queries.feed_areas(), "people": queries.feed_people(g.ctx)}
    )
    response = render("audit/index.html", block="results", partial=partial, filters=filters, page=page, **choices)
    if partial:
        args: dict[str, Any] = filters.query_args() | page.query_args()
        response.headers["HX-Push-Url"] = url_for("audit.index", **args)
    return response


@bp.get("/activity/access-log")
def access_log():
    require("audit.view")
    page = queries.access_log_page(g.ctx, queries.Position.from_args(request.args))
    return render("audit/access_log.html", block="results", page=page)
