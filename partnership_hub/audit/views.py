"""The partnership's activity log, for coordinators."""

from __future__ import annotations

from flask import g

from partnership_hub.audit import services
from partnership_hub.web.htmx import render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import require

bp = workspace_blueprint("audit", __name__)


@bp.get("/activity")
def index():
    require("audit.view")
    entries = services.recent_entries(g.ctx, limit=200)
    return render(
        "audit/index.html",
        entries=entries,
        people=services.people_named(entries),
        action_labels=services.action_labels(),
    )
