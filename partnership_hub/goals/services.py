"""Goals rules: creating and editing goals and their measurable objectives, endorsements, posting
progress, and the reads built on them — the overview (progress, overdue, stalled), a goal's page
with its history chart, the progress report, the CSV exports, the attention list on the home page.

What a person may read is decided in SQL by the confidentiality layer's ``visibility_clause`` so lists, counts
and exports stay one query each. Dates that matter ("today", "now") are parameters, so the rules
can be tested on any day. Every write records an audit entry in the same transaction.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, func, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased

from partnership_hub import confidentiality, toolkit
from partnership_hub.accounts.models import User
from partnership_hub.audit import services as audit
from partnership_hub.audit.models import AuditEntry
from partnership_hub.confidentiality import visibility_clause
from partnership_hub.db import scoped, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import spreadsheet_cell
from partnership_hub.goals.models import (
    Confidentiality,
    Goal,
    GoalEndorsement,
    GoalLeadOrganization,
    GoalStatus,
    Horizon,
    Objective,
    ProgressUpdate,
)
from partnership_hub.members.models import Organization, Representative
from partnership_hub.policies import can
from partnership_hub.workspaces.models import Membership, Role

P_LABELS: dict[str, str] = {choice.key: choice.label for choice in toolkit.PS}
HORIZON_LABELS: dict[Horizon, str] = {
    Horizon.SHORT: "Short term",
    Horizon.MEDIUM: "Medium term",
    Horizon.LONG: "Long term",
}
STATUS_LABELS: dict[GoalStatus, str] = {
    GoalStatus.PROPOSED: "Proposed",
    GoalStatus.ACTIVE: "Active",
    GoalStatus.ON_HOLD: "On hold",
    GoalStatus.ACHIEVED: "Achieved",
    GoalStatus.DROPPED: "Dropped",
}
CONFIDENTIALITY_LABELS: dict[Confidentiality, str] = {
    Confidentiality.WORKSPACE: "Everyone in the workspace",
    Confidentiality.LEADERSHIP: "Coordinators only",
    Confidentiality.ADVISORY: "Survivor advisory board, coordinators and people named below",
    Confidentiality.PRIVATE: "Only the author and people named below",
}
CLOSED = (GoalStatus.ACHIEVED, GoalStatus.DROPPED)
STALLED_DAYS_MIN, STALLED_DAYS_MAX = 1, 365
TITLE_MAX = Goal.__table__.c.title.type.length
DESCRIPTION_MAX = 4000
NOTE_MAX = 2000
METRIC_MAX = Objective.__table__.c.metric.type.length
UNIT_MAX = Objective.__table__.c.unit.type.length
ATTENTION_LIMIT = 8


def partnership_today(ctx, now: datetime | None = None) -> date:
    """Today's date where the partnership is (its time zone)."""
    return (now or utcnow()).astimezone(ZoneInfo(ctx.partnership.time_zone or "UTC")).date()


# --- progress: pure functions -------------------------------------------------------------------


def objective_progress(baseline: float, target: float, current: float) -> float:
    """How far ``current`` has come from ``baseline`` towards ``target``, 0–100 (decreasing
    targets work too: going from 40 to 10 is progress)."""
    span = target - baseline
    if span == 0:
        return 100.0 if current == target else 0.0
    return max(0.0, min(100.0, (current - baseline) / span * 100.0))


def goal_progress(progresses: list[float]) -> float | None:
    """The mean of a goal's objectives' progress; None for a goal with no objectives."""
    return sum(progresses) / len(progresses) if progresses else None


def is_met(objective: Objective) -> bool:
    return objective_progress(objective.baseline, objective.target, objective.current_value) >= 100.0


def goal_is_overdue(goal: Goal, today: date) -> bool:
    return bool(goal.target_date and goal.target_date < today and goal.status not in CLOSED)


