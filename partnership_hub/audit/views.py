"""The partnership's activity feed and access log, for coordinators.

The feed's filters (area, person) are a plain GET form; with htmx a change swaps just the results.
The person filter is a search-as-you-type picker (``pick_people``), so the page never lists every
person in the log. Both pages go "Newer" / "Older" by keyset (``before`` / ``after`` cursors), so
any page costs the same.
"""

from __future__ import annotations

from typing import Any

from flask import g, request, url_for

from partnership_hub.audit import queries
from partnership_hub.audit.forms import FeedFilterForm
from partnership_hub.web.htmx import is_htmx, render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import picker_request, picker_response, require

bp = workspace_blueprint("audit", __name__)

ANYONE = "Anyone"


def _filter_form(filters: queries.FeedFilters) -> FeedFilterForm:
    """The person picker: the person filtered on plus the first matches (for what was typed, when
    the form was sent without JavaScript; the people active lately otherwise)."""
    form = FeedFilterForm(formdata=None, person=filters.person)
    chosen = [int(filters.person)] if filters.person else []
    pick = queries.pick_people(g.ctx, request.args.get("person__q", ""), chosen, blank=ANYONE)
    form.person.choices = pick.choices()
    return form


@bp.get("/activity")
def index():
    require("audit.view")
    filters = queries.FeedFilters.from_args(request.args)
    page = queries.feed_page(g.ctx, filters, queries.Position.from_args(request.args))
    partial = is_htmx()
    choices: dict[str, Any] = (
        {} if partial else {"feed_areas": queries.feed_areas(), "filter_form": _filter_form(filters), "anyone": ANYONE}
    )
    response = render("audit/index.html", block="results", partial=partial, filters=filters, page=page, **choices)
    if partial:
        args: dict[str, Any] = filters.query_args() | page.query_args()
        response.headers["HX-Push-Url"] = url_for("audit.index", **args)
    return response


@bp.get("/activity/people")
def pick_people():
    """The person filter's options for what has been typed (see the picker macro)."""
    require("audit.view")
    query, chosen = picker_request()
    return picker_response(queries.pick_people(g.ctx, query, chosen, blank=request.args.get("blank") or None))


@bp.get("/activity/access-log")
def access_log():
    require("audit.view")
    page = queries.access_log_page(g.ctx, queries.Position.from_args(request.args))
    return render("audit/access_log.html", block="results", page=page)
