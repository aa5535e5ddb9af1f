"""The awareness area: the toolkit's cause awareness days and the partnership's own, when they fall
(python-dateutil rules), which ones it observes, and campaign plans made ahead for them. Its days join
the meetings' month view and the personal calendar feed through ``calendar_entries``/``feed_events``."""

from partnership_hub.areas import Area, FeedTarget, NavEntry, NoticeKind, SetupCheck
from partnership_hub.awareness import policies

AREA = Area(
    name="awareness",
    label="Awareness days",
    blueprints=("partnership_hub.awareness.views:bp",),
    models="partnership_hub.awareness.models",
    permissions=policies.PERMISSIONS,
    record_rules=policies.RECORD_RULES,
    membership_rules=policies.MEMBERSHIP_RULES,
    nav=(
        NavEntry(
            "awareness.index",
            "Awareness days",
            action="awareness.view",
            order=510,
            also=("awareness.*",),
            group="Funding & awareness",
        ),
    ),
    audit_labels={
        "awareness_day.created": "added an awareness day",
        "awareness_day.updated": "changed an awareness day",
        "awareness_day.deleted": "removed an awareness day",
        "awareness_day.observed": "put back on the calendar a toolkit awareness day",
        "awareness_day.hidden": "hid from the calendar a toolkit awareness day",
        "awareness_settings.updated": "changed how far ahead awareness days are announced",
        "campaign_plan.created": "made the campaign plan",
        "campaign_plan.updated": "updated the campaign plan",
        "campaign_plan.deleted": "removed a campaign plan",
    },
    feed_targets={
        "awareness_day": FeedTarget("an awareness day", "awareness.index"),
        "awareness_settings": FeedTarget("the awareness calendar", "awareness.index"),
        "campaign_plan": FeedTarget(
            "the campaign plan",
            "awareness.plan",
            "campaign_plan_id",
            model="partnership_hub.awareness.models:CampaignPlan",
        ),
    },
    setup_facts="partnership_hub.awareness.days:setup_facts",
    setup_checks={
        "awareness_days": SetupCheck(
            "awareness.index",
            lambda f: f["campaign_plans"] > 0,
            "Campaigns are planned ahead for the awareness days the partnership observes",
        ),
    },
    # notices.py: ahead (the partnership's lead time) and on the day, with the campaign plans, to everyone
    # but observers (the plans and their tasks are the contributors' work; observers still see the calendar).
    notice_kinds=(
        NoticeKind(
            "awareness_upcoming",
            "Awareness days coming up",
            "When an awareness day the partnership observes is as many days away as its lead time (14 unless"
            " a coordinator changes it), with its campaign plan and open tasks.",
            roles=policies.CONTRIBUTORS,
            order=80,
        ),
        NoticeKind(
            "awareness_today",
            "Awareness days, on the day",
            "On the morning of each awareness day the partnership observes, with its campaign plan and open tasks.",
            roles=policies.CONTRIBUTORS,
            order=81,
        ),
    ),
    notice_planner="partnership_hub.awareness.notices:plan",
    calendar_entries="partnership_hub.awareness.queries:month_entries",
    feed_events="partnership_hub.awareness.days:feed_events",
    digest="partnership_hub.awareness.digest:contribute",
    demo="partnership_hub.awareness.demo_data:seed_demo",
    test_seed="partnership_hub.awareness.demo_data:seed_for_tests",
)