def objective_is_overdue(goal: Goal, objective: Objective, today: date) -> bool:
    return bool(
        objective.due_date and objective.due_date < today and goal.status not in CLOSED and not is_met(objective)
    )


def last_activity(goal: Goal, objectives: list[Objective]) -> date:
    """The day progress was last posted on the goal (its start, or creation, before any update)."""
    posted = [o.last_update_at.date() for o in objectives if o.last_update_at]
    if posted:
        return max(posted)
    return goal.start_date or goal.created_at.date()


def goal_is_stalled(goal: Goal, objectives: list[Objective], today: date, stalled_after_days: int) -> bool:
    """An active goal with no progress update for ``stalled_after_days`` days."""
    return goal.status == GoalStatus.ACTIVE and (today - last_activity(goal, objectives)).days >= stalled_after_days


def percent(value: float | None) -> int | None:
    return None if value is None else int(math.floor(value + 0.5))


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


def _visible(stmt, ctx):
    return stmt.where(visibility_clause(Goal, ctx.membership, partnership_today(ctx)))


def _filtered(stmt, ctx, filters: GoalFilters):
    stmt = _visible(stmt, ctx)
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


def get_visible_goal(ctx, goal_id: int) -> Goal:
    """The goal, if it exists in this partnership and the viewer may read it; else ``NotFound``."""
    goal = db.session.scalars(scoped(_visible(select(Goal).where(Goal.id == goal_id), ctx))).one_or_none()
    if goal is None:
        raise NotFound(f"goal {goal_id}")
    return goal


def get_visible_objective(ctx, objective_id: int) -> Objective:
    """The objective with its goal (one query), if the viewer may read the goal; else ``NotFound``."""
    stmt = _visible(select(Objective, Goal).join(Objective.goal).where(Objective.id == objective_id), ctx)
    row = db.session.execute(scoped(stmt)).one_or_none()
    if row is None:
        raise NotFound(f"objective {objective_id}")
    return row[0]


def people_names(ctx) -> dict[int, str]:
    """membership id -> name (one query). Survivor advisors are named only to the people who may
    know who they are; to others they appear as "A survivor advisor"."""
    rows = db.session.execute(
        scoped(select(Membership.id, User.name, Membership.role).join(User, User.id == Membership.user_id))
    ).all()
    hide = not can(ctx.membership, "members.view_survivor_advisors")
    return {
        mid: ("A survivor advisor" if hide and role == Role.SURVIVOR_ADVISOR and mid != ctx.membership.id else name)
        for mid, name, role in sorted(rows, key=lambda r: r[1].lower())
    }


def active_organizations(ctx) -> dict[int, str]:
    """The partnership's active organizations, id -> name, by name (one query)."""
    stmt = select(Organization.id, Organization.name).where(Organization.archived_at.is_(None))
    return dict(db.session.execute(scoped(stmt.order_by(func.lower(Organization.name)))).tuples().all())


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
    for kind, goal_id, org_id, name in db.session.execute(scoped(union_all(leads, endorsements, active))).all():
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


def _goal_row(goal: Goal, objectives: list[Objective], today: date, stalled_after: int, people: dict) -> GoalRow:
    return GoalRow(
        goal=goal,
        objectives=[
            ObjectiveRow(
                o,
                objective_progress(o.baseline, o.target, o.current_value),
                is_met(o),
                objective_is_overdue(goal, o, today),
                people.get(o.owner_membership_id, ""),
            )
            for o in objectives
        ],
        overdue=goal_is_overdue(goal, today),
        stalled=goal_is_stalled(goal, objectives, today, stalled_after),
        last_activity=last_activity(goal, objectives),
        owner_name=people.get(goal.owner_membership_id, ""),
    )


def _group(rows: list[GoalRow], by: str) -> list[tuple[str, list[GoalRow]]]:
    if by == "p":
        groups = [(label, [r for r in rows if key in (r.goal.ps or [])]) for key, label in P_LABELS.items()]
        groups.append(("No P chosen", [r for r in rows if not r.goal.ps]))
    else:
        groups = [(label, [r for r in rows if r.goal.horizon == key]) for key, label in HORIZON_LABELS.items()]
    return [(label, members) for label, members in groups if members]


