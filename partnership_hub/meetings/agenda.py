"""A meeting's agenda: items (title, presenter, time allotted, kind, notes, links) that coordinators and
the facilitator add, edit, remove and reorder; proposals from members that they accept or decline;
comments before the meeting; publishing it (the invitees are told, by email and in the notification
centre as each chose: ``notices.notify``); and, after
the meeting, which items were discussed and carrying the ones not reached to the next occurrence.

Every change to the agenda takes a row lock on its meeting (``_lock``) and raises ``meetings.version``:
two people changing it at once are serialized, and a reorder carries the version its page showed, so
one made on an agenda that has changed since is refused (``StaleAgenda``, answered with the agenda as
it is now) instead of losing or duplicating an item. Publishing tells each person about each version
at most once (the notice's deduplication key names it).

Accepted items are the agenda, in ``(position, id)`` order; proposals wait after them, and an
accepted one joins the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, exists, func, select, true, update
from sqlalchemy.orm import aliased

from partnership_hub.accounts.models import User
from partnership_hub.actions.models import ActionItem
from partnership_hub.audit import services as audit
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, utcnow
from partnership_hub.errors import NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import is_web_address, max_length
from partnership_hub.meetings.models import (
    AgendaComment,
    AgendaItem,
    AgendaItemKind,
    AgendaItemStatus,
    AgendaOutcome,
    Decision,
    Meeting,
    MeetingStatus,
)
from partnership_hub.parsing import parse_id, parse_int
from partnership_hub.workspaces.models import Membership

MAX_ITEMS = 200  # on one meeting's agenda (proposals included)
SHOWN_ON_PAGE = 25  # items the meeting page shows; the agenda page shows them all
COMMENTS_SHOWN = 3  # the latest comments shown under an item, with how many there are
MINUTES_MAX = 8 * 60  # time allotted to one item
NOTES_MAX = 5000
LINKS_MAX = 10
LINK_MAX = 500
COMMENT_MAX = 2000
TITLE_MAX = max_length(AgendaItem.__table__.c.title)

KIND_LABELS: dict[AgendaItemKind, str] = {
    AgendaItemKind.INFORMATION: "For information",
    AgendaItemKind.DISCUSSION: "For discussion",
    AgendaItemKind.DECISION: "For decision",
}
OUTCOME_LABELS: dict[AgendaOutcome, str] = {
    AgendaOutcome.DISCUSSED: "Discussed",
    AgendaOutcome.NOT_REACHED: "Not reached",
}
FIELDS = ("title", "presenter_membership_id", "minutes_allotted", "kind", "notes", "links")


class StaleAgenda(ServiceError):
    """A reorder made on an agenda that has changed since its page was shown."""

    def __init__(self) -> None:
        super().__init__(
            "The agenda changed while you were looking at it (someone else changed or moved an item). "
            "Here it is now; make your change again if it is still needed."
        )


# --- the guidance shown where the agenda is built ---------------------------------------------------


def guidance() -> Any:
    """The toolkit's meeting guidance (``toolkit.AGENDA_GUIDANCE``) as a setup-guide guidance block."""
    from partnership_hub import toolkit
    from partnership_hub.setup.guide import Guidance, GuidancePoint

    return Guidance(
        toolkit.MEETING_QUESTION,
        tuple(GuidancePoint(choice.description, choice.label) for choice in toolkit.AGENDA_GUIDANCE),
        link=toolkit.TOOLKIT_URL,
    )


# --- reading the agenda -----------------------------------------------------------------------------


@dataclass
class CommentRow:
    id: int
    author: str
    author_membership_id: int | None
    body: str
    created_at: datetime


@dataclass
class AgendaRow:
    item: AgendaItem
    presenter: str = ""
    proposer: str = ""
    comments: list[CommentRow] = field(default_factory=list)
    comment_count: int = 0
    presenter_member: Membership | None = None
    presenter_user: User | None = None

    @property
    def links(self) -> list[str]:
        return split_links(self.item.links)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.item.kind]

    @property
    def more_comments(self) -> int:
        return max(0, self.comment_count - len(self.comments))


