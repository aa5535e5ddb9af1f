"""The notifications area: the email outbox, delivery and the sweep, the development mailbox."""

from partnership_hub.areas import Area
from partnership_hub.notifications import policies

AREA = Area(
    name="notifications",
    label="Notifications",
    blueprints=(
        "partnership_hub.notifications.preference_views:bp",
        "partnership_hub.notifications.preference_views:links_bp",
    ),
    init_app="partnership_hub.notifications.views:init_app",
    permissions=policies.PERMISSIONS,
    models="partnership_hub.notifications.models",
    tasks=("partnership_hub.notifications.tasks",),
    beat={
        "sweep-outbox": {"task": "notifications.sweep_outbox", "schedule": 60.0},
        # Planners queue ahead (``send_at``) what falls due before their next run; the sweep sends it on time.
        "plan-notices": {"task": "notifications.plan", "schedule": 300.0},
    },
)
