"""The meetings area: scheduling one-off and recurring meetings, the meeting page and its sections
(agenda, attendance, minutes, action items), and what the home shows of them."""

from partnership_hub.areas import Area, FeedTarget, FirstStep, NavEntry, NoticeKind, SetupCheck, YourWork
from partnership_hub.meetings import policies

AREA = Area(
    name="meetings",
    label="Meetings",
    blueprints=(
        "partnership_hub.meetings.views:bp",
        "partnership_hub.meetings.attendance_views:links_bp",
        "partnership_hub.meetings.calendar_views:feed_bp",
    ),
    models="partnership_hub.meetings.models",
    permissions=policies.PERMISSIONS,
    record_rules=policies.RECORD_RULES,
    membership_rules=policies.MEMBERSHIP_RULES,
    nav=(NavEntry("meetings.index", "Meetings", action="meetings.view", order=28, also=("meetings.*",), group="Work"),),
    audit_labels={
        "meeting.scheduled": "scheduled the meeting",
        "meeting.updated": "changed the meeting",
        "meeting.cancelled": "cancelled the meeting",
        "meeting.invitations_changed": "changed who is invited to the meeting",
        "meeting.rsvp": "answered the invitation to the meeting",
        "meeting.attendance_recorded": "recorded who attended the meeting",
        "meeting.minutes_saved": "wrote the minutes of the meeting",
        "meeting.minutes_approved": "approved the minutes of the meeting",
        "meeting.minutes_published": "published the minutes of the meeting",
        "meeting.decision_recorded": "recorded a decision at the meeting",
        "agenda.item_added": "added an item to the agenda of the meeting",
        "agenda.item_proposed": "proposed an item for the agenda of the meeting",
        "agenda.item_updated": "changed an agenda item of the meeting",
        "agenda.item_removed": "removed an item from the agenda of the meeting",
        "agenda.item_moved": "reordered the agenda of the meeting",
        "agenda.item_accepted": "accepted a proposed agenda item of the meeting",
        "agenda.item_declined": "declined a proposed agenda item of the meeting",
        "agenda.outcome_set": "marked how far the meeting got through its agenda",
        "agenda.carried_over": "carried agenda items over to the meeting",
        "agenda.comment_added": "commented on the agenda of the meeting",
        "agenda.comment_deleted": "deleted a comment on the agenda of the meeting",
        "agenda.published": "published the agenda of the meeting",
        "calendar_feed.created": "made a new address for their personal calendar feed",
        "calendar_feed.revoked": "stopped their personal calendar feed",
        "meetings.frequency_changed": "changed how often the partnership means to meet",
    },
    feed_targets={
        # Meetings opt into the confidentiality layer: the feed leaves out entries about meetings the
        # viewer may not see by that rule.
        "meeting": FeedTarget(
            "the meeting", "meetings.detail", "meeting_id", model="partnership_hub.meetings.models:Meeting"
        ),
    },
    setup_facts="partnership_hub.meetings.health:setup_fact_queries",
    setup_values="partnership_hub.meetings.health:setup_values",
    setup_checks={
        "meetings": SetupCheck(
            "meetings.health_page",
            lambda f: f["meetings_held_recently"] > 0 and (f["meeting_series"] > 0 or f["meetings_frequency_set"]),
            "Meetings held in the last 90 days, on a regular rhythm",
        ),
    },
    # "RSVPs waiting" is folded into "Your next meetings": each unanswered one says so, with a link to
    # answer (a separate list would repeat the same meetings, and a monthly series inviting everyone
    # would keep a year of occurrences "waiting").
    your_work=(
        YourWork(
            "meetings",
            "Your next meetings",
            "partnership_hub.meetings.health:your_next_meetings",
            empty="No meetings for you in the next two weeks.",
            order=30,
            action="meetings.rsvp",  # observers have no meetings of their own
        ),
    ),
    first_steps=(
        FirstStep(
            "meetings",
            "Set a meeting rhythm.",
            "Schedule the partnership's regular meeting (monthly on the second Tuesday, say), so members "
            "can plan around it and the agenda has a home.",
            "meetings.new",
            "Schedule a meeting",
            lambda f: f["meeting_series"] > 0,
            "A recurring meeting is scheduled",
            order=60,
        ),
    ),
    notice_kinds=(
        # Reminders, moves and cancellations: ``meetings/reminders.py``.
        NoticeKind(
            "meeting_reminder",
            "Meeting reminders",
            "Before each meeting you are invited to (by default a day and an hour before), with the agenda, "
            "your answer and a calendar file.",
            roles=policies.CONTRIBUTORS,
            order=10,
        ),
        NoticeKind(
            "meeting_changed",
            "A meeting moved",
            "When a meeting you are invited to gets a new time or place, with the updated calendar file.",
            roles=policies.CONTRIBUTORS,
            order=11,
        ),
        NoticeKind(
            "meeting_cancelled",
            "A meeting was cancelled",
            "When a meeting you are invited to is cancelled, with a calendar file that takes it out.",
            roles=policies.CONTRIBUTORS,
            order=12,
        ),
        NoticeKind(
            "agenda_published",
            "Agenda published or updated",
            "When the agenda of a meeting you are invited to is published, and again if it changes after that.",
            roles=policies.CONTRIBUTORS,  # observers are never invited
            order=20,
        ),
        NoticeKind(
            "minutes_published",
            "Minutes published",
            "When the minutes of a meeting you attended have been approved and published.",
            roles=policies.CONTRIBUTORS,
            order=25,
        ),
    ),
    notice_planner="partnership_hub.meetings.reminders:plan_reminders",
    mail_checks={"meeting": "partnership_hub.meetings.reminders:still_valid"},
    tasks=("partnership_hub.meetings.tasks",),
    beat={"extend-meeting-series": {"task": "meetings.extend_series", "schedule": 24 * 60 * 60.0}},
    digest="partnership_hub.meetings.digest:contribute",
    demo="partnership_hub.meetings.demo_data:seed_demo",
    test_seed="partnership_hub.meetings.testing:seed_for_tests",
)
