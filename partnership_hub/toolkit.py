"""The Partnership Toolkit's lists, as product data.

Source: the Laboratory to Combat Human Trafficking's Partnership Toolkit summary brief. Keys are
stable identifiers stored in the database; labels are what people read. Change a label freely;
never reuse or rename a key without a data migration.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    description: str = ""


# --- Partnership 101 ------------------------------------------------------------------------------

FUNCTIONS: tuple[Choice, ...] = (
    Choice(
        "strategic_coordination",
        "Strategic coordination",
        "Provide strategic coordination for human trafficking work in your area.",
    ),
    Choice(
        "operational_coordination",
        "Operational coordination",
        "Provide operational coordination for human trafficking work in your area.",
    ),
    Choice("information_sharing", "Information and resource sharing", "Share information and resources."),
    Choice("awareness", "Awareness", "Increase awareness of the extent of human trafficking in your area."),
    Choice(
        "business_community",
        "Involving businesses and community members",
        "Involve businesses and community members in anti-human trafficking work.",
    ),
    Choice(
        "survivor_engagement",
        "Survivor engagement",
        "Prioritize engagement of survivors directly in the anti-human trafficking movement.",
    ),
)

PS: tuple[Choice, ...] = (
    Choice("prevention", "Prevention"),
    Choice("protection", "Protection"),
    Choice("prosecution", "Prosecution"),
    Choice("partnership", "Partnership"),
)

COORDINATION_MODELS: tuple[Choice, ...] = (
    Choice("sole", "One coordinator", "A sole member coordinates the partnership."),
    Choice("shared", "Shared coordination", "The coordinator role is shared among members."),
)

STAGES: tuple[Choice, ...] = (
    Choice(
        "early",
        "Early partnership",
        "Conflict tends to come from personalities, or from how members see each other's roles and goals.",
    ),
    Choice("mature", "Mature partnership", "Conflict is welcome and necessary for the group to evolve and keep trust."),
)

LINKED_NETWORK_KINDS: tuple[Choice, ...] = (
    Choice("mdt", "Multidisciplinary team (MDT)"),
    Choice("sart", "Sexual assault response team (SART)"),
    Choice("task_force", "Task force or council"),
    Choice("coalition", "Coalition or alliance"),
    Choice("other", "Other network"),
)


# --- Recommended membership ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sector:
    key: str
    label: str
    description: str = ""
    children: tuple[Sector, ...] = field(default=())
    survivor: bool = False  # counts as survivors / survivor-led representation


SECTORS: tuple[Sector, ...] = (
    Sector("child_welfare_agency", "Child Welfare (CDHS)"),
    Sector("labor_department_state", "Colorado Department of Labor and Employment (CDLE)"),
    Sector("community_advocates", "Community-Based Advocates"),
    Sector(
        "direct_victim_services",
        "Direct Victim Services",
        "Providers may offer intervention, risk reduction, and prevention services to both direct and indirect "
        "victims and survivors of crime.",
        children=(
            Sector("dvs_child_abuse", "Child abuse and neglect"),
            Sector("dvs_domestic_violence", "Domestic violence"),
            Sector("dvs_faith_based", "Faith-based organizations"),
            Sector("dvs_homelessness", "Homelessness"),
            Sector("dvs_immigrant", "Immigrant resources/rights"),
            Sector("dvs_sexual_assault", "Sexual assault"),
        ),
    ),
    Sector("first_responders", "First responders (Fire, EMS)"),
    Sector("healthcare", "Healthcare Providers"),
    Sector("ice", "Immigration and Customs Enforcement/ICE"),
    Sector("law_enforcement", "Law Enforcement"),
    Sector("legal_assistance", "Legal Assistance"),
    Sector("local_legislators", "Local legislators"),
    Sector("lgbtq_resources", "Local LGBTQ+ Resources"),
    Sector("local_ngos", "Local NGOs working in anti-trafficking"),
    Sector("national_ngos", "National NGOs with local representation"),
    Sector("native_indigenous", "Native & Indigenous Organizations and Resources"),
    Sector(
        "parallel_movements",
        "Parallel Movements",
        "Human rights and social justice movements that often intersect or run parallel to protecting and serving "
        "specific groups of individuals.",
        children=(
            Sector("pm_child_welfare", "Child welfare"),
            Sector("pm_crime_victims_rights", "Crime Victims' Rights"),
            Sector("pm_immigrant_rights", "Immigrant rights"),
            Sector("pm_labor_rights", "Labor rights"),
            Sector("pm_lgbtq_rights", "LGBTQ+ Rights"),
            Sector("pm_refugee_asylum", "Refugee and asylum rights"),
            Sector("pm_sex_worker_rights", "Sex worker rights"),
        ),
    ),
    Sector("probation", "Probation Services"),
    Sector("survivor_advocates", "Survivor advocates", survivor=True),
    Sector("survivor_led_orgs", "Survivor-led organizations", survivor=True),
    Sector("survivors", "Survivors with diverse backgrounds, identities and lived experiences", survivor=True),
    Sector("systems_advocates", "Systems-Based Advocates"),
    Sector(
        "unions_trade",
        "Unions/trade groups",
        children=(
            Sector("ut_agriculture", "Agriculture"),
            Sector("ut_construction", "Construction"),
            Sector("ut_hospitality", "Hospitality"),
            Sector("ut_manufacturing", "Manufacturing"),
            Sector("ut_ranching", "Ranching"),
        ),
    ),
    Sector("us_dol", "U.S. Department of Labor and Employment"),
)


def all_sectors() -> list[tuple[Sector, Sector | None]]:
    """Every toolkit sector with its parent (None for top-level ones), in the brief's order."""
    flat: list[tuple[Sector, Sector | None]] = []
    for sector in SECTORS:
        flat.append((sector, None))
        flat.extend((child, sector) for child in sector.children)
    return flat


