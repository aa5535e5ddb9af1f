"""The resources area: the community resource map of services for survivors."""

from partnership_hub.areas import Area, FeedTarget, NavEntry, SetupCheck

AREA = Area(
    name="resources",
    label="Resource map",
    blueprints=("partnership_hub.resources.views:bp",),
    models="partnership_hub.resources.models",
    nav=(
        NavEntry(
            "resources.index",
            "Resource map",
            action="directory.view",
            order=170,
            also=("resources.*",),
            group="Partnership",
        ),
    ),
    audit_labels={
        "resource.created": "added a service to the resource map",
        "resource.updated": "updated a service on the resource map",
        "resource.deleted": "removed a service from the resource map",
    },
    feed_targets={
        "community_resource": FeedTarget(
            "the service",
            "resources.detail",
            "community_resource_id",
            model="partnership_hub.resources.models:CommunityResource",
            title_attr="organization_name",
        )
    },
    setup_facts="partnership_hub.resources.services:setup_fact_queries",
    setup_checks={
        "current_services": SetupCheck(
            "resources.index", lambda f: f["community_resources"] > 0, "Services recorded in the resource map"
        ),
        "resource_mapping": SetupCheck(
            "resources.index", lambda f: f["community_resources"] >= 5, "Five or more services mapped"
        ),
    },
    demo="partnership_hub.resources.demo_data:seed_demo",
    test_seed="partnership_hub.resources.testing:seed_for_tests",
)