def goals_overview(ctx, filters: GoalFilters, today: date) -> Overview:
    """Every goal the viewer may read that matches ``filters``, with progress and flags, grouped.
    Four queries whatever the number of goals, objectives and updates."""
    goals = list(
        db.session.scalars(scoped(_filtered(select(Goal), ctx, filters).order_by(func.lower(Goal.title), Goal.id)))
    )
    goal_ids = _filtered(select(Goal.id), ctx, filters)
    objectives = _objectives_of(goal_ids)
    lead_names, endorsed, organizations = _organization_links(goal_ids)
    people = people_names(ctx)
    stalled_after = ctx.partnership.stalled_after_days
    rows = []
    for goal in goals:
        row = _goal_row(goal, objectives.get(goal.id, []), today, stalled_after, people)
        row.lead_organizations = lead_names.get(goal.id, [])
        row.endorsed_by = sorted((name for _id, name in endorsed.get(goal.id, [])), key=str.lower)
        rows.append(row)
    return Overview(rows, _group(rows, filters.group), people, organizations, stalled_after)


# --- one goal's page ----------------------------------------------------------------------------


@dataclass
class ChartPoint:
    x: float
    y: float
    value: float
    on: date


@dataclass
class Chart:
    """An SVG line chart's geometry, computed here so the template only draws it."""

    width: int
    height: int
    points: list[ChartPoint]
    target_y: float
    baseline_y: float

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def progress_chart(
    objective: Objective, updates: list[ProgressUpdate], start: date, width: int = 320, height: int = 96
) -> Chart:
    """The objective's values over time (baseline first, then each update) scaled into the box,
    with the target and baseline as horizontal lines."""
    pad = 8
    series = [(start, objective.baseline)] + [(u.recorded_on, u.value) for u in updates]
    first = min(on for on, _ in series)
    last = max(on for on, _ in series)
    days = max(1, (last - first).days)
    values = [v for _, v in series] + [objective.target, objective.baseline]
    low, high = min(values), max(values)
    spread = (high - low) or 1.0

    def y(value: float) -> float:
        return pad + (high - value) / spread * (height - 2 * pad)

    points = [
        ChartPoint(pad + (on - first).days / days * (width - 2 * pad) if last != first else width / 2, y(v), v, on)
        for on, v in series
    ]
    return Chart(width, height, points, y(objective.target), y(objective.baseline))


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


def goal_detail(ctx, goal: Goal, today: date) -> GoalDetail:
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
    mine = _my_organization_ids(ctx)
    done = {org_id for org_id, _ in endorsed.get(goal.id, [])}
    access = sorted(confidentiality.granted_membership_ids(goal))
    row = _goal_row(goal, objectives, today, ctx.partnership.stalled_after_days, people)
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


def _my_organization_ids(ctx) -> list[int]:
    stmt = select(Representative.organization_id).where(Representative.membership_id == ctx.membership.id)
    return list(db.session.scalars(scoped(stmt)))


def record_view(ctx, goal: Goal) -> None:
    """Reading a goal above ``workspace`` level goes to the access log (not the activity feed)."""
    confidentiality.record_read(ctx, goal)


# --- validation ---------------------------------------------------------------------------------


