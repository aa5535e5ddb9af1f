"""The survivor advisory board's restricted area (issue #13): the board's notes, documents by link,
discussion threads with replies, and its meetings.

Who gets in is the confidentiality layer's answer, asked once per request: ``board.require_admitted``
(a seat, or the chair's unexpired grant; anyone else — coordinators included — gets ``NotFound``).
Every service here asks it again, and every load also filters with ``visible(ctx, Model)`` (the records
are always at ``advisory``), so a record is never read by someone the area would not let in. A reply has
no level of its own: it is loaded joined to its thread, which is filtered and access-logged.

Reads are access-logged by the layer: every record shown — on its page or in a list — is loaded as an
entity, so the request's one access-log statement names it. The activity feed gets ids only, under one
target (``AREA_TARGET``, record 0: the board) that the feed hides from everyone not admitted, so not even
"someone removed a board note" reaches them (an entry about a removed record would otherwise lose the
rule that hid it). Authors change their own notes, documents, threads and replies; the chair may remove
any of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Integer, Select, false, literal, select
from sqlalchemy.orm import load_only

from partnership_hub.advisory import board
from partnership_hub.advisory.board_models import BoardSeat
from partnership_hub.advisory.restricted_models import BoardDocument, BoardNote, BoardReply, BoardThread
from partnership_hub.audit import services as audit
from partnership_hub.confidentiality import BOARD_RECORD_ID, Level, board_clause, visible
from partnership_hub.context import WorkspaceContext
from partnership_hub.db import scoped, utcnow
from partnership_hub.errors import Forbidden, NotFound, ServiceError
from partnership_hub.extensions import db
from partnership_hub.formats import is_web_address, max_length
from partnership_hub.meetings import services as meetings
from partnership_hub.pagination import Page, paginate
from partnership_hub.parsing import form_text
from partnership_hub.picking import contains
from partnership_hub.workspaces.models import Membership, Role, User

T = TypeVar("T")

TITLE_MAX = max_length(BoardNote.__table__.c.title)
URL_MAX = max_length(BoardDocument.__table__.c.url)
NOTE_BODY_MAX = 20_000
DOCUMENT_NOTE_MAX = 2_000
POST_MAX = 10_000  # a thread's opening post, a reply
SEARCH_MAX = 100
PAGE_SIZE = 20
REPLIES_PAGE_SIZE = 50
HOME_LIMIT = 5
COUNT_CAP = 1_000
FORMER_MEMBER = "A former member"

# The activity feed's one target for the area: every entry is about record 0 (the board) with the
# record's id in its details; ``feed_visible_ids`` shows them to the admitted only.
AREA_TARGET = "advisory_restricted"


# --- who may do what -------------------------------------------------------------------------------


def _me(ctx: WorkspaceContext) -> int | None:
    return ctx.membership.id if ctx.membership else None


def may_edit(ctx: WorkspaceContext, author_id: int | None) -> bool:
    """Only the author changes what they wrote (a former member's records stay as they are)."""
    return author_id is not None and author_id == _me(ctx)


def may_remove(ctx: WorkspaceContext, author_id: int | None) -> bool:
    """The author, or the board's chair, removes a record."""
    return may_edit(ctx, author_id) or board.admission(ctx).is_chair


def require_may_edit(ctx: WorkspaceContext, author_id: int | None) -> None:
    if not may_edit(ctx, author_id):
        raise Forbidden("only the author changes this")


def require_may_remove(ctx: WorkspaceContext, author_id: int | None) -> None:
    if not may_remove(ctx, author_id):
        raise Forbidden("only the author or the chair removes this")


def feed_visible_ids(membership: Membership, today: Any = None) -> Select[Any]:
    """The activity feed's filter for ``AREA_TARGET`` entries (all about record 0): that one id for
    people admitted to the board, none for anyone else (``FeedTarget.visible_ids``)."""
    ids = select(literal(BOARD_RECORD_ID, Integer).label("id"))
    if membership.role == Role.OBSERVER:
        return ids.where(false())
    return ids.where(board_clause(membership.id, today))


# --- reads -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Authored(Generic[T]):
    """A record and its author's name as the page shows it."""

    record: T
    author: str


def _with_author(model: Any, author_column: Any) -> Select[Any]:
    """SELECT ``model`` with its author's name, outer-joined (the author may have left)."""
    return (
        select(model, User.name)
        .outerjoin(Membership, Membership.id == author_column)
        .outerjoin(User, User.id == Membership.user_id)
    )


def _authored(row: Any) -> Authored[Any]:
    return Authored(row[0], row[-1] or FORMER_MEMBER)


def _search(column: Any, q: str) -> list[Any]:
    return [contains((column,), q)] if q else []


def _list(stmt: Select[Any], count: Select[Any], page: int, page_size: int = PAGE_SIZE) -> Page[Authored[Any]]:
    return paginate(scoped(stmt), page, page_size, row=_authored, cap=COUNT_CAP, count_from=scoped(count))


# Lists show titles and dates: the long text stays in the database (the records are still loaded as
# entities, so the access log names each one shown).
_NOTE_LISTED = load_only(
    BoardNote.id,
    BoardNote.title,
    BoardNote.updated_at,
    BoardNote.author_membership_id,
    BoardNote.confidentiality,
)
_THREAD_LISTED = load_only(
    BoardThread.id,
    BoardThread.title,
    BoardThread.last_activity_at,
    BoardThread.reply_count,
    BoardThread.author_membership_id,
    BoardThread.confidentiality,
)


def notes(ctx: WorkspaceContext, q: str = "", page: int = 1, page_size: int = PAGE_SIZE) -> Page[Authored[BoardNote]]:
    """The board's notes, most recently changed first, titles containing ``q`` (ONE statement)."""
    board.require_admitted(ctx)
    where = [visible(ctx, BoardNote), *_search(BoardNote.title, q)]
    stmt = (
        _with_author(BoardNote, BoardNote.author_membership_id)
        .options(_NOTE_LISTED)
        .where(*where)
        .order_by(BoardNote.updated_at.desc(), BoardNote.id.desc())
    )
    return _list(stmt, select(BoardNote.id).where(*where), page, page_size)


def get_note(ctx: WorkspaceContext, board_note_id: int) -> Authored[BoardNote]:
    """One note with its author's name, or ``NotFound`` (ONE statement)."""
    board.require_admitted(ctx)
    stmt = _with_author(BoardNote, BoardNote.author_membership_id).where(
        BoardNote.id == board_note_id, visible(ctx, BoardNote)
    )
    row = db.session.execute(scoped(stmt)).one_or_none()
    if row is None:
        raise NotFound(f"board note {board_note_id}")
    return _authored(row)


def documents(
    ctx: WorkspaceContext, q: str = "", page: int = 1, page_size: int = PAGE_SIZE
) -> Page[Authored[BoardDocument]]:
    """The board's documents, newest first, titles containing ``q`` (ONE statement)."""
    board.require_admitted(ctx)
    where = [visible(ctx, BoardDocument), *_search(BoardDocument.title, q)]
    stmt = (
        _with_author(BoardDocument, BoardDocument.added_by_membership_id)
        .where(*where)
        .order_by(BoardDocument.created_at.desc(), BoardDocument.id.desc())
    )
    return _list(stmt, select(BoardDocument.id).where(*where), page, page_size)


def get_document(ctx: WorkspaceContext, board_document_id: int) -> BoardDocument:
    """One document, or ``NotFound`` (ONE statement)."""
    board.require_admitted(ctx)
    stmt = select(BoardDocument).where(BoardDocument.id == board_document_id, visible(ctx, BoardDocument))
    document = db.session.scalars(scoped(stmt)).one_or_none()
    if document is None:
        raise NotFound(f"board document {board_document_id}")
    return document


def threads(
    ctx: WorkspaceContext, q: str = "", page: int = 1, page_size: int = PAGE_SIZE
) -> Page[Authored[BoardThread]]:
    """The board's discussions, the most recently active first, titles containing ``q`` (ONE statement)."""
    board.require_admitted(ctx)
    where = [visible(ctx, BoardThread), *_search(BoardThread.title, q)]
    stmt = (
        _with_author(BoardThread, BoardThread.author_membership_id)
        .options(_THREAD_LISTED)
        .where(*where)
        .order_by(BoardThread.last_activity_at.desc(), BoardThread.id.desc())
    )
    return _list(stmt, select(BoardThread.id).where(*where), page, page_size)


def get_thread(ctx: WorkspaceContext, board_thread_id: int) -> Authored[BoardThread]:
    """One thread with its author's name, or ``NotFound`` (ONE statement)."""
    board.require_admitted(ctx)
    stmt = _with_author(BoardThread, BoardThread.author_membership_id).where(
        BoardThread.id == board_thread_id, visible(ctx, BoardThread)
    )
    row = db.session.execute(scoped(stmt)).one_or_none()
    if row is None:
        raise NotFound(f"board thread {board_thread_id}")
    return _authored(row)


def replies(ctx: WorkspaceContext, thread: BoardThread, page: int = 1) -> Page[Authored[BoardReply]]:
    """One page of a thread's replies, oldest first (ONE statement, by the thread's index range)."""
    board.require_admitted(ctx)
    where = [BoardReply.thread_id == thread.id, visible(ctx, BoardThread)]
    stmt = (
        _with_author(BoardReply, BoardReply.author_membership_id)
        .join(BoardThread, BoardThread.id == BoardReply.thread_id)
        .where(*where)
        .order_by(BoardReply.created_at, BoardReply.id)
    )
    count = select(BoardReply.id).join(BoardThread, BoardThread.id == BoardReply.thread_id).where(*where)
    return _list(stmt, count, page, REPLIES_PAGE_SIZE)


def last_reply_page(thread: BoardThread) -> int:
    """The page of a thread's replies that holds its newest one."""
    return max(1, math.ceil((thread.reply_count or 0) / REPLIES_PAGE_SIZE))


def get_reply(ctx: WorkspaceContext, board_reply_id: int) -> tuple[BoardReply, BoardThread]:
    """One reply with its thread (the thread's rule decides; its read is logged), or ``NotFound``."""
    board.require_admitted(ctx)
    stmt = (
        select(BoardReply, BoardThread)
        .join(BoardThread, BoardThread.id == BoardReply.thread_id)
        .where(BoardReply.id == board_reply_id, visible(ctx, BoardThread))
    )
    row = db.session.execute(scoped(stmt)).tuples().one_or_none()
    if row is None:
        raise NotFound(f"board reply {board_reply_id}")
    return row


def board_meetings(ctx: WorkspaceContext, page: int = 1, page_size: int = PAGE_SIZE) -> Page[Any]:
    """The board's meetings the viewer may see, through the meetings area (ONE statement)."""
    board.require_admitted(ctx)
    return meetings.board_meetings(ctx, utcnow(), page, page_size)


@dataclass(frozen=True)
class Home:
    notes: list[Authored[BoardNote]]
    threads: list[Authored[BoardThread]]
    documents: list[Authored[BoardDocument]]
    meetings: list[Any]  # meetings.MeetingRow


def home(ctx: WorkspaceContext) -> Home:
    """The area's home: the latest notes, the most active threads, the newest documents and the board's
    next meetings, ``HOME_LIMIT`` each (four statements, whatever the data size)."""
    board.require_admitted(ctx)

    def first(stmt: Select[Any]) -> list[Authored[Any]]:
        return [_authored(row) for row in db.session.execute(scoped(stmt.limit(HOME_LIMIT)))]

    latest_notes = first(
        _with_author(BoardNote, BoardNote.author_membership_id)
        .options(_NOTE_LISTED)
        .where(visible(ctx, BoardNote))
        .order_by(BoardNote.updated_at.desc(), BoardNote.id.desc())
    )
    active_threads = first(
        _with_author(BoardThread, BoardThread.author_membership_id)
        .options(_THREAD_LISTED)
        .where(visible(ctx, BoardThread))
        .order_by(BoardThread.last_activity_at.desc(), BoardThread.id.desc())
    )
    newest_documents = first(
        _with_author(BoardDocument, BoardDocument.added_by_membership_id)
        .where(visible(ctx, BoardDocument))
        .order_by(BoardDocument.created_at.desc(), BoardDocument.id.desc())
    )
    upcoming = meetings.board_meetings(ctx, utcnow(), 1, HOME_LIMIT).items
    return Home(latest_notes, active_threads, newest_documents, [row for row in upcoming if row.upcoming])


# --- values from forms -------------------------------------------------------------------------------


def _title(data: dict[str, Any], what: str) -> str:
    return form_text(data, "title", TITLE_MAX, f"Give the {what} a title.")


def _web_address(data: dict[str, Any]) -> str:
    url = form_text(data, "url", URL_MAX, "Paste the document's web address, starting with https://.")
    if not is_web_address(url):
        raise ServiceError("Enter a full web address starting with https:// (or http://).", "url")
    return url


def _changed(record: Any, values: dict[str, Any]) -> list[str]:
    """Set ``values`` on ``record``; the names of the fields that changed (for the audit entry)."""
    changed = sorted(name for name, value in values.items() if getattr(record, name) != value)
    for name in changed:
        setattr(record, name, values[name])
    return changed


# --- notes -------------------------------------------------------------------------------------------


def create_note(ctx: WorkspaceContext, data: dict[str, Any]) -> BoardNote:
    """Add a note to the board's area (always ``advisory``)."""
    board.require_admitted(ctx)
    now = utcnow()
    note = BoardNote(
        title=_title(data, "note"),
        body=form_text(data, "body", NOTE_BODY_MAX),
        author_membership_id=_me(ctx),
        confidentiality=Level.ADVISORY,
        created_at=now,
        updated_at=now,
    )
    db.session.add(note)
    db.session.flush()
    audit.record(ctx, "board_note.created", AREA_TARGET, BOARD_RECORD_ID, board_note_id=note.id)
    return note


def update_note(ctx: WorkspaceContext, note: BoardNote, data: dict[str, Any]) -> BoardNote:
    """Change a note (its author only); the audit entry names the fields, never their words."""
    board.require_admitted(ctx)
    require_may_edit(ctx, note.author_membership_id)
    values = {"title": _title(data, "note"), "body": form_text(data, "body", NOTE_BODY_MAX)}
    if changed := _changed(note, values):
        note.updated_at = utcnow()
        db.session.flush()
        audit.record(ctx, "board_note.updated", AREA_TARGET, BOARD_RECORD_ID, board_note_id=note.id, fields=changed)
    return note


def delete_note(ctx: WorkspaceContext, note: BoardNote) -> None:
    """Remove a note for good (its author, or the chair)."""
    board.require_admitted(ctx)
    require_may_remove(ctx, note.author_membership_id)
    audit.record(ctx, "board_note.deleted", AREA_TARGET, BOARD_RECORD_ID, board_note_id=note.id)
    db.session.delete(note)
    db.session.flush()


# --- documents ---------------------------------------------------------------------------------------


def _document_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": _title(data, "document"),
        "url": _web_address(data),
        "note": form_text(data, "note", DOCUMENT_NOTE_MAX),
    }