@dataclass
class Agenda:
    """What the agenda section shows: the first ``limit`` items (accepted ones in order, then
    proposals), how many there are, and the time allotted against the meeting's length."""

    meeting: Meeting
    rows: list[AgendaRow]
    accepted_count: int
    proposed_count: int
    total_minutes: int
    limit: int

    @property
    def items(self) -> list[AgendaRow]:
        return [row for row in self.rows if row.item.status == AgendaItemStatus.ACCEPTED]

    @property
    def proposals(self) -> list[AgendaRow]:
        return [row for row in self.rows if row.item.status == AgendaItemStatus.PROPOSED]

    @property
    def count(self) -> int:
        return self.accepted_count + self.proposed_count

    @property
    def hidden(self) -> int:
        """Items (or proposals) not shown here: the agenda page shows them all."""
        return max(0, self.count - len(self.rows))

    @property
    def meeting_minutes(self) -> int:
        return self.meeting.duration_minutes

    @property
    def over_by(self) -> int:
        """Minutes the allotted time runs over the meeting's length (0 when it fits)."""
        return max(0, self.total_minutes - self.meeting_minutes)

    @property
    def last_item_id(self) -> int | None:
        items = self.items
        return items[-1].item.id if items else None


def split_links(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _is_proposal() -> Any:
    return case((AgendaItem.status == AgendaItemStatus.PROPOSED, 1), else_=0)


AGENDA_ORDER = (_is_proposal(), AgendaItem.position, AgendaItem.id)
Presenter = aliased(Membership, name="presenter")
PresenterUser = aliased(User, name="presenter_user")
Proposer = aliased(Membership, name="proposer")
ProposerUser = aliased(User, name="proposer_user")
CommentAuthor = aliased(Membership, name="comment_author")
CommentAuthorUser = aliased(User, name="comment_author_user")


def load_agenda(ctx: WorkspaceContext, meeting: Meeting, limit: int = SHOWN_ON_PAGE) -> Agenda:
    """The meeting's first ``limit`` agenda items with their presenter's and proposer's names, the
    latest ``COMMENTS_SHOWN`` comments under each with how many there are, and the counts and time
    allotted of the whole agenda — ONE statement (a LIMIT walk of the meeting's items by position; a
    window over the comments of those items; scalar subqueries for the totals)."""
    of_meeting = AgendaItem.meeting_id == meeting.id
    shown = select(AgendaItem.id).where(of_meeting).order_by(*AGENDA_ORDER).limit(limit)
    ranked = (
        select(
            AgendaComment.id,
            AgendaComment.agenda_item_id,
            AgendaComment.author_membership_id,
            AgendaComment.body,
            AgendaComment.created_at,
            func.row_number()
            .over(
                partition_by=AgendaComment.agenda_item_id,
                order_by=(AgendaComment.created_at.desc(), AgendaComment.id.desc()),
            )
            .label("rank"),
            func.count().over(partition_by=AgendaComment.agenda_item_id).label("total"),
        )
        .where(AgendaComment.agenda_item_id.in_(shown))
        .subquery()
    )
    accepted = AgendaItem.status == AgendaItemStatus.ACCEPTED
    counted = aliased(AgendaItem, name="counted")
    totals = (
        select(
            func.count(counted.id).filter(counted.status == AgendaItemStatus.ACCEPTED),
            func.count(counted.id).filter(counted.status == AgendaItemStatus.PROPOSED),
            func.coalesce(func.sum(counted.minutes_allotted).filter(counted.status == AgendaItemStatus.ACCEPTED), 0),
        )
        .where(counted.meeting_id == meeting.id)
        .subquery()
    )
    stmt = (
        select(
            totals,
            AgendaItem,
            Presenter,
            PresenterUser,
            Proposer,
            ProposerUser,
            ranked.c.id,
            ranked.c.author_membership_id,
            ranked.c.body,
            ranked.c.created_at,
            ranked.c.total,
            CommentAuthor,
            CommentAuthorUser,
        )
        .select_from(totals)
        .outerjoin(AgendaItem, and_(AgendaItem.id.in_(shown), true()))
        .outerjoin(Presenter, Presenter.id == AgendaItem.presenter_membership_id)
        .outerjoin(PresenterUser, PresenterUser.id == Presenter.user_id)
        .outerjoin(Proposer, and_(Proposer.id == AgendaItem.proposed_by_membership_id, ~accepted))
        .outerjoin(ProposerUser, ProposerUser.id == Proposer.user_id)
        .outerjoin(ranked, and_(ranked.c.agenda_item_id == AgendaItem.id, ranked.c.rank <= COMMENTS_SHOWN))
        .outerjoin(CommentAuthor, CommentAuthor.id == ranked.c.author_membership_id)
        .outerjoin(CommentAuthorUser, CommentAuthorUser.id == CommentAuthor.user_id)
        .order_by(*AGENDA_ORDER, ranked.c.rank)
    )
    viewer = ctx.membership
    from partnership_hub.meetings.services import person_name

    rows: dict[int, AgendaRow] = {}
    counts = (0, 0, 0)
    for row in db.session.execute(scoped(stmt)).tuples():
        accepted_n, proposed_n, minutes, item, presenter, presenter_user, proposer, proposer_user = row[:8]
        comment_id, author_id, body, created_at, total, author, author_user = row[8:]
        counts = (accepted_n or 0, proposed_n or 0, int(minutes or 0))
        if item is None:
            continue
        entry = rows.get(item.id)
        if entry is None:
            entry = rows[item.id] = AgendaRow(
                item,
                presenter=person_name(viewer, presenter, presenter_user),
                proposer=person_name(viewer, proposer, proposer_user),
                presenter_member=presenter,
                presenter_user=presenter_user,
            )
        if comment_id is not None:
            entry.comment_count = total
            entry.comments.append(
                CommentRow(comment_id, person_name(viewer, author, author_user), author_id, body, _aware(created_at))
            )
    return Agenda(meeting, list(rows.values()), counts[0], counts[1], counts[2], limit)


def _aware(value: Any) -> datetime:
    from partnership_hub.meetings.services import _aware as aware

    return aware(value)


def get_item(ctx: WorkspaceContext, agenda_item_id: Any) -> tuple[AgendaItem, Meeting]:
    """An agenda item and its meeting, when ``ctx``'s member may see the meeting (one query);
    ``NotFound`` otherwise."""
    from partnership_hub.confidentiality import visible

    record_id = parse_id(agenda_item_id)
    if record_id is None:
        raise NotFound("agenda item (not an id)")
    stmt = (
        select(AgendaItem, Meeting)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.id == record_id, visible(ctx, Meeting))
    )
    row = db.session.execute(scoped(stmt)).tuples().one_or_none()
    if row is None:
        raise NotFound(f"agenda item {agenda_item_id}")
    return row[0], row[1]


