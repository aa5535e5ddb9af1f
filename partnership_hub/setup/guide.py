"""The toolkit setup guide: every question the Partnership Toolkit asks a partnership, by section.

The questions are the toolkit's. Where in the product a question is answered (``endpoint``) and,
where the data can show it, a ``check`` on the facts the areas report come from the areas
themselves (``Area.setup_checks``, keyed by the question's key). Items without a check are marked
as addressed by a coordinator. When an area lands, it declares checks for its questions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from partnership_hub import areas

Facts = dict[str, int | bool]


@dataclass(frozen=True)
class GuideItem:
    key: str
    question: str

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
            ),
            GuideItem(
                "functions",
                "What would you like your partnership to do?",
            ),
            GuideItem(
                "linked_networks",
                "Are there existing partnerships or networks in your area that you should link "
                "with (e.g. multidisciplinary teams, sexual assault response teams)?",
            ),
            GuideItem(
                "membership",
                "Have you considered inviting the organizations the toolkit recommends?",
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
            ),
            GuideItem(
                "vision",
                "Have you written the partnership's vision?",
            ),
            GuideItem(
                "mission",
                "Have you written the partnership's mission?",
            ),
            GuideItem(
                "goals",
                "Have you defined goals and objectives?",
            ),
            GuideItem(
                "current_services",
                "Are you familiar with the current services for survivors in your state, region or community?",
            ),
            GuideItem("local_leaders", "Have you begun relationship-building and gained the support of local leaders?"),
        ),
    ),
    GuideSection(
        "goals_strategy",
        "Goals and strategy",
        (
            GuideItem(
                "shared_goals",
                "Does your partnership foster shared goals?",
            ),
            GuideItem(
                "action_plan",
                "Do you have an action plan or mandate?",
            ),
            GuideItem(
                "monitoring",
                "How will you monitor and evaluate the work of the partnership?",
            ),
            GuideItem(
                "resource_mapping",
                "Have you considered conducting community resource mapping?",
            ),
        ),
    ),
    GuideSection(
        "operations",
        "Partnership operations",
        (
            GuideItem("meetings", "How will you conduct successful partnership meetings?"),
            GuideItem(
                "team_members",
                "Have you identified the right team members to attend meetings?",
            ),
            GuideItem(
                "orientation",
                "Have you established new member orientation?",
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
            ),
            GuideItem(
                "coordination",
                "Who will coordinate the work? Will a sole member coordinate, or can the role be shared?",
            ),
            GuideItem("information_sharing", "Are information-sharing agreements in place between members?"),
        ),
    ),
    GuideSection(
        "funding",
        "Funding your partnership",
        (
            GuideItem(
                "funding_sources",
                "Have you thought about the funding sources available to the partnership "
                "(government, private and corporate grants, program revenue)?",
            ),
            GuideItem("awareness_days", "Have you planned around the cause awareness days for fundraising?"),
            GuideItem("in_kind", "What in-kind resources are available (staff, student placements, skills offers)?"),
        ),
    ),
    GuideSection(
        "trust",
        "Trust and sustainability",
        (
            GuideItem("conflict", "Does your partnership's leadership understand its role in navigating conflict?"),
            GuideItem(
                "stage",
                "Have you considered different strategies for early versus mature partnerships?",
            ),
            GuideItem("trust", "How will your partnership foster trust?"),
            GuideItem("sustainability", "How will your partnership be sustainable over time?"),
        ),
    ),
    GuideSection(
        "survivor_engagement",
        "Survivor engagement",
        (
            GuideItem(
                "engage_survivors",
                "How will your partnership engage with human trafficking survivors?",
            ),
            GuideItem("survivor_role", "What is the role of survivors in your partnership?"),
            GuideItem("survivor_leaders", "How will you incorporate survivors as leaders in the movement?"),
            GuideItem("advisory_board", "Have you considered forming a survivor leader advisory board?"),
            GuideItem("compensation", "How will survivors be compensated?"),
            GuideItem("safety_communication", "How will safety and communication be prioritized for survivors?"),
            GuideItem("survivor_centered", "What other survivor-centered approaches should you consider?"),
        ),
    ),
    GuideSection(
        "trauma_informed",
        "Trauma-informed practice and confidentiality",
        (
            GuideItem(
                "trauma_informed",
                "Have you developed a trauma-informed approach across the toolkit's key areas and six principles?",
            ),
            GuideItem("confidentiality", "What will be your partnership's framework for confidentiality?"),
        ),
    ),
)

ITEMS: dict[str, GuideItem] = {item.key: item for section in SECTIONS for item in section.items}