# --- Partnership management ------------------------------------------------------------------------

SERVICE_TYPES: tuple[Choice, ...] = (
    Choice("hotline", "Hotline or crisis line"),
    Choice("shelter", "Emergency shelter"),
    Choice("housing", "Transitional or long-term housing"),
    Choice("case_management", "Case management and advocacy"),
    Choice("legal", "Legal services"),
    Choice("immigration", "Immigration services"),
    Choice("medical", "Medical care"),
    Choice("mental_health", "Mental health and counselling"),
    Choice("substance_use", "Substance use treatment"),
    Choice("basic_needs", "Food, clothing and basic needs"),
    Choice("employment", "Employment and education"),
    Choice("interpretation", "Interpretation and translation"),
    Choice("peer_support", "Survivor peer support"),
    Choice("child_youth", "Child and youth services"),
    Choice("other", "Other"),
)

GOVERNANCE_QUESTIONS: tuple[str, ...] = (
    "Do you have governance guidelines for the partnership (including expectations for member input, "
    "meeting frequency, and a dispute resolution process)?",
    "Who will co-ordinate the work of the partnership? Will a sole member coordinate the partnership or can this "
    "role be shared?",
    "Are information-sharing agreements in place between members?",
)

# The governance documents a partnership keeps as versions (governance/guidelines.py), and the
# sections the governance question names; each description is the toolkit's own hint for it.
GOVERNANCE_DOCUMENTS: tuple[Choice, ...] = (
    Choice(
        "agreement",
        "Partnership agreement",
        "The partnership's memorandum of understanding or charter: what members commit to together.",
    ),
    Choice(
        "guidelines",
        "Governance guidelines",
        "How the partnership works: expectations for member input, meeting frequency, a dispute resolution process.",
    ),
)
GOVERNANCE_SECTIONS: tuple[Choice, ...] = (
    Choice(
        "member_input",
        "Expectations for member input",
        "Strong partnerships require members who value culturally responsive, trauma-informed care and "
        "policy-making that takes time, resources, and difficult conversations.",
    ),
    Choice("meeting_frequency", "Meeting frequency", "How often will the partnership meet?"),
    Choice(
        "dispute_resolution",
        "Dispute resolution process",
        "Conflict resolution practices that provide opportunities and mechanisms that are both formal and "
        "informal appear effective across partnerships.",
    ),
    Choice(
        "coordination",
        "Coordination",
        "Who will co-ordinate the work of the partnership? Will a sole member coordinate the partnership or can "
        "this role be shared?",
    ),
    Choice(
        "decision_making",
        "Decision-making",
        "Partnership operations and decisions are conducted with transparency with the goal of building and "
        "maintaining trust.",
    ),
)
MEETING_PRINCIPLES: tuple[str, ...] = (
    "Strong partnerships require members who value culturally responsive, trauma-informed care and policy-making "
    "that takes time, resources, and difficult conversations.",
    "Welcome community diversity.",
    "Promote shared leadership.",
    "Include survivor perspectives.",
    "Establish new member orientation.",
)