def create_document(ctx: WorkspaceContext, data: dict[str, Any]) -> BoardDocument:
    """Add a document by its link (always ``advisory``)."""
    board.require_admitted(ctx)
    document = BoardDocument(
        **_document_values(data),
        added_by_membership_id=_me(ctx),
        confidentiality=Level.ADVISORY,
        created_at=utcnow(),
    )
    db.session.add(document)
    db.session.flush()
    audit.record(ctx, "board_document.created", AREA_TARGET, BOARD_RECORD_ID, board_document_id=document.id)
    return document


def update_document(ctx: WorkspaceContext, document: BoardDocument, data: dict[str, Any]) -> BoardDocument:
    """Change a document's title, link or note (whoever added it)."""
    board.require_admitted(ctx)
    require_may_edit(ctx, document.added_by_membership_id)
    if changed := _changed(document, _document_values(data)):
        db.session.flush()
        audit.record(
            ctx, "board_document.updated", AREA_TARGET, BOARD_RECORD_ID, board_document_id=document.id, fields=changed
        )
    return document


def delete_document(ctx: WorkspaceContext, document: BoardDocument) -> None:
    """Remove a document's link (whoever added it, or the chair); the file itself stays where it is."""
    board.require_admitted(ctx)
    require_may_remove(ctx, document.added_by_membership_id)
    audit.record(ctx, "board_document.deleted", AREA_TARGET, BOARD_RECORD_ID, board_document_id=document.id)
    db.session.delete(document)
    db.session.flush()


