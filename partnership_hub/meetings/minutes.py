"""Minutes, decisions and action items of a meeting.

Minutes are Markdown, for the whole meeting (``meetings.minutes_md``) or per agenda item
(``agenda_items.minutes_md``), written by the note-taker, the facilitator or a coordinator. Every save
appends a ``MinutesRevision`` (the history) and copies the text to the meeting or item, which the page
reads; a save based on an older revision than the latest is refused (two people writing at once lose
nothing: the form comes back with the text typed). Minutes are rendered with markdown-it-py (raw HTML
off) and the result cleaned by nh3 (an allow-list of tags; links http, https and mailto only).

Minutes are approved at a later meeting (``approve_minutes``: when, by whom, at which meeting) and
then a coordinator publishes them (``publish_minutes``): the people recorded as having attended, and
still admitted to the meeting's level, are told (``notices.notify``: an email with the meeting's title and
a link, never the minutes' text, and a notification centre entry, as each chose).

Decisions are rows of their own (a decision log across meetings, ``decision_log``), visible as the
meeting they were taken at is. Action items are the action plan's (``actions.services.create_item``)
with the meeting and agenda item they came from.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import Integer, Select, and_, case, cast, func, literal, null, select, union_all

from partnership_hub import formats
from partnership_hub.accounts.models import User
from partnership_hub.actions import services as actions
from partnership_hub.actions.models import ActionItem, ActionStatus
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import visible
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, utcnow
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.meetings import attendance
from partnership_hub.meetings.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingInvitee,
    MeetingStatus,
    MinutesRevision,
)
from partnership_hub.pagination import COUNT_CAP, Page, paginate
from partnership_hub.parsing import parse_id
from partnership_hub.picking import clean_query, contains
from partnership_hub.workspaces.models import Membership

log = logging.getLogger(__name__)

MINUTES_MAX = 50_000
DECISION_MAX = 2_000
SECTION_DECISIONS = 20  # decisions shown on the meeting page; the decision log has them all
SECTION_ITEMS = 60  # agenda items read for per-item minutes and the forms' "which item" choice
SECTION_ACTIONS = 20
DECISION_PAGE_SIZE = 25
APPROVAL_CHOICES = 5  # later meetings offered as "approved at"

# --- Markdown ------------------------------------------------------------------------------------

render_markdown = formats.render_markdown  # the one renderer (markdown-it + nh3), named where templates use it


# --- the meeting page's minutes section ----------------------------------------------------------------


@dataclass
class ItemMinutes:
    agenda_item_id: int
    title: str
    minutes_md: str

    @property
    def html(self) -> Markup:
        return render_markdown(self.minutes_md)


@dataclass
class DecisionRow:
    id: int
    text: str
    agenda_item_id: int | None
    agenda_item_title: str
    created_at: datetime


@dataclass
class MinutesSection:
    """The minutes section: the whole-meeting minutes (on the meeting), each agenda item's, the first
    decisions, how many there are, and the approval."""

    items: list[ItemMinutes] = field(default_factory=list)  # every agenda item read (for the forms too)
    decisions: list[DecisionRow] = field(default_factory=list)
    decision_count: int = 0
    revisions: int = 0
    approved_at_title: str = ""

    @property
    def item_minutes(self) -> list[ItemMinutes]:
        return [item for item in self.items if item.minutes_md]

    @property
    def more_decisions(self) -> int:
        return max(0, self.decision_count - len(self.decisions))


def load_section(ctx: WorkspaceContext, meeting: Meeting) -> MinutesSection:
    """The minutes section in ONE statement: the agenda items (at most ``SECTION_ITEMS``, by position)
    and the latest decisions (``SECTION_DECISIONS``) as one UNION ALL, each row carrying the capped
    decision and revision counts and the approving meeting's title as scalar subqueries."""
    items = (
        select(
            literal("item").label("kind"),
            AgendaItem.id.label("id"),
            AgendaItem.title.label("title"),
            AgendaItem.minutes_md.label("body"),
            cast(null(), Integer).label("ref_id"),  # typed: PostgreSQL reads a bare NULL in a UNION as text
            AgendaItem.position.label("position"),
            AgendaItem.created_at.label("at"),
        )
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.id)
        .limit(SECTION_ITEMS)
        .subquery()
    )
    from_item = select(AgendaItem.title).where(AgendaItem.id == Decision.agenda_item_id).scalar_subquery()
    decisions = (
        select(
            literal("decision").label("kind"),
            Decision.id.label("id"),
            func.coalesce(from_item, "").label("title"),
            Decision.text.label("body"),
            Decision.agenda_item_id.label("ref_id"),
            literal(0).label("position"),
            Decision.created_at.label("at"),
        )
        .where(Decision.meeting_id == meeting.id)
        .order_by(Decision.created_at.desc(), Decision.id.desc())
        .limit(SECTION_DECISIONS)
        .subquery()
    )
    parts = union_all(select(items), select(decisions)).subquery("parts")
    decision_count = (
        select(func.count())
        .select_from(select(Decision.id).where(Decision.meeting_id == meeting.id).limit(COUNT_CAP).subquery())
        .scalar_subquery()
    )
    revisions = (
        select(func.count())
        .select_from(
            select(MinutesRevision.id).where(MinutesRevision.meeting_id == meeting.id).limit(COUNT_CAP).subquery()
        )
        .scalar_subquery()
    )
    approved_at = (
        select(Meeting.title)
        .where(Meeting.id == meeting.minutes_approved_in_meeting_id, visible(ctx, Meeting))
        .scalar_subquery()
    )
    anchor = select(literal(1).label("one")).subquery()
    stmt = (
        select(parts, decision_count, revisions, approved_at)
        .select_from(anchor)
        .outerjoin(parts, literal(True))
        .order_by(parts.c.kind.desc(), parts.c.position, parts.c.at.desc(), parts.c.id)
    )
    rows = db.session.execute(scoped(stmt)).tuples().all()
    section = MinutesSection()
    if not rows:
        return section
    section.decision_count, section.revisions = rows[0][7], rows[0][8]
    section.approved_at_title = rows[0][9] or ""
    for kind, record_id, title, body, ref_id, _position, at, *_ in rows:
        if kind == "item":
            section.items.append(ItemMinutes(record_id, title, body or ""))
        elif kind == "decision":
            section.decisions.append(DecisionRow(record_id, body, ref_id, title or "", attendance_aware(at)))
    return section


