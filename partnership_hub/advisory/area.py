"""The advisory area: the survivor advisory board (roles, seats, terms, the chair), its restricted
area, compensation, advisors' safety and contact preferences, participation requests, story and image
consent, the confidentiality framework and the trauma-informed self-assessment. Each section lives in
its own modules (``<section>.py``, ``<section>_views.py``, ``<section>_models.py``, ``<section>_forms.py``);
this file declares what the area contributes."""

from partnership_hub.advisory import policies
from partnership_hub.areas import Area, NavEntry, SetupCheck

AREA = Area(
    name="advisory",
    label="Survivor engagement",
    blueprints=("partnership_hub.advisory.views:bp",),
    models="partnership_hub.advisory.models",
    permissions=policies.PERMISSIONS,
    record_rules=policies.RECORD_RULES,
    membership_rules=policies.MEMBERSHIP_RULES,
    nav=(
        # Sections add theirs at orders 401-409, so "Survivor engagement" sits after "Governance".
        NavEntry(
            "advisory.index",
            "Advisory board",
            action="advisory.view",
            order=400,
            also=("advisory.role*", "advisory.seat*", "advisory.access*", "advisory.restricted_*"),
            group="Survivor engagement",
        ),
    ),
    audit_labels={
        "advisory_role.created": "added a role to the survivor advisory board",
        "advisory_role.updated": "updated a role of the survivor advisory board",
        "advisory_role.deleted": "removed a role of the survivor advisory board",
        "board_seat.created": "gave someone a seat on the survivor advisory board",
        "board_seat.updated": "changed a seat on the survivor advisory board",
        "board_seat.renewed": "renewed a term on the survivor advisory board",
        "board_seat.ended": "ended a seat on the survivor advisory board",
        "advisory_access.granted": "admitted someone to the advisory board's restricted area",
        "advisory_access.revoked": "ended someone's access to the advisory board's restricted area",
    },
    setup_facts="partnership_hub.advisory.facts:setup_fact_queries",
    setup_checks={
        # board.setup_facts: open seats and a named chair.
        "advisory_board": SetupCheck(
            "advisory.index",
            lambda f: f["board_seats"] > 0 and f["board_chair"] > 0,
            "A survivor advisory board with a named chair",
        ),
    },
    # The restricted area and the chair's pages: 404 to anyone not admitted (board.require_admitted /
    # require_chair). Sections add their restricted endpoints here.
    admitted_only=("advisory.access", "advisory.access_revoke", "advisory.access_log", "advisory.restricted_*"),
    demo="partnership_hub.advisory.demo_data:seed_demo",
    test_seed="partnership_hub.advisory.testing:seed_for_tests",
)
