"""Goals reads: the overview (progress, overdue, stalled), a goal's page, the progress report, the
home page's attention list, the setup guide's facts, and the names the pages show.

What a person may read is decided in SQL by the confidentiality layer, so lists, counts and reports
stay one query each whatever their size. The rules (met, overdue, stalled) come from ``progress``:
its Python predicates for rows already loaded, its SQL clauses where the database filters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, exists, func, literal, null, select, union_all
from sqlalchemy.orm import aliased

from partnership_hub import confidentiality, picking
from partnership_hub.accounts.models import User
from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import visibility_clause
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.errors import NotFound
from partnership_hub.extensions import db
from partnership_hub.goals.charts import Chart, progress_chart
from partnership_hub.goals.models import (
    HORIZON_LABELS,
    P_LABELS,
    Goal,
    GoalEndorsement,
    GoalLeadOrganization,
    GoalStatus,
    Objective,
    ProgressUpdate,
)
from partnership_hub.goals.progress import (
    AsOf,
    goal_is_overdue,
    goal_is_stalled,
    goal_overdue_clause,
    goal_progress,
    goal_stalled_clause,
    is_met,
    last_activity,
    objective_is_overdue,
    objective_overdue_clause,
    objective_progress,
    objective_stalled_clause,
    percent,
    reaches_target,
)
from partnership_hub.members.models import Organization, Representative
from partnership_hub.workspaces.models import Membership, Role

ATTENTION_LIMIT = 8


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
class Overview:
    rows: list[GoalRow]
    groups: list[tuple[str, list[GoalRow]]]
    people: dict[int, str]
    organizations: dict[int, str]
    stalled_after_days: int

    def owner_choices(self, selected: int | None) -> dict[int, str]:
        """The people who own a goal shown (and the one filtered on): the filter never lists the
        whole membership to people who may not see it."""
        owners = {row.goal.owner_membership_id for row in self.rows} | {selected}
        return {mid: name for mid, name in self.people.items() if mid in owners}

    @property
    def attention_count(self) -> int:
        return sum(1 for row in self.rows if row.needs_attention)


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


def people_names(ctx: WorkspaceContext) -> dict[int, str]:
    """membership id -> name (one query). Survivor advisors are named only to the people who may
    know who they are; to others they appear as "A survivor advisor"."""
    rows = db.session.execute(
        scoped(select(Membership.id, User.name, Membership.role).join(User, User.id == Membership.user_id))
    ).all()
    hide = not ctx.can("members.view_survivor_advisors")
    me = ctx.membership.id if ctx.membership else None
    return {
        mid: ("A survivor advisor" if hide and role == Role.SURVIVOR_ADVISOR and mid != me else name)
        for mid, name, role in sorted(rows, key=lambda r: r[1].lower())
    }


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
    """Objectives of goals ``ctx``'s member may read, labelled "Goal › Objective", by either title, bounded."""
    label = Goal.title + literal(" › ") + Objective.title
    stmt = (
        select(Objective.id, label)
        .join(Goal, Goal.id == Objective.goal_id)
        .where(visibility_clause(Goal, ctx.membership, ctx.today()))
    )
    return picking.search(
        scoped(stmt),
        id_column=Objective.id,
        label_column=label,
        search_columns=(Goal.title, Objective.title),
        query=query,
        chosen=chosen or [],
        blank=blank,
    )


def name_of(people: dict[int, str], membership_id: int | None) -> str:
    """A person's name from ``people_names`` ("" for nobody, or someone who left)."""
    return people.get(membership_id, "") if membership_id is not None else ""


def active_organizations(ctx: WorkspaceContext) -> dict[int, str]:
    """The partnership's active organizations, id -> name, by name (one query)."""
    stmt = select(Organization.id, Organization.name).where(Organization.archived_at.is_(None))
    return dict(db.session.execute(scoped(stmt.order_by(func.lower(Organization.name)))).tuples().all())


