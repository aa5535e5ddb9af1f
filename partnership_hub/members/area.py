"""The members area: the directory of member organizations (sectors, Ps, representatives), custom
sectors, coverage and gaps, and linked networks."""

from partnership_hub.areas import Area, FeedTarget, NavEntry, SetupCheck
from partnership_hub.members import policies

AREA = Area(
    name="members",
    label="Directory",
    blueprints=("partnership_hub.members.views:bp",),
    models="partnership_hub.members.models",
    permissions=policies.PERMISSIONS,
    membership_rules=policies.MEMBERSHIP_RULES,
    nav=(
        NavEntry(
            "members.organizations",
            "Organizations",
            action="directory.view",
            order=120,
            also=("members.new_organization", "members.organization", "members.edit_organization"),
            group="Partnership",
        ),
        NavEntry("members.coverage", "Coverage", action="directory.view", order=130, group="Partnership"),
        NavEntry(
            "members.sectors",
            "Sectors",
            action="directory.view",
            order=140,
            also=("members.new_custom_sector", "members.edit_custom_sector", "members.delete_custom_sector"),
            group="Partnership",
        ),
        NavEntry(
            "members.networks",
            "Networks",
            action="directory.view",
            order=150,
            also=("members.new_network", "members.edit_network", "members.delete_network"),
            group="Partnership",
        ),
    ),
    audit_labels={
        "organization.created": "added an organization",
        "organization.updated": "updated an organization",
        "organization.archived": "archived an organization",
        "organization.restored": "restored an organization",
        "representative.added": "added a representative",
        "representative.removed": "removed a representative",
        "custom_sector.created": "added a sector",
        "custom_sector.updated": "changed a sector",
        "custom_sector.deleted": "deleted a sector",
        "linked_network.created": "added a linked network",
        "linked_network.updated": "updated a linked network",
        "linked_network.deleted": "removed a linked network",
    },
    feed_targets={
        "organization": FeedTarget(
            "the organization",
            "members.organization",
            "organization_id",
            model="partnership_hub.members.models:Organization",
            title_attr="name",
        ),
        "representative": FeedTarget("a representative", "members.organizations"),
        "custom_sector": FeedTarget("a sector", "members.sectors"),
        "linked_network": FeedTarget("a linked network", "members.networks"),
    },
    setup_facts="partnership_hub.members.services:setup_fact_queries",
    setup_checks={
        "linked_networks": SetupCheck(
            "members.networks", lambda f: f["linked_networks"] > 0, "Linked networks recorded"
        ),
        "membership": SetupCheck(
            "members.coverage", lambda f: f["sectors_covered"] >= 5, "Five or more recommended sectors covered"
        ),
        "engage_survivors": SetupCheck(
            "members.coverage",
            lambda f: f["survivor_advisors"] > 0 or bool(f["survivor_sector_covered"]),
            "Survivors or survivor-led organizations take part",
        ),
    },
    digest="partnership_hub.members.digest:contribute",
    demo="partnership_hub.members.demo_data:seed_demo",
    test_seed="partnership_hub.members.testing:seed_for_tests",
)
