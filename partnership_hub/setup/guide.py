"""The toolkit setup guide: every question the Partnership Toolkit asks a partnership, by section.

The questions are the toolkit's. Where in the product a question is answered (``endpoint``) and,
where the data can show it, a ``check`` on the facts the areas report come from the areas
themselves (``Area.setup_checks``, keyed by the question's key). Items without a check are marked
as addressed by a coordinator. When an area lands, it declares checks for its questions.

Each question carries the toolkit's guidance for it (``Guidance``, built here from the reference
data in ``toolkit.py``, never from prose in templates) and, where the part of the product that will
answer it is not built yet, which one (``planned``), so the guide can say so instead of linking nowhere.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass

from partnership_hub import areas, toolkit

Facts = dict[str, int | bool]


# --- the toolkit's guidance -------------------------------------------------------------------------


@dataclass(frozen=True)
class GuidancePoint:
    text: str
    label: str = ""  # a name the text explains ("Safety"), shown before it
    points: tuple[str, ...] = ()  # sub-points (a sector's sub-areas, a principle's parts)


@dataclass(frozen=True)
class Guidance:
    """One block of the toolkit's guidance: a titled list, in the brief's words."""

    title: str
    points: tuple[GuidancePoint, ...]
    intro: str = ""
    ordered: bool = False
    link: str = ""  # the full toolkit, where the brief only names a resource


def _plain(texts: tuple[str, ...]) -> tuple[GuidancePoint, ...]:
    return tuple(GuidancePoint(text) for text in texts)


def _choices(choices: tuple[toolkit.Choice, ...]) -> tuple[GuidancePoint, ...]:
    """Each choice in the brief's words: its description where it has one, else its name."""
    return tuple(GuidancePoint(choice.description or choice.label) for choice in choices)


def _day(day: toolkit.AwarenessDay) -> GuidancePoint:
    if day.when:
        when = day.when
    elif day.day is None:
        when = calendar.month_name[day.month]
    else:
        when = f"{calendar.month_name[day.month]} {day.day}"
    return GuidancePoint(day.label, when)


def _principles(*keys: str) -> Guidance:
    chosen = [p for p in toolkit.TRAUMA_INFORMED_PRINCIPLES if not keys or p.key in keys]
    return Guidance(
        "Key principles of a trauma-informed approach" if not keys else "From the trauma-informed principles",
        tuple(
            GuidancePoint("", p.label, toolkit.TRAUMA_INFORMED_PRINCIPLE_POINTS.get(p.key, (p.description,)))
            for p in chosen
        ),
        ordered=not keys,
    )


DEFINITION = Guidance("Defining a partnership", _plain(toolkit.PARTNERSHIP_DEFINITION))
FUNCTIONS = Guidance("What a partnership can do", _choices(toolkit.FUNCTIONS), intro=toolkit.FUNCTIONS_NOTE)
LINKED_NETWORKS = Guidance(
    "Networks to link with, for example",
    tuple(GuidancePoint(kind.label) for kind in toolkit.LINKED_NETWORK_KINDS if kind.key in {"mdt", "sart"}),
)
SECTORS = Guidance(
    "Organizations the toolkit suggests inviting",
    tuple(
        GuidancePoint(sector.description, sector.label, tuple(child.label for child in sector.children))
        for sector in toolkit.SECTORS
    ),
)
SURVIVOR_SECTORS = Guidance(
    "Survivors in the partnership",
    tuple(GuidancePoint(sector.label) for sector, _ in toolkit.all_sectors() if sector.survivor)
    + _choices(tuple(f for f in toolkit.FUNCTIONS if f.key == "survivor_engagement")),
    intro="Among the organizations and people the toolkit suggests inviting, and the functions it names:",
)
BUILDING_STEPS = Guidance("Building your partnership", _plain(toolkit.BUILDING_STEPS), ordered=True)
STATEMENT_TIPS = Guidance(
    "Tips in the full toolkit",
    _plain(toolkit.STATEMENT_TIPS),
    intro="The toolkit has tips for defining partnership vision, mission, and goals:",
    link=toolkit.TOOLKIT_URL,
)
GOAL_TIPS = Guidance("Tips for developing goals", _plain(toolkit.GOAL_TIPS))
FOUR_PS = Guidance("The four Ps", _choices(toolkit.PS))
SURVIVOR_SERVICES = Guidance(
    "Current services for survivors",
    _plain(toolkit.COLORADO_SURVIVOR_SERVICES),
    intro="Organizations funded specifically to support the needs of trafficking survivors statewide in Colorado:",
    link=toolkit.TOOLKIT_URL,
)
MEETINGS = Guidance("Identify the right team members to attend meetings", _plain(toolkit.MEETING_PRINCIPLES))
COORDINATION = Guidance("Who coordinates", _choices(toolkit.COORDINATION_MODELS))
CONFLICT = Guidance("Conflict and partnership leadership", _plain(toolkit.CONFLICT_LEADERSHIP))
STAGES = Guidance("Early versus mature partnerships", _plain(toolkit.STAGE_NOTES))
FUNDING_SOURCES = Guidance("Funding sources to consider", _choices(toolkit.FUNDING_SOURCE_TYPES))
AWARENESS_DAYS = Guidance(
    "Important cause awareness days for fundraising", tuple(_day(day) for day in toolkit.AWARENESS_DAYS)
)
IN_KIND = Guidance("In-kind resources", _choices(toolkit.IN_KIND_TYPES), intro=toolkit.IN_KIND_NOTE)
TRAUMA_AREAS = Guidance("Key areas to consider", _choices(toolkit.TRAUMA_INFORMED_AREAS))
FOUR_RS = Guidance(
    "The four R's: key assumptions in a trauma-informed approach", _choices(toolkit.FOUR_RS), ordered=True
)
ALL_PRINCIPLES = _principles()
CONFIDENTIALITY = Guidance(
    "Confidentiality resources",
    (
        GuidancePoint("", "Consent and privacy", toolkit.CONSENT_PRIVACY_RESOURCES),
        GuidancePoint("", "Federal laws on confidentiality", toolkit.FEDERAL_CONFIDENTIALITY_LAWS),
    ),
    intro="The toolkit points to these resources:",
    link=toolkit.TOOLKIT_URL,
)
FULL_TOOLKIT = Guidance(
    "More in the full toolkit",
    (),
    intro="The toolkit's summary asks this question without more guidance; the full toolkit has more resources.",
    link=toolkit.TOOLKIT_URL,
)

