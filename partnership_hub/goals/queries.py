"""Goals reads: the overview (progress, overdue, stalled), a goal's page, the progress report, the
home page's attention list, the setup guide's facts, the pickers, and the names the pages show.

Pages load what they show and no more: one page of goals, names for just the people on it (never
the whole membership), pickers that hold the chosen records plus a page of matches.

What a person may read is decided in SQL by the confidentiality layer, so lists, counts and reports
stay one query each whatever their size. The rules (met, overdue, stalled) come from ``progress``:
its Python predicates for rows already loaded, its SQL clauses where the database filters.
"""

from __future__ import annotations

import typing
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    Text,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    union_all,
)

from partnership_hub import confidentiality, picking
from partnership_hub.accounts.models import User
from partnership_hub.areas import WORK_COUNT_CAP, WorkItem, WorkList, WorkQuery, WorkRow, work_columns
from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import (
    VIEWER_TODAY,
    ConfidentialGrant,
    Shape,
    SqlDate,
    permission_shape,
    shared_viewer,
    viewer_parameter,
    viewer_params,
    visibility_clause,
)
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import UTCDateTime, scoped
from partnership_hub.errors import NotFound
from partnership_hub.extensions import db
from partnership_hub.goals.charts import Chart, progress_chart
from partnership_hub.goals.models import (
    HORIZON_LABELS,
    P_LABELS,
    STATUS_LABELS,
    Goal,
    GoalEndorsement,
    GoalLeadOrganization,
    GoalStatus,
    Objective,
    ProgressUpdate,
)
from partnership_hub.goals.progress import (
    CLOSED,
    AsOf,
    goal_is_overdue,
    goal_is_stalled,
    goal_overdue_clause,
    goal_progress,
    goal_stalled_clause,
    is_met,
    last_activity,
    met_clause,
    objective_is_overdue,
    objective_overdue_clause,
    objective_progress,
    objective_stalled_clause,
    percent,
    reaches_target,
)
from partnership_hub.members import services as members
from partnership_hub.members.models import Organization, Representative
from partnership_hub.pagination import Page, paginate
from partnership_hub.workspaces import services as workspaces
from partnership_hub.workspaces.models import Membership, Role

ATTENTION_LIMIT = 8
# The overview's "N goals need attention" counts at most this many (then says "N+"): judging every
# goal of a large partnership for the heading would cost in proportion to the partnership.
ATTENTION_COUNT_CAP = 100
OVERVIEW_PAGE_SIZE = 25
# The overview's total and per-group counts stop this many rows past the page ("1,000+"): an exact
# count of every goal of a large partnership, per group, would cost in proportion to it.
OVERVIEW_COUNT_CAP = 100


# --- shapes the pages read ----------------------------------------------------------------------


@dataclass
class ObjectiveRow:
    objective: Objective
    progress: float
    met: bool
    overdue: bool
    owner_name: str = ""

    @property
    def percent(self) -> int:
        return percent(self.progress) or 0


@dataclass
class GoalRow:
    goal: Goal
    objectives: list[ObjectiveRow]
    overdue: bool
    stalled: bool
    last_activity: date
    lead_organizations: list[str] = field(default_factory=list)
    endorsed_by: list[str] = field(default_factory=list)
    owner_name: str = ""

    @property
    def progress(self) -> float | None:
        return goal_progress([row.progress for row in self.objectives])

    @property
    def percent(self) -> int | None:
        return percent(self.progress)

    @property
    def overdue_objectives(self) -> int:
        return sum(1 for row in self.objectives if row.overdue)

    @property
    def needs_attention(self) -> bool:
        return self.overdue or self.stalled or self.overdue_objectives > 0


@dataclass(frozen=True)
class GoalFilters:
    status: str = ""
    owner: int | None = None
    organization: int | None = None
    group: str = "horizon"  # or "p"

    @property
    def active(self) -> bool:
        return bool(self.status or self.owner or self.organization)

    def query_args(self) -> dict[str, Any]:
        args = {"status": self.status, "owner": self.owner, "organization": self.organization}
        if self.group != "horizon":
            args["group"] = self.group
        return {key: value for key, value in args.items() if value}


@dataclass
class OverviewGroup:
    label: str
    total: int  # goals in the group, on every page (at least, when not ``exact``)
    rows: list[GoalRow]  # the group's goals on this page
    exact: bool = True

    @property
    def total_label(self) -> str:
        return f"{self.total:,}" if self.exact else f"{self.total:,}+"


@dataclass
class Overview:
    """One page of the overview: its goals grouped, and what the heading says about all of them."""

    page: Page[GoalRow]  # in the P grouping a goal serving two Ps is two entries
    groups: list[OverviewGroup]
    total: int  # goals matching the filters, each once (at least, when not ``total_exact``)
    attention_count: int  # ... that need attention (overdue, stalled, or with objectives past due), capped
    organization_count: int  # the partnership's active organizations
    stalled_after_days: int
    total_exact: bool = True

    @property
    def total_label(self) -> str:
        return f"{self.total:,}" if self.total_exact else f"{self.total:,}+"

    @property
    def rows(self) -> list[GoalRow]:
        return self.page.items

    @property
    def attention_more(self) -> bool:
        """More goals need attention than the heading counts ("100+")."""
        return self.attention_count > ATTENTION_COUNT_CAP

    @property
    def attention_shown(self) -> int:
        return min(self.attention_count, ATTENTION_COUNT_CAP)


# --- loading ------------------------------------------------------------------------------------


def where_visible(stmt: Select, ctx: WorkspaceContext) -> Select:
    """``stmt`` limited to the goals the viewer may read (the confidentiality layer's clause)."""
    return stmt.where(confidentiality.visible(ctx, Goal))


def _filtered(stmt: Select, ctx: WorkspaceContext, filters: GoalFilters) -> Select:
    stmt = where_visible(stmt, ctx)
    if filters.status:
        stmt = stmt.where(Goal.status == GoalStatus(filters.status))
    if filters.owner:
        stmt = stmt.where(Goal.owner_membership_id == filters.owner)
    if filters.organization:
        stmt = stmt.where(
            exists().where(
                GoalLeadOrganization.goal_id == Goal.id, GoalLeadOrganization.organization_id == filters.organization
            )
        )
    return stmt


def get_visible_goal(ctx: WorkspaceContext, goal_id: int) -> Goal:
    """The goal, if it exists in this partnership and the viewer may read it; else ``NotFound``."""
    goal = db.session.scalars(scoped(where_visible(select(Goal).where(Goal.id == goal_id), ctx))).one_or_none()
    if goal is None:
        raise NotFound(f"goal {goal_id}")
    return goal


