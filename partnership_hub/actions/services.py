"""Action plan rules: who sees which action items, listing with filters and pages, adding, editing,
changing the status, removing, the CSV export, and what the home page and setup guide need.

An action item linked to a goal is exactly as confidential as that goal: a person who may not see
the goal does not see the item either (it is left out of lists and counts, and its page is a 404).
Services that depend on the date take ``today`` so callers (and tests) decide what day it is;
views pass the partnership's (``ctx.today()``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Date, Select, and_, func, or_, select, true, union_all
from sqlalchemy.orm import aliased

from partnership_hub.accounts.models import User
from partnership_hub.actions.models import ActionItem, ActionStatus
from partnership_hub.areas import WORK_COUNT_CAP, WorkItem, WorkList, WorkQuery, WorkRow, work_columns
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import (
    VIEWER_TODAY,
    Shape,
    SqlDate,
    note_reads_of,
    permission_shape,
    shared_viewer,
    viewer_parameter,
    visibility_clause,
)
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import max_length
from partnership_hub.goals.models import Goal, Objective
from partnership_hub.goals.queries import pick_goals, pick_objectives
from partnership_hub.pagination import COUNT_CAP, Page, paginate
from partnership_hub.parsing import date_error, form_text, parse_date, parse_id
from partnership_hub.picking import Pick, chosen_ids, clean_query
from partnership_hub.policies import can
from partnership_hub.workspaces.models import Membership, Role
from partnership_hub.workspaces.services import capped_count, pick_people

PAGE_SIZE = 25
TITLE_MAX = max_length(ActionItem.__table__.c.title)
DESCRIPTION_MAX = 4000  # the column is TEXT; longer than this is a document, not an action

STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.CANCELLED: "Cancelled",
}
UNFINISHED = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "goal_id",
    "objective_id",
    "assignee_membership_id",
    "due_date",
    "status",
)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- who sees what ------------------------------------------------------------------------------


def visible_items_clause(membership: Membership | None, today: SqlDate | None = None) -> ColumnElement[bool]:
    """Action items ``membership`` may see: unlinked ones, and those under a goal they may see (the
    goals' one confidentiality rule, the confidentiality layer's ``visibility_clause``) — and, for an
    item that came from a meeting, only if they may see that meeting too (``meeting_visible_clause``)."""
    # Correlated (one primary-key probe per item), not ``goal_id IN (every visible goal)``: a list
    # that stops after a page — the activity feed, the home panel — then reads only that page.
    # Correlated to the item only: a statement that also joins goals keeps its own ``goals`` here.
    # The OFFSET 0 keeps PostgreSQL from hashing every visible goal instead, which it prefers when it
    # expects many items — a capped count of 1,000 — and which reads the whole partnership's goals.
    visible_goal = (
        select(Goal.id)
        .where(Goal.id == ActionItem.goal_id, visibility_clause(Goal, membership, today))
        .correlate(ActionItem)
        .offset(0)
    )
    return and_(or_(ActionItem.goal_id.is_(None), visible_goal.exists()), meeting_visible_clause(membership, today))


def meeting_visible_clause(membership: Membership | None, today: SqlDate | None = None) -> ColumnElement[bool]:
    """An item from a meeting is as confidential as the meeting: an action agreed at an advisory board
    meeting is not for everyone's action plan. Items from no meeting pass (one probe per item that has one)."""
    from partnership_hub.meetings.models import Meeting  # the meetings area builds on this one

    visible_meeting = (
        select(Meeting.id)
        .where(Meeting.id == ActionItem.meeting_id, visibility_clause(Meeting, membership, today))
        .correlate(ActionItem)
        .offset(0)  # a probe per item, never a hash of every visible meeting (as for goals above)
    )
    return or_(ActionItem.meeting_id.is_(None), visible_meeting.exists())


def visible_item_ids(membership: Membership | None, today: SqlDate) -> Select[tuple[int]]:
    """The ids of action items ``membership`` may see on ``today`` (the activity feed's filter)."""
    return select(ActionItem.id).where(visible_items_clause(membership, today))


def overdue_clause(today: date):
    return and_(ActionItem.due_date < today, ActionItem.status.in_(UNFINISHED))


