"""What the action plan adds to the digests (``Area.digest``): unfinished action items that are overdue
or due in the coming period, under their goal or the meeting they came from (else in "Action items"),
each as confidential as that goal and meeting (``services.visible_items_clause`` in Python: the digest
checks the goal's and the meeting's visibility facts for each reader). ONE statement: a LIMIT walk of
every due item, and one of the readers' own (so a busy plan cannot push someone's items out of their
digest)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select, union_all
from sqlalchemy.orm import aliased

from partnership_hub.actions.models import ActionItem
from partnership_hub.actions.services import UNFINISHED
from partnership_hub.db import scoped
from partnership_hub.extensions import db
from partnership_hub.goals.models import Goal
from partnership_hub.meetings.models import Meeting
from partnership_hub.notifications.digest import DigestBuild

SECTION = "actions"
ITEMS_MAX = 200  # due items in one partnership's digests, and as many of the readers' own


def contribute(build: DigestBuild) -> None:
    """Action items due by the end of the longest period due (overdue ones included)."""
    build.section(SECTION, "Action items", order=30)
    due = and_(
        ActionItem.status.in_(UNFINISHED), ActionItem.due_date.is_not(None), ActionItem.due_date <= build.last_day
    )
    soonest = (ActionItem.due_date, ActionItem.id)
    every = select(ActionItem.id).where(due).order_by(*soonest).limit(ITEMS_MAX)
    theirs = (
        select(ActionItem.id)
        .where(due, ActionItem.assignee_membership_id.in_(build.reader_ids))
        .order_by(*soonest)
        .limit(ITEMS_MAX)
    )
    # SQLite takes no LIMIT on a bare member of a UNION: each limited part goes in as a subquery.
    ids = union_all(scoped(every).subquery().select(), scoped(theirs).subquery().select()).subquery()
    meeting = aliased(Meeting)
    stmt = (
        select(
            ActionItem.id,
            ActionItem.title,
            ActionItem.due_date,
            ActionItem.assignee_membership_id,
            Goal.id.label("goal_id"),
            Goal.title.label("goal_title"),
            Goal.confidentiality.label("goal_level"),
            Goal.author_membership_id.label("goal_author"),
            Goal.owner_membership_id.label("goal_owner"),
            meeting.id.label("meeting_id"),
            meeting.title.label("meeting_title"),
            meeting.starts_at.label("meeting_starts_at"),
            meeting.confidentiality.label("meeting_level"),
            meeting.author_membership_id.label("meeting_author"),
        )
        .where(ActionItem.id.in_(select(ids.c.id)))
        .outerjoin(Goal, Goal.id == ActionItem.goal_id)
        .outerjoin(meeting, meeting.id == ActionItem.meeting_id)
        .order_by(*soonest)
    )
    for row in db.session.execute(scoped(stmt)).all():
        _add_item(build, row)


def _add_item(build: DigestBuild, row: Any) -> None:
    seen = []
    goal_seen = meeting_seen = None
    if row.goal_id is not None:
        goal_seen = build.seen(Goal, row.goal_id, row.goal_level, row.goal_author)
        seen.append(goal_seen)
    if row.meeting_id is not None:
        meeting_seen = build.seen(Meeting, row.meeting_id, row.meeting_level, row.meeting_author)
        seen.append(meeting_seen)
    if row.goal_id is not None:
        group = build.group(
            ("goal", row.goal_id),
            "goals",
            title=row.goal_title,
            link=build.link("goals.detail", goal_id=row.goal_id),
            seen=(goal_seen,),
        )
    elif row.meeting_id is not None:
        group = build.group(
            ("meeting", row.meeting_id),
            "meetings",
            title=row.meeting_title,
            link=build.link("meetings.detail", meeting_id=row.meeting_id),
            at=row.meeting_starts_at,
            seen=(meeting_seen,),
        )
    else:
        group = build.group(("section", SECTION), SECTION)
    overdue = row.due_date < build.today
    concerned = {mid for mid in (row.assignee_membership_id, row.goal_owner) if mid is not None}
    group.line(
        row.title,
        link=build.link("actions.detail", action_item_id=row.id),
        on=row.due_date,
        detail="Assigned to {person}" if row.assignee_membership_id else "Not assigned",
        person=row.assignee_membership_id,
        flag="Overdue" if overdue else "",
        seen=tuple(seen),
        concerns=frozenset(concerned),
        in_period=True,
        needs_you=True,
    )