def parse_number(raw: Any, unit: str, field_name: str) -> float:
    """A number typed into a form ("1,200", " 3.5 "), or a ServiceError at the field."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = (raw or "").strip().replace(",", "") if isinstance(raw, str) else ""
        try:
            value = float(text)
        except ValueError:
            value = math.nan
    if not math.isfinite(value):
        raise ServiceError(f"Enter a number in {unit}." if unit else "Enter a number.", field_name)
    return value


def _text(data: dict, name: str, max_length: int, required: str | None = None) -> str:
    value = data.get(name) or ""
    if not isinstance(value, str):
        raise ServiceError("Enter text.", name)
    value = value.strip()
    if required and not value:
        raise ServiceError(required, name)
    if len(value) > max_length:
        raise ServiceError(f"Use at most {max_length} characters.", name)
    return value


def _enum(enum_class, raw: Any, name: str, message: str):
    try:
        return enum_class(raw)
    except ValueError:
        raise ServiceError(message, name) from None


def _membership_id(ctx, raw: Any, name: str) -> int | None:
    """A membership of this partnership, or None. An id from elsewhere is a 404, as in a URL."""
    if raw in (None, "", 0):
        return None
    try:
        membership_id = int(raw)
    except (TypeError, ValueError):
        raise ServiceError("Choose a person from the list.", name) from None
    if db.session.scalars(scoped(select(Membership.id).where(Membership.id == membership_id))).first() is None:
        raise NotFound(f"membership {membership_id}")
    return membership_id


def clean_goal_data(ctx, data: dict[str, Any]) -> dict[str, Any]:
    """Checked values for a goal; ServiceError (naming the field) for the first problem."""
    cleaned: dict[str, Any] = {
        "title": _text(data, "title", TITLE_MAX, "Enter the goal."),
        "description": _text(data, "description", DESCRIPTION_MAX),
        "horizon": _enum(Horizon, data.get("horizon"), "horizon", "Choose short, medium or long term."),
        "status": _enum(GoalStatus, data.get("status") or "proposed", "status", "Choose a status from the list."),
        "confidentiality": _enum(
            Confidentiality, data.get("confidentiality") or "workspace", "confidentiality", "Choose who may see it."
        ),
    }
    ps = list(dict.fromkeys(data.get("ps") or []))
    if any(p not in P_LABELS for p in ps):
        raise ServiceError("Choose Ps from the list.", "ps")
    cleaned["ps"] = [key for key in P_LABELS if key in ps]
    start, target = data.get("start_date"), data.get("target_date")
    if start and target and start > target:
        raise ServiceError("The target date must be on or after the start date.", "target_date")
    cleaned["start_date"], cleaned["target_date"] = start, target
    cleaned["owner_membership_id"] = _membership_id(ctx, data.get("owner_membership_id"), "owner_membership_id")
    organization_ids = {int(i) for i in data.get("lead_organization_ids") or []}
    if organization_ids - set(active_organizations(ctx)):
        raise NotFound("organization")
    cleaned["lead_organization_ids"] = organization_ids
    access_ids = {int(i) for i in data.get("access_membership_ids") or []}
    for membership_id in access_ids:
        _membership_id(ctx, membership_id, "access_membership_ids")
    cleaned["access_membership_ids"] = access_ids
    return cleaned


def _sync_links(goal: Goal, model, column: str, wanted: set[int]) -> None:
    existing = {
        getattr(link, column): link
        for link in db.session.scalars(scoped(select(model).where(model.goal_id == goal.id)))
    }
    for key in set(existing) - wanted:
        db.session.delete(existing[key])
    for key in wanted - set(existing):
        db.session.add(model(goal_id=goal.id, **{column: key}))


def create_goal(ctx, data: dict[str, Any]) -> Goal:
    """Add a goal; its author is the person adding it."""
    cleaned = clean_goal_data(ctx, data)
    leads, access = cleaned.pop("lead_organization_ids"), cleaned.pop("access_membership_ids")
    goal = Goal(**cleaned, author_membership_id=ctx.membership.id)
    db.session.add(goal)
    db.session.flush()
    _sync_links(goal, GoalLeadOrganization, "organization_id", leads)
    confidentiality.set_named_people(ctx, goal, access, field="access_membership_ids")
    db.session.flush()
    audit.record(ctx, "goal.created", "goal", goal.id, confidentiality=goal.confidentiality.value)
    return goal


def update_goal(ctx, goal: Goal, data: dict[str, Any], now: datetime | None = None) -> Goal:
    """Change a goal; the audit entry names the fields that changed (not their values)."""
    cleaned = clean_goal_data(ctx, data)
    leads, access = cleaned.pop("lead_organization_ids"), cleaned.pop("access_membership_ids")
    changed = sorted(name for name, value in cleaned.items() if getattr(goal, name) != value)
    old_status = goal.status
    for name in changed:
        setattr(goal, name, cleaned[name])
    _sync_links(goal, GoalLeadOrganization, "organization_id", leads)
    confidentiality.set_named_people(ctx, goal, access, field="access_membership_ids")
    db.session.flush()
    audit.record(ctx, "goal.updated", "goal", goal.id, fields=changed)
    _record_status(ctx, goal, old_status)
    return goal


def _record_status(ctx, goal: Goal, old: GoalStatus) -> None:
    if goal.status != old:
        audit.record(ctx, "goal.status_changed", "goal", goal.id, status=goal.status.value)
        if goal.status == GoalStatus.ACHIEVED:
            audit.record(ctx, "goal.achieved", "goal", goal.id)  # the report's "achieved in range"


def set_goal_status(ctx, goal: Goal, status: Any) -> Goal:
    """Change only a goal's status (the overview's and the goal page's inline control)."""
    new = _enum(GoalStatus, status, "status", "Choose a status from the list.")
    old = goal.status
    if new != old:
        goal.status = new
        db.session.flush()
        _record_status(ctx, goal, old)
    return goal