def is_overdue(item: ActionItem, today: date) -> bool:
    return _is_overdue(item.due_date, item.status, today)


def _is_overdue(due_date: date | None, status: ActionStatus, today: date) -> bool:
    return due_date is not None and due_date < today and status in UNFINISHED


# --- reading ------------------------------------------------------------------------------------


@dataclass
class ActionEntry:
    """An action item with what its pages show next to it (loaded in the same query)."""

    item: ActionItem
    goal: Goal | None
    objective: Objective | None
    assignee: Membership | None
    assignee_user: User | None
    overdue: bool

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.item.status]


@dataclass(frozen=True)
class ActionFilters:
    """What the action plan is narrowed to. Empty values mean "any"."""

    status: str = ""
    assignee: str = ""  # "", "me", "none" or a membership id
    goal: str = ""  # "", "none" or a goal id
    overdue: bool = False

    @property
    def active(self) -> bool:
        return bool(self.status or self.assignee or self.goal or self.overdue)

    def query_args(self) -> dict[str, str]:
        """The filters as URL query arguments (for pagination links and the CSV link)."""
        args = {"status": self.status, "assignee": self.assignee, "goal": self.goal}
        if self.overdue:
            args["overdue"] = "1"
        return {key: value for key, value in args.items() if value}


AssigneeMembership = aliased(Membership, name="assignee_membership")
AssigneeUser = aliased(User, name="assignee_user")


def _entries_stmt():
    return (
        select(ActionItem, Goal, Objective, AssigneeMembership, AssigneeUser)
        .outerjoin(Goal, Goal.id == ActionItem.goal_id)
        .outerjoin(Objective, Objective.id == ActionItem.objective_id)
        .outerjoin(AssigneeMembership, AssigneeMembership.id == ActionItem.assignee_membership_id)
        .outerjoin(AssigneeUser, AssigneeUser.id == AssigneeMembership.user_id)
    )


def _filtered(stmt, ctx: WorkspaceContext, filters: ActionFilters, today: date):
    return _narrowed(stmt.where(visible_items_clause(ctx.membership, today)), ctx, filters, today)


def _narrowed(stmt, ctx: WorkspaceContext, filters: ActionFilters, today: date):
    """``stmt`` narrowed to ``filters`` (visibility is the caller's: see ``_filtered``)."""
    if filters.status:
        stmt = stmt.where(ActionItem.status == ActionStatus(filters.status))
    if filters.assignee == "me":
        stmt = stmt.where(ActionItem.assignee_membership_id == (ctx.membership.id if ctx.membership else None))
    elif filters.assignee == "none":
        stmt = stmt.where(ActionItem.assignee_membership_id.is_(None))
    elif filters.assignee:
        stmt = stmt.where(ActionItem.assignee_membership_id == parse_id(filters.assignee))
    if filters.goal == "none":
        stmt = stmt.where(ActionItem.goal_id.is_(None))
    elif filters.goal:
        stmt = stmt.where(ActionItem.goal_id == parse_id(filters.goal))
    if filters.overdue:
        stmt = stmt.where(overdue_clause(today))
    return stmt


def _grouped_order(stmt):
    """By goal (unlinked items last), then the soonest due first (no due date last)."""
    return stmt.order_by(
        Goal.id.is_(None),
        func.lower(Goal.title),
        Goal.id,
        ActionItem.due_date.asc().nulls_last(),
        ActionItem.id,
    )


def _entry(row: Sequence[Any], today: date) -> ActionEntry:
    item, goal, objective, assignee, user = row
    return ActionEntry(item, goal, objective, assignee, user, is_overdue(item, today))


def _entries(rows, today: date) -> list[ActionEntry]:
    return [_entry(row, today) for row in rows]


def search_items(
    ctx: WorkspaceContext, filters: ActionFilters, today: date, page: int = 1, page_size: int = PAGE_SIZE
) -> Page[ActionEntry]:
    """One page of the action plan as ``ctx``'s member may see it, grouped by goal, with the total
    counted up to ``COUNT_CAP`` items past the page (one query; a page past the end shows the last
    page). See ``_page_keys`` for why the page reads a bounded number of rows at any size."""

    def top(rows: int) -> Select[Any]:
        keys = _page_keys(ctx, filters, today, rows)
        return _grouped_order(_entries_stmt().join(keys, keys.c.id == ActionItem.id))

    count = _filtered(select(ActionItem.id), ctx, filters, today)
    return paginate(top, page, page_size, row=lambda row: _entry(row, today), cap=COUNT_CAP, count_from=count)