def my_organization_ids(ctx: WorkspaceContext) -> list[int]:
    """The organizations the acting person represents (one query; none for system work)."""
    if ctx.membership is None:
        return []
    stmt = select(Representative.organization_id).where(Representative.membership_id == ctx.membership.id)
    return list(db.session.scalars(scoped(stmt)))


def lead_organization_ids(goal: Goal) -> list[int]:
    """The organizations leading ``goal`` (one query)."""
    stmt = select(GoalLeadOrganization.organization_id).where(GoalLeadOrganization.goal_id == goal.id)
    return list(db.session.scalars(scoped(stmt)))


def _organization_links(goal_ids) -> tuple[dict[int, list[str]], dict[int, list[tuple[int, str]]], dict[int, str]]:
    """Lead organizations and endorsements of the goals in ``goal_ids`` (a subquery), and the
    partnership's active organizations (id -> name, by name): one query for all three."""
    leads = (
        select(literal("lead").label("kind"), GoalLeadOrganization.goal_id, Organization.id, Organization.name)
        .join(Organization, Organization.id == GoalLeadOrganization.organization_id)
        .where(GoalLeadOrganization.goal_id.in_(goal_ids))
    )
    endorsements = (
        select(literal("endorsed").label("kind"), GoalEndorsement.goal_id, Organization.id, Organization.name)
        .join(Organization, Organization.id == GoalEndorsement.organization_id)
        .where(GoalEndorsement.goal_id.in_(goal_ids))
    )
    active = select(literal("active").label("kind"), null().label("goal_id"), Organization.id, Organization.name).where(
        Organization.archived_at.is_(None)
    )
    lead_names: dict[int, list[str]] = defaultdict(list)
    endorsed: dict[int, list[tuple[int, str]]] = defaultdict(list)
    organizations: list[tuple[int, str]] = []
    # A UNION can't go through scoped() (a Select helper); the session scopes every statement anyway.
    for kind, goal_id, org_id, name in db.session.execute(union_all(leads, endorsements, active)).all():
        if kind == "lead":
            lead_names[goal_id].append(name)
        elif kind == "endorsed":
            endorsed[goal_id].append((org_id, name))
        else:
            organizations.append((org_id, name))
    for names in lead_names.values():
        names.sort(key=str.lower)
    return lead_names, endorsed, dict(sorted(organizations, key=lambda o: o[1].lower()))


def _objectives_of(goal_ids) -> dict[int, list[Objective]]:
    stmt = select(Objective).where(Objective.goal_id.in_(goal_ids)).order_by(Objective.position, Objective.id)
    objectives: dict[int, list[Objective]] = defaultdict(list)
    for objective in db.session.scalars(scoped(stmt)):
        objectives[objective.goal_id].append(objective)
    return objectives


def _goal_row(goal: Goal, objectives: list[Objective], as_of: AsOf, people: dict[int, str]) -> GoalRow:
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
        owner_name=name_of(people, goal.owner_membership_id),
    )


def _group(rows: list[GoalRow], by: str) -> list[tuple[str, list[GoalRow]]]:
    if by == "p":
        groups = [(label, [r for r in rows if key in (r.goal.ps or [])]) for key, label in P_LABELS.items()]
        groups.append(("No P chosen", [r for r in rows if not r.goal.ps]))
    else:
        groups = [(label, [r for r in rows if r.goal.horizon == key]) for key, label in HORIZON_LABELS.items()]
    return [(label, members) for label, members in groups if members]


