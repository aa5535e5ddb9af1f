"""Awareness-day notices: for each day the partnership observes, a lead-time notice
(``awareness_upcoming``, the partnership's ``lead_days`` ahead, 14 by default) and a day-of notice
(``awareness_today``), each with the day's campaign plans for that year and their open tasks, to
everyone but observers (each person can turn either off). ``plan`` is the area's ``notice_planner``.

Days are the partnership's calendar, so both are told from ``notices.SEND_AT`` (08:00) in its time zone, once per
day, year and person (the deduplication key names the day and its date). A beat that was down catches
up: a lead-time notice still goes out until the day begins (then the day-of notice takes over), and the
day-of notice until the day is over — never for a day already past. A month-long observance's "day" is
its month, from its first morning. A day first observed, or a lead time lengthened, inside the lead time
gets its lead-time notice on the next beat (saying how far off the day is).

Planning costs a fixed number of statements per partnership: the observed days and the lead time (ONE,
``days.observed_days``; the dates are computed in Python), and when a notice is due, ONE select of the
people not told yet (``notices.told_clause``) for every due day together; only when someone is, their
choices, and the campaign plans, their heads and their first open tasks (three).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, String, and_, func, literal, select, true, union_all

from partnership_hub import toolkit
from partnership_hub.actions.models import ActionItem
from partnership_hub.actions.services import UNFINISHED, visible_items_clause
from partnership_hub.awareness import campaigns
from partnership_hub.awareness.days import DayEntry, Observed, observed_days
from partnership_hub.awareness.models import CampaignPlan
from partnership_hub.awareness.rules import Occurrence, occurrences_between
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.notifications import notices
from partnership_hub.notifications.services import absolute_url, open_outbox
from partnership_hub.workspaces.models import Membership, Role, User

UPCOMING = "awareness_upcoming"
TODAY = "awareness_today"
PAIRS_MAX = 2000  # (day, person) pairs told per run; any beyond go on the next beat
TASKS_SHOWN = 5  # open tasks listed per plan in a notice ("and N more" beyond)
GIVING_TUESDAY = "toolkit:giving_tuesday"


@dataclass(frozen=True)
class Due:
    """A notice due now about one occurrence of an observed day."""

    kind: str
    day: DayEntry
    when: Occurrence

    @property
    def key(self) -> str:
        return f"{self.day.ref}:{self.when.start.isoformat()}"


def due_notices(observed: Observed, today: date, morning: date) -> list[Due]:
    """The notices due now: ``morning`` is the latest date whose ``notices.SEND_AT`` has come (today from 08:00,
    yesterday before). Lead-time: from the morning ``lead_days`` before the day until the day begins;
    day-of: from the day's morning until the day (or the month) is over. No statement."""
    lead = observed.lead_days
    found = []
    for day in observed.days:
        for hit in occurrences_between(day.rule, morning, morning + timedelta(days=lead)):
            if hit.start <= morning and today <= hit.end:
                found.append(Due(TODAY, day, hit))
            elif hit.start - timedelta(days=lead) <= morning and today < hit.start:
                found.append(Due(UPCOMING, day, hit))
    return found


def _untold(due: list[Due]) -> list[tuple[int, int]]:
    """(index in ``due``, membership id) for every person the kind may reach who has not been told: ONE
    statement for every due notice together (the notices as a list of literals, joined to the people)."""
    parts = []
    for kind in (UPCOMING, TODAY):
        listed = [
            select(
                literal(index, Integer).label("item"),
                literal(notice.day.ref, String).label("ref"),
                literal(notice.when.start.isoformat(), String).label("on"),
            )
            for index, notice in enumerate(due)
            if notice.kind == kind
        ]
        if not listed:
            continue
        items = (listed[0] if len(listed) == 1 else union_all(*listed)).subquery()
        roles = notices.kind_of(kind).roles
        parts.append(
            scoped(
                select(items.c.item, Membership.id.label("membership_id"))
                .select_from(items)
                .join(Membership, true())
                .where(
                    Membership.role.in_(roles) if roles is not None else true(),
                    notices.untold_clause(kind, Membership.id, items.c.ref, items.c.on),
                )
            )
        )
    everything = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    stmt = select(everything).order_by(everything.c.item, everything.c.membership_id).limit(PAIRS_MAX)
    return [(row.item, row.membership_id) for row in db.session.execute(stmt)]


@dataclass(frozen=True)
class PlanSummary:
    """A campaign plan as a notice shows it: what everyone in the workspace may read of it."""

    id: int
    title: str
    owner: str | None
    goal_text: str
    open_tasks: int
    tasks: list[Any]  # (title, due_date), soonest due first, at most ``TASKS_SHOWN``

    @property
    def more_tasks(self) -> int:
        return max(self.open_tasks - len(self.tasks), 0)


def _everyone() -> Membership:
    """A stand-in for "anyone in the workspace" (an observer's view): a notice goes to many people at once,
    so it lists only the tasks every one of them may see (``actions.visible_items_clause``). Never saved."""
    return Membership(role=Role.OBSERVER)


