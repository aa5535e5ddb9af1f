"""The funding area: the funding pipeline (opportunities by type and status, totals, export) and
in-kind resources (offers and needs, matched by coordinators). Each section lives in its own modules
(``<section>.py``, ``<section>_views.py``, ``<section>_models.py``, ``<section>_forms.py``)."""

from partnership_hub.areas import Area, FeedTarget, NavEntry, NoticeKind, SetupCheck, YourWork
from partnership_hub.funding import policies

AREA = Area(
    name="funding",
    label="Funding",
    blueprints=("partnership_hub.funding.views:bp",),
    models="partnership_hub.funding.models",
    permissions=policies.PERMISSIONS,
    record_rules=policies.RECORD_RULES,
    membership_rules=policies.MEMBERSHIP_RULES,
    # Sections add their nav entries at orders 500-509 (group "Funding & awareness").
    nav=(
        NavEntry(
            "funding.index",
            "Funding",
            action="funding.view",
            order=500,
            also=("funding.opportunit*", "funding.totals", "funding.pick_goals"),
            group="Funding & awareness",
        ),
        NavEntry(
            "funding.inkind_offers",
            "In-kind resources",
            action="inkind.view",
            order=505,
            also=("funding.inkind_*",),
            group="Funding & awareness",
        ),
    ),
    audit_labels={
        "funding_opportunity.created": "added the funding opportunity",
        "funding_opportunity.updated": "updated the funding opportunity",
        "funding_opportunity.moved": "moved on the funding board",
        "funding_opportunity.deleted": "removed a funding opportunity",
        "inkind_offer.created": "posted the in-kind offer",
        "inkind_offer.updated": "updated the in-kind offer",
        "inkind_offer.withdrawn": "withdrew the in-kind offer",
        "inkind_need.created": "posted the in-kind need",
        "inkind_need.updated": "updated the in-kind need",
        "inkind_need.closed": "closed the in-kind need",
        "inkind_match.created": "matched an offer to the in-kind need",
        "inkind_match.removed": "removed a matched offer from the in-kind need",
    },
    feed_targets={
        # The feed filters entries about an opportunity by the confidentiality rule (it opts in).
        "funding_opportunity": FeedTarget(
            "the funding opportunity",
            "funding.opportunity",
            "funding_opportunity_id",
            model="partnership_hub.funding.pipeline_models:FundingOpportunity",
        ),
        # In-kind offers and needs are workspace records: everyone may see entries about them.
        "inkind_offer": FeedTarget(
            "the in-kind offer",
            "funding.inkind_offer",
            "inkind_offer_id",
            model="partnership_hub.funding.inkind_models:InkindOffer",
        ),
        "inkind_need": FeedTarget(
            "the in-kind need",
            "funding.inkind_need",
            "inkind_need_id",
            model="partnership_hub.funding.inkind_models:InkindNeed",
        ),
    },
    setup_checks={
        "funding_sources": SetupCheck(
            "funding.index",
            lambda f: f["funding_opportunities"] > 0,
            "The partnership tracks its funding opportunities in a pipeline",
        ),
        # inkind.setup_facts: offers on record that were not withdrawn.
        "in_kind": SetupCheck(
            "funding.inkind_offers",
            lambda f: f["inkind_offers"] > 0,
            "Partners' in-kind offers are recorded for coordinators to match to needs",
        ),
    },
    your_work=(
        YourWork(
            "funding_deadlines",
            "Funding deadlines",
            "partnership_hub.funding.pipeline:your_work_deadlines",
            empty="No funding deadline of yours in the next 30 days.",
            order=50,
            action="funding.own",
        ),
    ),
    # notices.py: deadlines coming up, to the owner and the coordinators admitted to the opportunity.
    notice_kinds=(
        NoticeKind(
            "funding_deadline",
            "Funding deadlines",
            "Two weeks and three days before an application or report deadline of a funding opportunity you own"
            " (coordinators: of every opportunity they may see).",
            roles=policies.CONTRIBUTORS,  # owners are never observers
            order=60,
        ),
    ),
    notice_planner="partnership_hub.funding.notices:plan",
    setup_facts="partnership_hub.funding.sections:setup_fact_queries",
    digest="partnership_hub.funding.digest:contribute",
    demo="partnership_hub.funding.sections:seed_demo",
    test_seed="partnership_hub.funding.sections:seed_for_tests",
)