# "How will you conduct successful partnership meetings?" — the points shown where an agenda is built.
# The labels are the product's; the descriptions are the brief's words ("Partnership Operations").
MEETING_QUESTION = "How will you conduct successful partnership meetings?"
AGENDA_GUIDANCE: tuple[Choice, ...] = (
    Choice("purpose", "A clear purpose", "Say what each item is for: to inform, to discuss or to decide."),
    Choice("right_people", "The right people", "Identify the right team members to attend meetings."),
    Choice("survivor_perspectives", "Survivor perspectives", "Include survivor perspectives."),
    Choice("shared_leadership", "Shared leadership", "Promote shared leadership."),
    Choice("diversity", "Community diversity", "Welcome community diversity."),
)


# --- Funding ---------------------------------------------------------------------------------------

FUNDING_SOURCE_TYPES: tuple[Choice, ...] = (
    Choice("government_grant", "Government Grants"),
    Choice("private_grant", "Private Grants"),
    Choice("corporate_grant", "Corporate Grants"),
    Choice("program_revenue", "Program Revenue"),
)

# The funding pipeline's types: the brief's sources plus the two a pipeline also needs (issue #14).
FUNDING_TYPES: tuple[Choice, ...] = (
    *FUNDING_SOURCE_TYPES,
    Choice("individual_giving", "Individual Giving"),
    Choice("other", "Other"),
)

IN_KIND_TYPES: tuple[Choice, ...] = (
    Choice("staff", "Staff resources"),
    Choice("student_placement", "Student placements"),
    Choice("skills", "Skills offers from non-profits and businesses"),
    # Beyond the brief's three: what partners offer most often besides time and skills (issue #14).
    Choice("space", "Meeting or office space"),
    Choice("goods", "Goods and supplies"),
)


@dataclass(frozen=True)
class AwarenessDay:
    """A cause awareness day or month and its date rule, in plain values (the awareness area turns them
    into python-dateutil rules): a fixed date (``month`` + ``day``), the ``nth`` ``weekday`` of the month
    (0 = Monday; -1 = the last), the whole ``month`` (neither), each optionally ``offset_days`` later."""

    key: str
    label: str
    month: int
    day: int | None = None
    weekday: int | None = None
    nth: int | None = None
    offset_days: int = 0
    when: str = ""  # how the brief says it, where the rule alone reads oddly


