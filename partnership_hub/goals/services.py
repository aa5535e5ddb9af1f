"""Goals writes: creating and editing goals and their measurable objectives, status, endorsements,
posting progress, the stalled setting — and the checks on what people type.

Every write flushes and records its audit entry in the same transaction; the request (or task)
commits once. Reads live in ``queries``, the rules (met, overdue, stalled) in ``progress``.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from partnership_hub import confidentiality
from partnership_hub.audit import services as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.goals.models import (
    P_LABELS,
    Confidentiality,
    Goal,
    GoalEndorsement,
    GoalLeadOrganization,
    GoalStatus,
    Horizon,
    Objective,
    ProgressUpdate,
)
from partnership_hub.goals.progress import last_activity_at
from partnership_hub.goals.queries import active_organization_ids, my_organizations
from partnership_hub.parsing import form_ids, form_text
from partnership_hub.workspaces.models import Membership

STALLED_DAYS_MIN, STALLED_DAYS_MAX = 1, 365
TITLE_MAX = max_length(Goal.__table__.c.title)
DESCRIPTION_MAX = 4000
NOTE_MAX = 2000
METRIC_MAX = max_length(Objective.__table__.c.metric)
UNIT_MAX = max_length(Objective.__table__.c.unit)


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


def _enum(enum_class, raw: Any, name: str, message: str):
    try:
        return enum_class(raw)
    except ValueError:
        raise ServiceError(message, name) from None


def _acting(ctx: WorkspaceContext) -> int | None:
    """The acting person's membership id (None for system work: tasks, the CLI)."""
    return ctx.membership.id if ctx.membership else None


def _membership_ids(ctx: WorkspaceContext, raw: Any, name: str) -> set[int]:
    """Memberships of this partnership (one query with IN, bounded by what the form sent). An id
    from elsewhere is a 404, as in a URL."""
    ids = form_ids(raw, name, "Choose a person from the list.")
    if ids:
        found = set(db.session.scalars(scoped(select(Membership.id).where(Membership.id.in_(sorted(ids))))))
        if missing := ids - found:
            raise NotFound(f"membership {min(missing)}")
    return ids


def _membership_id(ctx: WorkspaceContext, raw: Any, name: str) -> int | None:
    """A membership of this partnership, or None. An id from elsewhere is a 404, as in a URL."""
    if raw in (None, "", 0):
        return None
    (membership_id,) = _membership_ids(ctx, [raw], name)
    return membership_id


