"""Campaign plans: work prepared ahead for one awareness day in one year — an owner, what it is for,
tasks (action items of the action plan, ``action_items.campaign_plan_id``), a linked funding opportunity
(shown only to people who may see it), and afterwards the outcome."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select, update

from partnership_hub import picking
from partnership_hub.actions import services as actions
from partnership_hub.actions.models import ActionItem, ActionStatus
from partnership_hub.audit import services as audit
from partnership_hub.awareness.days import BUILTIN, DayEntry
from partnership_hub.awareness.models import AwarenessDay, CampaignPlan
from partnership_hub.awareness.rules import occurrences_between
from partnership_hub.confidentiality import visible
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import get_scoped, scoped
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.funding.pipeline_models import FundingOpportunity
from partnership_hub.pagination import Page, paginate
from partnership_hub.parsing import form_text, parse_id, parse_int
from partnership_hub.picking import Pick
from partnership_hub.workspaces.models import Membership, Role, User
from partnership_hub.workspaces.services import chosen_contributor

TITLE_MAX = max_length(CampaignPlan.__table__.c.title)
TEXT_MAX = 4000
TASKS_SHOWN = 50  # a plan's page lists this many tasks, soonest due first ("and N more" beyond)
PLANS_PAGE_SIZE = 25


def get_plan(ctx: WorkspaceContext, campaign_plan_id: int) -> CampaignPlan:
    return get_scoped(db.session, CampaignPlan, campaign_plan_id)


def _ref(day_key: str | None, awareness_day_id: int | None) -> str:
    """How forms and pickers name a plan's day: "toolkit:<key>" or "custom:<id>"."""
    return f"toolkit:{day_key}" if day_key else f"custom:{awareness_day_id}"


def day_ref(plan: CampaignPlan) -> str:
    """The day a plan is for, as forms and pickers name it."""
    return _ref(plan.day_key, plan.awareness_day_id)


def resolve_day_ref(ref: str) -> tuple[str | None, int | None]:
    """("giving_tuesday", None) for "toolkit:giving_tuesday", (None, 7) for "custom:7"; else ServiceError."""
    if ref.startswith("toolkit:") and ref.removeprefix("toolkit:") in BUILTIN:
        return ref.removeprefix("toolkit:"), None
    day_id = parse_id(ref.removeprefix("custom:")) if ref.startswith("custom:") else None
    exists = select(AwarenessDay.id).where(AwarenessDay.id == day_id)
    if day_id is not None and db.session.scalars(scoped(exists)).first() is not None:
        return None, day_id
    raise ServiceError("Choose the awareness day this plan is for.", "day")


def _member_id(data: dict[str, Any], name: str) -> int | None:
    return chosen_contributor(data.get(name), name, "Choose someone from this partnership (not an observer).")


def _opportunity_id(ctx: WorkspaceContext, data: dict[str, Any]) -> int | None:
    raw = data.get("funding_opportunity_id")
    if raw in (None, ""):
        return None
    opportunity_id = parse_id(raw)
    stmt = select(FundingOpportunity.id).where(
        FundingOpportunity.id == opportunity_id, visible(ctx, FundingOpportunity)
    )
    found = db.session.scalars(scoped(stmt)).first()
    if found is None:
        raise ServiceError("Choose one of the partnership's funding opportunities.", "funding_opportunity_id")
    return found


def _values(ctx: WorkspaceContext, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": form_text(data, "title", TITLE_MAX, "Give the plan a title, e.g. “GivingTuesday appeal 2026”."),
        "owner_membership_id": _member_id(data, "owner_membership_id"),
        "funding_opportunity_id": _opportunity_id(ctx, data),
        "goal_text": form_text(data, "goal_text", TEXT_MAX),
        "outcome": form_text(data, "outcome", TEXT_MAX),
        "notes": form_text(data, "notes", TEXT_MAX),
    }


def create_plan(ctx: WorkspaceContext, data: dict[str, Any]) -> CampaignPlan:
    """A plan for one day in one year (several plans for the same day are fine: an appeal and an event)."""
    day_key, day_id = resolve_day_ref(str(data.get("day") or ""))
    year = parse_int(str(data.get("year") or "").strip(), low=2000, high=2200)
    if year is None:
        raise ServiceError("Enter the year, like 2027.", "year")
    plan = CampaignPlan(day_key=day_key, awareness_day_id=day_id, year=year, **_values(ctx, data))
    db.session.add(plan)
    db.session.flush()
    audit.record(ctx, "campaign_plan.created", "campaign_plan", plan.id)
    return plan