AWARENESS_DAYS: tuple[AwarenessDay, ...] = (
    AwarenessDay("ht_awareness_month", "Human Trafficking Awareness Month", 1),
    AwarenessDay("social_justice_day", "World Day of Social Justice", 2, 20),
    AwarenessDay("child_abuse_month", "Child Abuse Awareness Month", 4),
    AwarenessDay("sexual_assault_month", "Sexual Assault Awareness Month", 4),
    AwarenessDay("child_labour_day", "World Day Against Child Labor", 6, 12),
    AwarenessDay("tip_day", "World Day Against Trafficking in Persons", 7, 30),
    AwarenessDay("girl_child_day", "International Day of the Girl Child", 10, 11),
    AwarenessDay("evaw_day", "International Day for the Elimination of Violence Against Women", 11, 25),
    # U.S. Thanksgiving is the fourth Thursday of November; #GivingTuesday the Tuesday after it.
    AwarenessDay(
        "giving_tuesday", "#GivingTuesday", 11, weekday=3, nth=4, offset_days=5, when="Tuesday after Thanksgiving"
    ),
    AwarenessDay("human_rights_day", "International Human Rights Day", 12, 10),
)

GIVING_TUESDAY_NOTE = (
    "#GivingTuesday is a global day of giving that suits local fundraising: plan the ask, the story and "
    "the thank-you ahead, and share them with your members to amplify."
)


# --- Survivor engagement and trauma-informed practice ---------------------------------------------

# The ten key areas, each with a stable key (the trauma-informed self-assessment stores the keys).
TRAUMA_INFORMED_AREAS: tuple[Choice, ...] = (
    Choice("governance_leadership", "Governance and leadership"),
    Choice("policy", "Policy"),
    Choice("physical_environment", "Physical environment"),
    Choice("engagement", "Engagement and involvement"),
    Choice("cross_sector", "Cross sector collaboration"),
    Choice("screening_treatment", "Screening, assessment, treatment services"),
    Choice("training_workforce", "Training and workforce development"),
    Choice("monitoring_quality", "Progress monitoring and quality assurance"),
    Choice("financing", "Financing"),
    Choice("evaluation", "Evaluation"),
)

FOUR_RS: tuple[Choice, ...] = (
    Choice(
        "realize", "Realize", "Realize the widespread impact of trauma and understand potential paths for recovery."
    ),
    Choice("recognize", "Recognize", "Recognize the signs and symptoms of trauma in clients, families, and staff."),
    Choice(
        "respond",
        "Respond",
        "Respond by fully integrating knowledge about trauma into policies, procedures, and practices.",
    ),
    Choice("resist", "Resist re-traumatization", "Seek to actively resist re-traumatization."),
)

TRAUMA_INFORMED_PRINCIPLES: tuple[Choice, ...] = (
    Choice(
        "safety",
        "Safety",
        "The physical setting is safe and interpersonal interactions promote a sense of "
        "safety (physical and emotional security).",
    ),
    Choice(
        "trust_transparency",
        "Trustworthiness and transparency",
        "Partnership operations and decisions are "
        "conducted with transparency with the goal of building and maintaining trust with clients and staff.",
    ),
    Choice(
        "survivor_support",
        "Survivor support",
        "Peer/survivor support and mutual self-help establish safety and "
        "hope, build trust, enhance collaboration, and utilize stories and lived experience to promote recovery "
        "and healing.",
    ),
    Choice(
        "collaboration",
        "Collaboration and mutuality",
        "Everyone has a role to play in a trauma-informed "
        "approach; leveling power differences shows that healing happens in relationships and in the sharing of "
        "power and decision-making.",
    ),
    Choice(
        "empowerment",
        "Empowerment, voice, and choice",
        "The partnership believes in the priority of the people "
        "served, in resilience, and in the ability of individuals and communities to heal and promote recovery "
        "from trauma.",
    ),
    Choice(
        "cultural",
        "Cultural, historical, and gender issues",
        "The partnership moves past cultural stereotypes "
        "and biases, offers gender responsive services, leverages traditional cultural connections, and "
        "recognizes and addresses historical trauma.",
    ),
)


def label_of(choices: tuple[Choice, ...], key: str) -> str:
    for choice in choices:
        if choice.key == key:
            return choice.label
    return key


