"""The partnership's activity log, for coordinators."""

from __future__ import annotations

from flask import abort, g

from partnership_hub.audit import services
from partnership_hub.web import navigation
from partnership_hub.web.htmx import render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.workspaces.policies import can

bp = workspace_blueprint("audit", __name__)
navigation.register("audit.index", "Activity", action="audit.view", order=200)


@bp.get("/activity")
def index():
    if not can(g.ctx.membership, "audit.view"):
        abort(403)
    entries = services.recent_entries(g.ctx, limit=200)
    return render(
        "audit/index.html",
        entries=entries,
        people=services.people_named(entries),
        action_labels=services.ACTION_LABELS,
    )