def get_visible_objective(ctx: WorkspaceContext, objective_id: int) -> Objective:
    """The objective with its goal (one query), if the viewer may read the goal; else ``NotFound``."""
    stmt = where_visible(select(Objective, Goal).join(Objective.goal).where(Objective.id == objective_id), ctx)
    row = db.session.execute(scoped(stmt)).one_or_none()
    if row is None:
        raise NotFound(f"objective {objective_id}")
    return row[0]


ADVISOR_LABEL = "A survivor advisor"


class Names:
    """Who may be named how, decided once for the viewer: survivor advisors are named only to the
    people who may know who they are; to others they appear as "A survivor advisor"."""

    def __init__(self, ctx: WorkspaceContext) -> None:
        self.hide_advisors = not ctx.can("members.view_survivor_advisors")
        self.me = ctx.membership.id if ctx.membership else None

    def label(self) -> Any:
        """The name to show, as SQL over ``Membership`` joined to ``User`` (the masking rule)."""
        if not self.hide_advisors:
            return User.name
        masked = and_(Membership.role == Role.SURVIVOR_ADVISOR, Membership.id != (self.me or 0))
        return case((masked, literal(ADVISOR_LABEL)), else_=User.name)

    def select(self, membership_ids: Iterable[int | None], also: Select | None = None) -> Select | None:
        """(id, name) of just these memberships (and those ``also`` selects), or None for none."""
        ids = sorted({mid for mid in membership_ids if mid is not None})
        if not ids and also is None:
            return None
        wanted = Membership.id.in_(ids) if also is None else or_(Membership.id.in_(ids), Membership.id.in_(also))
        return select(Membership.id, self.label()).join(User, User.id == Membership.user_id).where(wanted)

    def of(self, membership_ids: Iterable[int | None]) -> dict[int, str]:
        """membership id -> name for just these ids (one query with IN; none for no ids)."""
        stmt = self.select(membership_ids)
        return {} if stmt is None else dict(db.session.execute(scoped(stmt)).tuples().all())


def _owners(ctx: WorkspaceContext) -> Select:
    """(id, name) of people who own a goal the viewer may read; survivor advisors only for people
    who may know them (a search by name must not reveal one). Pickers walk the members by name
    (``OWNER_ORDER``, an index) testing each for a goal by one index probe, so they stop after a
    page of owners instead of reading the whole membership."""
    visible = visibility_clause(Goal, ctx.membership, ctx.today())
    owns = (
        select(Goal.id)
        .where(Goal.owner_membership_id == Membership.id, visible)
        .limit(1)
        .correlate(Membership)
        .scalar_subquery()
    )
    stmt = select(Membership.id, User.name).join(User, User.id == Membership.user_id).where(owns.is_not(None))
    if not ctx.can("members.view_survivor_advisors"):
        me = ctx.membership.id if ctx.membership else None
        stmt = stmt.where((Membership.role != Role.SURVIVOR_ADVISOR) | (Membership.id == me))
    return stmt


def pick_owners(
    ctx: WorkspaceContext, query: str = "", chosen: list[int] | None = None, *, blank: str | None = None
) -> picking.Pick:
    """People who own a goal the viewer may read, to filter the overview by: by name, bounded."""
    return picking.search(
        scoped(_owners(ctx)),
        id_column=Membership.id,
        label_column=User.name,
        search_columns=(User.name,),
        query=query,
        chosen=chosen or [],
        blank=blank,
        sort_columns=workspaces.MEMBER_ORDER,
    )


def filter_picks(
    ctx: WorkspaceContext, owner_query: str, owner: int | None, organization_query: str, organization: int | None
) -> tuple[picking.Pick, picking.Pick]:
    """The overview's owner and organization filters (the one filtered on, then the first matches),
    as ``pick_owners`` and the members' ``pick_organizations`` give them: one query for both."""
    picks = picking.pick_together(
        {
            "owner": picking.PickSpec(
                _owners(ctx),
                Membership.id,
                User.name,
                owner_query,
                picking.chosen_ids([owner]),
                "Anyone",
                sort_columns=workspaces.MEMBER_ORDER,
            ),
            "organization": members.organizations_spec(
                picking.chosen_ids([organization]), "Any organization", organization_query
            ),
        }
    )
    return picks["owner"], picks["organization"]


def organization_spec(chosen: list[int], blank: str | None = None) -> picking.PickSpec:
    """An organization picker, to fill with ``pick_together``."""
    return members.organizations_spec(chosen, blank)


def people_spec(ctx: WorkspaceContext, chosen: list[int], blank: str | None = None) -> picking.PickSpec:
    """A people picker, to fill with ``pick_together`` (the workspace's, in its indexed name order)."""
    return workspaces.people_spec(ctx, chosen, blank)


def pick_goals(
    ctx: WorkspaceContext, query: str = "", chosen: list[int] | None = None, *, blank: str | None = None
) -> picking.Pick:
    """Goals ``ctx``'s member may read, to pick (an action item's goal): by title, bounded."""
    stmt = select(Goal.id, Goal.title).where(visibility_clause(Goal, ctx.membership, ctx.today()))
    return picking.search(
        scoped(stmt),
        id_column=Goal.id,
        label_column=Goal.title,
        search_columns=(Goal.title,),
        query=query,
        chosen=chosen or [],
        blank=blank,
    )


def pick_objectives(
    ctx: WorkspaceContext, query: str = "", chosen: list[int] | None = None, *, blank: str | None = None
) -> picking.Pick:
    """Objectives of goals ``ctx``'s member may read, labelled "Goal › Objective", by either title, bounded.

    Labels start with the goal's title, so the first matches by label are objectives of the first
    goals by title that have a matching objective: the matches are sought among those goals' objectives
    (and the chosen ones), so the database sorts goals, never every objective of the partnership."""
    label = Goal.title + literal(" › ") + Objective.title
    visible = visibility_clause(Goal, ctx.membership, ctx.today())
    # The first goals in title order that have a matching objective: a LIMIT walk of the goals'
    # (partnership_id, lower(title), id) index, with one index probe per goal for an objective, until
    # enough goals have one. It reads ``goals`` itself (its own, not the outer statement's: correlate(None)),
    # never a subquery of every visible goal — behind an OFFSET 0 fence the database planned that one
    # without the LIMIT and sorted every goal of the partnership first.
    matching = select(Objective.id).where(Objective.goal_id == Goal.id)
    if text := picking.clean_query(query):
        matching = matching.where(picking.contains((Goal.title, Objective.title), text))
    first_goals = (
        select(Goal.id)
        .where(visible, matching.limit(1).scalar_subquery().is_not(None))  # not EXISTS: that may become a join
        .order_by(func.lower(Goal.title), Goal.id)
        .limit(picking.PICK_LIMIT + len(chosen or []) + 1)
        .correlate(None)
    )
    candidates: ColumnElement[bool] = Objective.goal_id.in_(first_goals)
    if chosen:
        candidates = or_(candidates, Objective.id.in_(chosen))
    stmt = select(Objective.id, label).join(Goal, Goal.id == Objective.goal_id).where(visible, candidates)
    return picking.search(
        scoped(stmt),
        id_column=Objective.id,
        label_column=label,
        search_columns=(Goal.title, Objective.title),
        query=query,
        chosen=chosen or [],
        blank=blank,
    )