# The parts of the product that will answer questions no page answers yet (DESIGN.md's areas).
PLANNED_AREAS: dict[str, str] = {
    "meetings": "Meetings",
    "governance": "Governance",
    "advisory": "Survivor advisory board",
    "funding": "Funding",
    "awareness": "Awareness days",
}


# --- the guide --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuideItem:
    key: str
    question: str
    guidance: tuple[Guidance, ...] = ()
    planned: str = ""  # a PLANNED_AREAS key: where the question will be answered once that area lands

    @property
    def _declared(self) -> areas.SetupCheck | None:
        return areas.setup_checks().get(self.key)

    @property
    def endpoint(self) -> str | None:
        """Where the question is answered; None: nowhere in the product yet."""
        return self._declared.endpoint if self._declared else None

    @property
    def check(self) -> Callable[[Facts], bool] | None:
        return self._declared.check if self._declared else None

    @property
    def done_text(self) -> str:
        """What the data shows once the check passes."""
        return self._declared.done_text if self._declared else ""

    @property
    def planned_area(self) -> str:
        """The label of the area that will answer the question, if no page answers it yet."""
        return PLANNED_AREAS.get(self.planned, "") if self.endpoint is None else ""


def page_entry(endpoint: str) -> areas.NavEntry | None:
    """The navigation entry of the page at ``endpoint`` (its own, else the one that covers it): the
    page's name, and the permission the navigation asks before it shows it."""
    entries = areas.nav_entries()
    exact = next((entry for entry in entries if entry.endpoint == endpoint), None)
    return exact or next((entry for entry in entries if entry.is_current(endpoint)), None)


@dataclass(frozen=True)
class GuideSection:
    key: str
    title: str
    items: tuple[GuideItem, ...]