def update_plan(ctx: WorkspaceContext, plan: CampaignPlan, data: dict[str, Any]) -> CampaignPlan:
    values = _values(ctx, data)
    changed = sorted(name for name, value in values.items() if getattr(plan, name) != value)
    for name in changed:
        setattr(plan, name, values[name])
    db.session.flush()
    if changed:
        audit.record(ctx, "campaign_plan.updated", "campaign_plan", plan.id, fields=changed)
    return plan


def delete_plan(ctx: WorkspaceContext, plan: CampaignPlan) -> None:
    """Remove a plan; its tasks stay on the action plan, no longer tied to it."""
    db.session.execute(update(ActionItem).where(ActionItem.campaign_plan_id == plan.id).values(campaign_plan_id=None))
    audit.record(ctx, "campaign_plan.deleted", "campaign_plan", plan.id)
    db.session.delete(plan)
    db.session.flush()


def unlink_opportunity(ctx: WorkspaceContext, funding_opportunity_id: int) -> None:
    """A funding opportunity is being removed: plans that linked it keep everything else."""
    db.session.execute(
        update(CampaignPlan)
        .where(CampaignPlan.funding_opportunity_id == funding_opportunity_id)
        .values(funding_opportunity_id=None)
    )


def add_task(ctx: WorkspaceContext, plan: CampaignPlan, data: dict[str, Any]) -> ActionItem:
    """A task of the plan: an action item of the action plan, tied to the campaign."""
    return actions.create_item(ctx, data, campaign_plan_id=plan.id)


def may_edit(ctx: WorkspaceContext, plan: CampaignPlan) -> bool:
    """Coordinators and the plan's owner change it."""
    membership = ctx.membership
    return membership is not None and (membership.role == Role.COORDINATOR or plan.owner_membership_id == membership.id)


# --- reads --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanPage:
    plan: CampaignPlan
    owner: str | None
    opportunity: tuple[int, str] | None  # (id, title) when the viewer may see it
    tasks: list[Any]  # actions.ActionEntry-like rows: id, title, status, due_date, assignee name
    open_tasks: int
    more_tasks: int


def plan_page(ctx: WorkspaceContext, plan: CampaignPlan) -> PlanPage:
    """The plan with its owner, its funding opportunity (if the viewer may see it) and its task counts
    (ONE statement of scalars), and its first ``TASKS_SHOWN`` tasks, soonest due first (ONE statement)."""
    owner = (
        select(User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.id == plan.owner_membership_id)
        .scalar_subquery()
    )
    opportunity = (
        select(FundingOpportunity.title)
        .where(FundingOpportunity.id == plan.funding_opportunity_id, visible(ctx, FundingOpportunity))
        .scalar_subquery()
    )
    mine = and_(ActionItem.campaign_plan_id == plan.id, actions.visible_items_clause(ctx.membership))
    total = select(func.count(ActionItem.id)).where(mine)
    still_open = total.where(ActionItem.status.notin_([ActionStatus.DONE, ActionStatus.CANCELLED]))
    head = db.session.execute(
        select(
            owner.label("owner"),
            opportunity.label("opportunity"),
            scoped(total).scalar_subquery().label("total"),
            scoped(still_open).scalar_subquery().label("open"),
        )
    ).one()
    assignee = (
        select(User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.id == ActionItem.assignee_membership_id)
        .correlate(ActionItem)
        .scalar_subquery()
    )
    tasks = db.session.execute(
        scoped(
            select(ActionItem.id, ActionItem.title, ActionItem.status, ActionItem.due_date, assignee.label("assignee"))
            .where(mine)
            .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id)
            .limit(TASKS_SHOWN)
        )
    ).all()
    linked = plan.funding_opportunity_id
    opp = (linked, head.opportunity) if linked is not None and head.opportunity is not None else None
    total_count = head.total or 0
    return PlanPage(plan, head.owner, opp, list(tasks), head.open or 0, max(total_count - len(tasks), 0))


@dataclass(frozen=True)
class PlanRow:
    id: int
    title: str
    year: int
    day_key: str | None
    awareness_day_id: int | None
    owner: str | None
    open_tasks: int
    day_name: str | None  # the partnership's own day's name (None for a toolkit day)

    @property
    def ref(self) -> str:
        return _ref(self.day_key, self.awareness_day_id)

    @property
    def day_label(self) -> str | None:
        """The day's name, or None if it is no longer known."""
        if self.day_key:
            return BUILTIN[self.day_key].label if self.day_key in BUILTIN else None
        return self.day_name