def goals_overview(ctx: WorkspaceContext, filters: GoalFilters, today: date | None = None) -> Overview:
    """Every goal the viewer may read that matches ``filters``, with progress and flags, grouped.
    Four queries whatever the number of goals, objectives and updates."""
    as_of = AsOf.of(ctx, today)
    goals = list(
        db.session.scalars(scoped(_filtered(select(Goal), ctx, filters).order_by(func.lower(Goal.title), Goal.id)))
    )
    goal_ids = _filtered(select(Goal.id), ctx, filters)
    objectives = _objectives_of(goal_ids)
    lead_names, endorsed, organizations = _organization_links(goal_ids)
    people = people_names(ctx)
    rows = []
    for goal in goals:
        row = _goal_row(goal, objectives.get(goal.id, []), as_of, people)
        row.lead_organizations = lead_names.get(goal.id, [])
        row.endorsed_by = sorted((name for _id, name in endorsed.get(goal.id, [])), key=str.lower)
        rows.append(row)
    return Overview(rows, _group(rows, filters.group), people, organizations, as_of.stalled_after_days)


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
    """Everything a goal's page shows (five queries)."""
    ids = select(literal(goal.id))
    objectives = _objectives_of(ids).get(goal.id, [])
    updates: dict[int, list[ProgressUpdate]] = defaultdict(list)
    stmt = (
        select(ProgressUpdate)
        .join(Objective, Objective.id == ProgressUpdate.objective_id)
        .where(Objective.goal_id == goal.id)
        .order_by(ProgressUpdate.recorded_on, ProgressUpdate.id)
    )
    for update in db.session.scalars(scoped(stmt)):
        updates[update.objective_id].append(update)
    lead_names, endorsed, organizations = _organization_links(ids)
    people = people_names(ctx)
    mine = my_organization_ids(ctx)
    done = {org_id for org_id, _ in endorsed.get(goal.id, [])}
    access = sorted(confidentiality.granted_membership_ids(goal))
    row = _goal_row(goal, objectives, AsOf.of(ctx, today), people)
    row.lead_organizations = lead_names.get(goal.id, [])
    row.endorsed_by = sorted((name for _, name in endorsed.get(goal.id, [])), key=str.lower)
    start = goal.start_date
    charts = {
        o.id: progress_chart(o, updates.get(o.id, []), min(start or o.created_at.date(), o.created_at.date()))
        for o in objectives
    }
    return GoalDetail(
        row=row,
        updates=dict(updates),
        charts=charts,
        endorsed=endorsed.get(goal.id, []),
        organization_count=len(organizations),
        my_organizations={oid: organizations[oid] for oid in mine if oid in organizations and oid not in done},
        people=people,
        access=access,
    )


# --- the progress report ------------------------------------------------------------------------


@dataclass
class Movement:
    goal: Goal
    objective: Objective
    before: float
    after: float
    updates: list[ProgressUpdate]

    @property
    def reached_target(self) -> bool:
        baseline, target = self.objective.baseline, self.objective.target
        return not reaches_target(baseline, target, self.before) and reaches_target(baseline, target, self.after)


@dataclass
class Report:
    start: date
    end: date
    moved: list[Movement]
    stalled: list[GoalRow]
    achieved: list[tuple[Goal, datetime]]

    @property
    def objectives_met(self) -> list[Movement]:
        return [m for m in self.moved if m.reached_target]


def _day_bounds(ctx: WorkspaceContext, start: date, end: date) -> tuple[datetime, datetime]:
    first = datetime.combine(start, time.min, ctx.zone).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), time.min, ctx.zone).astimezone(UTC)
    return first, after