def endorse_goal(ctx, goal: Goal, organization_id: Any = None) -> GoalEndorsement:
    """Endorse a proposed goal for an organization the person represents (once per organization)."""
    if goal.status != GoalStatus.PROPOSED:
        raise ServiceError("Only proposed goals can be endorsed.")
    mine = {oid: name for oid, name in active_organizations(ctx).items() if oid in set(_my_organization_ids(ctx))}
    if not mine:
        raise ServiceError("Only a representative of a member organization can endorse a goal.")
    endorsed = set(
        db.session.scalars(scoped(select(GoalEndorsement.organization_id).where(GoalEndorsement.goal_id == goal.id)))
    )
    if organization_id in (None, ""):
        open_orgs = [oid for oid in mine if oid not in endorsed]
        if not open_orgs:
            raise ServiceError("Your organization has already endorsed this goal.")
        organization_id = open_orgs[0]
    try:
        organization_id = int(organization_id)
    except (TypeError, ValueError):
        raise ServiceError("Choose an organization you represent.") from None
    if organization_id not in mine:
        raise ServiceError("You can only endorse for an organization you represent.")
    if organization_id in endorsed:
        raise ServiceError(f"{mine[organization_id]} has already endorsed this goal.")
    endorsement = GoalEndorsement(goal_id=goal.id, organization_id=organization_id, membership_id=ctx.membership.id)
    db.session.add(endorsement)
    db.session.flush()
    audit.record(ctx, "goal.endorsed", "goal", goal.id, organization_id=organization_id)
    return endorsement


def set_stalled_after(ctx, raw: Any) -> int:
    """How many days without an update flag an active goal as stalled."""
    try:
        days = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ServiceError("Enter a whole number of days.", "stalled_after_days") from None
    if not STALLED_DAYS_MIN <= days <= STALLED_DAYS_MAX:
        raise ServiceError(
            f"Enter a number of days from {STALLED_DAYS_MIN} to {STALLED_DAYS_MAX}.", "stalled_after_days"
        )
    if ctx.partnership.stalled_after_days != days:
        ctx.partnership.stalled_after_days = days
        db.session.flush()
        audit.record(ctx, "goals.stalled_after_changed", "partnership", ctx.partnership.id, days=days)
    return days


# --- objectives and progress --------------------------------------------------------------------