def attendance_aware(value: Any) -> datetime:
    """A datetime read through a UNION (SQLite hands back text) as an aware UTC value."""
    from partnership_hub.meetings.services import _aware

    return _aware(value)


# --- writing minutes -------------------------------------------------------------------------------------


def _agenda_item(meeting: Meeting, value: Any, name: str) -> AgendaItem | None:
    if value in (None, ""):
        return None
    record_id = parse_id(value)
    item = None
    if record_id is not None:
        item = db.session.scalars(
            scoped(select(AgendaItem).where(AgendaItem.id == record_id, AgendaItem.meeting_id == meeting.id))
        ).one_or_none()
    if item is None:
        raise ServiceError("Choose an item of this meeting's agenda, or none.", name)
    return item


def latest_revision_id(meeting: Meeting, item: AgendaItem | None) -> int | None:
    stmt = select(func.max(MinutesRevision.id)).where(MinutesRevision.meeting_id == meeting.id)
    stmt = stmt.where(
        MinutesRevision.agenda_item_id == item.id if item is not None else MinutesRevision.agenda_item_id.is_(None)
    )
    value: int | None = db.session.scalar(scoped(stmt))
    return value


def minutes_target(meeting: Meeting, agenda_item_id: Any) -> AgendaItem | None:
    """The agenda item whose minutes a form writes (None: the whole meeting's); ``ServiceError`` for an
    item of another meeting."""
    return _agenda_item(meeting, agenda_item_id, "agenda_item_id")


