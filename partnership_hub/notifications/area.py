"""The notifications area: the email outbox, delivery and the sweep, the development mailbox."""

from partnership_hub.areas import Area

AREA = Area(
    name="notifications",
    label="Notifications",
    init_app="partnership_hub.notifications.views:init_app",
    models="partnership_hub.notifications.models",
    tasks=("partnership_hub.notifications.tasks",),
    beat={"sweep-outbox": {"task": "notifications.sweep_outbox", "schedule": 60.0}},
)
