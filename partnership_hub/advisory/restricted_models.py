"""Tables of the advisory area's restricted section: the survivor advisory board's own notes, documents
by link, discussion threads and their replies.

Notes, documents and threads are ``Confidential`` and always at ``advisory`` (the services set it; no
form offers a level): the board (a seat) and the people its chair admitted read them, nobody else —
coordinators included. A reply has no level of its own: it is read only through its thread, which every
load joins and filters (so a reply's read is the thread's, in the access log). Nothing here puts a
record's words in ``__repr__``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.confidentiality import Confidential, Level
from partnership_hub.db import TenantMixin, TimestampMixin, utcnow
from partnership_hub.extensions import Model

__all__ = ["BoardDocument", "BoardNote", "BoardReply", "BoardThread"]


def _member_fk() -> ForeignKey:
    return ForeignKey("memberships.id", ondelete="SET NULL")


class _BoardRecord(Confidential):
    """The board's records start at ``advisory``: a record made anywhere is never born readable by all."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("confidentiality", Level.ADVISORY)
        super().__init__(**kwargs)


class BoardNote(_BoardRecord, TenantMixin, TimestampMixin, Model):
    """A note the board keeps for itself (Markdown)."""

    __tablename__ = "board_notes"
    confidential_kind = "board_note"
    __table_args__ = (
        # The notes, most recently changed first (the list and the area's home).
        Index("ix_board_notes_partnership_id_updated_at_id", "partnership_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    author_membership_id: Mapped[int | None] = mapped_column(_member_fk(), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<BoardNote {self.id}>"


class BoardDocument(_BoardRecord, TenantMixin, TimestampMixin, Model):
    """A document the board keeps by link (the file stays wherever the board stores it)."""

    __tablename__ = "board_documents"
    confidential_kind = "board_document"
    confidential_author = "added_by_membership_id"
    __table_args__ = (Index("ix_board_documents_partnership_id_created_at_id", "partnership_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(500))
    note: Mapped[str] = mapped_column(Text, default="")
    added_by_membership_id: Mapped[int | None] = mapped_column(_member_fk(), index=True)

    def __repr__(self) -> str:
        return f"<BoardDocument {self.id}>"


class BoardThread(_BoardRecord, TenantMixin, TimestampMixin, Model):
    """A discussion: a title and an opening post, then replies. ``last_activity_at`` (the newest post)
    orders the list by an index; ``reply_count`` is kept by the services, so the list counts nothing."""

    __tablename__ = "board_threads"
    confidential_kind = "board_thread"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        Index("ix_board_threads_partnership_id_last_activity_at_id", "partnership_id", "last_activity_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    author_membership_id: Mapped[int | None] = mapped_column(_member_fk(), index=True)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply_count: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<BoardThread {self.id}>"


class BoardReply(TenantMixin, TimestampMixin, Model):
    """A reply in a thread. It follows its thread's visibility (the composite key keeps it in the
    thread's partnership; removing the thread removes its replies)."""

    __tablename__ = "board_replies"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "thread_id"], ["board_threads.partnership_id", "board_threads.id"], ondelete="CASCADE"
        ),
        # A thread's replies in order: its page reads one bounded range.
        Index(
            "ix_board_replies_partnership_id_thread_id_created_at_id", "partnership_id", "thread_id", "created_at", "id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    author_membership_id: Mapped[int | None] = mapped_column(_member_fk(), index=True)
    updated_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<BoardReply {self.id}>"
