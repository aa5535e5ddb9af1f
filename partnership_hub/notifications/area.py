"""The notifications area: the email outbox, delivery and the sweep, the development mailbox; each person's
notification centre (with the unread count in the header) and preferences, the partnership's settings, and
the one-click unsubscribe link."""

from partnership_hub.areas import Area, FeedTarget, NavEntry
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
    # Its own section of one entry (no heading), after the setup guide; the header links the centre too.
    nav=(
        NavEntry(
            "notifications.centre", "Notifications", action="notifications.own", order=850, also=("notifications.*",)
        ),
    ),
    audit_labels={"notification_settings.updated": "changed the partnership's notification settings"},
    feed_targets={"notification_settings": FeedTarget("the notification settings", "notifications.settings")},
    membership_badges={"notifications.unread": "partnership_hub.notifications.centre:unread_badge"},
    demo="partnership_hub.notifications.centre:seed_demo",
    test_seed="partnership_hub.notifications.centre:seed_for_tests",
    models="partnership_hub.notifications.models",
    tasks=("partnership_hub.notifications.tasks",),
    notice_planner="partnership_hub.notifications.digest:plan",
    beat={
        "sweep-outbox": {"task": "notifications.sweep_outbox", "schedule": 60.0},
        # Planners queue ahead (``send_at``) what falls due before their next run; the sweep sends it on time.
        "plan-notices": {"task": "notifications.plan", "schedule": 300.0},
        # Deletes old sent mail and old centre entries (retention.py); cheap when there is nothing to delete.
        "prune-notifications": {"task": "notifications.prune_retention", "schedule": 6 * 60 * 60.0},
    },
)