def name_of(people: Mapping[int, str], membership_id: int | None) -> str:
    """A person's name from a ``Names`` lookup ("" for nobody, or someone who left)."""
    return people.get(membership_id, "") if membership_id is not None else ""


def active_organization_ids(ctx: WorkspaceContext, organization_ids: Iterable[int]) -> set[int]:
    """Which of ``organization_ids`` are active organizations of this partnership (one query with
    IN; none for no ids)."""
    ids = sorted(set(organization_ids))
    if not ids:
        return set()
    stmt = select(Organization.id).where(Organization.id.in_(ids), Organization.archived_at.is_(None))
    return set(db.session.scalars(scoped(stmt)))


def my_organizations(ctx: WorkspaceContext) -> dict[int, str]:
    """The active organizations the acting person represents, id -> name, by name (one query; none
    for system work). Bounded by one person's representations, not by the directory."""
    if ctx.membership is None:
        return {}
    stmt = (
        select(Organization.id, Organization.name)
        .join(Representative, Representative.organization_id == Organization.id)
        .where(Representative.membership_id == ctx.membership.id, Organization.archived_at.is_(None))
        .order_by(func.lower(Organization.name), Organization.id)
    )
    return dict(db.session.execute(scoped(stmt)).tuples().all())


def lead_organization_ids(goal: Goal) -> list[int]:
    """The organizations leading ``goal`` (one query)."""
    stmt = select(GoalLeadOrganization.organization_id).where(GoalLeadOrganization.goal_id == goal.id)
    return list(db.session.scalars(scoped(stmt)))


@dataclass
class Links:
    leads: dict[int, list[str]]  # goal id -> names of its lead organizations
    endorsed: dict[int, list[tuple[int, str]]]  # goal id -> (organization id, name) of its endorsers
    people: dict[int, str]  # membership id -> name, for the people asked for
    organization_count: int | None = None  # the partnership's active organizations, when asked for
    access: list[int] = field(default_factory=list)  # the people named on the goal, when asked for
    mine: dict[int, str] = field(default_factory=dict)  # the viewer's active organizations, when asked for


def _links(
    goal_ids: Iterable[int],
    people: Select | None = None,
    *,
    count: bool = False,
    access_of: Goal | None = None,
    mine_of: int | None = None,
) -> Links:
    """In ONE query, bounded by the ids: lead organizations and endorsements of the goals in
    ``goal_ids``; the names ``people`` selects (``Names.select``); with ``count`` how many active
    organizations the partnership has; the people named on ``access_of``; the active organizations
    the membership ``mine_of`` represents."""
    ids = sorted(set(goal_ids))
    parts: list[Select] = [
        select(literal("lead").label("kind"), GoalLeadOrganization.goal_id, Organization.id, Organization.name)
        .join(Organization, Organization.id == GoalLeadOrganization.organization_id)
        .where(GoalLeadOrganization.goal_id.in_(ids)),
        select(literal("endorsed").label("kind"), GoalEndorsement.goal_id, Organization.id, Organization.name)
        .join(Organization, Organization.id == GoalEndorsement.organization_id)
        .where(GoalEndorsement.goal_id.in_(ids)),
    ]
    if people is not None:
        parts.append(people.with_only_columns(literal("person"), null(), *people.selected_columns))
    if count:
        # One row whose id column carries the count.
        parts.append(
            select(literal("count"), null(), func.count(Organization.id), null()).where(
                Organization.archived_at.is_(None)
            )
        )
    if access_of is not None:
        parts.append(
            select(literal("access"), null(), ConfidentialGrant.membership_id, null()).where(
                ConfidentialGrant.record_kind == access_of.confidential_kind,
                ConfidentialGrant.record_id == access_of.id,
            )
        )
    if mine_of is not None:
        parts.append(
            select(literal("mine"), null(), Organization.id, Organization.name)
            .join(Representative, Representative.organization_id == Organization.id)
            .where(Representative.membership_id == mine_of, Organization.archived_at.is_(None))
        )
    links = Links(defaultdict(list), defaultdict(list), {})
    mine: list[tuple[int, str]] = []
    # A UNION can't go through scoped() (a Select helper); the session scopes every statement anyway.
    for kind, goal_id, row_id, name in db.session.execute(union_all(*parts)).all():
        if kind == "lead":
            links.leads[goal_id].append(name)
        elif kind == "endorsed":
            links.endorsed[goal_id].append((row_id, name))
        elif kind == "person":
            links.people[row_id] = name
        elif kind == "access":
            links.access.append(row_id)
        elif kind == "mine":
            mine.append((row_id, name))
        else:
            links.organization_count = row_id
    links.access.sort()
    links.mine = dict(sorted(mine, key=lambda org: (org[1].lower(), org[0])))
    return links


def _objectives_of(goal_ids: Iterable[int] | Select) -> dict[int, list[Objective]]:
    ids = goal_ids if isinstance(goal_ids, Select) else sorted(set(goal_ids))
    stmt = select(Objective).where(Objective.goal_id.in_(ids)).order_by(Objective.position, Objective.id)
    objectives: dict[int, list[Objective]] = defaultdict(list)
    for objective in db.session.scalars(scoped(stmt)):
        objectives[objective.goal_id].append(objective)
    return objectives


def goal_row(
    goal: Goal,
    objectives: list[Objective],
    as_of: AsOf,
    people: Mapping[int, str],
    leads: Iterable[str] = (),
    endorsed_by: Iterable[str] = (),
) -> GoalRow:
    """One goal as the pages and the export show it: its objectives' progress (in their order,
    ``position, id``: the mean sums in that order) and flags, the goal's, the names ``people`` holds
    (others are ""), and the organizations leading and endorsing it by name. ``goal`` and
    ``objectives`` may be models or plain rows whose columns are named as the attributes (the export
    reads rows: a rule wanting a column they lack fails loudly)."""
    return GoalRow(
        goal=goal,
        objectives=[
            ObjectiveRow(
                o,
                objective_progress(o.baseline, o.target, o.current_value),
                is_met(o),
                objective_is_overdue(goal, o, as_of.today),
                name_of(people, o.owner_membership_id),
            )
            for o in objectives
        ],
        overdue=goal_is_overdue(goal, as_of.today),
        stalled=goal_is_stalled(goal, objectives, as_of),
        last_activity=last_activity(goal, objectives, as_of),
        lead_organizations=sorted(leads, key=str.lower),
        endorsed_by=sorted(endorsed_by, key=str.lower),
        owner_name=name_of(people, goal.owner_membership_id),
    )


