"""The governance overview; each section's routes live in ``<section>_views.py`` on this blueprint."""

from __future__ import annotations

from flask import g

from partnership_hub.governance import overview
from partnership_hub.web.htmx import render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import require

bp = workspace_blueprint("governance", __name__)


@bp.get("/governance")
def index():
    require("governance.view")
    return render("governance/index.html", cards=overview.cards(g.ctx))


# Each section registers its routes on ``bp`` when imported (after ``bp`` exists).
from partnership_hub.governance import (  # noqa: E402, F401, I001
    agreements_views,
    checkins_views,
    disputes_views,
    guidelines_views,
)