# --- threads and replies -----------------------------------------------------------------------------


def _post(data: dict[str, Any], message: str) -> str:
    return form_text(data, "body", POST_MAX, message)


def create_thread(ctx: WorkspaceContext, data: dict[str, Any]) -> BoardThread:
    """Start a discussion: a title and an opening post (always ``advisory``)."""
    board.require_admitted(ctx)
    now = utcnow()
    thread = BoardThread(
        title=_title(data, "discussion"),
        body=_post(data, "Write the opening post: what would you like the board to discuss?"),
        author_membership_id=_me(ctx),
        confidentiality=Level.ADVISORY,
        created_at=now,
        updated_at=now,
        last_activity_at=now,
        reply_count=0,
    )
    db.session.add(thread)
    db.session.flush()
    audit.record(ctx, "board_thread.created", AREA_TARGET, BOARD_RECORD_ID, board_thread_id=thread.id)
    return thread


def update_thread(ctx: WorkspaceContext, thread: BoardThread, data: dict[str, Any]) -> BoardThread:
    """Change a discussion's title or opening post (its author only)."""
    board.require_admitted(ctx)
    require_may_edit(ctx, thread.author_membership_id)
    values = {"title": _title(data, "discussion"), "body": _post(data, "Write the opening post.")}
    if changed := _changed(thread, values):
        thread.updated_at = utcnow()
        db.session.flush()
        audit.record(
            ctx, "board_thread.updated", AREA_TARGET, BOARD_RECORD_ID, board_thread_id=thread.id, fields=changed
        )
    return thread