def goal_rows(ctx: WorkspaceContext, goals: list[Goal], as_of: AsOf, names: Names | None = None) -> list[GoalRow]:
    """Rows for ``goals`` with their objectives, organizations and names: two queries for the
    lot, bounded by ``goals`` (a page)."""
    ids = [goal.id for goal in goals]
    objectives = _objectives_of(ids)
    owners = [goal.owner_membership_id for goal in goals]
    owners += [o.owner_membership_id for goal_objectives in objectives.values() for o in goal_objectives]
    links = _links(ids, (names or Names(ctx)).select(owners))
    return [
        goal_row(
            goal,
            objectives.get(goal.id, []),
            as_of,
            links.people,
            links.leads.get(goal.id, []),
            (name for _id, name in links.endorsed.get(goal.id, [])),
        )
        for goal in goals
    ]


def _serves(key: str) -> Any:
    """The goal serves the P ``key``: its ``ps`` (a JSON list of toolkit keys) holds ``"key"``.
    Read as text, so it is the same SQL on SQLite and PostgreSQL."""
    return cast(Goal.ps, Text).like(f'%"{key}"%')


def _capped_count(stmt: Select) -> Any:
    """How many rows ``stmt`` has, stopping one past ``OVERVIEW_COUNT_CAP`` (an uncorrelated scalar
    subquery: the database works it out once per statement)."""
    limited = stmt.limit(OVERVIEW_COUNT_CAP + 1).correlate(None).subquery()
    return select(func.count()).select_from(limited).scalar_subquery()


def _grouped(ctx: WorkspaceContext, filters: GoalFilters) -> tuple[Callable[[int], Select], list[str]]:
    """The overview's rows as (goal, group index, then each group's capped count), in page order,
    and the groups' labels — as a function of how many rows from the top the page needs (for
    ``paginate``). Each group is counted by its own LIMITed subselect, so the counts read at most
    ``OVERVIEW_COUNT_CAP`` + 1 goals per group, not every goal of the partnership.

    By horizon, each horizon's goals are read by title only as far as the page needs (a LIMIT walk of
    ``(partnership_id, lower(title), id)`` per horizon), then merged: no sort of every goal. By P, a
    goal is in the group of each P it serves (or in "No P chosen")."""
    if filters.group == "p":
        labels = [*P_LABELS.values(), "No P chosen"]
        parts = [
            _filtered(select(literal(i).label("grp"), Goal.id.label("goal_id")), ctx, filters).where(_serves(key))
            for i, key in enumerate(P_LABELS)
        ]
        none = ~or_(*(_serves(key) for key in P_LABELS))
        parts.append(_filtered(select(literal(len(P_LABELS)).label("grp"), Goal.id), ctx, filters).where(none))
        counts = [_capped_count(part.with_only_columns(Goal.id)) for part in parts]
        grouped = union_all(*parts).subquery()
        by_p = select(Goal, grouped.c.grp, *counts).join(grouped, grouped.c.goal_id == Goal.id)
        by_p = by_p.order_by(grouped.c.grp, func.lower(Goal.title), Goal.id)
        return (lambda _rows: by_p), labels
    labels = list(HORIZON_LABELS.values())
    horizons = list(HORIZON_LABELS)
    counts = [_capped_count(_filtered(select(Goal.id), ctx, filters).where(Goal.horizon == h)) for h in horizons]

    def by_horizon(rows: int) -> Select:
        sort_title = func.lower(Goal.title)
        tops = [
            select(
                _filtered(
                    select(literal(i).label("grp"), Goal.id.label("goal_id"), sort_title.label("sort_title")),
                    ctx,
                    filters,
                )
                .where(Goal.horizon == h)
                .order_by(sort_title, Goal.id)
                .limit(rows)
                .subquery()  # each part wrapped: SQLite takes no ORDER BY / LIMIT inside a UNION
            )
            for i, h in enumerate(horizons)
        ]
        top = union_all(*tops).subquery()
        stmt = select(Goal, top.c.grp, *counts).join(top, top.c.goal_id == Goal.id)
        return stmt.order_by(top.c.grp, top.c.sort_title, top.c.goal_id)

    return by_horizon, labels


def goals_overview(
    ctx: WorkspaceContext,
    filters: GoalFilters,
    today: date | None = None,
    page: int = 1,
    page_size: int = OVERVIEW_PAGE_SIZE,
) -> Overview:
    """One page of the goals the viewer may read that match ``filters``, grouped (by horizon or by
    P), with progress and flags, and the counts over all of them. Three queries whatever the number
    of goals, objectives and updates (the page with its counts; objectives; organizations and names)."""
    as_of = AsOf.of(ctx, today)
    needs_attention = or_(
        goal_overdue_clause(as_of.today),
        goal_stalled_clause(as_of),
        exists().where(Objective.goal_id == Goal.id, objective_overdue_clause(as_of.today)),
    )
    # The counts over the matching goals ride along on each row of the page (uncorrelated, so the
    # database works them out once), each stopping early: the total and each group's count one past
    # OVERVIEW_COUNT_CAP, "need attention" (which judges each goal's objectives) one past
    # ATTENTION_COUNT_CAP. The page's own count is capped the same way.
    total = _capped_count(_filtered(select(Goal.id), ctx, filters))
    attending = _filtered(select(Goal.id).where(needs_attention), ctx, filters).limit(ATTENTION_COUNT_CAP + 1)
    attention = select(func.count()).select_from(attending.correlate(None).subquery()).scalar_subquery()
    organizations = select(func.count(Organization.id)).where(Organization.archived_at.is_(None)).scalar_subquery()
    grouped, labels = _grouped(ctx, filters)
    entries = paginate(
        lambda rows: scoped(grouped(rows).add_columns(total, attention, organizations)),
        page,
        page_size,
        cap=OVERVIEW_COUNT_CAP,
    )
    goals = list({entry[0].id: entry[0] for entry in entries.items}.values())
    rows = {row.goal.id: row for row in goal_rows(ctx, goals, as_of)}
    groups: list[OverviewGroup] = []
    for goal, grp, *counts in entries.items:
        if not groups or groups[-1].label != labels[grp]:
            in_group = counts[grp]
            groups.append(OverviewGroup(labels[grp], in_group, [], exact=in_group <= OVERVIEW_COUNT_CAP))
        groups[-1].rows.append(rows[goal.id])
    for group in groups:
        group.total = min(group.total, OVERVIEW_COUNT_CAP)
    matching, attention_count, organization_count = entries.items[0][-3:] if entries.items else (0, 0, 0)
    return Overview(
        page=Page(
            [rows[entry[0].id] for entry in entries.items], entries.total, entries.page, page_size, entries.exact
        ),
        groups=groups,
        total=min(matching, OVERVIEW_COUNT_CAP),
        attention_count=attention_count,
        organization_count=organization_count,
        stalled_after_days=as_of.stalled_after_days,
        total_exact=matching <= OVERVIEW_COUNT_CAP,
    )


