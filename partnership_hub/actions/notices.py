"""Notices about action items: "due soon" (``action_due_soon``) and "overdue" (``action_overdue``), to the
person an item is assigned to (an item has no other owner), planned by the notifications beat (``plan``,
the area's ``notice_planner``, every five minutes).

- Due soon: the item's due date is today or within ``DUE_SOON_DAYS`` days — three, so an item due on
  Monday is announced on Friday morning, with a working day left for it — told once per item and due
  date (a new due date is told again).
- Overdue: once, the day after the due date (or on one of the ``OVERDUE_WITHIN_DAYS`` days after it, when
  the beat was down or the item was written late; never for items overdue longer, so a restart or an
  old plan imported does not flood anyone).
- Both from ``notices.SEND_AT`` (08:00) in the assignee's time zone (their choice, else their account's, else
  the partnership's), and never for items done or cancelled.
- Only to an assignee who may see the item: an item under a goal is as confidential as the goal, one
  from a meeting as the meeting (``services.visible_items_clause``); ``assignee_sees_item`` is that rule
  with the assignee as a column of the statement.

A plan is a fixed number of statements per partnership, whatever the size of the plan: ONE bounded read
of the items due in the window that someone has not been told about yet (``notices.told_clause``: what
was sent is never read again), the assignees' choices (one statement per kind), and then each notice's
own writes (``notices.notify``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import aliased

from partnership_hub.actions.models import ActionItem
from partnership_hub.actions.services import UNFINISHED
from partnership_hub.confidentiality import Confidential, ConfidentialGrant, Level, board_clause
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.goals.models import Goal
from partnership_hub.notifications import notices
from partnership_hub.notifications.services import open_outbox
from partnership_hub.workspaces.models import Membership, Role

DUE_SOON = "action_due_soon"
OVERDUE = "action_overdue"
DUE_SOON_DAYS = 3
OVERDUE_WITHIN_DAYS = 3
BATCH = 500  # items read per plan; the rest wait for the next beat (five minutes)
# Anyone's today is the UTC date give or take one day (zones run from UTC-12 to UTC+14).
ZONE_SLACK = timedelta(days=1)


def admits(model: type[Confidential], member: Any, today: date) -> ColumnElement[bool]:
    """SQL: ``member`` (a ``Membership`` entity or alias in the statement) may see the ``model`` row:
    ``confidentiality.visibility_clause`` with the person as a column instead of a value, for a statement
    that asks it of many people at once (by level and role, authorship, the board or an unexpired grant;
    observers see ``workspace`` records only). ``tests/actions/test_notices.py`` proves it agrees with
    ``confidentiality.may_see``."""
    level = model.confidentiality
    author = getattr(model, model.confidential_author)
    # Correlated explicitly: ``member`` may sit two SELECTs up (the item's statement, around the goal's).
    granted = (
        exists()
        .where(
            ConfidentialGrant.record_kind == model.confidential_kind,
            ConfidentialGrant.record_id == model.id,
            ConfidentialGrant.membership_id == member.id,
            or_(ConfidentialGrant.ends_on.is_(None), ConfidentialGrant.ends_on >= today),
        )
        .correlate_except(ConfidentialGrant)
    )
    on_board = board_clause(member.id, today).correlate_except(ConfidentialGrant)
    above_workspace = or_(
        and_(level == Level.LEADERSHIP, member.role == Role.COORDINATOR),
        and_(level == Level.PRIVATE, author == member.id),
        and_(level == Level.ADVISORY, on_board),
        granted,
    )
    return or_(level == Level.WORKSPACE, and_(member.role != Role.OBSERVER, above_workspace))


def assignee_sees_item(assignee: Any, today: date) -> ColumnElement[bool]:
    """SQL: the item's assignee (``assignee``, joined) may see it — ``services.visible_items_clause``'s rule:
    its goal and the meeting it came from, where it has them, are visible to them."""
    from partnership_hub.meetings.models import Meeting  # the meetings area builds on this one

    goal = select(Goal.id).where(Goal.id == ActionItem.goal_id, admits(Goal, assignee, today))
    meeting = select(Meeting.id).where(Meeting.id == ActionItem.meeting_id, admits(Meeting, assignee, today))
    return and_(
        or_(ActionItem.goal_id.is_(None), goal.exists()),
        or_(ActionItem.meeting_id.is_(None), meeting.exists()),
    )


def _key(item_id: int, due: date) -> str:
    return f"{item_id}:{due.isoformat()}"


def _candidates(ctx: WorkspaceContext, now: datetime) -> Sequence[Any]:
    """The unfinished, assigned items due in the window of either notice (anyone's today, from the UTC
    date) whose assignee may see them and has not been told one of the notices that may still be due:
    ONE statement, soonest due first, at most ``BATCH``."""
    utc_today = now.astimezone(UTC).date()
    assignee = aliased(Membership, name="assignee")
    told_soon = notices.told_clause(DUE_SOON, ActionItem.assignee_membership_id, ActionItem.id, ActionItem.due_date)
    told_overdue = notices.told_clause(OVERDUE, ActionItem.assignee_membership_id, ActionItem.id, ActionItem.due_date)
    earliest_soon = utc_today - ZONE_SLACK
    latest_overdue = utc_today + ZONE_SLACK - timedelta(days=1)
    stmt = (
        select(
            ActionItem.id,
            ActionItem.title,
            ActionItem.due_date,
            ActionItem.assignee_membership_id,
            told_soon.label("told_soon"),
            told_overdue.label("told_overdue"),
        )
        .join(assignee, assignee.id == ActionItem.assignee_membership_id)
        .where(
            ActionItem.status.in_(UNFINISHED),
            ActionItem.due_date.between(
                utc_today - ZONE_SLACK - timedelta(days=OVERDUE_WITHIN_DAYS),
                utc_today + ZONE_SLACK + timedelta(days=DUE_SOON_DAYS),
            ),
            or_(
                and_(ActionItem.due_date >= earliest_soon, ~told_soon),
                and_(ActionItem.due_date <= latest_overdue, ~told_overdue),
            ),
            assignee.role != Role.OBSERVER,
            assignee_sees_item(assignee, ctx.today(now)),
        )
        .order_by(ActionItem.due_date, ActionItem.id)
        .limit(BATCH)
    )
    return db.session.execute(scoped(stmt)).all()


def _due_text(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def plan(ctx: WorkspaceContext, now: datetime) -> int:
    """The area's ``notice_planner``: tell each assignee about their items that have come due soon or
    gone overdue (see the module docstring), once. Returns how many people were told."""
    # The beat is delivery work: ``told_clause`` reads the outbox too (on PostgreSQL only delivery work may),
    # so someone who takes a notice by email alone is not read again.
    open_outbox()
    rows = _candidates(ctx, now)
    if not rows:
        return 0
    assignees = sorted({row.assignee_membership_id for row in rows})
    people = {
        kind: {p.membership_id: p for p in notices.recipients(ctx, kind, assignees)} for kind in (DUE_SOON, OVERDUE)
    }
    told = 0
    for row in rows:
        for kind, already in ((DUE_SOON, row.told_soon), (OVERDUE, row.told_overdue)):
            person = people[kind].get(row.assignee_membership_id)
            if person is None or already:
                continue
            local_today = now.astimezone(person.tz).date()
            if notices.last_morning(person.tz, now) != local_today:  # before 08:00 their time
                continue
            days = (row.due_date - local_today).days
            if kind == DUE_SOON and 0 <= days <= DUE_SOON_DAYS:
                subject = f"Due {_due_text(days)}: {row.title}"
            elif kind == OVERDUE and -OVERDUE_WITHIN_DAYS <= days <= -1:
                subject = f"Overdue: {row.title}"
            else:
                continue
            told += notices.notify(
                ctx,
                kind,
                [person],
                key=_key(row.id, row.due_date),
                subject=subject,
                title=subject,
                endpoint="actions.detail",
                args={"action_item_id": row.id},
                template=kind,
                item_title=row.title,
                due_date=row.due_date,
                due_text=_due_text(days) if days >= 0 else "",
            )
    return told