def get_comment(ctx: WorkspaceContext, agenda_comment_id: Any) -> tuple[AgendaComment, AgendaItem, Meeting]:
    """A comment, its item and meeting, when ``ctx``'s member may see the meeting (one query)."""
    from partnership_hub.confidentiality import visible

    record_id = parse_id(agenda_comment_id)
    if record_id is None:
        raise NotFound("agenda comment (not an id)")
    stmt = (
        select(AgendaComment, AgendaItem, Meeting)
        .join(AgendaItem, AgendaItem.id == AgendaComment.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaComment.id == record_id, visible(ctx, Meeting))
    )
    row = db.session.execute(scoped(stmt)).tuples().one_or_none()
    if row is None:
        raise NotFound(f"agenda comment {agenda_comment_id}")
    return row[0], row[1], row[2]


def print_items(ctx: WorkspaceContext, meeting: Meeting) -> Agenda:
    """The whole agenda (at most ``MAX_ITEMS`` items), for the agenda page and the print view."""
    return load_agenda(ctx, meeting, MAX_ITEMS)


# --- cleaning what a form sends ---------------------------------------------------------------------


def _text(data: dict[str, Any], name: str, limit: int, what: str) -> str:
    value = str(data.get(name) or "").strip()
    if len(value) > limit:
        raise ServiceError(f"Keep {what} to {limit} characters or fewer.", name)
    return value


def _presenter(ctx: WorkspaceContext, raw: Any) -> int | None:
    """The chosen presenter: someone ``ctx``'s member may pick (no observers), or None."""
    if raw in (None, ""):
        return None
    from partnership_hub.workspaces.services import pickable_people

    chosen = parse_id(raw)
    found = None
    if chosen is not None:
        found = db.session.scalar(
            scoped(pickable_people(ctx).where(Membership.id == chosen).with_only_columns(Membership.id))
        )
    if found is None:
        raise ServiceError("Choose a presenter from the list of the partnership's people.", "presenter_membership_id")
    return found


def _minutes(raw: Any) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    value = parse_int(text, low=1, high=MINUTES_MAX)
    if value is None:
        raise ServiceError(
            f"Enter the time allotted in whole minutes, from 1 to {MINUTES_MAX}, or leave it empty.",
            "minutes_allotted",
        )
    return value