# --- one goal's page ----------------------------------------------------------------------------


@dataclass
class GoalDetail:
    row: GoalRow
    updates: dict[int, list[ProgressUpdate]]
    charts: dict[int, Chart]
    endorsed: list[tuple[int, str]]
    organization_count: int
    my_organizations: dict[int, str]  # the viewer's organizations that have not endorsed yet
    people: dict[int, str]
    access: list[int]


def goal_detail(ctx: WorkspaceContext, goal: Goal, today: date | None = None) -> GoalDetail:
    """Everything a goal's page shows (three queries, bounded by the goal: its objectives, their
    updates, and one for its organizations, the people it names and names, and the viewer's
    organizations)."""
    objectives = _objectives_of([goal.id]).get(goal.id, [])
    updates: dict[int, list[ProgressUpdate]] = defaultdict(list)
    stmt = (
        select(ProgressUpdate)
        .join(Objective, Objective.id == ProgressUpdate.objective_id)
        .where(Objective.goal_id == goal.id)
        .order_by(ProgressUpdate.recorded_on, ProgressUpdate.id)
    )
    for update in db.session.scalars(scoped(stmt)):
        updates[update.objective_id].append(update)
    shown = [goal.owner_membership_id, *(o.owner_membership_id for o in objectives)]
    shown += [u.author_membership_id for history in updates.values() for u in history]
    named = select(ConfidentialGrant.membership_id).where(
        ConfidentialGrant.record_kind == goal.confidential_kind, ConfidentialGrant.record_id == goal.id
    )
    me = ctx.membership.id if ctx.membership else None
    links = _links([goal.id], Names(ctx).select(shown, also=named), count=True, access_of=goal, mine_of=me)
    people, access = links.people, links.access
    endorsed = links.endorsed.get(goal.id, [])
    done = {org_id for org_id, _ in endorsed}
    leads = links.leads.get(goal.id, [])
    row = goal_row(goal, objectives, AsOf.of(ctx, today), people, leads, (name for _, name in endorsed))
    start = goal.start_date
    charts = {
        o.id: progress_chart(o, updates.get(o.id, []), min(start or o.created_at.date(), o.created_at.date()))
        for o in objectives
    }
    return GoalDetail(
        row=row,
        updates=dict(updates),
        charts=charts,
        endorsed=endorsed,
        organization_count=links.organization_count or 0,
        my_organizations={oid: name for oid, name in links.mine.items() if oid not in done},
        people=people,
        access=access,
    )


# --- the progress report ------------------------------------------------------------------------

REPORT_PAGE_SIZE = 25  # goals that moved, per page of the report (each with its objectives that moved)
REPORT_LIST_LIMIT = 25  # goals listed as achieved or stalled; the rest are counted
# The report's counts stop this many rows past what the page shows ("of 100+", "and 75+ more"):
# each counted goal costs index probes (its updates in the range, its last post), so a count over
# every goal of a large partnership would cost in proportion to it.
REPORT_COUNT_CAP = 100


@dataclass
class Movement:
    """One objective over the range: where it stood before, where it ended, how many updates."""

    goal: Goal
    objective: Objective
    before: float
    after: float
    updates: int  # updates posted in the range
    first_on: date  # the first and last of them
    last_on: date

    @property
    def reached_target(self) -> bool:
        baseline, target = self.objective.baseline, self.objective.target
        return not reaches_target(baseline, target, self.before) and reaches_target(baseline, target, self.after)


@dataclass
class Report:
    """One page of the report: the goals that moved on it, and (on the first page) the goals
    achieved in the range and stalled at its end, the first ``REPORT_LIST_LIMIT`` of each with counts."""

    start: date
    end: date
    goals: Page[Goal]  # goals with an update in the range, a page of them
    moved: list[Movement]  # their objectives that moved, in the page's order
    stalled: list[GoalRow]
    stalled_total: int
    achieved: list[tuple[Goal, datetime]]
    achieved_total: int
    stalled_exact: bool = True  # False: the count stopped, there are at least ``stalled_total``
    achieved_exact: bool = True

    @property
    def stalled_more(self) -> str:
        """How many more stalled goals than listed, as shown ("75", or "75+" when the count stopped)."""
        return _more(self.stalled_total - len(self.stalled), self.stalled_exact)

    @property
    def achieved_more(self) -> str:
        return _more(self.achieved_total - len(self.achieved), self.achieved_exact)

    @property
    def objectives_met(self) -> list[Movement]:
        return [m for m in self.moved if m.reached_target]


def _more(count: int, exact: bool) -> str:
    return f"{count:,}" if exact else f"{count:,}+"


def _day_bounds(ctx: WorkspaceContext, start: date, end: date) -> tuple[datetime, datetime]:
    first = datetime.combine(start, time.min, ctx.zone).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), time.min, ctx.zone).astimezone(UTC)
    return first, after