def keys(choices: tuple[Choice, ...]) -> list[str]:
    return [choice.key for choice in choices]


# --- The brief's guidance, as the setup guide shows it ------------------------------------------
# In the brief's words. Where the brief only names a resource (a link), the name is kept: the
# links themselves are in the full toolkit (TOOLKIT_URL).

TOOLKIT_URL = "https://combathumantrafficking.org/toolkit"

PARTNERSHIP_DEFINITION: tuple[str, ...] = (
    "Partnership measures acknowledge that combating human trafficking requires a comprehensive response through "
    "the cooperation of multiple sectors.",
    "Partnerships bring together diverse experiences, amplify messages, and leverage resources.",
    "An anti-human trafficking partnership refers to a cooperative relationship between two or more organizations "
    "established for the purpose of jointly combating human trafficking in some way.",
)

FUNCTIONS_NOTE = "These different functions involve different types of partners and methods of engagement."

BUILDING_STEPS: tuple[str, ...] = (
    "Form a Planning Team",
    "Get familiar with the current services for survivors in your state/region/community",
    "Begin relationship-building and gain the support of local leaders",
)

STATEMENT_TIPS: tuple[str, ...] = ("Vision Statements", "Mission Statements", "Defining Goals", "Defining Objectives")

GOAL_TIPS: tuple[str, ...] = (
    "Developing a mission with clear goals supports trust and stability in a partnership and decreases the "
    "likelihood of conflict based on confusion around the role of partnerships.",
    "Partnerships with clear and attainable goals were able to partner more effectively and build rapport as they "
    "worked together to accomplish specific tasks.",
    "Partnerships that appeared most effective at meeting goals were those that combined representatives from "
    "multiple Ps and supported each of those partners to exercise equal voice and leadership in the group.",
    "Explicit goals that were attainable in the short-term to medium-term were often met, providing measurable "
    "progress toward ending human trafficking and building trust and momentum within partnerships.",
)

# The brief's list of organizations "funded specifically to support the needs of trafficking survivors
# statewide in Colorado".
COLORADO_SURVIVOR_SERVICES: tuple[str, ...] = (
    "Asian Pacific Development Center",
    "Avery Research Center",
    "Colorado's Human Trafficking Hotline",
    "Colorado's Online Resource Directory",
    "Colorado Legal Services",
    "COVA's Human Trafficking Program",
    "Rocky Mountain Immigrant Advocacy Network",
    "Street's Hope",
    "TESSA",
)

CONFLICT_LEADERSHIP: tuple[str, ...] = (
    "Partnership leaders typically hold the responsibility of resolving conflicts that emerge.",
    "Prospective members need to recognize this responsibility as part of the job description when they consider "
    "joining partnership leadership.",
    "Conflict resolution practices that provide opportunities and mechanisms that are both formal and informal "
    "appear effective across partnerships.",
)

STAGE_NOTES: tuple[str, ...] = (
    "Early partnerships experience conflict from the personalities or persons involved (as individuals) or the "
    "perceptions of the roles and goals of the organization represented by persons joining the partnership",
    "Mature partnerships view conflict as welcome and necessary for the group to evolve and maintain trust",
    "Personality-driven conflict dissipates as relational trust grows",
    "Priority-driven conflict declines as responsibility-based forms of trust grow",
)

# The trust check-in's statements (section 4, "Building Trust and Sustainability": "How will your
# partnership foster trust?"), each answered 1-5. Keys are the columns of ``checkin_responses``.
TRUST_CHECKIN_QUESTIONS: tuple[Choice, ...] = (
    Choice("trust", "Trust", "I trust the other members of this partnership."),
    Choice("shared_goals", "Clarity of shared goals", "I understand the partnership's shared goals."),
    Choice("equal_voice", "Equal voice", "Every member has an equal voice in the partnership's decisions."),
    Choice("disagreement", "Disagreement is welcome", "Disagreement is welcome here and helps us work better."),
)
TRUST_CHECKIN_SCALE: tuple[Choice, ...] = (
    Choice("1", "Strongly disagree"),
    Choice("2", "Disagree"),
    Choice("3", "Neither agree nor disagree"),
    Choice("4", "Agree"),
    Choice("5", "Strongly agree"),
)

