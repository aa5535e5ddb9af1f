"""The goals area: goals with measurable objectives, progress history, endorsements, the overview,
the progress report and the exports."""

from partnership_hub.areas import Area, FeedTarget, FirstStep, HomePanel, NavEntry, SetupCheck, YourWork
from partnership_hub.goals import policies

AREA = Area(
    name="goals",
    label="Goals",
    blueprints=("partnership_hub.goals.views:bp",),
    models="partnership_hub.goals.models",
    permissions=policies.PERMISSIONS,
    record_rules=policies.RECORD_RULES,
    nav=(NavEntry("goals.index", "Goals", action="goals.view", order=25, also=("goals.*",), group="Work"),),
    audit_labels={
        "goal.created": "added the goal",
        "goal.updated": "updated the goal",
        "goal.status_changed": "changed the status of the goal",
        "goal.achieved": "marked as achieved the goal",
        "goal.endorsed": "endorsed for their organization the goal",
        "objective.created": "added the objective",
        "objective.updated": "updated the objective",
        "progress.posted": "posted progress on the objective",
        "goals.stalled_after_changed": "changed when goals count as stalled",
    },
    feed_targets={
        "goal": FeedTarget("the goal", "goals.detail", "goal_id", model="partnership_hub.goals.models:Goal"),
        "objective": FeedTarget(
            "the objective",
            "goals.objective",
            "objective_id",
            model="partnership_hub.goals.models:Objective",
            visible_ids="partnership_hub.goals.queries:visible_objective_ids",
        ),
    },
    setup_facts="partnership_hub.goals.queries:setup_fact_queries",
    on_time_zone_change="partnership_hub.goals.services:refresh_last_activity",
    setup_checks={
        "goals": SetupCheck(
            "goals.index", lambda f: f["goals_with_objectives"] > 0, "Goals with measurable objectives defined"
        ),
        "shared_goals": SetupCheck(
            "goals.index", lambda f: f["endorsed_goals"] > 0, "Goals endorsed by member organizations"
        ),
        "monitoring": SetupCheck(
            "goals.report", lambda f: f["progress_updates"] > 0, "Progress is being posted on objectives"
        ),
    },
    home_panels=(
        HomePanel(
            "goals_attention",
            "goals/_home_attention.html",
            "partnership_hub.goals.queries:home_attention_panel",
            section="your_work",
            order=20,
            action="goals.view",
        ),
    ),
    your_work=(
        YourWork(
            "goals",
            "Goals and objectives you own",
            "partnership_hub.goals.queries:your_work_goals",
            empty="You don't own any open goals or objectives.",
            order=20,
            action="goals.post_update",  # observers own nothing
        ),
    ),
    first_steps=(
        FirstStep(
            "goals",
            "Set the partnership's goals.",
            "Agree a few goals with measurable objectives, so everyone can see where the partnership is heading.",
            "goals.index",
            "Go to goals",
            lambda f: f["goals"] > 0,
            "Goals are set",
            order=40,
        ),
    ),
    digest="partnership_hub.goals.digest:contribute",
    demo="partnership_hub.goals.demo_data:seed_demo",
    test_seed="partnership_hub.goals.testing:seed_for_tests",
)