def _movements(goals: list[Goal], start: date, end: date) -> list[Movement]:
    """Each objective of ``goals`` with an update in the range: the value before it (the last update
    before ``start``, else the baseline), the last value in it, and the count and first and last day
    of its updates in it. One statement; one row per objective, never a row per update. It reads the
    range's updates of the page's objectives (an index range per objective) and, per objective, the
    two last values by index probes, not every update of the partnership."""
    if not goals:
        return []
    goal_ids = [goal.id for goal in goals]
    in_range = and_(ProgressUpdate.recorded_on >= start, ProgressUpdate.recorded_on <= end)
    moved = (
        select(
            ProgressUpdate.objective_id.label("objective_id"),
            func.count().label("updates"),
            func.min(ProgressUpdate.recorded_on).label("first_on"),
            func.max(ProgressUpdate.recorded_on).label("last_on"),
        )
        .join(Objective, Objective.id == ProgressUpdate.objective_id)
        .where(Objective.goal_id.in_(goal_ids), in_range)
        .group_by(ProgressUpdate.objective_id)
        .subquery("moved")
    )

    def last_value(*when: Any) -> Any:
        # The latest update matching ``when`` (ties on the day: the later post), by the index probe.
        return (
            select(ProgressUpdate.value)
            .where(ProgressUpdate.objective_id == Objective.id, *when)
            .order_by(ProgressUpdate.recorded_on.desc(), ProgressUpdate.id.desc())
            .limit(1)
            .correlate(Objective)
            .scalar_subquery()
        )

    stmt = (
        select(
            Objective,
            last_value(in_range),
            moved.c.updates,
            moved.c.first_on,
            moved.c.last_on,
            last_value(ProgressUpdate.recorded_on < start),
        )
        .join(moved, moved.c.objective_id == Objective.id)
        .where(Objective.goal_id.in_(goal_ids))  # so the objectives are read by the page's goals, not all of them
        .order_by(Objective.position, Objective.id)
    )
    by_goal: dict[int, list[Movement]] = defaultdict(list)
    goal_of = {goal.id: goal for goal in goals}
    for objective, after, updates, first_on, last_on, before in db.session.execute(scoped(stmt)).all():
        goal, before = goal_of[objective.goal_id], objective.baseline if before is None else before
        first, last_day = _as_date(first_on) or start, _as_date(last_on) or end  # never None: the inner join
        by_goal[goal.id].append(Movement(goal, objective, before, after, updates, first, last_day))
    return [movement for goal in goals for movement in by_goal[goal.id]]


def _moved_in_range(start: date, end: date) -> ColumnElement[bool]:
    """The ``Goal`` row in the query has an update in the range: its objectives in turn, each an index
    range probe on (objective_id, recorded_on), stopping at the first. A LIMIT 1 subquery rather than
    EXISTS, which PostgreSQL may turn into a join reading every update of the range."""
    first = (
        select(ProgressUpdate.id)
        .join(Objective, Objective.id == ProgressUpdate.objective_id)
        .where(Objective.goal_id == Goal.id, ProgressUpdate.recorded_on >= start, ProgressUpdate.recorded_on <= end)
        .limit(1)
        .correlate(Goal)
        .scalar_subquery()
    )
    return first.is_not(None)


def _report_list(stmt: Select, order: tuple[Any, ...], page: int, page_size: int) -> Page[Any]:
    """A page of one of the report's lists with a capped count: the page is a LIMIT walk down the
    index that serves ``order`` and the count stops ``REPORT_COUNT_CAP`` rows past it, so a list reads
    a bounded number of rows however many goals match."""
    # The count walks the same index in the same order (an unordered count may be planned as a scan
    # of every goal of the partnership, filtered).
    ordered = scoped(stmt.order_by(*order))
    return paginate(ordered, page, page_size, cap=REPORT_COUNT_CAP, count_from=ordered)


def progress_report(ctx: WorkspaceContext, start: date, end: date, page: int = 1) -> Report:
    """What moved between ``start`` and ``end`` (both included), a page of goals at a time, and on
    the first page what was achieved and what stood still. At most five queries, and rows bounded
    by the page, whatever the partnership's size or the range's length: each list walks an index in
    its order and its count stops ``REPORT_COUNT_CAP`` rows past the page ("of 100+")."""
    by_title = (func.lower(Goal.title), Goal.id)  # the index on (partnership_id, lower(title), id)
    goals_stmt = where_visible(select(Goal).where(_moved_in_range(start, end)), ctx)
    goals: Page[Goal] = _report_list(goals_stmt, by_title, page, REPORT_PAGE_SIZE)
    moved = _movements(goals.items, start, end)
    report = Report(start, end, goals, moved, [], 0, [], 0)
    if goals.page > 1:
        return report  # achieved and stalled are on the first page only, so a printed run has them once
    # Stalled as of the report's last day, longest stalled first: one range of the index on
    # (partnership_id, status, last_activity_at, id) walked in its order, so the list and its capped
    # count read about as many goals as they show, however many goals are active.
    as_of = AsOf.of(ctx, end)
    stalled_stmt = where_visible(select(Goal).where(goal_stalled_clause(as_of)), ctx)
    stalled = _report_list(stalled_stmt, (Goal.last_activity_at, Goal.id), 1, REPORT_LIST_LIMIT)
    objectives = _objectives_of(goal.id for goal in stalled.items)
    report.stalled = [goal_row(goal, objectives.get(goal.id, []), as_of, {}) for goal in stalled.items]
    report.stalled_total, report.stalled_exact = stalled.total, stalled.exact
    first, after = _day_bounds(ctx, start, end)
    # Driven from the log: its goal entries of the range in time order (the index on (partnership_id,
    # target_type, created_at, id)), each goal tested by a primary-key probe (a LIMIT 1 subquery: as a
    # plain join the planner prefers to hash every goal and read the whole log).
    still_achieved = (
        where_visible(select(Goal.id).where(Goal.id == AuditEntry.target_id, Goal.status == GoalStatus.ACHIEVED), ctx)
        .limit(1)
        .correlate(AuditEntry)
        .scalar_subquery()
    )
    achieved_stmt = (
        select(Goal, AuditEntry.created_at)
        .join(Goal, Goal.id == AuditEntry.target_id)
        .where(
            AuditEntry.target_type == "goal",
            AuditEntry.action == "goal.achieved",
            AuditEntry.created_at >= first,
            AuditEntry.created_at < after,
            still_achieved.is_not(None),
        )
    )
    achieved = _report_list(achieved_stmt, (AuditEntry.created_at, AuditEntry.id), 1, REPORT_LIST_LIMIT)
    report.achieved = [(goal, at) for goal, at in achieved.items]
    report.achieved_total, report.achieved_exact = achieved.total, achieved.exact
    return report


# --- the home page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttentionItem:
    kind: str  # goal_overdue, goal_stalled, objective_overdue, objective_stalled, endorse
    goal_id: int
    goal_title: str
    objective_title: str | None
    on: date | None

    @property
    def text(self) -> str:
        return {
            "goal_overdue": "Goal past its target date",
            "goal_stalled": "No progress posted lately",
            "objective_overdue": "Objective past due",
            "objective_stalled": "No progress posted lately",
            "endorse": "Proposed: your organization hasn't endorsed it yet",
        }[self.kind]


STALLED_CUTOFF = viewer_parameter("goals_stalled_cutoff", UTCDateTime(), lambda ctx: AsOf.of(ctx).cutoff)
STALLED_CUTOFF_DAY = viewer_parameter("goals_stalled_cutoff_day", Date(), lambda ctx: AsOf.of(ctx).cutoff_day)


