"""The board's home page; each section's routes live in ``<section>_views.py`` on this blueprint."""

from __future__ import annotations

from flask import g

from partnership_hub.advisory import board
from partnership_hub.advisory.sections import SECTIONS, modules
from partnership_hub.web.htmx import render
from partnership_hub.web.tenancy import workspace_blueprint
from partnership_hub.web.toolkit import require

bp = workspace_blueprint("advisory", __name__)


def section_panels() -> list[tuple[str, dict]]:
    """Each section's panel on the board's home (``<section>.board_panel(ctx) -> dict | None``, shown with
    ``templates/advisory/_panel_<section>.html``), ONE bounded statement each at most."""
    found = []
    for section, module in zip(SECTIONS, modules(), strict=True):
        load = getattr(module, "board_panel", None)
        data = load(g.ctx) if load is not None else None
        if data is not None:
            found.append((f"advisory/_panel_{section}.html", data))
    return found


@bp.get("/advisory")
def index():
    require("advisory.view")
    admission = board.admission(g.ctx)
    may_roster = g.ctx.can("advisory.roster") or admission.admitted
    return render(
        "advisory/index.html",
        admission=admission,
        roster=board.roster(g.ctx) if may_roster else None,
        size=None if may_roster else board.board_size(g.ctx),
        grants=board.access_grants(g.ctx) if admission.admitted else None,
        panels=section_panels(),
        today=g.ctx.today(),
    )


# Each section registers its routes on ``bp`` when imported (after ``bp`` exists).
from partnership_hub.advisory import (  # noqa: E402, F401, I001
    board_views,
    safety_views,
    compensation_views,
    requests_views,
    consent_views,
    restricted_views,
    framework_views,
    assessment_views,
)
