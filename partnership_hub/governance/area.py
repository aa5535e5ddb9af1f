"""The governance area: the partnership's guidelines (versioned, acknowledged), information-sharing
agreements between member organizations, the leadership's dispute log and anonymous trust check-ins.
Each section lives in its own modules (``<section>.py``, ``<section>_views.py``, ``<section>_models.py``,
``<section>_forms.py``); this file declares what the area contributes."""

from partnership_hub.areas import Area, FeedTarget, HomePanel, NavEntry, NoticeKind, SetupCheck, YourWork
from partnership_hub.governance import policies

AREA = Area(
    name="governance",
    label="Governance",
    blueprints=("partnership_hub.governance.views:bp",),
    models="partnership_hub.governance.models",
    permissions=policies.PERMISSIONS,
    record_rules=policies.RECORD_RULES,
    membership_rules=policies.MEMBERSHIP_RULES,
    nav=(
        # Sections add theirs at orders 301-309, so the "Governance" section sits after "Partnership".
        NavEntry("governance.index", "Overview", action="governance.view", order=300, group="Governance"),
        NavEntry(
            "governance.guidelines_index",
            "Guidelines",
            action="guidelines.view",
            order=301,
            also=("governance.guideline_*",),
            group="Governance",
        ),
        NavEntry(
            "governance.agreements",
            "Agreements",
            action="agreements.view",
            order=302,
            also=("governance.agreement*",),
            group="Governance",
        ),
        # Everyone who could be admitted to a dispute (not observers, who never can). Showing it only to
        # people admitted to one would cost every page a statement; the log itself shows each person
        # only what they may see, and says so when that is nothing.
        NavEntry(
            "governance.disputes",
            "Disputes",
            action="disputes.view",
            order=303,
            also=("governance.dispute*",),
            group="Governance",
        ),
        NavEntry(
            "governance.checkins_index",
            "Trust check-ins",
            action="checkins.view",
            order=304,
            also=(
                "governance.new_checkin",
                "governance.checkin_results",
                "governance.answer_checkin",
                "governance.close_checkin",
            ),
            group="Governance",
        ),
    ),
    audit_labels={
        "guideline.draft_started": "started a new draft of",
        "guideline.draft_saved": "edited the draft of",
        "guideline.published": "published a new version of",
        "guideline.acknowledged": "acknowledged the current version of",
        "sharing_agreement.created": "recorded the information-sharing agreement",
        "sharing_agreement.updated": "updated the information-sharing agreement",
        "sharing_agreement.withdrawn": "withdrew the information-sharing agreement",
        "dispute.created": "logged the dispute",
        "dispute.updated": "updated the dispute",
        "dispute.entry_added": "added to the timeline of the dispute",
        "dispute.status_changed": "changed the status of the dispute",
        "dispute.shared": "shared with a named person the dispute",
        "dispute.unshared": "stopped sharing with a named person the dispute",
        # Answering a check-in is never audited: an entry would say who answered when.
        "trust_checkin.opened": "opened a trust check-in",
        "trust_checkin.closed": "closed a trust check-in",
    },
    feed_targets={
        "guideline_document": FeedTarget(
            "the partnership's governance document",
            "governance.guideline_document",
            "guideline_document_id",
        ),
        "sharing_agreement": FeedTarget(
            "the information-sharing agreement",
            "governance.agreement",
            "sharing_agreement_id",
            model="partnership_hub.governance.agreements_models:SharingAgreement",
        ),
        # The feed filters entries about a dispute by the confidentiality rule (Dispute opts in).
        "dispute": FeedTarget(
            "the dispute",
            "governance.dispute",
            "dispute_id",
            model="partnership_hub.governance.disputes_models:Dispute",
        ),
        # No page per check-in in the feed: the label links to the check-ins page.
        "trust_checkin": FeedTarget("a trust check-in", "governance.checkins_index"),
    },
    setup_facts="partnership_hub.governance.facts:setup_fact_queries",
    setup_checks={
        # guidelines.setup_facts: a published partnership agreement or governance guidelines.
        "guidelines": SetupCheck(
            "governance.guidelines_index",
            lambda f: f["guidelines_published"] > 0,
            "Governance guidelines are published for members to acknowledge",
        ),
        # agreements.setup_facts: active (unexpired) information-sharing agreements.
        "information_sharing": SetupCheck(
            "governance.agreements",
            lambda f: f["active_agreements"] > 0,
            "Active information-sharing agreements between member organizations",
        ),
        # disputes.setup_facts counts only the disputes the viewer may see (a tick never reveals one).
        "conflict": SetupCheck(
            "governance.disputes",
            lambda f: f["disputes_handled"] > 0,
            "Leadership keeps a dispute log, with a handler for each dispute",
        ),
        # checkins.setup_facts: how many check-ins the partnership has run.
        "trust": SetupCheck(
            "governance.checkins_index",
            lambda f: f["trust_checkins"] > 0,
            "The partnership runs anonymous trust check-ins",
        ),
    },
    home_panels=(
        # The coordinators' attention: agreements expiring soon or expired. Its counts ride in the home's
        # one round trip of scalars (no statement of its own).
        HomePanel(
            "agreements_attention",
            "governance/agreements/_home_attention.html",
            "partnership_hub.governance.agreements:home_attention_panel",
            order=30,
            action="agreements.oversee",
            scalars="partnership_hub.governance.agreements:home_attention_scalars",
        ),
    ),
    your_work=(
        YourWork(
            "guidelines",
            "Guidelines to acknowledge",
            "partnership_hub.governance.guidelines:your_work_guidelines",
            empty="You have acknowledged the current guidelines.",
            order=40,
            action="guidelines.acknowledge",  # observers are not asked to
        ),
        YourWork(
            "trust_checkins",
            "Trust check-ins",
            "partnership_hub.governance.checkins:your_work_checkins",
            empty="No trust check-in is waiting for your answer.",
            order=45,
            action="checkins.answer",  # observers are not asked
        ),
    ),
    notice_kinds=(
        NoticeKind(
            "guideline_to_acknowledge",
            "Guidelines to acknowledge",
            "When a new version of the partnership agreement or the governance guidelines is published for "
            "you to read and acknowledge.",
            roles=policies.CONTRIBUTORS,  # observers are not asked to acknowledge
            order=40,
        ),
        NoticeKind(
            "agreement_expiring",
            "Information-sharing agreements coming up for review or expiry",
            "30 and 7 days before an information-sharing agreement is due for review or expires, if you are "
            "a coordinator or represent one of its parties.",
            roles=policies.CONTRIBUTORS,
            order=45,
        ),
        NoticeKind(
            "checkin_opened",
            "Trust check-in opened",
            "When a coordinator opens an anonymous trust check-in for you to answer.",
            roles=policies.CONTRIBUTORS,  # observers are not asked
            order=50,
        ),
    ),
    # Agreements coming up and a check-in's first day (``notices.plan``), asked by the notifications beat.
    notice_planner="partnership_hub.governance.notices:plan",
    digest="partnership_hub.governance.digest:contribute",
    demo="partnership_hub.governance.demo_data:seed_demo",
    test_seed="partnership_hub.governance.testing:seed_for_tests",
)