# The two kinds of conflict the brief names ("Conflict and Partnership Leadership"), each with its
# guidance: the dispute log files a dispute under one and shows the guidance beside it.
CONFLICT_KINDS: tuple[Choice, ...] = (
    Choice(
        "personality",
        "Personality-driven",
        "Conflict from the personalities or persons involved, as individuals. It dissipates as relational "
        "trust grows: time together, listening and getting to know each other.",
    ),
    Choice(
        "priority",
        "Priority-driven",
        "Conflict from the perceived roles and goals of the organizations people represent. It declines as "
        "responsibility-based trust grows: clear roles, shared goals and commitments that are kept.",
    ),
)

IN_KIND_NOTE = "Consider offers of staff resources, student placements, skills offers from non-profits and businesses."

# Each trauma-informed principle in full, as the brief words it (``TRAUMA_INFORMED_PRINCIPLES`` holds
# one-line descriptions).
TRAUMA_INFORMED_PRINCIPLE_POINTS: dict[str, tuple[str, ...]] = {
    "safety": (
        "The physical setting is safe and interpersonal interactions promote a sense of safety (physical and "
        "emotional security).",
    ),
    "trust_transparency": (
        "Partnership operations and decisions are conducted with transparency with the goal of building and "
        "maintaining trust with clients and staff.",
    ),
    "survivor_support": (
        "Peer/survivor support and mutual self-help establish safety and hope, build trust, enhance collaboration, "
        "and utilize stories and lived experience to promote recovery and healing.",
    ),
    "collaboration": (
        "The partnership recognizes that everyone has a role to play in a trauma-informed approach.",
        "The leveling of power differences between staff and clients demonstrates that healing happens in "
        "relationships and in the sharing of power and decision-making.",
    ),
    "empowerment": (
        "The partnership believes in the priority of the people served, in resilience, and in the ability of "
        "individuals and communities to heal and promote recovery from trauma.",
        "Clients are supported in shared decision-making, choice, and goal setting to determine the plan of action "
        "they need to heal and move forward, as well as being supported in cultivating self-advocacy skills.",
        "Staff also need to feel safe, as much as people receiving services.",
    ),
    "cultural": (
        "The partnership actively moves past cultural stereotypes and biases.",
        "The partnership offers access to gender responsive services.",
        "The partnership leverages the healing value of traditional cultural connections.",
        "The partnership incorporates policies, protocols, and processes that are responsive to the racial, ethnic "
        "and cultural needs of individuals served, and recognizes and addresses historical trauma.",
    ),
}

CONSENT_PRIVACY_RESOURCES: tuple[str, ...] = (
    "End Violence Against Women's Best Practices",
    "Mandatory Reporting State-by-State",
)

# The federal rules on confidentiality, keyed: the advisory area's checklist stores the keys
# (``federal_rule_reviews.rule_key``); ``FEDERAL_CONFIDENTIALITY_LAWS`` is their labels, as the guide shows them.
FEDERAL_CONFIDENTIALITY_RULES: tuple[Choice, ...] = (
    Choice("confidentiality_of_information", "Confidentiality of Information"),
    Choice("hipaa", "Health Insurance Portability and Accountability Act (HIPAA)"),
    Choice("prea", "Prison Rape Elimination Act (PREA)"),
    Choice("vawa_voca", "Violence Against Women Act (VAWA) or the Victims of Crime Act (VOCA)"),
)

FEDERAL_CONFIDENTIALITY_LAWS: tuple[str, ...] = tuple(rule.label for rule in FEDERAL_CONFIDENTIALITY_RULES)