def delete_thread(ctx: WorkspaceContext, thread: BoardThread) -> None:
    """Remove a discussion with all its replies (its author, or the chair)."""
    board.require_admitted(ctx)
    require_may_remove(ctx, thread.author_membership_id)
    audit.record(ctx, "board_thread.deleted", AREA_TARGET, BOARD_RECORD_ID, board_thread_id=thread.id)
    db.session.delete(thread)  # its replies go with it (ON DELETE CASCADE)
    db.session.flush()


def add_reply(ctx: WorkspaceContext, thread: BoardThread, data: dict[str, Any]) -> BoardReply:
    """Reply in a discussion; the thread moves to the top of the list. The count is raised in SQL, so
    two replies at once both count."""
    board.require_admitted(ctx)
    now = utcnow()
    reply = BoardReply(
        thread_id=thread.id, body=_post(data, "Write your reply."), author_membership_id=_me(ctx), created_at=now
    )
    db.session.add(reply)
    thread.reply_count = BoardThread.reply_count + 1
    thread.last_activity_at = now
    db.session.flush()
    db.session.refresh(thread, ["reply_count"])
    audit.record(
        ctx, "board_reply.created", AREA_TARGET, BOARD_RECORD_ID, board_thread_id=thread.id, board_reply_id=reply.id
    )
    return reply