@dataclass(frozen=True)
class _SharedAsOf:
    """The ``AsOf`` the attention rules read, as bound parameters (``attention_for``'s kept statement)."""

    today: Any = VIEWER_TODAY
    cutoff: Any = STALLED_CUTOFF.bind
    cutoff_day: Any = STALLED_CUTOFF_DAY.bind


def attention_for(ctx: WorkspaceContext, today: date | None = None) -> list[AttentionItem]:
    """Goals that need the viewer: goals and objectives they own that are overdue or stalled, and
    proposed goals an organization they represent hasn't endorsed. ONE query (none for system work),
    kept per permission shape: the person, the day and the stalled cut-off are parameters."""
    if ctx.membership is None:
        return []
    params = viewer_params(ctx)
    if today is not None:
        as_of = AsOf.of(ctx, today)
        params |= {
            VIEWER_TODAY.key: today,
            STALLED_CUTOFF.bind.key: as_of.cutoff,
            STALLED_CUTOFF_DAY.bind.key: as_of.cutoff_day,
        }
    rows = db.session.execute(scoped(_attention_statement(permission_shape(ctx.membership))), params)
    return [
        AttentionItem(kind, goal_id, title, objective_title, _as_date(on))
        for kind, goal_id, title, objective_title, on in rows.all()
    ]


@lru_cache(maxsize=32)
def _attention_statement(shape: Shape) -> Select[Any]:
    """``attention_for``'s statement for a person of ``shape``."""
    viewer = shared_viewer(shape)
    assert viewer is not None
    me = viewer.id
    as_of = _shared_as_of()
    visible = visibility_clause(Goal, viewer, as_of.today)
    goal_cols = (Goal.id, Goal.title, null().label("objective_title"))
    goal_overdue = select(literal("goal_overdue").label("kind"), *goal_cols, Goal.target_date.label("on")).where(
        visible, Goal.owner_membership_id == me, goal_overdue_clause(as_of.today)
    )
    goal_stalled = select(literal("goal_stalled").label("kind"), *goal_cols, null().label("on")).where(
        visible, Goal.owner_membership_id == me, goal_stalled_clause(as_of)
    )
    objective_cols = (Goal.id, Goal.title, Objective.title.label("objective_title"))
    objective_overdue = (
        select(literal("objective_overdue").label("kind"), *objective_cols, Objective.due_date.label("on"))
        .join(Goal, Goal.id == Objective.goal_id)
        .where(visible, Objective.owner_membership_id == me, objective_overdue_clause(as_of.today))
    )
    objective_stalled = (
        select(literal("objective_stalled").label("kind"), *objective_cols, null().label("on"))
        .join(Goal, Goal.id == Objective.goal_id)
        .where(visible, Objective.owner_membership_id == me, objective_stalled_clause(as_of))
    )
    my_open_orgs = (
        select(Representative.organization_id)
        .join(Organization, Organization.id == Representative.organization_id)
        .where(
            Representative.membership_id == me,
            Organization.archived_at.is_(None),
            ~exists().where(
                GoalEndorsement.goal_id == Goal.id, GoalEndorsement.organization_id == Representative.organization_id
            ),
        )
    )
    endorse = select(literal("endorse").label("kind"), *goal_cols, null().label("on")).where(
        visible, Goal.status == GoalStatus.PROPOSED, exists(my_open_orgs)
    )
    union = union_all(goal_overdue, goal_stalled, objective_overdue, objective_stalled, endorse).subquery()
    return select(union).order_by(union.c.kind, union.c.title).limit(ATTENTION_LIMIT)


def _shared_as_of() -> AsOf:
    """``_SharedAsOf`` typed as the ``AsOf`` the rules take (they read only its day and cut-offs)."""
    return typing.cast(AsOf, _SharedAsOf())


def _as_date(value: Any) -> date | None:
    # A UNION's column loses its type on SQLite, so its dates come back as text there.
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))


def home_attention_panel(ctx: WorkspaceContext, values: dict[str, Any]) -> dict[str, Any] | None:
    """Home panel (your work): goals and objectives that need this person (one query)."""
    attention = attention_for(ctx)
    return {"attention": attention} if attention else None


# --- the activity feed and the setup guide ------------------------------------------------------


def visible_objective_ids(membership: Membership, today: SqlDate) -> Select:
    """The ids of objectives under goals ``membership`` may read on ``today`` (the activity feed's filter)."""
    return select(Objective.id).join(Objective.goal).where(visibility_clause(Goal, membership, today))


def setup_fact_queries(ctx: WorkspaceContext) -> dict[str, Any]:
    """What the setup guide needs to know about goals, as scalar subqueries (evaluated with the
    other areas' facts in one query), each reading a bounded number of rows. Only goals the viewer
    may read count (the confidentiality layer's clause): a fact must not reveal what a title hides."""
    live = Goal.status.not_in([GoalStatus.DROPPED])
    visible = where_visible(select(Goal.id), ctx)

    def has_any(column: Any, of: Any = Goal.id) -> Any:
        # A LIMIT 1 subquery per goal (one index probe each), which PostgreSQL keeps as such; an
        # EXISTS would become a join reading every objective of the partnership.
        return select(column).where(column == of).limit(1).scalar_subquery().is_not(None)

    # Counts stop at ``workspaces.FACT_CAP`` (the guide asks "any?"), walked from the goals the
    # viewer may read, so about that many goals are looked at.
    return {
        "goals": workspaces.capped_count(visible.where(live)),
        "goals_with_objectives": workspaces.capped_count(visible.where(has_any(Objective.goal_id))),
        # endorsements are few next to goals: read from their side, each probing its goal
        "endorsed_goals": workspaces.capped_count(
            where_visible(
                select(GoalEndorsement.goal_id).join(Goal, Goal.id == GoalEndorsement.goal_id), ctx
            ).distinct()
        ),
        # objectives with progress posted (the guide asks "any?"), under goals the viewer may read:
        # each objective probes its updates by (objective_id, recorded_on)
        "progress_updates": workspaces.capped_count(
            where_visible(select(Objective.id).join(Goal, Goal.id == Objective.goal_id), ctx).where(
                has_any(ProgressUpdate.objective_id, Objective.id)
            )
        ),
    }


# --- the goal's action items --------------------------------------------------------------------

GOAL_ACTIONS_SHOWN = 8  # action items listed on a goal's page; the rest are in the action plan
GOAL_ACTIONS_COUNT_CAP = 100  # "all 100+ in the action plan": the count stops reading there


@dataclass
class GoalAction:
    entry: Any  # actions.services.ActionEntry
    assignee: str  # the assignee as the viewer may know them ("" for nobody)