def _plans(ctx: WorkspaceContext, due: list[Due]) -> dict[tuple[str, int], list[PlanSummary]]:
    """The campaign plans of the due days, by (day ref, year): the plans of those years (ONE statement,
    ``campaigns.plans_by_day``), then their owners and open-task counts (ONE) and their first open tasks
    (ONE: a window over the plans' tasks)."""
    by_day = campaigns.plans_by_day(ctx, *sorted({notice.when.start.year for notice in due}))
    wanted = {(notice.day.ref, notice.when.start.year) for notice in due}
    plan_ids = sorted({plan_id for key in wanted for plan_id, _title in by_day.get(key, [])})
    if not plan_ids:
        return {}
    shared = and_(ActionItem.status.in_(UNFINISHED), visible_items_clause(_everyone()))
    owner = (
        select(User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.id == CampaignPlan.owner_membership_id)
        .correlate(CampaignPlan)
        .scalar_subquery()
    )
    open_count = (
        select(func.count(ActionItem.id))
        .where(ActionItem.campaign_plan_id == CampaignPlan.id, shared)
        .correlate(CampaignPlan)
        .scalar_subquery()
    )
    heads = db.session.execute(
        scoped(
            select(CampaignPlan.id, CampaignPlan.title, CampaignPlan.goal_text, owner, open_count)
            .where(CampaignPlan.id.in_(plan_ids))
            .order_by(CampaignPlan.id)
        )
    ).tuples()
    place = (
        func.row_number()
        .over(
            partition_by=ActionItem.campaign_plan_id,
            order_by=(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id),
        )
        .label("place")
    )
    ranked = (
        scoped(
            select(ActionItem.campaign_plan_id, ActionItem.title, ActionItem.due_date, ActionItem.id, place).where(
                ActionItem.campaign_plan_id.in_(plan_ids), shared
            )
        )
    ).subquery()
    tasks: dict[int, list[Any]] = defaultdict(list)
    first = (
        select(ranked.c.campaign_plan_id, ranked.c.title, ranked.c.due_date)
        .where(ranked.c.place <= TASKS_SHOWN)
        .order_by(ranked.c.campaign_plan_id, ranked.c.place)
    )
    for plan_id, title, due_date in db.session.execute(first).tuples():
        tasks[plan_id].append((title, due_date))
    summaries = {
        plan_id: PlanSummary(plan_id, title, owner_name, goal_text, int(count or 0), tasks[plan_id])
        for plan_id, title, goal_text, owner_name, count in heads
    }
    return {
        key: [summaries[plan_id] for plan_id, _title in by_day.get(key, []) if plan_id in summaries] for key in wanted
    }


def plan(ctx: WorkspaceContext, now: datetime) -> int:
    """The awareness area's ``notice_planner``: the lead-time and day-of notices due now, to everyone they
    may reach who has not had them. Returns how many people were told."""
    due = due_notices(observed_days(ctx), ctx.today(now), notices.last_morning(ctx.zone, now))
    if not due:
        return 0
    # The beat is delivery work: ``told_clause`` reads the outbox too (row-level security on PostgreSQL
    # shows it only to delivery work), so someone who takes a notice by email alone is not asked again.
    open_outbox()
    pairs = _untold(due)
    if not pairs:
        return 0
    by_kind: dict[str, set[int]] = defaultdict(set)
    for index, membership_id in pairs:
        by_kind[due[index].kind].add(membership_id)
    people = {
        (kind, person.membership_id): person
        for kind, ids in by_kind.items()
        for person in notices.recipients(ctx, kind, sorted(ids))
    }
    groups: dict[int, list[notices.Recipient]] = defaultdict(list)
    for index, membership_id in pairs:
        person = people.get((due[index].kind, membership_id))
        if person is not None and (person.email_on or person.app_on):
            groups[index].append(person)
    if not groups:
        return 0
    plans = _plans(ctx, [due[index] for index in groups])
    today = ctx.today(now)
    told = 0
    for index, group in sorted(groups.items()):
        notice = due[index]
        told += _tell(ctx, notice, group, plans.get((notice.day.ref, notice.when.start.year), []), today)
    return told


def _in_days(days: int) -> str:
    return "tomorrow" if days == 1 else f"in {days} days"


def _tell(
    ctx: WorkspaceContext, notice: Due, people: list[notices.Recipient], plans: list[PlanSummary], today: date
) -> int:
    day, when = notice.day, notice.when
    days_away = (when.start - today).days
    if notice.kind == TODAY:
        subject = f"{'This month' if when.is_month else 'Today'}: {day.label}"
        title = f"{day.label} {'runs this month' if when.is_month else 'is today'}"
    else:
        subject = f"{_in_days(days_away).capitalize()}: {day.label}, {when.start:%-d %B}"
        title = f"{day.label} is coming up on {when.start:%-d %b %Y}"
    # A single plan is where to go; otherwise the awareness page, which lists the day's plans.
    endpoint, args = "awareness.index", {}
    if len(plans) == 1:
        endpoint, args = "awareness.plan", {"campaign_plan_id": plans[0].id}
    slug = ctx.partnership.slug
    return notices.notify(
        ctx,
        notice.kind,
        people,
        key=notice.key,
        subject=subject,
        title=title,
        endpoint=endpoint,
        args=args,
        template="awareness_day",
        day_name=day.label,
        today=notice.kind == TODAY,
        month=when.is_month,
        on=f"{when.start:%B %Y}" if when.is_month and notice.kind == TODAY else f"{when.start:%A %-d %B %Y}",
        in_days=_in_days(days_away),
        description=day.description or (toolkit.GIVING_TUESDAY_NOTE if day.ref == GIVING_TUESDAY else ""),
        plans=plans,
        plan_links={plan.id: absolute_url("awareness.plan", slug=slug, campaign_plan_id=plan.id) for plan in plans},
    )
