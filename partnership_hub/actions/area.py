"""The actions area: the action plan — one ActionItem model for the whole product."""

from partnership_hub.actions import policies
from partnership_hub.areas import Area, FeedTarget, FirstStep, NavEntry, NoticeKind, SetupCheck, YourWork

AREA = Area(
    name="actions",
    label="Action plan",
    blueprints=("partnership_hub.actions.views:bp",),
    models="partnership_hub.actions.models",
    permissions=policies.PERMISSIONS,
    record_rules=policies.RECORD_RULES,
    nav=(NavEntry("actions.index", "Action plan", action="actions.view", order=27, also=("actions.*",), group="Work"),),
    audit_labels={
        "action_item.created": "added the action item",
        "action_item.updated": "updated the action item",
        "action_item.status_changed": "changed the status of the action item",
        "action_item.deleted": "removed an action item",
    },
    feed_targets={
        "action_item": FeedTarget(
            "the action item",
            "actions.detail",
            "action_item_id",
            model="partnership_hub.actions.models:ActionItem",
            visible_ids="partnership_hub.actions.services:visible_item_ids",
        ),
    },
    setup_facts="partnership_hub.actions.services:setup_fact_queries",
    setup_checks={
        "action_plan": SetupCheck("actions.index", lambda f: f["action_items"] > 0, "Action items in the action plan"),
    },
    your_work=(
        YourWork(
            "action_items",
            "Your action items",
            "partnership_hub.actions.services:your_work_items",
            empty="Nothing assigned to you is overdue or due in the next two weeks.",
            order=10,
            action="actions.update_status",  # observers are never assigned
        ),
    ),
    first_steps=(
        FirstStep(
            "action_plan",
            "Agree the first actions.",
            "Turn the goals into action items, each with someone to do it and a due date.",
            "actions.index",
            "Open the action plan",
            lambda f: f["action_items"] > 0,
            "The action plan has items",
            order=50,
        ),
    ),
    notice_kinds=(
        NoticeKind(
            "action_due_soon",
            "Action items due soon",
            "Three days before an action item assigned to you is due (or when it is given a date that near), "
            "from 8:00 your time.",
            roles=policies.CONTRIBUTORS,  # observers are never assigned
            order=30,
        ),
        NoticeKind(
            "action_overdue",
            "Action items overdue",
            "Once, the morning after an action item assigned to you was due, if it is not marked done.",
            roles=policies.CONTRIBUTORS,
            order=31,
        ),
    ),
    # Due soon and overdue notices (``notices.plan``), asked by the notifications beat every five minutes.
    notice_planner="partnership_hub.actions.notices:plan",
    digest="partnership_hub.actions.digest:contribute",
    demo="partnership_hub.actions.demo_data:seed_demo",
    test_seed="partnership_hub.actions.testing:seed_for_tests",
)
