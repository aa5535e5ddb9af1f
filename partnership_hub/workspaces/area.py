"""The workspaces area: partnerships (the tenants), memberships and roles, invitations, the
partnership profile, the planning team, new-member orientation and the workspace home."""

from partnership_hub.areas import Area, FeedTarget, FirstStep, HomePanel, NavEntry, SetupCheck
from partnership_hub.workspaces import policies

AREA = Area(
    name="workspaces",
    label="People and profile",
    blueprints=("partnership_hub.workspaces.views:bp", "partnership_hub.workspaces.views:ws"),
    models="partnership_hub.workspaces.models",
    permissions=policies.PERMISSIONS,
    record_rules=policies.RECORD_RULES,
    nav=(
        NavEntry("workspace.home", "Home", order=0, group="Work"),
        NavEntry(
            "workspace.profile",
            "Profile",
            action="profile.view",
            order=100,
            also=("workspace.edit_profile",),
            group="Partnership",
        ),
        NavEntry(
            "workspace.people",
            "People",
            action="members.view",
            order=110,
            also=("workspace.invitations",),
            group="Partnership",
        ),
        # Everyone works through the checklist; coordinators manage its steps from the same entry.
        NavEntry(
            "workspace.orientation",
            "Orientation",
            action="orientation.complete",
            order=180,
            also=("workspace.manage_orientation", "workspace.edit_orientation_item"),
            group="Partnership",
        ),
        NavEntry("workspace.planning", "Planning team", action="planning.manage", order=810, group="Setup"),
    ),
    audit_labels={
        "partnership.created": "created the partnership",
        "member.joined": "joined",
        "member.role_changed": "changed a role",
        "member.removed": "removed a member",
        "member.left": "left the partnership",
        "invitation.sent": "invited someone",
        "invitation.resent": "resent an invitation",
        "invitation.revoked": "revoked an invitation",
        "profile.updated": "updated the partnership profile",
        "planning.member_added": "added someone to the planning team",
        "planning.member_removed": "took someone off the planning team",
        "directory_editor.granted": "let a member edit the directory",
        "directory_editor.revoked": "stopped a member editing the directory",
        "orientation.item_added": "added an orientation step",
        "orientation.item_updated": "edited an orientation step",
        "orientation.item_archived": "archived an orientation step",
        "orientation.item_restored": "restored an orientation step",
        "orientation.item_moved": "reordered the orientation checklist",
    },
    feed_targets={
        "partnership": FeedTarget("the partnership", "workspace.profile"),
        "membership": FeedTarget("a member", "workspace.people"),
        "invitation": FeedTarget("an invitation", "workspace.people"),
        "orientation_item": FeedTarget("an orientation step", "workspace.planning"),
    },
    # The workspace's own steps of the coordinators' "Getting started" card (goals and the action plan
    # add theirs in their area.py); each ticks itself from the setup facts.
    first_steps=(
        FirstStep(
            "profile",
            "Say what the partnership is for.",
            "Write its vision and mission on the profile, so everyone who joins starts from the same page.",
            "workspace.edit_profile",
            "Edit the profile",
            lambda facts: bool(facts["vision"]) and bool(facts["mission"]),
            "Vision and mission written",
            order=10,
        ),
        FirstStep(
            "invite",
            "Invite the people you work with.",
            "Each person joins with a role: coordinators run the workspace with you, members represent their "
            "organizations, survivor advisors bring their lived experience, observers only read what you share.",
            "workspace.people",
            "Invite people",
            lambda facts: facts["members"] >= 3,
            "Three or more people have joined",
            order=20,
            anchor="invite-section",
        ),
        FirstStep(
            "coordination",
            "Share the coordination.",
            "Give at least one other trusted person the coordinator role, so the partnership never depends "
            "on one account.",
            "workspace.people",
            "Review roles",
            lambda facts: facts["coordinators"] >= 2,
            "Two or more coordinators",
            order=30,
        ),
    ),
    setup_facts="partnership_hub.workspaces.services:setup_fact_queries",
    setup_values="partnership_hub.workspaces.services:setup_values",
    setup_checks={
        "definition": SetupCheck("workspace.profile", lambda f: bool(f["definition"]), "Definition written"),
        "functions": SetupCheck("workspace.profile", lambda f: bool(f["functions"]), "Functions chosen"),
        "planning_team": SetupCheck("workspace.planning", lambda f: f["planning_team"] > 0, "Planning team named"),
        "vision": SetupCheck("workspace.profile", lambda f: bool(f["vision"]), "Vision written"),
        "mission": SetupCheck("workspace.profile", lambda f: bool(f["mission"]), "Mission written"),
        "team_members": SetupCheck(
            "workspace.people", lambda f: f["members"] >= 3, "Three or more people in the workspace"
        ),
        "orientation": SetupCheck(
            "workspace.planning", lambda f: f["orientation_items"] > 0, "Orientation checklist defined"
        ),
        "coordination": SetupCheck(
            "workspace.profile", lambda f: bool(f["coordination_model"]), "Coordination model set"
        ),
        "stage": SetupCheck("workspace.profile", lambda f: bool(f["stage"]), "Partnership stage set"),
    },
    home_panels=(
        HomePanel(
            "orientation",
            "workspaces/_home_orientation.html",
            "partnership_hub.workspaces.services:orientation_panel",
            section="your_work",
            order=10,
            action="orientation.complete",
            scalars="partnership_hub.workspaces.services:home_count_queries",
        ),
        HomePanel(
            "getting_started",
            "workspaces/_home_getting_started.html",
            "partnership_hub.workspaces.services:getting_started_panel",
            order=10,
            action="members.manage",
            # The same reference as the setup guide's panel: the home gathers the facts once for both.
            scalars="partnership_hub.areas:setup_fact_queries",
        ),
        HomePanel(
            "at_a_glance",
            "workspaces/_home_glance.html",
            "partnership_hub.workspaces.services:glance_panel",
            order=20,
            scalars="partnership_hub.workspaces.services:home_count_queries",
        ),
    ),
    digest="partnership_hub.workspaces.digest:contribute",
    demo="partnership_hub.workspaces.demo_data:seed_demo",
    test_seed="partnership_hub.workspaces.testing:seed_for_tests",
)