def _page_keys(ctx: WorkspaceContext, filters: ActionFilters, today: date, rows: int):
    """The ids of the first ``rows`` items of the plan in its grouped order, as a subquery: the items
    under goals (goals by title, each goal's items soonest due first) and the unlinked ones (soonest
    due first), each part ordered and LIMITed on its own, so each is a LIMIT scan of an index (goals
    by ``lower(title)`` walked with each goal's items by due date; unlinked items by due date) and
    the page's final sort sees at most ``2 × rows`` rows. Confidentiality: an item under a goal is
    visible exactly when its goal is (``visible_items_clause``'s rule, applied to the joined goal);
    an unlinked item is visible to every member."""
    soonest = ActionItem.due_date.asc().nulls_last()
    linked = (
        select(ActionItem.id)
        .join(Goal, Goal.id == ActionItem.goal_id)
        .where(visibility_clause(Goal, ctx.membership))
        .order_by(func.lower(Goal.title), Goal.id, soonest, ActionItem.id)
        .limit(rows)
    )
    unlinked = select(ActionItem.id).where(ActionItem.goal_id.is_(None)).order_by(soonest, ActionItem.id).limit(rows)
    from_meeting = meeting_visible_clause(ctx.membership)
    parts = [_narrowed(part.where(from_meeting), ctx, filters, today).subquery() for part in (linked, unlinked)]
    return union_all(*(select(part.c.id) for part in parts)).subquery("page_keys")


def get_entry(ctx: WorkspaceContext, action_item_id: Any, today: date) -> ActionEntry:
    """One action item ``ctx``'s member may see, with its goal, objective and assignee (one query).
    ``NotFound`` when there is none — also when its goal is one this person may not see."""
    action_item_id = parse_id(action_item_id)
    if action_item_id is None:
        raise NotFound("action item (not an id)")
    stmt = _entries_stmt().where(ActionItem.id == action_item_id, visible_items_clause(ctx.membership))
    rows = _entries(db.session.execute(scoped(stmt)).tuples(), today)
    if not rows:
        raise NotFound(f"action item {action_item_id}")
    return rows[0]