def _links(raw: Any) -> str:
    links = split_links(str(raw or ""))
    if len(links) > LINKS_MAX:
        raise ServiceError(f"Add at most {LINKS_MAX} links, one a line.", "links")
    for link in links:
        if len(link) > LINK_MAX or not is_web_address(link):
            raise ServiceError(
                "Each link must be a full web address starting with https:// or http://, one a line.", "links"
            )
    return "\n".join(links)


def clean_item(ctx: WorkspaceContext, data: dict[str, Any]) -> dict[str, Any]:
    """The item's fields from a form, or a ``ServiceError`` naming the field to fix."""
    title = _text(data, "title", TITLE_MAX, "the title")
    if not title:
        raise ServiceError("Enter the item's title.", "title")
    kind = str(data.get("kind") or "")
    if kind not in {k.value for k in AgendaItemKind}:
        raise ServiceError("Choose what the item is for: information, discussion or decision.", "kind")
    return {
        "title": title,
        "kind": AgendaItemKind(kind),
        "presenter_membership_id": _presenter(ctx, data.get("presenter_membership_id")),
        "minutes_allotted": _minutes(data.get("minutes_allotted")),
        "notes": _text(data, "notes", NOTES_MAX, "the notes"),
        "links": _links(data.get("links")),
    }


# --- changing the agenda ----------------------------------------------------------------------------


def _lock(meeting: Meeting) -> Meeting:
    """Take the meeting's row lock (PostgreSQL: until the request commits) and read it afresh, so its
    version is the one every other change to its agenda has left."""
    stmt = select(Meeting).where(Meeting.id == meeting.id).with_for_update().execution_options(populate_existing=True)
    locked = db.session.scalars(scoped(stmt)).one_or_none()
    if locked is None:
        raise NotFound(f"meeting {meeting.id}")
    return locked


def _changed(meeting: Meeting) -> None:
    meeting.version += 1


def _accepted_items(meeting: Meeting) -> list[AgendaItem]:
    stmt = (
        select(AgendaItem)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.status == AgendaItemStatus.ACCEPTED)
        .order_by(AgendaItem.position, AgendaItem.id)
        .execution_options(populate_existing=True)
    )
    return list(db.session.scalars(scoped(stmt)))


def _next_position(meeting: Meeting) -> tuple[int, int]:
    """(how many items the agenda has, the position after the last one), in one query."""
    stmt = select(func.count(AgendaItem.id), func.coalesce(func.max(AgendaItem.position), 0)).where(
        AgendaItem.meeting_id == meeting.id
    )
    count, last = db.session.execute(scoped(stmt)).tuples().one()
    return int(count), int(last) + 1