def update_reply(ctx: WorkspaceContext, reply: BoardReply, data: dict[str, Any]) -> BoardReply:
    """Change a reply (its author only)."""
    board.require_admitted(ctx)
    require_may_edit(ctx, reply.author_membership_id)
    if _changed(reply, {"body": _post(data, "Write your reply.")}):
        reply.updated_at = utcnow()
        db.session.flush()
        audit.record(
            ctx,
            "board_reply.updated",
            AREA_TARGET,
            BOARD_RECORD_ID,
            board_thread_id=reply.thread_id,
            board_reply_id=reply.id,
        )
    return reply


def delete_reply(ctx: WorkspaceContext, reply: BoardReply, thread: BoardThread) -> None:
    """Remove a reply (its author, or the chair)."""
    board.require_admitted(ctx)
    require_may_remove(ctx, reply.author_membership_id)
    audit.record(
        ctx, "board_reply.deleted", AREA_TARGET, BOARD_RECORD_ID, board_thread_id=thread.id, board_reply_id=reply.id
    )
    db.session.delete(reply)
    thread.reply_count = BoardThread.reply_count - 1
    db.session.flush()


# --- demo and test data --------------------------------------------------------------------------------


def _as(ctx: WorkspaceContext, membership_id: int) -> WorkspaceContext:
    """A context acting as ``membership_id`` in ``ctx``'s partnership (for the seeds)."""
    membership = db.session.get(Membership, membership_id)
    assert membership is not None
    return WorkspaceContext(ctx.partnership, membership, db.session.get(User, membership.user_id))