def clean_goal_data(ctx: WorkspaceContext, data: dict[str, Any]) -> dict[str, Any]:
    """Checked values for a goal; ServiceError (naming the field) for the first problem."""
    cleaned: dict[str, Any] = {
        "title": form_text(data, "title", TITLE_MAX, "Enter the goal."),
        "description": form_text(data, "description", DESCRIPTION_MAX),
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
    try:
        organization_ids = {int(i) for i in data.get("lead_organization_ids") or []}
    except (TypeError, ValueError):
        raise ServiceError("Choose organizations from the list.", "lead_organization_ids") from None
    if organization_ids - active_organization_ids(ctx, organization_ids):
        raise NotFound("organization")
    cleaned["lead_organization_ids"] = organization_ids
    cleaned["access_membership_ids"] = _membership_ids(ctx, data.get("access_membership_ids"), "access_membership_ids")
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


def create_goal(ctx: WorkspaceContext, data: dict[str, Any]) -> Goal:
    """Add a goal; its author is the person adding it."""
    cleaned = clean_goal_data(ctx, data)
    leads, access = cleaned.pop("lead_organization_ids"), cleaned.pop("access_membership_ids")
    goal = Goal(**cleaned, author_membership_id=_acting(ctx), created_at=utcnow())
    goal.last_activity_at = last_activity_at(goal, [], ctx.zone)  # no objectives yet
    db.session.add(goal)
    db.session.flush()
    _sync_links(goal, GoalLeadOrganization, "organization_id", leads)
    confidentiality.set_named_people(ctx, goal, access, field="access_membership_ids")
    db.session.flush()
    audit.record(ctx, "goal.created", "goal", goal.id, confidentiality=goal.confidentiality.value)
    return goal


def update_goal(ctx: WorkspaceContext, goal: Goal, data: dict[str, Any]) -> Goal:
    """Change a goal; the audit entry names the fields that changed (not their values)."""
    cleaned = clean_goal_data(ctx, data)
    leads, access = cleaned.pop("lead_organization_ids"), cleaned.pop("access_membership_ids")
    changed = sorted(name for name, value in cleaned.items() if getattr(goal, name) != value)
    old_status = goal.status
    for name in changed:
        setattr(goal, name, cleaned[name])
    if "start_date" in changed:
        _touch_activity(ctx, goal)
    _sync_links(goal, GoalLeadOrganization, "organization_id", leads)
    confidentiality.set_named_people(ctx, goal, access, field="access_membership_ids")
    db.session.flush()
    audit.record(ctx, "goal.updated", "goal", goal.id, fields=changed)
    _record_status(ctx, goal, old_status)
    return goal


def _record_status(ctx: WorkspaceContext, goal: Goal, old: GoalStatus) -> None:
    if goal.status != old:
        audit.record(ctx, "goal.status_changed", "goal", goal.id, status=goal.status.value)
        if goal.status == GoalStatus.ACHIEVED:
            audit.record(ctx, "goal.achieved", "goal", goal.id)  # the report's "achieved in range"


def set_goal_status(ctx: WorkspaceContext, goal: Goal, status: Any) -> Goal:
    """Change only a goal's status (the overview's and the goal page's inline control)."""
    new = _enum(GoalStatus, status, "status", "Choose a status from the list.")
    old = goal.status
    if new != old:
        goal.status = new
        db.session.flush()
        _record_status(ctx, goal, old)
    return goal


def endorse_goal(ctx: WorkspaceContext, goal: Goal, organization_id: Any = None) -> GoalEndorsement:
    """Endorse a proposed goal for an organization the person represents (once per organization)."""
    if goal.status != GoalStatus.PROPOSED:
        raise ServiceError("Only proposed goals can be endorsed.")
    mine = my_organizations(ctx)
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
    endorsement = GoalEndorsement(goal_id=goal.id, organization_id=organization_id, membership_id=_acting(ctx))
    db.session.add(endorsement)
    db.session.flush()
    audit.record(ctx, "goal.endorsed", "goal", goal.id, organization_id=organization_id)
    return endorsement


def set_stalled_after(ctx: WorkspaceContext, raw: Any) -> int:
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


def clean_objective_data(ctx: WorkspaceContext, data: dict[str, Any]) -> dict[str, Any]:
    """Checked values for an objective; ServiceError (naming the field) for the first problem."""
    unit = form_text(data, "unit", UNIT_MAX, "Enter the unit the metric is counted in, e.g. “people trained”.")
    cleaned = {
        "title": form_text(data, "title", TITLE_MAX, "Enter the objective."),
        "metric": form_text(data, "metric", METRIC_MAX, "Enter what is measured."),
        "unit": unit,
        "baseline": parse_number(data.get("baseline"), unit, "baseline"),
        "target": parse_number(data.get("target"), unit, "target"),
        "due_date": data.get("due_date"),
        "owner_membership_id": _membership_id(ctx, data.get("owner_membership_id"), "owner_membership_id"),
    }
    if cleaned["target"] == cleaned["baseline"]:
        raise ServiceError("The target must differ from the baseline.", "target")
    return cleaned


def create_objective(ctx: WorkspaceContext, goal: Goal, data: dict[str, Any]) -> Objective:
    """Add a measurable objective to a goal; its current value starts at the baseline."""
    cleaned = clean_objective_data(ctx, data)
    position = len(goal.objectives) + 1
    objective = Objective(goal_id=goal.id, current_value=cleaned["baseline"], position=position, **cleaned)
    db.session.add(objective)
    db.session.flush()
    audit.record(ctx, "objective.created", "objective", objective.id, goal_id=goal.id)
    return objective


def update_objective(ctx: WorkspaceContext, objective: Objective, data: dict[str, Any]) -> Objective:
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
    ctx: WorkspaceContext, objective: Objective, data: dict[str, Any], now: datetime | None = None
) -> ProgressUpdate:
    """Record a new value for an objective (a new row: history is never rewritten). ``now`` is the
    moment it is posted (the partnership's today follows from it)."""
    now = now or utcnow()
    today = ctx.today(now)
    value = parse_number(data.get("value"), objective.unit, "value")
    note = form_text(data, "note", NOTE_MAX)
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
        author_membership_id=_acting(ctx),
    )
    db.session.add(update)
    latest = db.session.scalar(
        scoped(select(func.max(ProgressUpdate.recorded_on)).where(ProgressUpdate.objective_id == objective.id))
    )
    if latest is None or recorded_on >= latest:
        objective.current_value = value  # a back-dated entry adds history without changing "now"
    objective.last_update_at = now
    _touch_activity(ctx, goal)
    db.session.flush()
    audit.record(ctx, "progress.posted", "objective", objective.id, goal_id=goal.id, update_id=update.id)
    return update


# --- the stored last activity -------------------------------------------------------------------


def _touch_activity(ctx: WorkspaceContext, goal: Goal) -> None:
    """Bring ``goal.last_activity_at`` up to date after a change to its posts or start date (its
    objectives: loaded once, bounded by the goal)."""
    goal.last_activity_at = last_activity_at(goal, list(goal.objectives), ctx.zone)


def refresh_last_activity(ctx: WorkspaceContext, goal_ids: list[int] | None = None) -> int:
    """Recompute the stored last activity of these goals (default: all of the partnership's), for
    changes that bypass the services above: the partnership's time zone changing (a start date's
    first moment moves with it), seeds that insert rows directly. Two queries; returns how many
    goals changed."""
    stmt = select(Goal) if goal_ids is None else select(Goal).where(Goal.id.in_(sorted(set(goal_ids))))
    goals = list(db.session.scalars(scoped(stmt)))
    posts: dict[int, list[Objective]] = {}
    if goals:
        objectives = select(Objective).where(Objective.goal_id.in_([goal.id for goal in goals]))
        for objective in db.session.scalars(scoped(objectives)):
            posts.setdefault(objective.goal_id, []).append(objective)
    changed = 0
    for goal in goals:
        value = last_activity_at(goal, posts.get(goal.id, []), ctx.zone)
        if goal.last_activity_at != value:
            goal.last_activity_at, changed = value, changed + 1
    db.session.flush()
    return changed
