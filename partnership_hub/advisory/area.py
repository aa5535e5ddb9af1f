"""The advisory area: the survivor advisory board (roles, seats, terms, the chair), its restricted
area, compensation, advisors' safety and contact preferences, participation requests, story and image
consent, the confidentiality framework and the trauma-informed self-assessment. Each section lives in
its own modules (``<section>.py``, ``<section>_views.py``, ``<section>_models.py``, ``<section>_forms.py``);
this file declares what the area contributes."""

from partnership_hub import toolkit
from partnership_hub.advisory import policies
from partnership_hub.areas import Area, FeedTarget, HomePanel, NavEntry, NoticeKind, SetupCheck, YourWork

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
        NavEntry(
            "advisory.safety_preferences",
            "Contact & safety",
            action="advisory.safety_menu",
            order=402,
            also=("advisory.safety_*",),
            group="Survivor engagement",
        ),
        NavEntry(
            "advisory.compensation",
            "Compensation",
            action="compensation.menu",
            order=403,
            also=("advisory.compensation_*",),
            group="Survivor engagement",
        ),
        NavEntry(
            "advisory.requests_index",
            "Requests to the board",
            action="requests.file",
            order=404,
            also=("advisory.requests_*",),
            group="Survivor engagement",
        ),
        NavEntry(
            "advisory.consent_index",
            "Story & image consent",
            action="advisory.consent",
            order=405,
            also=("advisory.consent_*",),
            group="Survivor engagement",
        ),
        NavEntry(
            "advisory.framework_index",
            "Confidentiality framework",
            action="advisory.framework",
            order=406,
            also=("advisory.framework_*",),
            group="Survivor engagement",
        ),
        NavEntry(
            "advisory.assessment_index",
            "Trauma-informed practice",
            action="advisory.assessment",
            order=407,
            also=("advisory.assessment_*",),
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
        # restricted: every entry is about record 0 of AREA_TARGET (the record's id in its details only).
        "board_note.created": "added a note to the board's restricted area",
        "board_note.updated": "edited a note in the board's restricted area",
        "board_note.deleted": "removed a note from the board's restricted area",
        "board_document.created": "added a document to the board's restricted area",
        "board_document.updated": "edited a document in the board's restricted area",
        "board_document.deleted": "removed a document from the board's restricted area",
        "board_thread.created": "started a discussion in the board's restricted area",
        "board_thread.updated": "edited a discussion in the board's restricted area",
        "board_thread.deleted": "removed a discussion from the board's restricted area",
        "board_reply.created": "replied in a discussion in the board's restricted area",
        "board_reply.updated": "edited a reply in the board's restricted area",
        "board_reply.deleted": "removed a reply from the board's restricted area",
        "advisor_profile.created": "set their contact and safety preferences",
        "advisor_profile.updated": "changed their contact and safety preferences",
        # compensation: entries about a payment or a rate are shown to coordinators and the person it is for.
        "advisory_rate.created": "set a pay rate for the survivor advisory board",
        "advisory_rate.updated": "corrected a pay rate for the survivor advisory board",
        "advisory_rate.deleted": "removed a pay rate for the survivor advisory board",
        "advisor_payment.recorded": "recorded a payment to an advisor",
        "advisor_payment.updated": "corrected a payment to an advisor",
        "advisor_payment.paid": "marked a payment to an advisor paid",
        "advisor_payment.deleted": "removed a payment to an advisor",
        # requests: entries about a request are shown to its requester, the board members it reached and
        # coordinators; answers (who declined) never to the requester; limits to their owner and coordinators.
        "participation_request.filed": "asked the board for an advisor's time",
        "participation_request.accepted": "accepted the request to the board",
        "participation_request.declined": "declined the request to the board",
        "participation_limit.set": "changed how many requests to the board they take each month",
        "story_consent.given": "recorded a story and image consent",
        "story_consent.withdrawn": "withdrew a story and image consent",
        "consent_use.added": "recorded a use of material shared with consent",
        "consent_use.removed": "took a use of material shared with consent off the record",
        "confidentiality_framework.updated": "updated the partnership's confidentiality practices",
        "federal_rule_review.updated": "reviewed a federal rule on confidentiality",
        "organization_reporting.updated": "recorded an organization's mandatory-reporting duties",
        "trauma_assessment.started": "started the trauma-informed self-assessment",
        "trauma_assessment.area_saved": "rated a key area in the trauma-informed self-assessment",
        "trauma_assessment.completed": "completed the trauma-informed self-assessment",
        "trauma_assessment.discarded": "discarded the trauma-informed self-assessment",
    },
    feed_targets={
        # Sections add theirs here. safety: entries about someone's preferences are shown to them alone.
        "advisor_profile": FeedTarget(
            "their contact and safety preferences",
            "advisory.safety_preferences",
            visible_ids="partnership_hub.advisory.safety:own_profile_ids",
        ),
        # compensation: no titles (what a payment was for stays on the compensation page); coordinators see
        # every entry, even about a removed payment, the person paid only those about their own.
        "advisor_payment": FeedTarget(
            "compensation",
            "advisory.compensation",
            visible_ids="partnership_hub.advisory.compensation:feed_visible_payments",
        ),
        "advisory_rate": FeedTarget(
            "compensation",
            "advisory.compensation",
            visible_ids="partnership_hub.advisory.compensation:feed_visible_rates",
        ),
        # restricted: the feed's entries about the board's area are shown to the people admitted to it and
        # to nobody else, even once the record they were about is removed (a model's rule would then no
        # longer hide them), so they name no title and link to the area.
        "advisory_restricted": FeedTarget(
            "the board's restricted area",
            "advisory.restricted_home",
            visible_ids="partnership_hub.advisory.restricted:feed_visible_ids",
        ),
        # ...and how the access log names and links reads of its records (for the people it lets see them).
        "board_note": FeedTarget(
            "the board note",
            "advisory.restricted_note",
            "board_note_id",
            model="partnership_hub.advisory.restricted_models:BoardNote",
        ),
        "board_document": FeedTarget(
            "the board document",
            "advisory.restricted_documents",
            model="partnership_hub.advisory.restricted_models:BoardDocument",
        ),
        "board_thread": FeedTarget(
            "the board discussion",
            "advisory.restricted_thread",
            "board_thread_id",
            model="partnership_hub.advisory.restricted_models:BoardThread",
        ),
        # requests: who sees entries about requests, answers and limits (see the audit labels above).
        "participation_request": FeedTarget(
            "the request to the board",
            "advisory.requests_detail",
            "participation_request_id",
            model="partnership_hub.advisory.requests_models:ParticipationRequest",
            visible_ids="partnership_hub.advisory.requests:feed_visible_requests",
        ),
        "participation_request_answer": FeedTarget(
            "the request to the board",
            "advisory.requests_detail",
            "participation_request_id",
            model="partnership_hub.advisory.requests_models:ParticipationRequest",
            visible_ids="partnership_hub.advisory.requests:feed_visible_answers",
        ),
        "participation_limit": FeedTarget(
            "how many requests they take",
            visible_ids="partnership_hub.advisory.requests:feed_visible_limits",
        ),
        # assessment: a round's title and link (a discarded round's entries name no title).
        "trauma_assessment": FeedTarget(
            "the trauma-informed self-assessment",
            "advisory.assessment_round",
            "trauma_assessment_id",
            model="partnership_hub.advisory.assessment_models:TraumaAssessment",
        ),
    },
    setup_facts="partnership_hub.advisory.facts:setup_fact_queries",
    setup_checks={
        # board.setup_facts: open seats and a named chair.
        "advisory_board": SetupCheck(
            "advisory.index",
            lambda f: f["board_seats"] > 0 and f["board_chair"] > 0,
            "A survivor advisory board with a named chair",
        ),
        # safety.setup_facts: people who set how (and whether) they may be contacted, and safe mode.
        "safety_communication": SetupCheck(
            "advisory.index",
            lambda f: f["safety_profiles"] > 0,
            "Survivor advisors set how and when they may be contacted, and safe mode for email",
        ),
        # compensation.setup_facts: a pay rate set for a role on the board or for one person.
        "compensation": SetupCheck(
            "advisory.compensation",
            lambda f: f["compensation_rates"] > 0,
            "Pay rates set for the survivor advisory board",
        ),
        # framework.setup_facts: consent and privacy practices written, every federal rule reviewed.
        "confidentiality": SetupCheck(
            "advisory.framework_index",
            lambda f: (
                f["framework_practices"] > 0
                and f["federal_rules_reviewed"] >= len(toolkit.FEDERAL_CONFIDENTIALITY_RULES)
            ),
            "Consent and privacy practices written; every federal rule reviewed",
        ),
        # assessment.setup_facts: completed rounds of the trauma-informed self-assessment. The survivor-centred
        # question links there too (the four R's and the principles); coordinators still mark it.
        "trauma_informed": SetupCheck(
            "advisory.assessment_index",
            lambda f: f["trauma_assessments_completed"] > 0,
            "A trauma-informed self-assessment was completed across the toolkit's ten key areas",
        ),
        "survivor_centered": SetupCheck("advisory.assessment_index"),
    },
    # The restricted area and the chair's pages: 404 to anyone not admitted (board.require_admitted /
    # require_chair). Sections add their restricted endpoints here.
    admitted_only=("advisory.access", "advisory.access_revoke", "advisory.access_log", "advisory.restricted_*")
    # safety: a person's own preferences, 403 to anyone who keeps none (the walk's survivor advisor does).
    + ("advisory.safety_*",)
    # requests: a request's page is its requester's, coordinators' and the board members' it reached (404
    # to anyone else); the walk's survivor advisor chairs the board and received the seeded request.
    + ("advisory.requests_detail",),
    home_panels=(
        # consent: coordinators' "Material to take down" (uses under a withdrawn or ended consent); its count
        # rides in the home's one round trip of scalars.
        HomePanel(
            "consent_takedowns",
            "advisory/_home_consent.html",
            "partnership_hub.advisory.consent:home_takedown_panel",
            order=32,
            action="advisory.consent_manage",
            scalars="partnership_hub.advisory.consent:home_takedown_scalars",
        ),
    ),
    # safety: every email of a partnership honours its recipient's channels and safe mode.
    mail_rule="partnership_hub.advisory.safety:mail_rule",
    # requests: told through ``notices.notify`` (the mail rule above still decides each email). A seat, not
    # a role, is what brings requests, and coordinators and members can hold one: every role but observers.
    # Centre entries name no request (its title stays on its page), like the emails.
    notice_kinds=(
        NoticeKind(
            "advisory_request",
            "Requests for your time",
            "When a request to the survivor advisory board reaches you (only if you sit on the board and have"
            " room under the number of requests you take each month).",
            roles=policies.CONTRIBUTORS,
            order=70,
        ),
        NoticeKind(
            "advisory_request_answered",
            "Answers to your requests to the board",
            "When an advisor accepts or declines a request you made to the survivor advisory board.",
            roles=policies.CONTRIBUTORS,
            order=71,
        ),
    ),
    your_work=(
        # requests: a board member's requests waiting for their answer (observers hold no seat).
        YourWork(
            "advisory_requests",
            "Requests waiting for your answer",
            "partnership_hub.advisory.requests:your_work_requests",
            empty="No request to the board is waiting for your answer.",
            order=50,
            action="requests.answer",
        ),
    ),
    demo="partnership_hub.advisory.demo_data:seed_demo",
    test_seed="partnership_hub.advisory.testing:seed_for_tests",
)