def _chair(ctx: WorkspaceContext) -> int | None:
    stmt = select(BoardSeat.membership_id).where(BoardSeat.is_chair.is_(True), BoardSeat.left_on.is_(None))
    return db.session.scalars(scoped(stmt)).first()


def seed_for_tests(ctx: WorkspaceContext) -> None:
    """One note, document, thread and reply, written by the board's chair (the route walk's survivor
    advisor: the board section seeds the seat first), for the walk's ``board_*_id``s."""
    chair = _chair(ctx)
    if chair is None:
        return
    as_chair = _as(ctx, chair)
    create_note(as_chair, {"title": "Seeded board note", "body": "What the board agreed."})
    create_document(as_chair, {"title": "Seeded board document", "url": "https://docs.example.org/board", "note": ""})
    thread = create_thread(as_chair, {"title": "Seeded board thread", "body": "What do we think?"})
    add_reply(as_chair, thread, {"body": "A seeded reply."})


def _demo_membership(people: dict, local: str) -> int | None:
    user = people.get(local)
    if user is None:
        return None
    return db.session.scalars(scoped(select(Membership.id).where(Membership.user_id == user.id))).first()


def seed_demo(ctx: WorkspaceContext, people: dict) -> None:
    """The demo board's area: ground rules, two documents, and a discussion of the first-responder
    training with three replies (the chair, an advisor and Priya Raman, whom the chair admitted). The
    demo's advisory board meeting (the meetings area's) is listed there too."""
    ids = {
        name: _demo_membership(people, name) for name in ("amara.okafor", "jordan.reyes", "noor.haddad", "priya.raman")
    }
    if any(value is None for value in ids.values()):
        return
    amara, jordan, noor, priya = (_as(ctx, ids[name]) for name in ids)  # type: ignore[arg-type]
    now = utcnow()
    note = create_note(
        amara,
        {
            "title": "Ground rules for our panels",
            "body": (
                "We agreed these together; any of us can ask to revisit them.\n\n"
                "- **You choose what you share.** Nobody is asked for details of their own experience.\n"
                "- **You may pass** on any question, or step out, without explaining why.\n"
                "- **Paid time:** preparation and the panel itself are paid at the board's rate.\n"
                "- **Debrief:** the chair checks in with each panelist within two days.\n"
                "- **No recording** unless every panelist agrees beforehand, in writing.\n"
            ),
        },
    )
    note.created_at = note.updated_at = now - timedelta(days=21)
    create_document(
        amara,
        {
            "title": "Board charter (signed copy)",
            "url": "https://docs.example.org/front-range/advisory-board-charter",
            "note": "The version we signed in the spring. The shared drive needs your board sign-in.",
        },
    )
    create_document(
        noor,
        {
            "title": "First-responder training: draft slides",
            "url": "https://docs.example.org/front-range/first-responder-training-draft",
            "note": "Comments welcome until the end of the month.",
        },
    )
    thread = create_thread(
        jordan,
        {
            "title": "Feedback on the first-responder training",
            "body": (
                "Priya shared the draft outline for the spring training with the police and fire departments. "
                "What should we ask them to change before it goes to the planning team?"
            ),
        },
    )
    for who, text in (
        (
            amara,
            "The section on first contact should come before the legal overview. "
            "That is what responders get wrong most often.",
        ),
        (noor, "Can we add a short part on what not to ask? I am happy to write it."),
        (priya, "Thank you both. I will move the first-contact section up and leave space for Noor's part."),
    ):
        add_reply(who, thread, {"body": text})
    db.session.flush()