def save_minutes(ctx: WorkspaceContext, meeting: Meeting, data: dict[str, Any]) -> MinutesRevision:
    """Save the minutes of ``meeting`` (or of one of its agenda items, ``agenda_item_id``): a new revision,
    copied to the meeting or item. ``based_on`` is the revision the writer started from; a later one
    saved meanwhile refuses the save."""
    if meeting.cancelled:
        raise ServiceError("This meeting was cancelled; it has no minutes.", "body")
    if meeting.minutes_approved_at is not None:
        raise ServiceError("These minutes were approved, so they can no longer change.", "body")
    item = minutes_target(meeting, data.get("agenda_item_id"))
    body = data.get("body")
    if not isinstance(body, str):
        raise ServiceError("Enter the minutes.", "body")
    body = body.strip()
    if len(body) > MINUTES_MAX:
        raise ServiceError(f"Use at most {MINUTES_MAX:,} characters.", "body")
    latest = latest_revision_id(meeting, item)
    based_on = data.get("based_on")
    based_on_id = parse_id(based_on) if based_on not in (None, "") else None
    if based_on not in (None, "") and based_on_id is None:
        raise ServiceError("Reload the page and write the minutes again.", "body")
    if latest != based_on_id:
        raise ServiceError(
            "Someone saved these minutes while you were writing. Your text is below: copy it, reload the "
            "page and add your changes to theirs.",
            "body",
        )
    current = item.minutes_md if item is not None else meeting.minutes_md
    if body == current:
        raise ServiceError("Nothing changed in the minutes.", "body")
    revision = MinutesRevision(
        meeting_id=meeting.id,
        agenda_item_id=item.id if item else None,
        body_md=body,
        author_membership_id=ctx.membership.id if ctx.membership else None,
    )
    db.session.add(revision)
    if item is not None:
        item.minutes_md = body
    else:
        meeting.minutes_md = body
    db.session.flush()
    audit.record(
        ctx,
        "meeting.minutes_saved",
        "meeting",
        meeting.id,
        agenda_item_id=item.id if item else None,
        revision=revision.id,
    )
    return revision


@dataclass
class RevisionRow:
    id: int
    agenda_item_id: int | None
    created_at: datetime
    author: str


def revision_history(ctx: WorkspaceContext, meeting: Meeting, page: int) -> Page[RevisionRow]:
    """The saved versions of a meeting's minutes, newest first (who saved them and when)."""
    from partnership_hub.meetings.services import person_name

    viewer = ctx.membership
    stmt = (
        select(MinutesRevision.id, MinutesRevision.agenda_item_id, MinutesRevision.created_at, Membership, User)
        .outerjoin(Membership, Membership.id == MinutesRevision.author_membership_id)
        .outerjoin(User, User.id == Membership.user_id)
        .where(MinutesRevision.meeting_id == meeting.id)
        .order_by(MinutesRevision.id.desc())
    )
    return paginate(
        stmt,
        page,
        DECISION_PAGE_SIZE,
        row=lambda r: RevisionRow(r[0], r[1], r[2], person_name(viewer, r[3], r[4]) or "Someone who has left"),
        cap=COUNT_CAP,
        count_from=select(MinutesRevision.id).where(MinutesRevision.meeting_id == meeting.id),
    )


def get_revision(ctx: WorkspaceContext, revision_id: Any) -> MinutesRevision:
    """One saved version of a meeting's minutes (``NotFound`` if there is none in this partnership); the
    caller loads its meeting through ``services.get_meeting``, which applies the meeting's visibility."""
    from partnership_hub.errors import NotFound

    record_id = parse_id(revision_id)
    revision = None
    if record_id is not None:
        revision = db.session.scalars(
            scoped(select(MinutesRevision).where(MinutesRevision.id == record_id))
        ).one_or_none()
    if revision is None:
        raise NotFound(f"minutes revision {revision_id}")
    return revision


# --- decisions -------------------------------------------------------------------------------------------


def record_decision(ctx: WorkspaceContext, meeting: Meeting, data: dict[str, Any]) -> Decision:
    """Record a decision taken at ``meeting`` (from one of its agenda items, or none)."""
    if meeting.cancelled:
        raise ServiceError("This meeting was cancelled; no decisions were taken at it.", "text")
    text = data.get("text")
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise ServiceError("Enter the decision, e.g. “Adopt the shared referral protocol”.", "text")
    if len(text) > DECISION_MAX:
        raise ServiceError(f"Use at most {DECISION_MAX:,} characters.", "text")
    item = _agenda_item(meeting, data.get("agenda_item_id"), "agenda_item_id")
    decision = Decision(
        meeting_id=meeting.id,
        agenda_item_id=item.id if item else None,
        text=text,
        recorded_by_membership_id=ctx.membership.id if ctx.membership else None,
    )
    db.session.add(decision)
    db.session.flush()
    audit.record(ctx, "meeting.decision_recorded", "meeting", meeting.id, decision_id=decision.id)
    return decision