SECTIONS: tuple[GuideSection, ...] = (
    GuideSection(
        "partnership_101",
        "Partnership 101",
        (
            GuideItem(
                "definition",
                "How do you define your partnership?",
                guidance=(DEFINITION,),
            ),
            GuideItem(
                "functions",
                "What would you like your partnership to do?",
                guidance=(FUNCTIONS,),
            ),
            GuideItem(
                "linked_networks",
                "Are there existing partnerships or networks in your area that you should link with (e.g. "
                "multidisciplinary teams, sexual assault response teams)?",
                guidance=(LINKED_NETWORKS,),
            ),
            GuideItem(
                "membership",
                "Have you considered inviting the organizations the toolkit recommends?",
                guidance=(SECTORS,),
            ),
        ),
    ),
    GuideSection(
        "building",
        "Building your partnership",
        (
            GuideItem(
                "planning_team",
                "Have you formed a planning team?",
                guidance=(BUILDING_STEPS,),
            ),
            GuideItem(
                "vision",
                "Have you written the partnership's vision?",
                guidance=(STATEMENT_TIPS,),
            ),
            GuideItem(
                "mission",
                "Have you written the partnership's mission?",
                guidance=(STATEMENT_TIPS,),
            ),
            GuideItem(
                "goals",
                "Have you defined goals and objectives?",
                guidance=(GOAL_TIPS, STATEMENT_TIPS),
            ),
            GuideItem(
                "current_services",
                "Are you familiar with the current services for survivors in your state, region or community?",
                guidance=(SURVIVOR_SERVICES,),
            ),
            GuideItem(
                "local_leaders",
                "Have you begun relationship-building and gained the support of local leaders?",
                guidance=(BUILDING_STEPS,),
            ),
        ),
    ),
    GuideSection(
        "goals_strategy",
        "Goals and strategy",
        (
            GuideItem(
                "shared_goals",
                "Does your partnership foster shared goals?",
                guidance=(GOAL_TIPS, FOUR_PS),
            ),
            GuideItem(
                "action_plan",
                "Do you have an action plan or mandate?",
            ),
            GuideItem(
                "monitoring",
                "How will you monitor and evaluate the work of the partnership?",
                guidance=(GOAL_TIPS,),
            ),
            GuideItem(
                "resource_mapping",
                "Have you considered conducting community resource mapping?",
                guidance=(SURVIVOR_SERVICES,),
            ),
        ),
    ),
    GuideSection(
        "operations",
        "Partnership operations",
        (
            GuideItem(
                "meetings",
                "How will you conduct successful partnership meetings?",
                guidance=(MEETINGS,),
                planned="meetings",
            ),
            GuideItem(
                "team_members",
                "Have you identified the right team members to attend meetings?",
                guidance=(MEETINGS,),
            ),
            GuideItem(
                "orientation",
                "Have you established new member orientation?",
                guidance=(MEETINGS,),
            ),
        ),
    ),
    GuideSection(
        "governance",
        "Governance",
        (
            GuideItem(
                "guidelines",
                "Do you have governance guidelines (member input, meeting frequency, a dispute resolution process)?",
                guidance=(CONFLICT,),
                planned="governance",
            ),
            GuideItem(
                "coordination",
                "Who will coordinate the work? Will a sole member coordinate, or can the role be shared?",
                guidance=(COORDINATION, CONFLICT),
            ),
            GuideItem(
                "information_sharing",
                "Are information-sharing agreements in place between members?",
                guidance=(CONFIDENTIALITY,),
                planned="governance",
            ),
        ),
    ),
    GuideSection(
        "funding",
        "Funding your partnership",
        (
            GuideItem(
                "funding_sources",
                "Have you thought about the funding sources available to the partnership (government, "
                "private and corporate grants, program revenue)?",
                guidance=(FUNDING_SOURCES,),
                planned="funding",
            ),
            GuideItem(
                "awareness_days",
                "Have you planned around the cause awareness days for fundraising?",
                guidance=(AWARENESS_DAYS,),
                planned="awareness",
            ),
            GuideItem(
                "in_kind",
                "What in-kind resources are available (staff, student placements, skills offers)?",
                guidance=(IN_KIND,),
                planned="funding",
            ),
        ),
    ),
    GuideSection(
        "trust",
        "Trust and sustainability",
        (
            GuideItem(
                "conflict",
                "Does your partnership's leadership understand its role in navigating conflict?",
                guidance=(CONFLICT, STAGES),
                planned="governance",
            ),
            GuideItem(
                "stage",
                "Have you considered different strategies for early versus mature partnerships?",
                guidance=(STAGES,),
            ),
            GuideItem(
                "trust",
                "How will your partnership foster trust?",
                guidance=(_principles("trust_transparency"), STAGES),
                planned="governance",
            ),
            GuideItem(
                "sustainability",
                "How will your partnership be sustainable over time?",
                guidance=(FUNDING_SOURCES, IN_KIND, FULL_TOOLKIT),
            ),
        ),
    ),
    GuideSection(
        "survivor_engagement",
        "Survivor engagement",
        (
            GuideItem(
                "engage_survivors",
                "How will your partnership engage with human trafficking survivors?",
                guidance=(SURVIVOR_SECTORS,),
            ),
            GuideItem(
                "survivor_role",
                "What is the role of survivors in your partnership?",
                guidance=(_principles("collaboration", "empowerment"),),
            ),
            GuideItem(
                "survivor_leaders",
                "How will you incorporate survivors as leaders in the movement?",
                guidance=(_principles("survivor_support", "collaboration"), MEETINGS),
            ),
            GuideItem(
                "advisory_board",
                "Have you considered forming a survivor leader advisory board?",
                guidance=(_principles("survivor_support", "empowerment"), FULL_TOOLKIT),
                planned="advisory",
            ),
            GuideItem(
                "compensation",
                "How will survivors be compensated?",
                guidance=(_principles("collaboration", "trust_transparency"), FULL_TOOLKIT),
                planned="advisory",
            ),
            GuideItem(
                "safety_communication",
                "How will safety and communication be prioritized for survivors?",
                guidance=(_principles("safety", "trust_transparency"), CONFIDENTIALITY),
                planned="advisory",
            ),
            GuideItem(
                "survivor_centered",
                "What other survivor-centered approaches should you consider?",
                guidance=(FOUR_RS, ALL_PRINCIPLES),
            ),
        ),
    ),
    GuideSection(
        "trauma_informed",
        "Trauma-informed practice and confidentiality",
        (
            GuideItem(
                "trauma_informed",
                "Have you developed a trauma-informed approach across the toolkit's key areas and six principles?",
                guidance=(TRAUMA_AREAS, FOUR_RS, ALL_PRINCIPLES),
                planned="advisory",
            ),
            GuideItem(
                "confidentiality",
                "What will be your partnership's framework for confidentiality?",
                guidance=(CONFIDENTIALITY, _principles("safety")),
                planned="advisory",
            ),
        ),
    ),
)

ITEMS: dict[str, GuideItem] = {item.key: item for section in SECTIONS for item in section.items}