@dataclass
class GoalActions:
    """The first of a goal's action items (unfinished first, soonest due first) and how many it has,
    counted up to ``GOAL_ACTIONS_COUNT_CAP`` (then ``total_label`` says "100+")."""

    entries: list[GoalAction]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.entries)

    @property
    def total_label(self) -> str:
        return f"{GOAL_ACTIONS_COUNT_CAP:,}+" if self.total > GOAL_ACTIONS_COUNT_CAP else f"{self.total:,}"


def goal_action_items(ctx: WorkspaceContext, goal: Goal, today: date, limit: int = GOAL_ACTIONS_SHOWN) -> GoalActions:
    """The action items toward ``goal`` that ``ctx``'s member may see, with their objective and
    assignee, the first ``limit`` of them, and the capped count of all of them (one query, reading
    a bounded number of rows whatever the goal's size but the sort of its items)."""
    # The action plan's rules (visibility, overdue, the entry shape) live in its services; imported
    # here, not at the top, as the action plan's services import this module's pickers.
    from partnership_hub.actions import services as actions

    item = actions.ActionItem
    mine = and_(item.goal_id == goal.id, actions.visible_items_clause(ctx.membership))
    total = (
        select(func.count())
        .select_from(select(item.id).where(mine).limit(GOAL_ACTIONS_COUNT_CAP + 1).correlate(None).subquery())
        .scalar_subquery()
    )
    stmt = (
        select(item, Objective, actions.AssigneeMembership, actions.AssigneeUser, total.label("total"))
        .outerjoin(Objective, Objective.id == item.objective_id)
        .outerjoin(actions.AssigneeMembership, actions.AssigneeMembership.id == item.assignee_membership_id)
        .outerjoin(actions.AssigneeUser, actions.AssigneeUser.id == actions.AssigneeMembership.user_id)
        .where(mine)
        .order_by(item.status.not_in(actions.UNFINISHED), item.due_date.asc().nulls_last(), item.id)
        .limit(limit)
    )
    rows = db.session.execute(scoped(stmt)).all()
    entries = []
    for row in rows:
        entry = actions.ActionEntry(row[0], goal, row[1], row[2], row[3], actions.is_overdue(row[0], today))
        entries.append(GoalAction(entry, actions.assignee_name(ctx.membership, entry)))
    return GoalActions(entries, rows[0].total if rows else 0)


# --- the home's "Your work" ---------------------------------------------------------------------


@lru_cache(maxsize=32)
def _your_work_goals(shape: Shape, limit: int) -> Select[Any]:
    """``your_work_goals``' SELECT for a person of ``shape`` (their id and day are parameters)."""
    viewer = shared_viewer(shape)
    assert viewer is not None
    me = viewer.id
    visible = visibility_clause(Goal, viewer, VIEWER_TODAY)
    live = Goal.status.not_in(CLOSED)
    owned_goals = and_(Goal.owner_membership_id == me, live, visible)
    owned_objectives = and_(Objective.owner_membership_id == me, live, visible, not_(met_clause()))

    def goals_part(rows: int, *columns: Any) -> Select:
        undated = Goal.target_date.is_(None)
        return select(*columns).where(owned_goals).order_by(undated, Goal.target_date, Goal.id).limit(rows)

    def objectives_part(rows: int, *columns: Any) -> Select:
        undated = Objective.due_date.is_(None)
        return (
            select(*columns)
            .join(Goal, Goal.id == Objective.goal_id)
            .where(owned_objectives)
            .order_by(undated, Objective.due_date, Objective.id)
            .limit(rows)
        )

    goal_rows = goals_part(
        limit,
        literal("goal").label("kind"),
        Goal.id.label("id"),
        Goal.title.label("title"),
        Goal.title.label("goal_title"),
        Goal.target_date.label("due"),
        cast(Goal.status, Text).label("status"),
    ).subquery()
    objective_rows = objectives_part(
        limit,
        literal("objective").label("kind"),
        Objective.id.label("id"),
        Objective.title.label("title"),
        Goal.title.label("goal_title"),
        Objective.due_date.label("due"),
        cast(Goal.status, Text).label("status"),
    ).subquery()
    top = union_all(select(goal_rows), select(objective_rows)).subquery()

    def capped(part: Select) -> Any:
        return select(func.count()).select_from(part.subquery()).scalar_subquery()

    found = capped(goals_part(WORK_COUNT_CAP + 1, Goal.id)) + capped(objectives_part(WORK_COUNT_CAP + 1, Objective.id))
    # An objective's label is its goal's title; a goal's is its status.
    label = case((top.c.kind == "goal", top.c.status), else_=top.c.goal_title)
    columns = work_columns(
        record_id=top.c.id, title=top.c.title, due=top.c.due, label=label, tag=top.c.kind, found=found
    )
    return select(*columns).order_by(top.c.due.is_(None), top.c.due, top.c.kind, top.c.title, top.c.id).limit(limit)


def your_work_goals(ctx: WorkspaceContext, limit: int) -> WorkQuery | None:
    """The home's "Goals you own": the goals ``ctx``'s member owns (neither achieved nor dropped) and
    the objectives they own (not met, under such a goal), that they may read; the soonest due first
    (so overdue first, undated last), at most ``limit``, and how many more (up to
    ``WORK_COUNT_CAP``). A SELECT (the home runs it with the other kinds in one statement): goals
    and objectives each ordered and LIMITed on their own (the owner indexes), merged; the capped count
    stops the same way. The SELECT is kept per permission shape (``WorkQuery``)."""
    if ctx.membership is None:
        return None
    me = ctx.membership.id
    today = ctx.today()
    stmt = _your_work_goals(permission_shape(ctx.membership), limit)

    def build(rows: Sequence[WorkRow]) -> WorkList:
        items = []
        for row in sorted(rows, key=lambda row: (row.due is None, row.due or date.max, row.tag, row.title, row.id)):
            overdue = row.due is not None and row.due < today
            if row.tag == "goal":
                note = "" if row.label == GoalStatus.ACTIVE.value else STATUS_LABELS[GoalStatus(row.label)]
                items.append(
                    WorkItem(row.title, "goals.detail", {"goal_id": row.id}, due=row.due, overdue=overdue, note=note)
                )
            else:
                items.append(
                    WorkItem(
                        row.title,
                        "goals.objective",
                        {"objective_id": row.id},
                        kind="Objective",
                        due=row.due,
                        overdue=overdue,
                        note=f"Goal: {row.label}",
                    )
                )
        total = rows[0].found if rows else 0
        return WorkList.counted(items, total, more_endpoint="goals.index", more_args={"owner": me})

    return WorkQuery(stmt, build)