def clean_objective_data(ctx, data: dict[str, Any]) -> dict[str, Any]:
    unit = _text(data, "unit", UNIT_MAX, "Enter the unit the metric is counted in, e.g. “people trained”.")
    cleaned = {
        "title": _text(data, "title", TITLE_MAX, "Enter the objective."),
        "metric": _text(data, "metric", METRIC_MAX, "Enter what is measured."),
        "unit": unit,
        "baseline": parse_number(data.get("baseline"), unit, "baseline"),
        "target": parse_number(data.get("target"), unit, "target"),
        "due_date": data.get("due_date"),
        "owner_membership_id": _membership_id(ctx, data.get("owner_membership_id"), "owner_membership_id"),
    }
    if cleaned["target"] == cleaned["baseline"]:
        raise ServiceError("The target must differ from the baseline.", "target")
    return cleaned


def create_objective(ctx, goal: Goal, data: dict[str, Any]) -> Objective:
    """Add a measurable objective to a goal; its current value starts at the baseline."""
    cleaned = clean_objective_data(ctx, data)
    position = len(goal.objectives) + 1
    objective = Objective(goal_id=goal.id, current_value=cleaned["baseline"], position=position, **cleaned)
    db.session.add(objective)
    db.session.flush()
    audit.record(ctx, "objective.created", "objective", objective.id, goal_id=goal.id)
    return objective


def update_objective(ctx, objective: Objective, data: dict[str, Any]) -> Objective:
    """Change an objective's definition. Posted values are never touched: with no updates yet the
    current value follows the baseline."""
    cleaned = clean_objective_data(ctx, data)
    changed = sorted(name for name, value in cleaned.items() if getattr(objective, name) != value)
    for name in changed:
        setattr(objective, name, cleaned[name])
    if objective.last_update_at is None:
        objective.current_value = objective.baseline
    db.session.flush()
    if changed:
        audit.record(ctx, "objective.updated", "objective", objective.id, fields=changed)
    return objective


def post_update(
    ctx, objective: Objective, data: dict[str, Any], today: date, now: datetime | None = None
) -> ProgressUpdate:
    """Record a new value for an objective (a new row: history is never rewritten)."""
    value = parse_number(data.get("value"), objective.unit, "value")
    note = _text(data, "note", NOTE_MAX)
    recorded_on = data.get("recorded_on") or today
    if not isinstance(recorded_on, date):
        raise ServiceError("Enter a date like 2026-03-31.", "recorded_on")
    if recorded_on > today:
        raise ServiceError("The date can't be in the future.", "recorded_on")
    goal = objective.goal
    if goal.start_date and recorded_on < goal.start_date:
        raise ServiceError(f"The date can't be before the goal started ({goal.start_date.isoformat()}).", "recorded_on")
    update = ProgressUpdate(
        objective_id=objective.id,
        value=value,
        note=note,
        recorded_on=recorded_on,
        author_membership_id=ctx.membership.id,
    )
    db.session.add(update)
    latest = db.session.scalar(
        scoped(select(func.max(ProgressUpdate.recorded_on)).where(ProgressUpdate.objective_id == objective.id))
    )
    if latest is None or recorded_on >= latest:
        objective.current_value = value  # a back-dated entry adds history without changing "now"
    objective.last_update_at = now or utcnow()
    db.session.flush()
    audit.record(ctx, "progress.posted", "objective", objective.id, goal_id=goal.id, update_id=update.id)
    return update


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
        was = objective_progress(self.objective.baseline, self.objective.target, self.before)
        now = objective_progress(self.objective.baseline, self.objective.target, self.after)
        return was < 100.0 <= now


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


def _day_bounds(ctx, start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(ctx.partnership.time_zone or "UTC")
    first = datetime.combine(start, time.min, zone).astimezone(UTC)
    after = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC)
    return first, after