def open_items_for(
    ctx: WorkspaceContext, membership: Membership, today: date, limit: int | None = None
) -> list[ActionEntry]:
    """``membership``'s unfinished action items (as they may see them), soonest due first, each with
    its overdue flag (one query). For the home page and digests."""
    stmt = (
        _entries_stmt()
        .where(
            ActionItem.assignee_membership_id == membership.id,
            ActionItem.status.in_(UNFINISHED),
            visible_items_clause(membership),
        )
        .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return _entries(db.session.execute(scoped(stmt)).tuples(), today)


def overdue_count_query(ctx: WorkspaceContext, today: date):
    """How many overdue items ``ctx``'s member may see, as a scalar subquery (for ``select_scalars``)."""
    return (
        select(func.count(ActionItem.id))
        .where(overdue_clause(today), visible_items_clause(ctx.membership))
        .scalar_subquery()
    )


def overdue_count(ctx: WorkspaceContext, today: date) -> int:
    """How many overdue items ``ctx``'s member may see (one query)."""
    return db.session.scalar(select(overdue_count_query(ctx, today))) or 0


def assignee_name(viewer: Membership | None, entry: ActionEntry) -> str:
    """The assignee's name, or who they are without it where the viewer may not see that person
    (survivor advisors' identities stay with coordinators and advisors; observers see no names)."""
    if entry.assignee is None:
        return ""
    return _person_name(viewer, entry.assignee, None if entry.assignee_user is None else entry.assignee_user.name)


class _Person(Protocol):
    """What the members' record rule reads of a membership (a ``Membership``, or a row of its columns)."""

    @property
    def role(self) -> Role: ...
    @property
    def user_id(self) -> int: ...


def _person_name(viewer: Membership | None, assignee: _Person, user_name: str | None) -> str:
    """``assignee_name`` for an assignee and their user's name (None when there is no user)."""
    if user_name is not None and can(viewer, "members.view", assignee):
        return user_name
    return "A survivor advisor" if assignee.role == Role.SURVIVOR_ADVISOR else "A partnership member"


# --- pickers for the filters -------------------------------------------------------------------

# The filters' fixed choices come first in their pickers, before the chosen record and the matches.
ASSIGNEE_FILTERS: tuple[tuple[str, str], ...] = (("", "Anyone"), ("me", "Me"), ("none", "Nobody yet"))
GOAL_FILTERS: tuple[tuple[str, str], ...] = (("", "Any goal"), ("none", "Not linked to a goal"))


def pick_assignee_filter(ctx: WorkspaceContext, query: str, current: str) -> Pick:
    """People to narrow the plan to besides "me" and "nobody": the one filtered on now and a page of
    matches for ``query`` (two bounded queries); none for people who may not see the members."""
    if not ctx.can("members.view"):
        return Pick(query=clean_query(query))
    return pick_people(ctx, query, chosen_ids([current]))


def pick_goal_filter(ctx: WorkspaceContext, query: str, current: str) -> Pick:
    """Goals to narrow the plan to: the one filtered on now and a page of matches for ``query``
    (two bounded queries, only goals ``ctx``'s member may see)."""
    return pick_goals(ctx, query, chosen_ids([current]))


# --- pickers for the form ------------------------------------------------------------------------

FORM_PICKERS: dict[str, tuple[Callable[..., Pick], str]] = {
    "goal_id": (pick_goals, "No goal"),
    "objective_id": (pick_objectives, "No objective"),
    "assignee_membership_id": (pick_people, "Nobody yet"),
}


def form_pickers(ctx: WorkspaceContext, values: dict[str, Any], entry: ActionEntry | None = None) -> dict[str, Pick]:
    """The form's goal, objective and assignee pickers for the chosen ``values``: each holds the
    chosen record and a page of matches (at most two bounded queries each). A chosen record whose
    label is known already — the edited item's own links (``entry``), or the editor themself — is not
    looked up again, so the edit page runs one query per picker."""
    known = _known_labels(ctx, entry)
    pickers = {}
    for name, (pick, blank) in FORM_PICKERS.items():
        chosen = chosen_ids([values.get(name)])
        label = known.get(name)
        if chosen and label and label[0] == chosen[0]:
            found = pick(ctx, "", [], blank=blank)
            found.chosen = [(str(label[0]), label[1])]
            found.matches = [match for match in found.matches if match[0] != str(label[0])]
        else:
            found = pick(ctx, "", chosen, blank=blank)
        pickers[name] = found
    return pickers


def _known_labels(ctx: WorkspaceContext, entry: ActionEntry | None) -> dict[str, tuple[int, str]]:
    """The labels the pickers would show for records already loaded and visible to the editor."""
    known: dict[str, tuple[int, str]] = {}
    me = ctx.membership
    if me is not None and ctx.user is not None and me.role != Role.OBSERVER:
        known["assignee_membership_id"] = (me.id, ctx.user.name)
    if entry is None:
        return known
    # The item is visible, so its goal is (the item is exactly as confidential as its goal).
    if entry.goal is not None:
        known["goal_id"] = (entry.goal.id, entry.goal.title)
        if entry.objective is not None and entry.objective.goal_id == entry.goal.id:
            known["objective_id"] = (entry.objective.id, f"{entry.goal.title} › {entry.objective.title}")
    assignee, user = entry.assignee, entry.assignee_user
    # The people picker's own rule: members who take part, survivor advisors only for those who may know them.
    if (
        assignee is not None
        and user is not None
        and assignee.role != Role.OBSERVER
        and can(me, "members.view", assignee)
    ):
        known["assignee_membership_id"] = (assignee.id, user.name)
    return known


# --- validation and writes ----------------------------------------------------------------------


def _record_id(value: Any, field: str, message: str) -> int | None:
    if value in (None, ""):
        return None
    record_id = parse_id(value)
    if record_id is None:
        raise ServiceError(message, field)
    return record_id


def parse_due_date(value: Any) -> date | None:
    """A due date from a form (``YYYY-MM-DD``) or a ``date``; ServiceError for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    message = "Enter the due date as year-month-day, e.g. 2026-05-31."
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value.strip()):
        raise ServiceError(message, "due_date")
    due = parse_date(value)
    if due is None:
        try:
            date.fromisoformat(value.strip())
        except ValueError:  # not a day at all (2026-02-30)
            raise ServiceError(message, "due_date") from None
        raise ServiceError(date_error(value) or message, "due_date")  # a real day, out of range
    return due


def clean_action_data(ctx: WorkspaceContext, data: dict[str, Any]) -> dict[str, Any]:
    """Checked values for an action item; ServiceError (naming the field) for the first problem.

    Linked records must be in this partnership and visible to the editor; an objective must belong
    to the chosen goal, and choosing only an objective links its goal too."""
    cleaned: dict[str, Any] = {"title": form_text(data, "title", TITLE_MAX)}
    if not cleaned["title"]:
        raise ServiceError("Enter what needs to be done.", "title")
    cleaned["description"] = form_text(data, "description", DESCRIPTION_MAX)

    status = data.get("status") or ActionStatus.OPEN
    try:
        cleaned["status"] = ActionStatus(status)
    except ValueError:
        raise ServiceError("Choose a status from the list.", "status") from None
    cleaned["due_date"] = parse_due_date(data.get("due_date"))

    goal_message = "Choose a goal from the list."
    goal_id = _record_id(data.get("goal_id"), "goal_id", goal_message)
    objective_id = _record_id(data.get("objective_id"), "objective_id", "Choose an objective from the list.")
    if objective_id is not None:
        objective = db.session.scalars(
            scoped(
                select(Objective)
                .join(Goal, Goal.id == Objective.goal_id)
                .where(Objective.id == objective_id, visibility_clause(Goal, ctx.membership, ctx.today()))
            )
        ).one_or_none()
        if objective is None:
            raise ServiceError("Choose an objective from the list.", "objective_id")
        if goal_id is None:
            goal_id = objective.goal_id
        elif objective.goal_id != goal_id:
            raise ServiceError("Choose an objective of the selected goal, or no objective.", "objective_id")
    if goal_id is not None:
        visible = db.session.scalar(
            scoped(select(Goal.id).where(Goal.id == goal_id, visibility_clause(Goal, ctx.membership, ctx.today())))
        )
        if visible is None:
            raise ServiceError(goal_message, "goal_id")
    cleaned["goal_id"], cleaned["objective_id"] = goal_id, objective_id

    assignee_message = "Choose someone from the partnership, or nobody."
    assignee_id = _record_id(data.get("assignee_membership_id"), "assignee_membership_id", assignee_message)
    if assignee_id is not None:
        assignee = db.session.scalars(scoped(select(Membership).where(Membership.id == assignee_id))).one_or_none()
        if assignee is None or assignee.role == Role.OBSERVER or not can(ctx.membership, "members.view", assignee):
            raise ServiceError(assignee_message, "assignee_membership_id")
    cleaned["assignee_membership_id"] = assignee_id
    return cleaned


def _apply_status(item: ActionItem, status: ActionStatus) -> None:
    if status == ActionStatus.DONE and item.status != ActionStatus.DONE:
        item.completed_at = utcnow()
    elif status != ActionStatus.DONE:
        item.completed_at = None
    item.status = status


def create_item(
    ctx: WorkspaceContext,
    data: dict[str, Any],
    *,
    meeting_id: int | None = None,
    agenda_item_id: int | None = None,
    campaign_plan_id: int | None = None,
) -> ActionItem:
    """Add an action item to the plan (created by ``ctx``'s member). ``meeting_id``/``agenda_item_id``:
    the meeting (and agenda item) it came from; ``campaign_plan_id``: the awareness campaign it is a
    task of. The calling area checks them before it calls this."""
    cleaned = clean_action_data(ctx, data)
    status = cleaned.pop("status")
    author = ctx.membership.id if ctx.membership else None
    item = ActionItem(
        **cleaned,
        status=ActionStatus.OPEN,
        created_by_membership_id=author,
        meeting_id=meeting_id,
        agenda_item_id=agenda_item_id,
        campaign_plan_id=campaign_plan_id,
    )
    _apply_status(item, status)
    db.session.add(item)
    db.session.flush()
    audit.record(
        ctx,
        "action_item.created",
        "action_item",
        item.id,
        status=item.status.value,
        goal_id=item.goal_id,
        objective_id=item.objective_id,
        assignee_membership_id=item.assignee_membership_id,
        meeting_id=item.meeting_id,
        campaign_plan_id=item.campaign_plan_id,
    )
    return item


def update_item(ctx: WorkspaceContext, item: ActionItem, data: dict[str, Any]) -> ActionItem:
    """Change an action item; the audit entry names the fields that changed (not their values)."""
    cleaned = clean_action_data(ctx, data)
    changed = sorted(name for name, value in cleaned.items() if getattr(item, name) != value)
    if not changed:
        return item
    for name in changed:
        if name == "status":
            _apply_status(item, cleaned[name])
        else:
            setattr(item, name, cleaned[name])
    db.session.flush()
    audit.record(ctx, "action_item.updated", "action_item", item.id, fields=changed)
    return item


def change_status(ctx: WorkspaceContext, item: ActionItem, status: Any) -> bool:
    """Move an item to ``status`` (a key); False when it already had it. ServiceError for an unknown one."""
    try:
        status = ActionStatus(status)
    except ValueError:
        raise ServiceError("Choose a status from the list.", "status") from None
    if item.status == status:
        return False
    previous = item.status
    _apply_status(item, status)
    db.session.flush()
    audit.record(ctx, "action_item.status_changed", "action_item", item.id, old=previous.value, new=status.value)
    return True


def delete_item(ctx: WorkspaceContext, item: ActionItem) -> None:
    """Remove an action item from the plan."""
    audit.record(ctx, "action_item.deleted", "action_item", item.id, goal_id=item.goal_id)
    db.session.delete(item)
    db.session.flush()


# --- the setup guide ----------------------------------------------------------------------------


def setup_fact_queries(ctx: WorkspaceContext) -> dict[str, Any]:
    """What the setup guide needs to know about the action plan, as a scalar subquery (counted up to
    ``FACT_CAP``: the guide asks whether there is any) over the items the viewer may see."""
    visible = visible_items_clause(ctx.membership, ctx.today()) if ctx.membership else true()
    return {"action_items": capped_count(select(ActionItem.id).where(visible))}


# --- the CSV export -----------------------------------------------------------------------------

EXPORT_BATCH = 500  # rows the export reads at a time (plain rows of a few columns: a worker keeps a batch's memory)
CSV_HEADER = ("Action", "Status", "Overdue", "Due date", "Assigned to", "Goal", "Objective", "Description")


def export_rows(ctx: WorkspaceContext, filters: ActionFilters, today: date) -> Iterator[tuple[object, ...]]:
    """The visible action items matching ``filters``, grouped by goal, as CSV rows (``CSV_HEADER``'s
    columns). One query, run as the download streams and read ``EXPORT_BATCH`` rows at a time, whatever
    the count."""
    # The statement is built now, from the request's context; ``csv_response`` runs it in a session
    # bound to the same partnership once the response starts streaming. It is the plan's statement
    # (the same FROM, visibility, filters and order) reading plain rows of the columns the file shows:
    # no ORM objects per row.
    # The file names each item's goal: a confidential goal is logged as the goals' exports log theirs.
    goals_named = _filtered(select(ActionItem.goal_id), ctx, filters, today)
    note_reads_of(Goal, select(Goal).where(Goal.id.in_(goals_named)))
    stmt = (
        _grouped_order(_filtered(_entries_stmt(), ctx, filters, today))
        .with_only_columns(
            ActionItem.title,
            ActionItem.status,
            ActionItem.due_date,
            ActionItem.description,
            Goal.title,
            Objective.title,
            AssigneeMembership.id,
            AssigneeMembership.role,
            AssigneeMembership.user_id,
            AssigneeUser.name,
            maintain_column_froms=True,
        )
        .execution_options(yield_per=EXPORT_BATCH)
    )
    viewer = ctx.membership
    # The name each assignee is shown by, decided once per person (at most the partnership's members).
    names: dict[int, str] = {}

    def rows() -> Iterator[tuple[object, ...]]:
        for title, status, due, description, goal, objective, assignee, role, user_id, user_name in db.session.execute(
            scoped(stmt)
        ).tuples():
            name = "" if assignee is None else names.get(assignee)
            if name is None:
                name = names[assignee] = _person_name(viewer, _Assignee(role, user_id), user_name)
            yield (
                title,
                STATUS_LABELS[status],
                "yes" if _is_overdue(due, status, today) else "no",
                due.isoformat() if due else "",
                name,
                goal or "",
                objective or "",
                description,
            )

    return rows()


@dataclass(frozen=True)
class _Assignee:
    """An assignee read as columns, for the members' record rule (``_Person``)."""

    role: Role
    user_id: int


# --- the home's "Your work" ---------------------------------------------------------------------

UPCOMING_DAYS = 14  # "upcoming" on the home: due within the next two weeks


# the last day "Your action items" looks at
DUE_BY = viewer_parameter("actions_due_by", Date(), lambda ctx: ctx.today() + timedelta(days=UPCOMING_DAYS))


def due_soon_clause(membership_id: Any, due_by: SqlDate) -> ColumnElement[bool]:
    """Items assigned to ``membership_id`` that were due already or are due by ``due_by`` (whatever
    their status: callers walk the unfinished statuses one by one)."""
    return and_(ActionItem.assignee_membership_id == membership_id, ActionItem.due_date <= due_by)


@lru_cache(maxsize=32)
def _your_work_items(shape: Shape, limit: int) -> Select[Any]:
    """``your_work_items``' SELECT for a person of ``shape`` (their id, day and horizon are parameters)."""
    viewer = shared_viewer(shape)
    assert viewer is not None
    mine = and_(due_soon_clause(viewer.id, DUE_BY.bind), visible_items_clause(viewer, VIEWER_TODAY))
    soonest = (ActionItem.due_date, ActionItem.id)

    def per_status(rows: int, *columns: Any) -> Any:
        parts = [
            select(*columns).where(mine, ActionItem.status == status).order_by(*soonest).limit(rows).subquery()
            for status in UNFINISHED
        ]
        return union_all(*(select(part) for part in parts)).subquery()

    top = per_status(limit, ActionItem.id, ActionItem.title, ActionItem.due_date, ActionItem.status)
    counted = per_status(WORK_COUNT_CAP + 1, ActionItem.id)
    total = select(func.count()).select_from(counted).scalar_subquery()
    columns = work_columns(record_id=top.c.id, title=top.c.title, due=top.c.due_date, label=top.c.status, found=total)
    return select(*columns).order_by(top.c.due_date, top.c.id).limit(limit)


def your_work_items(ctx: WorkspaceContext, limit: int) -> WorkQuery | None:
    """The home's "Your action items": ``ctx``'s member's unfinished items, overdue or due in the next
    ``UPCOMING_DAYS`` days, soonest due first (so overdue first), at most ``limit``, and how many more
    (up to ``WORK_COUNT_CAP``). A SELECT reading a bounded number of rows (the home runs it with
    the other kinds in one statement): per unfinished status, a LIMIT walk of ``ix_action_items_your_work``
    (partnership, assignee, status, due date), merged; the count stops at the cap the same way. Items
    under a goal the person may not see are left out (``visible_items_clause``). None for people
    without a membership. The SELECT is kept per permission shape (``WorkQuery``)."""
    membership = ctx.membership
    if membership is None:
        return None
    today = ctx.today()
    stmt = _your_work_items(permission_shape(membership), limit)

    def build(rows: Sequence[WorkRow]) -> WorkList:
        items = []
        for row in sorted(rows, key=lambda row: (row.due or date.max, row.id)):
            status = ActionStatus(row.label)
            items.append(
                WorkItem(
                    row.title,
                    "actions.detail",
                    {"action_item_id": row.id},
                    due=row.due,
                    overdue=row.due is not None and row.due < today,
                    note=STATUS_LABELS[status] if status != ActionStatus.OPEN else "",
                )
            )
        found = rows[0].found if rows else 0
        return WorkList.counted(items, found, more_endpoint="actions.index", more_args={"assignee": "me"})

    return WorkQuery(stmt, build)