def progress_report(ctx: WorkspaceContext, start: date, end: date) -> Report:
    """What moved between ``start`` and ``end`` (both included), what stood still, what was achieved.
    Four queries whatever the data size."""
    # Each update with the value before it (LAG over the objective's history up to the end), so
    # the first update in range also says where the objective stood when the range began.
    history = (
        select(
            ProgressUpdate,
            func.lag(ProgressUpdate.value)
            .over(partition_by=ProgressUpdate.objective_id, order_by=(ProgressUpdate.recorded_on, ProgressUpdate.id))
            .label("previous"),
        )
        .where(ProgressUpdate.recorded_on <= end)
        .subquery()
    )
    update = aliased(ProgressUpdate, history)
    rows = db.session.execute(
        scoped(
            where_visible(
                select(update, history.c.previous, Objective, Goal)
                .join(Objective, Objective.id == update.objective_id)
                .join(Goal, Goal.id == Objective.goal_id)
                .where(update.recorded_on >= start),
                ctx,
            ).order_by(func.lower(Goal.title), Goal.id, Objective.position, Objective.id, update.recorded_on, update.id)
        )
    ).all()
    moved: dict[int, Movement] = {}
    for progress, previous, objective, goal in rows:
        movement = moved.get(objective.id)
        if movement is None:
            start_value = objective.baseline if previous is None else previous
            movement = moved[objective.id] = Movement(goal, objective, start_value, start_value, [])
        movement.updates.append(progress)
        movement.after = progress.value
    # Stalled as of the report's last day.
    as_of = AsOf.of(ctx, end)
    active = where_visible(select(Goal).where(Goal.status == GoalStatus.ACTIVE), ctx)
    goals = list(db.session.scalars(scoped(active.order_by(func.lower(Goal.title), Goal.id))))
    objectives = _objectives_of(where_visible(select(Goal.id).where(Goal.status == GoalStatus.ACTIVE), ctx))
    stalled = [
        _goal_row(goal, objectives.get(goal.id, []), as_of, {})
        for goal in goals
        if goal_is_stalled(goal, objectives.get(goal.id, []), as_of)
    ]
    first, after = _day_bounds(ctx, start, end)
    achieved_stmt = where_visible(
        select(Goal, AuditEntry.created_at)
        .join(AuditEntry, and_(AuditEntry.target_type == "goal", AuditEntry.target_id == Goal.id))
        .where(
            AuditEntry.action == "goal.achieved",
            AuditEntry.created_at >= first,
            AuditEntry.created_at < after,
            Goal.status == GoalStatus.ACHIEVED,
        ),
        ctx,
    ).order_by(AuditEntry.created_at)
    achieved = [(goal, at) for goal, at in db.session.execute(scoped(achieved_stmt)).all()]
    return Report(start, end, list(moved.values()), stalled, achieved)


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


def attention_for(ctx: WorkspaceContext, today: date | None = None) -> list[AttentionItem]:
    """Goals that need the viewer: goals and objectives they own that are overdue or stalled, and
    proposed goals an organization they represent hasn't endorsed. ONE query (none for system work)."""
    if ctx.membership is None:
        return []
    me = ctx.membership.id
    as_of = AsOf.of(ctx, today)
    visible = visibility_clause(Goal, ctx.membership, as_of.today)
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
    stmt = select(union).order_by(union.c.kind, union.c.title).limit(ATTENTION_LIMIT)
    return [
        AttentionItem(kind, goal_id, title, objective_title, _as_date(on))
        for kind, goal_id, title, objective_title, on in db.session.execute(scoped(stmt)).all()
    ]


def _as_date(value: Any) -> date | None:
    # A UNION's column loses its type on SQLite, so its dates come back as text there.
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))


def home_attention_panel(ctx: WorkspaceContext, values: dict[str, Any]) -> dict[str, Any] | None:
    """Home panel (your work): goals and objectives that need this person (one query)."""
    attention = attention_for(ctx)
    return {"attention": attention} if attention else None


# --- the activity feed and the setup guide ------------------------------------------------------


def visible_objective_ids(membership: Membership) -> Select:
    """The ids of objectives under goals ``membership`` may read (the activity feed's filter)."""
    return select(Objective.id).join(Objective.goal).where(visibility_clause(Goal, membership))


def setup_fact_queries(ctx: WorkspaceContext) -> dict[str, Any]:
    """What the setup guide needs to know about goals, as scalar subqueries (evaluated with the
    other areas' facts in one query)."""
    live = Goal.status.not_in([GoalStatus.DROPPED])
    return {
        "goals": select(func.count(Goal.id)).where(live).scalar_subquery(),
        "goals_with_objectives": select(func.count(func.distinct(Objective.goal_id))).scalar_subquery(),
        "endorsed_goals": select(func.count(func.distinct(GoalEndorsement.goal_id))).scalar_subquery(),
        "progress_updates": select(func.count(ProgressUpdate.id)).scalar_subquery(),
    }
