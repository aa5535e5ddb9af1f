"""The funding area's blueprint; each section's routes live in ``<section>_views.py`` on it."""

from __future__ import annotations

from partnership_hub.web.tenancy import workspace_blueprint

bp = workspace_blueprint("funding", __name__)

# Each section registers its routes on ``bp`` when imported (after ``bp`` exists).
from partnership_hub.funding import inkind_views, pipeline_views  # noqa: E402, F401, I001
