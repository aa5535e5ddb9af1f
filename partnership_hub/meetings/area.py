"""The meetings area: scheduling one-off and recurring meetings, the meeting page and its sections
(agenda, attendance, minutes, action items), and what the home shows of them."""

from partnership_hub.areas import Area, FeedTarget, NavEntry
from partnership_hub.meetings import policies

AREA = Area(
    name="meetings",
    label="Meetings",
    blueprints=("partnership_hub.meetings.views:bp",),
    models="partnership_hub.meetings.models",
    permissions=policies.PERMISSIONS,
    record_rules=policies.RECORD_RULES,
    nav=(NavEntry("meetings.index", "Meetings", action="meetings.view", order=28, also=("meetings.*",), group="Work"),),
    audit_labels={
        "meeting.scheduled": "scheduled the meeting",
        "meeting.updated": "changed the meeting",
        "meeting.cancelled": "cancelled the meeting",
    },
    feed_targets={
        # Meetings opt into the confidentiality layer: the feed leaves out entries about meetings the
        # viewer may not see by that rule.
        "meeting": FeedTarget(
            "the meeting", "meetings.detail", "meeting_id", model="partnership_hub.meetings.models:Meeting"
        ),
    },
    setup_facts="partnership_hub.meetings.services:setup_fact_queries",
    # The home's "Your next meetings" (``services.your_next_meetings``, one bounded statement) is not
    # registered yet: the home already runs the 10 statements of its budget, and every "Your work"
    # kind costs one more. It joins ``your_work`` once the home evaluates the kinds together.
    tasks=("partnership_hub.meetings.tasks",),
    beat={"extend-meeting-series": {"task": "meetings.extend_series", "schedule": 24 * 60 * 60.0}},
    demo="partnership_hub.meetings.demo_data:seed_demo",
    test_seed="partnership_hub.meetings.testing:seed_for_tests",
)