def plans_page(ctx: WorkspaceContext, year: int | None, page: int) -> Page[PlanRow]:
    """One page of campaign plans (a year's, or all), newest year first, each with its day's name (ONE
    statement, count capped)."""
    owner = (
        select(User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.id == CampaignPlan.owner_membership_id)
        .correlate(CampaignPlan)
        .scalar_subquery()
    )
    open_tasks = (
        select(func.count(ActionItem.id))
        .where(
            ActionItem.campaign_plan_id == CampaignPlan.id,
            ActionItem.status.notin_([ActionStatus.DONE, ActionStatus.CANCELLED]),
        )
        .correlate(CampaignPlan)
        .scalar_subquery()
    )
    day_name = (
        select(AwarenessDay.name)
        .where(AwarenessDay.id == CampaignPlan.awareness_day_id)
        .correlate(CampaignPlan)
        .scalar_subquery()
    )
    stmt = select(
        CampaignPlan.id,
        CampaignPlan.title,
        CampaignPlan.year,
        CampaignPlan.day_key,
        CampaignPlan.awareness_day_id,
        owner.label("owner"),
        open_tasks.label("open_tasks"),
        day_name.label("day_name"),
    ).order_by(CampaignPlan.year.desc(), CampaignPlan.id.desc())
    if year is not None:
        stmt = stmt.where(CampaignPlan.year == year)
    return paginate(scoped(stmt), page, PLANS_PAGE_SIZE, row=lambda r: PlanRow(*r), cap=1000)


def _plans_by_day(*where: Any, limit: int) -> dict[tuple[str, int], list[tuple[int, str]]]:
    """The plans matching ``where`` by (day ref, year) → [(id, title)], oldest first (ONE statement, at
    most ``limit``)."""
    stmt = (
        select(
            CampaignPlan.id, CampaignPlan.title, CampaignPlan.day_key, CampaignPlan.awareness_day_id, CampaignPlan.year
        )
        .where(*where)
        .order_by(CampaignPlan.id)
        .limit(limit)
    )
    found: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for row in db.session.execute(scoped(stmt)):
        found.setdefault((_ref(row.day_key, row.awareness_day_id), row.year), []).append((row.id, row.title))
    return found


def plans_by_day(ctx: WorkspaceContext, *years: int) -> dict[tuple[str, int], list[tuple[int, str]]]:
    """The plans of ``years`` by (day ref, year) → [(id, title)], for the notices and the digest (ONE
    statement; at most 400 listed)."""
    return _plans_by_day(CampaignPlan.year.in_(years), limit=400)


PLANS_LISTED = 100  # the plans shown beside one page of days


def plans_for(ctx: WorkspaceContext, shown: Iterable[tuple[str, int]]) -> dict[tuple[str, int], list[tuple[int, str]]]:
    """The plans of the days a page shows, by (day ref, year) → [(id, title)] (ONE statement, at most
    ``PLANS_LISTED``, oldest first), whatever the number of days and plans the partnership has."""
    wanted = set(shown)
    if not wanted:
        return {}
    keys = {ref.removeprefix("toolkit:") for ref, _ in wanted if ref.startswith("toolkit:")}
    ids = {parse_id(ref.removeprefix("custom:")) for ref, _ in wanted if ref.startswith("custom:")} - {None}
    found = _plans_by_day(
        or_(CampaignPlan.day_key.in_(keys), CampaignPlan.awareness_day_id.in_(ids)),
        CampaignPlan.year.in_({year for _, year in wanted}),
        limit=PLANS_LISTED,
    )
    return {shown_day: plans for shown_day, plans in found.items() if shown_day in wanted}


def when_in_year(day: DayEntry | None, year: int) -> date | None:
    """The date a plan's day falls on in the plan's year (its start), if it has one that year."""
    if day is None:
        return None
    in_year = occurrences_between(day.rule, date(year, 1, 1), date(year, 12, 31))
    hits = [hit for hit in in_year if hit.start.year == year]
    return hits[0].start if hits else None


def pick_opportunities(ctx: WorkspaceContext, query: str, chosen: list[int]) -> Pick:
    """The funding opportunities the viewer may see and link, searched by title or funder, newest first
    (two bounded statements, whatever the size of the pipeline).

    Newest first, not by title: no index serves ``lower(title)``, so sorting by it read and sorted
    every opportunity of the pipeline for each keystroke (the picker grew with the pipeline, #8);
    ``(partnership_id, id)`` is indexed, so the first ``PICK_LIMIT`` matches are an index walk."""
    stmt = select(FundingOpportunity.id, FundingOpportunity.title).where(visible(ctx, FundingOpportunity))
    return picking.search(
        scoped(stmt),
        id_column=FundingOpportunity.id,
        label_column=FundingOpportunity.title,
        search_columns=(FundingOpportunity.title, FundingOpportunity.funder),
        query=query,
        chosen=chosen,
        blank="None",
        sort_columns=(FundingOpportunity.id.desc(),),
    )
