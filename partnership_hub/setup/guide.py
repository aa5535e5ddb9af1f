"""The toolkit setup guide: every question the Partnership Toolkit asks a partnership, by section.

Each item names where in the product the partnership answers it (``endpoint``) and, where the
data can show it, a ``check`` on the facts the areas report (see ``services.collect_facts``).
Items without a check are marked as addressed by a coordinator. As later areas land (goals,
meetings, governance, funding, the advisory board), give their items a check and an endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Facts = dict[str, int | bool]


@dataclass(frozen=True)
class GuideItem:
    key: str
    question: str
    endpoint: str | None = None  # where it is answered; None: nowhere in the product yet
    check: Callable[[Facts], bool] | None = None
    done_text: str = ""  # what the data shows once the check passes


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
                "workspace.profile",
                lambda f: bool(f["definition"]),
                "Definition written",
            ),
            GuideItem(
                "functions",
                "What would you like your partnership to do?",
                "workspace.profile",
                lambda f: bool(f["functions"]),
                "Functions chosen",
            ),
            GuideItem(
                "linked_networks",
                "Are there existing partnerships or networks in your area that you should link "
                "with (e.g. multidisciplinary teams, sexual assault response teams)?",
                "members.networks",
                lambda f: f["linked_networks"] > 0,
                "Linked networks recorded",
            ),
            GuideItem(
                "membership",
                "Have you considered inviting the organizations the toolkit recommends?",
                "members.coverage",
                lambda f: f["sectors_covered"] >= 5,
                "Five or more recommended sectors covered",
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
                "workspace.planning",
                lambda f: f["planning_team"] > 0,
                "Planning team named",
            ),
            GuideItem(
                "vision",
                "Have you written the partnership's vision?",
                "workspace.profile",
                lambda f: bool(f["vision"]),
                "Vision written",
            ),
            GuideItem(
                "mission",
                "Have you written the partnership's mission?",
                "workspace.profile",
                lambda f: bool(f["mission"]),
                "Mission written",
            ),
            GuideItem(
                "goals",
                "Have you defined goals and objectives?",
                "goals.index",
                lambda f: f["goals_with_objectives"] > 0,
                "Goals with measurable objectives defined",
            ),
            GuideItem(
                "current_services",
                "Are you familiar with the current services for survivors in your state, region or community?",
                "resources.index",
                lambda f: f["community_resources"] > 0,
                "Services recorded in the resource map",
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
                "goals.index",
                lambda f: f["endorsed_goals"] > 0,
                "Goals endorsed by member organizations",
            ),
            GuideItem(
                "action_plan",
                "Do you have an action plan or mandate?",
                "actions.index",
                lambda f: f["action_items"] > 0,
                "Action items in the action plan",
            ),
            GuideItem(
                "monitoring",
                "How will you monitor and evaluate the work of the partnership?",
                "goals.report",
                lambda f: f["progress_updates"] > 0,
                "Progress is being posted on objectives",
            ),
            GuideItem(
                "resource_mapping",
                "Have you considered conducting community resource mapping?",
                "resources.index",
                lambda f: f["community_resources"] >= 5,
                "Five or more services mapped",
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
                "workspace.people",
                lambda f: f["members"] >= 3,
                "Three or more people in the workspace",
            ),
            GuideItem(
                "orientation",
                "Have you established new member orientation?",
                "workspace.planning",
                lambda f: f["orientation_items"] > 0,
                "Orientation checklist defined",
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
                "workspace.profile",
                lambda f: bool(f["coordination_model"]),
                "Coordination model set",
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
                "workspace.profile",
                lambda f: bool(f["stage"]),
                "Partnership stage set",
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
                "members.coverage",
                lambda f: f["survivor_advisors"] > 0 or bool(f["survivor_sector_covered"]),
                "Survivors or survivor-led organizations take part",
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