def _open_for_changes(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError("This meeting has been cancelled; its agenda can no longer be changed.", "title")


def add_item(ctx: WorkspaceContext, meeting: Meeting, data: dict[str, Any]) -> AgendaItem:
    """Add an item at the end of the agenda (coordinators and the facilitator)."""
    values = clean_item(ctx, data)
    meeting = _lock(meeting)
    _open_for_changes(meeting)
    return _insert(ctx, meeting, values, AgendaItemStatus.ACCEPTED, "agenda.item_added")


def propose_item(
    ctx: WorkspaceContext, meeting: Meeting, data: dict[str, Any], now: datetime | None = None
) -> AgendaItem:
    """Propose an item for a coordinator or the facilitator to accept: before the meeting only."""
    now = now or utcnow()
    values = clean_item(ctx, data)
    meeting = _lock(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError("This meeting has been cancelled; items can no longer be proposed for it.", "title")
    if meeting.starts_at <= now:
        raise ServiceError("This meeting has already started; propose the item for the next one.", "title")
    return _insert(ctx, meeting, values, AgendaItemStatus.PROPOSED, "agenda.item_proposed")


def _insert(
    ctx: WorkspaceContext, meeting: Meeting, values: dict[str, Any], status: AgendaItemStatus, action: str
) -> AgendaItem:
    count, position = _next_position(meeting)
    if count >= MAX_ITEMS:
        raise ServiceError(f"An agenda holds at most {MAX_ITEMS} items.", "title")
    item = AgendaItem(
        meeting_id=meeting.id,
        position=position,
        status=status,
        proposed_by_membership_id=ctx.membership.id if ctx.membership else None,
        **values,
    )
    db.session.add(item)
    _changed(meeting)
    db.session.flush()
    audit.record(ctx, action, "meeting", meeting.id, agenda_item_id=item.id)
    return item


def update_item(ctx: WorkspaceContext, meeting: Meeting, item: AgendaItem, data: dict[str, Any]) -> AgendaItem:
    """Change an item's details (coordinators and the facilitator)."""
    values = clean_item(ctx, data)
    meeting = _lock(meeting)
    _open_for_changes(meeting)
    changed = sorted(name for name, value in values.items() if getattr(item, name) != value)
    for name in changed:
        setattr(item, name, values[name])
    if changed:
        _changed(meeting)
        audit.record(ctx, "agenda.item_updated", "meeting", meeting.id, agenda_item_id=item.id, fields=changed)
    return item


def _unlink(item_ids: list[int]) -> None:
    """Keep what points at items being removed, without them: decisions and action items stay with
    the meeting; an item carried over from one keeps its place but no longer names it."""
    for model, column in (
        (Decision, Decision.agenda_item_id),
        (ActionItem, ActionItem.agenda_item_id),
        (AgendaItem, AgendaItem.carried_from_id),
    ):
        db.session.execute(
            scoped(update(model).where(column.in_(item_ids)).values({column.key: None})),
            execution_options={"synchronize_session": False},
        )


def remove_item(ctx: WorkspaceContext, meeting: Meeting, item: AgendaItem) -> None:
    """Take an item off the agenda, with its comments (coordinators and the facilitator)."""
    meeting = _lock(meeting)
    _open_for_changes(meeting)
    _unlink([item.id])
    db.session.delete(item)
    _changed(meeting)
    db.session.flush()
    audit.record(ctx, "agenda.item_removed", "meeting", meeting.id, agenda_item_id=item.id)


def accept_item(ctx: WorkspaceContext, meeting: Meeting, item: AgendaItem) -> AgendaItem:
    """Accept a proposal: it joins the end of the agenda."""
    meeting = _lock(meeting)
    _open_for_changes(meeting)
    if item.status != AgendaItemStatus.PROPOSED:
        raise ServiceError("This item is already on the agenda.")
    _, position = _next_position(meeting)
    item.status = AgendaItemStatus.ACCEPTED
    item.position = position
    _changed(meeting)
    audit.record(ctx, "agenda.item_accepted", "meeting", meeting.id, agenda_item_id=item.id)
    return item


def decline_item(ctx: WorkspaceContext, meeting: Meeting, item: AgendaItem) -> None:
    """Decline a proposal: it is removed, with its comments."""
    if item.status != AgendaItemStatus.PROPOSED:
        raise ServiceError("This item is already on the agenda; remove it instead.")
    meeting = _lock(meeting)
    _unlink([item.id])
    db.session.delete(item)
    _changed(meeting)
    db.session.flush()
    audit.record(ctx, "agenda.item_declined", "meeting", meeting.id, agenda_item_id=item.id)


def move_item(
    ctx: WorkspaceContext,
    meeting: Meeting,
    item: AgendaItem,
    *,
    version: Any,
    direction: str = "",
    before: Any = None,
) -> bool:
    """Move an accepted item one place ``direction`` ("up" / "down"), or to just before the item
    ``before`` ("end": to the end). ``version`` is the meeting's version the mover's page showed:
    when the agenda has changed since, nothing moves and ``StaleAgenda`` says so. Returns False when
    the item is already there."""
    meeting = _lock(meeting)
    if parse_int(version, low=0) != meeting.version:
        raise StaleAgenda()
    items = _accepted_items(meeting)
    ids = [other.id for other in items]
    if item.id not in ids:
        raise ServiceError("Accept this proposal before moving it.")
    index = ids.index(item.id)
    order = list(items)
    moving = order.pop(index)
    if direction in ("up", "down"):
        target = index - 1 if direction == "up" else index + 1
        if target < 0 or target >= len(items):
            return False
        order.insert(target, moving)
    elif before == "end":
        order.append(moving)
    else:
        before_id = parse_id(before)
        if before_id is None or before_id not in ids:
            raise StaleAgenda() if before_id is not None else ServiceError("Choose where to move the item.")
        if before_id == item.id:
            return False
        order.insert(next(i for i, other in enumerate(order) if other.id == before_id), moving)
    if [other.id for other in order] == ids:
        return False
    for position, other in enumerate(order, start=1):
        if other.position != position:
            other.position = position
    _changed(meeting)
    audit.record(ctx, "agenda.item_moved", "meeting", meeting.id, agenda_item_id=item.id)
    return True


# --- comments -------------------------------------------------------------------------------------


def add_comment(
    ctx: WorkspaceContext, meeting: Meeting, item: AgendaItem, body: Any, now: datetime | None = None
) -> AgendaComment:
    """Comment on an item before the meeting."""
    now = now or utcnow()
    text = str(body or "").strip()
    if not text:
        raise ServiceError("Write your comment first.", "body")
    if len(text) > COMMENT_MAX:
        raise ServiceError(f"Keep the comment to {COMMENT_MAX} characters or fewer.", "body")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError("This meeting has been cancelled; its agenda takes no more comments.", "body")
    if meeting.starts_at <= now:
        raise ServiceError("Comments are for before the meeting; this one has already started.", "body")
    comment = AgendaComment(
        agenda_item_id=item.id, author_membership_id=ctx.membership.id if ctx.membership else None, body=text
    )
    db.session.add(comment)
    db.session.flush()
    audit.record(ctx, "agenda.comment_added", "meeting", meeting.id, agenda_item_id=item.id, comment_id=comment.id)
    return comment


def delete_comment(ctx: WorkspaceContext, meeting: Meeting, comment: AgendaComment) -> None:
    """Delete one's own comment (the view checks it is theirs)."""
    db.session.delete(comment)
    db.session.flush()
    audit.record(ctx, "agenda.comment_deleted", "meeting", meeting.id, comment_id=comment.id)


# --- after the meeting: outcomes and carrying over ------------------------------------------------


def set_outcome(
    ctx: WorkspaceContext, meeting: Meeting, item: AgendaItem, outcome: Any, now: datetime | None = None
) -> AgendaItem:
    """Mark an item discussed or not reached ("" clears it), once the meeting has started."""
    now = now or utcnow()
    if meeting.starts_at > now:
        raise ServiceError("Items are marked discussed or not reached once the meeting has started.", "outcome")
    if item.status != AgendaItemStatus.ACCEPTED:
        raise ServiceError("Only items on the agenda are marked.", "outcome")
    value = str(outcome or "")
    if value and value not in {o.value for o in AgendaOutcome}:
        raise ServiceError("Choose discussed or not reached.", "outcome")
    new = AgendaOutcome(value) if value else None
    if item.outcome != new:
        meeting = _lock(meeting)
        item.outcome = new
        _changed(meeting)
        audit.record(ctx, "agenda.outcome_set", "meeting", meeting.id, agenda_item_id=item.id, outcome=value)
    return item


def next_occurrence(meeting: Meeting) -> Meeting | None:
    """The next scheduled occurrence of ``meeting``'s series (one query), or None."""
    if meeting.series_id is None:
        return None
    stmt = (
        select(Meeting)
        .where(
            Meeting.series_id == meeting.series_id,
            Meeting.starts_at > meeting.starts_at,
            Meeting.status == MeetingStatus.SCHEDULED,
        )
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(1)
    )
    return db.session.scalars(scoped(stmt)).first()


def carry_over(ctx: WorkspaceContext, meeting: Meeting, now: datetime | None = None) -> tuple[Meeting, int]:
    """Copy the items marked not reached to the end of the next occurrence's agenda, each once
    (``carried_from_id`` is unique). Returns the next meeting and how many were carried."""
    now = now or utcnow()
    if meeting.starts_at > now:
        raise ServiceError("Items are carried over after the meeting.")
    target = next_occurrence(meeting)
    if target is None:
        raise ServiceError("There is no next meeting in this series to carry the items to.")
    if target.confidentiality != meeting.confidentiality:
        # Its agenda would show these items to other people than this meeting's.
        raise ServiceError("The next meeting is seen by other people than this one; add the items there by hand.")
    carried = aliased(AgendaItem, name="carried")
    stmt = (
        select(AgendaItem)
        .where(
            AgendaItem.meeting_id == meeting.id,
            AgendaItem.status == AgendaItemStatus.ACCEPTED,
            AgendaItem.outcome == AgendaOutcome.NOT_REACHED,
            ~exists().where(carried.carried_from_id == AgendaItem.id),
        )
        .order_by(AgendaItem.position, AgendaItem.id)
    )
    target = _lock(target)
    items = list(db.session.scalars(scoped(stmt)))
    if not items:
        raise ServiceError("No item marked “not reached” is left to carry over.")
    count, position = _next_position(target)
    if count + len(items) > MAX_ITEMS:
        raise ServiceError(f"The next meeting's agenda would hold more than {MAX_ITEMS} items.")
    for offset, item in enumerate(items):
        db.session.add(
            AgendaItem(
                meeting_id=target.id,
                position=position + offset,
                title=item.title,
                kind=item.kind,
                presenter_membership_id=item.presenter_membership_id,
                minutes_allotted=item.minutes_allotted,
                notes=item.notes,
                links=item.links,
                status=AgendaItemStatus.ACCEPTED,
                proposed_by_membership_id=item.proposed_by_membership_id,
                carried_from_id=item.id,
            )
        )
    _changed(target)
    db.session.flush()
    audit.record(ctx, "agenda.carried_over", "meeting", target.id, from_meeting_id=meeting.id, count=len(items))
    return target, len(items)


# --- publishing -----------------------------------------------------------------------------------


def publish_agenda(ctx: WorkspaceContext, meeting: Meeting, now: datetime | None = None) -> int:
    """Publish the agenda: every invitee admitted to the meeting is told (``agenda_published``, by email
    with its summary and a link, and in the notification centre, as each chose), "agenda updated" when it
    was published before. Each version of the agenda reaches a person at most once. Returns how many
    people were told now (none when everyone invited already has this version)."""
    from partnership_hub.meetings.attendance import invited_membership_ids_clause
    from partnership_hub.meetings.services import person_name, when
    from partnership_hub.notifications import notices

    now = now or utcnow()
    meeting = _lock(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ServiceError("This meeting has been cancelled; its agenda is not sent.")
    if meeting.ends_at <= now:
        raise ServiceError("This meeting is over; its agenda is no longer sent.")
    agenda = print_items(ctx, meeting)
    if not agenda.items:
        raise ServiceError("Add at least one item to the agenda before publishing it.")
    updated = meeting.agenda_published_at is not None
    meeting.agenda_published_at = now
    kind, key = "agenda_published", f"{meeting.id}:v{meeting.version}"
    # The invitees admitted to the meeting (``invited_membership_ids_clause``) who do not have this
    # version yet: ONE statement, with their choices.
    admitted = invited_membership_ids_clause(meeting, ctx.today(now))
    people = notices.recipients(ctx, kind, admitted.where(notices.untold_clause(kind, Membership.id, key)))

    def summary(person: notices.Recipient) -> dict[str, Any]:
        # Presenters named as this person may see them (survivor advisors stay unnamed to most): the
        # rule asks only the viewer's role and account, which the recipient carries.
        viewer = Membership(id=person.membership_id, user_id=person.user_id, role=person.role)
        items = [
            {
                "title": row.item.title,
                "kind": row.kind_label,
                "minutes": row.item.minutes_allotted,
                "presenter": person_name(viewer, row.presenter_member, row.presenter_user),
            }
            for row in agenda.items
        ]
        return {"items": items, "when": when(meeting, person.tz.key)}

    sent = notices.notify(
        ctx,
        kind,
        people,
        key=key,
        subject=f"{'Agenda updated' if updated else 'Agenda'}: {meeting.title}",
        title=f"{'Agenda updated' if updated else 'Agenda published'}: {meeting.title}",
        endpoint="meetings.detail",
        args={"meeting_id": meeting.id},
        template="agenda_published",
        per_recipient=summary,
        sender_id=ctx.user.id if ctx.user else None,
        meeting=meeting,
        total_minutes=agenda.total_minutes,
        updated=updated,
    )
    audit.record(ctx, "agenda.published", "meeting", meeting.id, version=meeting.version, emails=sent)
    return sent


def item_values(item: AgendaItem) -> dict[str, Any]:
    """An item's current values as the form shows them."""
    return {
        "title": item.title,
        "kind": item.kind.value,
        "presenter_membership_id": str(item.presenter_membership_id or ""),
        "minutes_allotted": str(item.minutes_allotted or ""),
        "notes": item.notes,
        "links": item.links,
    }


def is_over(meeting: Meeting, now: datetime | None = None) -> bool:
    return meeting.ends_at <= (now or utcnow())


def has_started(meeting: Meeting, now: datetime | None = None) -> bool:
    return meeting.starts_at <= (now or utcnow())