@dataclass
class LoggedDecision:
    id: int
    text: str
    meeting_id: int
    meeting_title: str
    meeting_starts_at: datetime
    created_at: datetime


def decision_log(ctx: WorkspaceContext, query: str, page: int) -> Page[LoggedDecision]:
    """Decisions across the meetings ``ctx``'s member may see, newest first, optionally only those whose
    text contains ``query``; counted up to ``COUNT_CAP``."""
    query = clean_query(query)
    stmt: Select[Any] = (
        select(Decision.id, Decision.text, Meeting.id, Meeting.title, Meeting.starts_at, Decision.created_at)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(visible(ctx, Meeting))
    )
    if query:
        stmt = stmt.where(contains([Decision.text], query))
    # The count reads up to the cap (1,001 of the bench's large partnership's 4,500 decisions). In meeting
    # order it can walk (partnership_id, meeting_id) beside the meetings' (partnership_id, id), a merge
    # join that stops at the cap; unordered, PostgreSQL hashed every decision of the partnership first.
    count = stmt.with_only_columns(Decision.id).order_by(Decision.meeting_id)
    return paginate(
        stmt.order_by(Decision.created_at.desc(), Decision.id.desc()),
        page,
        DECISION_PAGE_SIZE,
        row=lambda r: LoggedDecision(*r),
        cap=COUNT_CAP,
        count_from=count,
    )


# --- approval and publication -------------------------------------------------------------------------


def approval_choices(ctx: WorkspaceContext, meeting: Meeting, now: datetime | None = None) -> list[tuple[str, str]]:
    """The meetings the minutes may be approved at: the first ``APPROVAL_CHOICES`` later meetings (same
    series first) that have started, are not cancelled and the viewer may see."""
    now = now or utcnow()
    stmt = (
        select(Meeting.id, Meeting.title, Meeting.starts_at)
        .where(
            Meeting.starts_at > meeting.starts_at,
            Meeting.starts_at <= now,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.id != meeting.id,
            visible(ctx, Meeting),
        )
        .order_by(case((Meeting.series_id == meeting.series_id, 0), else_=1), Meeting.starts_at, Meeting.id)
        .limit(APPROVAL_CHOICES)
    )
    from partnership_hub.meetings.services import viewer_zone, zone_of

    zone = zone_of(viewer_zone(ctx))
    return [
        (str(i), f"{title} ({attendance_aware(start).astimezone(zone).strftime('%d %b %Y')})")
        for i, title, start in db.session.execute(scoped(stmt)).tuples()
    ]


def approve_minutes(
    ctx: WorkspaceContext, meeting: Meeting, data: dict[str, Any], now: datetime | None = None
) -> Meeting:
    """Record that ``meeting``'s minutes were approved at a later meeting (``approved_in_meeting_id``)."""
    now = now or utcnow()
    if meeting.minutes_approved_at is not None:
        raise ServiceError("These minutes were approved already.", "approved_in_meeting_id")
    if not meeting.minutes_md and not db.session.scalar(
        scoped(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id, AgendaItem.minutes_md != "").limit(1))
    ):
        raise ServiceError("Write the minutes before approving them.", "approved_in_meeting_id")
    chosen = parse_id(data.get("approved_in_meeting_id"))
    if chosen is None or str(chosen) not in {value for value, _ in approval_choices(ctx, meeting, now)}:
        raise ServiceError(
            "Choose the later meeting at which the minutes were approved (it must have started).",
            "approved_in_meeting_id",
        )
    meeting.minutes_approved_at = now
    meeting.minutes_approved_by_membership_id = ctx.membership.id if ctx.membership else None
    meeting.minutes_approved_in_meeting_id = chosen
    db.session.flush()
    audit.record(ctx, "meeting.minutes_approved", "meeting", meeting.id, approved_in_meeting_id=chosen)
    return meeting


