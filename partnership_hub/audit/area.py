"""The audit area: the append-only audit log and the activity feed built on it."""

from partnership_hub.areas import Area, HomePanel, NavEntry
from partnership_hub.policies import LEADERSHIP

AREA = Area(
    name="audit",
    label="Activity",
    blueprints=("partnership_hub.audit.views:bp",),
    models="partnership_hub.audit.models",
    permissions={"audit.view": LEADERSHIP},
    nav=(NavEntry("audit.index", "Activity", action="audit.view", order=900, also=("audit.*",), group="Activity"),),
    home_panels=(
        HomePanel(
            "recent_activity",
            "audit/_home_activity.html",
            "partnership_hub.audit.services:home_activity_panel",
            order=90,
            action="audit.view",
        ),
    ),
)