def progress_report(ctx, start: date, end: date) -> Report:
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
            _visible(
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
    goals = list(
        db.session.scalars(
            scoped(
                _visible(select(Goal).where(Goal.status == GoalStatus.ACTIVE), ctx).order_by(
                    func.lower(Goal.title), Goal.id
                )
            )
        )
    )
    objectives = _objectives_of(_visible(select(Goal.id).where(Goal.status == GoalStatus.ACTIVE), ctx))
    stalled_after = ctx.partnership.stalled_after_days
    stalled = [
        _goal_row(goal, objectives.get(goal.id, []), end, stalled_after, {})
        for goal in goals
        if goal_is_stalled(goal, objectives.get(goal.id, []), end, stalled_after)
    ]
    first, after = _day_bounds(ctx, start, end)
    achieved = [
        (goal, at)
        for goal, at in db.session.execute(
            scoped(
                _visible(
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
            )
        ).all()
    ]
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


def attention_for(ctx, today: date, now: datetime | None = None) -> list[AttentionItem]:
    """Goals that need the viewer: goals and objectives they own that are overdue or stalled, and
    proposed goals an organization they represent hasn't endorsed. ONE query."""
    me = ctx.membership.id
    now = now or utcnow()
    cutoff = now - timedelta(days=ctx.partnership.stalled_after_days)
    visible = visibility_clause(Goal, ctx.membership, partnership_today(ctx, now))
    open_goal = Goal.status.not_in(CLOSED)
    last_update = (
        select(func.max(Objective.last_update_at)).where(Objective.goal_id == Goal.id).correlate(Goal).scalar_subquery()
    )
    not_met = or_(
        and_(Objective.target > Objective.baseline, Objective.current_value < Objective.target),
        and_(Objective.target < Objective.baseline, Objective.current_value > Objective.target),
    )
    goal_cols = (Goal.id, Goal.title, null().label("objective_title"))
    goal_overdue = select(literal("goal_overdue").label("kind"), *goal_cols, Goal.target_date.label("on")).where(
        visible, Goal.owner_membership_id == me, open_goal, Goal.target_date < today
    )
    goal_stalled = select(literal("goal_stalled").label("kind"), *goal_cols, null().label("on")).where(
        visible,
        Goal.owner_membership_id == me,
        Goal.status == GoalStatus.ACTIVE,
        func.coalesce(last_update, Goal.created_at) < cutoff,
        or_(Goal.start_date.is_(None), Goal.start_date <= today - timedelta(days=ctx.partnership.stalled_after_days)),
    )
    objective_cols = (Goal.id, Goal.title, Objective.title.label("objective_title"))
    objective_overdue = (
        select(literal("objective_overdue").label("kind"), *objective_cols, Objective.due_date.label("on"))
        .join(Goal, Goal.id == Objective.goal_id)
        .where(visible, Objective.owner_membership_id == me, open_goal, Objective.due_date < today, not_met)
    )
    objective_stalled = (
        select(literal("objective_stalled").label("kind"), *objective_cols, null().label("on"))
        .join(Goal, Goal.id == Objective.goal_id)
        .where(
            visible,
            Objective.owner_membership_id == me,
            Goal.status == GoalStatus.ACTIVE,
            func.coalesce(Objective.last_update_at, Objective.created_at) < cutoff,
            not_met,
        )
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
        AttentionItem(
            kind,
            goal_id,
            title,
            objective_title,
            on if isinstance(on, date) or on is None else date.fromisoformat(str(on)),
        )
        for kind, goal_id, title, objective_title, on in db.session.execute(scoped(stmt)).all()
    ]


# --- the setup guide ----------------------------------------------------------------------------


def visible_objective_ids(membership):
    """The ids of objectives under goals ``membership`` may read (the activity feed's filter)."""
    return select(Objective.id).join(Objective.goal).where(visibility_clause(Goal, membership))


def home_attention_panel(ctx, values: dict[str, Any]) -> dict[str, Any] | None:
    """Home panel (your work): goals and objectives that need this person (one query)."""
    attention = attention_for(ctx, partnership_today(ctx))
    return {"attention": attention} if attention else None


def setup_fact_queries(ctx) -> dict[str, Any]:
    """What the setup guide needs to know about goals, as scalar subqueries (evaluated with the
    other areas' facts in one query)."""
    live = Goal.status.not_in([GoalStatus.DROPPED])
    return {
        "goals": select(func.count(Goal.id)).where(live).scalar_subquery(),
        "goals_with_objectives": select(func.count(func.distinct(Objective.goal_id))).scalar_subquery(),
        "endorsed_goals": select(func.count(func.distinct(GoalEndorsement.goal_id))).scalar_subquery(),
        "progress_updates": select(func.count(ProgressUpdate.id)).scalar_subquery(),
    }


# --- CSV exports --------------------------------------------------------------------------------


def _csv(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])
    return buffer.getvalue()


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def export_goals_csv(ctx, today: date) -> str:
    """The goals the viewer may read, with progress and flags (three queries)."""
    overview = goals_overview(ctx, GoalFilters(), today)
    header = [
        "Goal",
        "Horizon",
        "Ps",
        "Status",
        "Confidentiality",
        "Owner",
        "Lead organizations",
        "Endorsed by",
        "Start date",
        "Target date",
        "Progress %",
        "Objectives",
        "Overdue",
        "Stalled",
    ]
    return _csv(
        header,
        (
            [
                r.goal.title,
                HORIZON_LABELS[r.goal.horizon],
                "; ".join(P_LABELS[p] for p in r.goal.ps or [] if p in P_LABELS),
                STATUS_LABELS[r.goal.status],
                r.goal.confidentiality.value,
                r.owner_name,
                "; ".join(r.lead_organizations),
                "; ".join(r.endorsed_by),
                _iso(r.goal.start_date),
                _iso(r.goal.target_date),
                "" if r.percent is None else r.percent,
                len(r.objectives),
                "yes" if r.overdue else "no",
                "yes" if r.stalled else "no",
            ]
            for r in overview.rows
        ),
    )


def export_objectives_csv(ctx, today: date) -> str:
    """Every objective of the goals the viewer may read (two queries)."""
    people = people_names(ctx)
    stmt = _visible(select(Objective, Goal).join(Goal, Goal.id == Objective.goal_id), ctx).order_by(
        func.lower(Goal.title), Goal.id, Objective.position, Objective.id
    )
    header = [
        "Goal",
        "Objective",
        "Metric",
        "Unit",
        "Baseline",
        "Target",
        "Current value",
        "Progress %",
        "Due date",
        "Owner",
        "Overdue",
    ]
    return _csv(
        header,
        (
            [
                goal.title,
                o.title,
                o.metric,
                o.unit,
                o.baseline,
                o.target,
                o.current_value,
                percent(objective_progress(o.baseline, o.target, o.current_value)),
                _iso(o.due_date),
                people.get(o.owner_membership_id, ""),
                "yes" if objective_is_overdue(goal, o, today) else "no",
            ]
            for o, goal in db.session.execute(scoped(stmt)).all()
        ),
    )


def export_updates_csv(ctx) -> str:
    """Every progress update on the goals the viewer may read, oldest first (two queries)."""
    people = people_names(ctx)
    stmt = _visible(
        select(ProgressUpdate, Objective, Goal)
        .join(Objective, Objective.id == ProgressUpdate.objective_id)
        .join(Goal, Goal.id == Objective.goal_id),
        ctx,
    ).order_by(func.lower(Goal.title), Goal.id, Objective.position, ProgressUpdate.recorded_on, ProgressUpdate.id)
    header = ["Goal", "Objective", "Date", "Value", "Unit", "Note", "Posted by"]
    return _csv(
        header,
        (
            [goal.title, o.title, _iso(u.recorded_on), u.value, o.unit, u.note, people.get(u.author_membership_id, "")]
            for u, o, goal in db.session.execute(scoped(stmt)).all()
        ),
    )