def publish_minutes(ctx: WorkspaceContext, meeting: Meeting, now: datetime | None = None) -> int:
    """Publish approved minutes and tell the people recorded as attending who are still admitted to the
    meeting (``minutes_published``: by email and in the notification centre, as each chose; once per
    meeting and person). Returns how many were told."""
    from partnership_hub.notifications import notices

    now = now or utcnow()
    if meeting.minutes_published_at is not None:
        raise ServiceError("These minutes were published already.")
    if meeting.minutes_approved_at is None:
        raise ServiceError("Approve the minutes at a later meeting before publishing them.")
    meeting.minutes_published_at = now
    kind, key = "minutes_published", str(meeting.id)
    admitted = attendance.invited_membership_ids_clause(meeting, ctx.today(now))
    attended = (
        select(Membership.id)
        .join(
            MeetingInvitee,
            and_(MeetingInvitee.membership_id == Membership.id, MeetingInvitee.meeting_id == meeting.id),
        )
        .where(
            MeetingInvitee.attended.is_(True),
            Membership.id.in_(admitted),
            notices.untold_clause(kind, Membership.id, key),
        )
    )
    sent = notices.notify(
        ctx,
        kind,
        notices.recipients(ctx, kind, attended),
        key=key,
        subject=f"Minutes published: {meeting.title}",
        title=f"Minutes published: {meeting.title}",
        endpoint="meetings.detail",
        args={"meeting_id": meeting.id},
        template="meeting_minutes_published",
        per_recipient=lambda person: {"name": person.name},
        sender_id=ctx.user.id if ctx.user else None,
        meeting_title=meeting.title,
    )
    db.session.flush()
    audit.record(ctx, "meeting.minutes_published", "meeting", meeting.id, notified=sent)
    return sent


# --- action items --------------------------------------------------------------------------------------


def create_action(ctx: WorkspaceContext, meeting: Meeting, data: dict[str, Any]) -> ActionItem:
    """An action plan item agreed at ``meeting`` (from one of its agenda items, or none): the action
    plan's own service with the meeting linked."""
    if meeting.cancelled:
        raise ServiceError("This meeting was cancelled; no actions were agreed at it.", "title")
    item = _agenda_item(meeting, data.get("agenda_item_id"), "agenda_item_id")
    return actions.create_item(ctx, data, meeting_id=meeting.id, agenda_item_id=item.id if item else None)


@dataclass
class ActionRow:
    id: int
    title: str
    status: ActionStatus
    due_date: Any
    assignee: str


@dataclass
class ActionsSection:
    rows: list[ActionRow] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))


def load_actions(ctx: WorkspaceContext, meeting: Meeting) -> ActionsSection:
    """The action items from ``meeting`` the viewer may see (the action plan's rule), the first
    ``SECTION_ACTIONS`` by id, with their assignees and a capped count: ONE statement."""
    from partnership_hub.meetings.services import person_name

    seen = and_(ActionItem.meeting_id == meeting.id, actions.visible_items_clause(ctx.membership))
    top = select(ActionItem.id).where(seen).order_by(ActionItem.id).limit(SECTION_ACTIONS).subquery()
    total = (
        select(func.count())
        .select_from(select(ActionItem.id).where(seen).limit(COUNT_CAP).subquery())
        .scalar_subquery()
    )
    anchor = select(literal(1).label("one")).subquery()
    stmt = (
        select(ActionItem, Membership, User, total)
        .select_from(anchor)
        .outerjoin(top, literal(True))
        .outerjoin(ActionItem, ActionItem.id == top.c.id)
        .outerjoin(Membership, Membership.id == ActionItem.assignee_membership_id)
        .outerjoin(User, User.id == Membership.user_id)
        .order_by(ActionItem.id)
    )
    section = ActionsSection()
    for item, membership, user, count in db.session.execute(scoped(stmt)).tuples():
        section.total = count
        if item is not None:
            name = person_name(ctx.membership, membership, user)
            section.rows.append(ActionRow(item.id, item.title, item.status, item.due_date, name))
    return section
