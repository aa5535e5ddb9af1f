"""The setup area: the toolkit setup guide — every question the toolkit asks, checked from the facts
the other areas report, the rest marked by coordinators; each with the toolkit's guidance and the
answers coordinators record."""

from partnership_hub.areas import Area, FeedTarget, HomePanel, NavEntry
from partnership_hub.policies import ALL_ROLES, LEADERSHIP

AREA = Area(
    name="setup",
    label="Setup guide",
    blueprints=("partnership_hub.setup.views:bp",),
    models="partnership_hub.setup.models",
    permissions={"setup.view": ALL_ROLES, "setup.mark": LEADERSHIP, "setup.answer": LEADERSHIP},
    nav=(NavEntry("setup.index", "Setup guide", action="setup.view", order=800, also=("setup.*",), group="Setup"),),
    audit_labels={
        "setup.marked": "marked a setup-guide question as addressed",
        "setup.unmarked": "reopened a setup-guide question",
        "setup.answered": "recorded an answer in the setup guide",
    },
    feed_targets={
        "setup_guide_mark": FeedTarget("a setup-guide question", "setup.index"),
        "setup_guide_answer": FeedTarget("a setup-guide answer", "setup.index"),
    },
    home_panels=(
        HomePanel(
            "setup_progress",
            "setup/_home_progress.html",
            "partnership_hub.setup.services:home_progress_panel",
            order=50,
            action="setup.view",
            scalars="partnership_hub.areas:setup_fact_queries",
        ),
    ),
    digest="partnership_hub.setup.digest:contribute",
    demo="partnership_hub.setup.demo_data:seed_demo",
)
