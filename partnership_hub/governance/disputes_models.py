"""Tables of the governance area's dispute log: a dispute, its parties (organizations and members of
the same partnership, by composite foreign keys) and its append-only timeline.

A dispute is confidential (``leadership`` by default): only coordinators and the people named in its
grants — the handler and the member parties, kept in step by the services, and anyone a coordinator
shares it with — may read it. Nothing here puts a dispute's text in ``__repr__``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub import toolkit
from partnership_hub.confidentiality import Confidential, Level
from partnership_hub.db import TenantMixin, TimestampMixin, text_enum, utcnow
from partnership_hub.extensions import Model

__all__ = [
    "KIND_GUIDANCE",
    "KIND_LABELS",
    "PATH_LABELS",
    "STATUS_LABELS",
    "Dispute",
    "DisputeEntry",
    "DisputeKind",
    "DisputeMember",
    "DisputeOrganization",
    "DisputePath",
    "DisputeStatus",
]


class DisputeKind(enum.StrEnum):
    """The toolkit's two kinds of conflict (``toolkit.CONFLICT_KINDS`` keys)."""

    PERSONALITY = "personality"
    PRIORITY = "priority"


class DisputePath(enum.StrEnum):
    INFORMAL = "informal"
    FACILITATED = "facilitated"
    FORMAL = "formal"


class DisputeStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    CLOSED = "closed"


KIND_LABELS: dict[str, str] = {choice.key: choice.label for choice in toolkit.CONFLICT_KINDS}
KIND_GUIDANCE: dict[str, str] = {choice.key: choice.description for choice in toolkit.CONFLICT_KINDS}
PATH_LABELS: dict[DisputePath, str] = {
    DisputePath.INFORMAL: "Informal conversation",
    DisputePath.FACILITATED: "Facilitated discussion",
    DisputePath.FORMAL: "Formal process (per the guidelines)",
}
STATUS_LABELS: dict[DisputeStatus, str] = {
    DisputeStatus.OPEN: "Open",
    DisputeStatus.IN_PROGRESS: "In progress",
    DisputeStatus.RESOLVED: "Resolved",
    DisputeStatus.ESCALATED: "Escalated",
    DisputeStatus.CLOSED: "Closed",
}
# Statuses that end a dispute: they ask for resolution notes.
ENDING = frozenset({DisputeStatus.RESOLVED, DisputeStatus.CLOSED})


def _member_fk() -> ForeignKey:
    return ForeignKey("memberships.id", ondelete="SET NULL")


class Dispute(Confidential, TenantMixin, TimestampMixin, Model):
    """A conflict the partnership's leadership is working through."""

    __tablename__ = "disputes"
    confidential_kind = "dispute"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        CheckConstraint("status <> 'closed' OR closed_on IS NOT NULL", name="closed_has_date"),
        # The log: newest first, optionally one status (its page and count read a bounded range).
        Index("ix_disputes_partnership_id_status_id", "partnership_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[DisputeKind] = mapped_column(text_enum(DisputeKind, "dispute_kind"))
    path: Mapped[DisputePath | None] = mapped_column(text_enum(DisputePath, "dispute_path"))
    status: Mapped[DisputeStatus] = mapped_column(
        text_enum(DisputeStatus, "dispute_status"), default=DisputeStatus.OPEN
    )
    # When someone leaves, the dispute stays and the link becomes NULL; the services check the
    # partnership when it is set (a composite key cannot SET NULL one column portably).
    handler_membership_id: Mapped[int | None] = mapped_column(_member_fk(), index=True)
    author_membership_id: Mapped[int | None] = mapped_column(_member_fk())
    opened_on: Mapped[date]
    resolution_notes: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("confidentiality", Level.LEADERSHIP)
        super().__init__(**kwargs)

    def __repr__(self) -> str:
        return f"<Dispute {self.id}>"


class DisputeOrganization(TenantMixin, Model):
    """An organization of this partnership that is a party to a dispute."""

    __tablename__ = "dispute_organizations"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "dispute_id"], ["disputes.partnership_id", "disputes.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("dispute_id", "organization_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(index=True)
    organization_id: Mapped[int] = mapped_column(index=True)

    def __repr__(self) -> str:
        return f"<DisputeOrganization {self.dispute_id}:{self.organization_id}>"


class DisputeMember(TenantMixin, Model):
    """A member of this partnership who is a party to a dispute (admitted to it by a grant)."""

    __tablename__ = "dispute_members"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "dispute_id"], ["disputes.partnership_id", "disputes.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"], ["memberships.partnership_id", "memberships.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("dispute_id", "membership_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(index=True)
    membership_id: Mapped[int] = mapped_column(index=True)

    def __repr__(self) -> str:
        return f"<DisputeMember {self.dispute_id}:{self.membership_id}>"


class DisputeEntry(TenantMixin, TimestampMixin, Model):
    """One dated entry of a dispute's timeline: what happened, what was agreed. Append-only: an entry
    is never edited or removed on its own (a correction is a new entry); ``status`` is set on the
    entries a status change writes."""

    __tablename__ = "dispute_entries"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "dispute_id"], ["disputes.partnership_id", "disputes.id"], ondelete="CASCADE"
        ),
        CheckConstraint("what_happened <> ''", name="what_happened_given"),
        # A dispute's timeline, in order: its page reads the latest entries by this index.
        Index("ix_dispute_entries_partnership_id_dispute", "partnership_id", "dispute_id", "happened_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int]
    happened_on: Mapped[date]
    what_happened: Mapped[str] = mapped_column(Text)
    agreed: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[DisputeStatus | None] = mapped_column(text_enum(DisputeStatus, "dispute_entry_status"))
    author_membership_id: Mapped[int | None] = mapped_column(_member_fk())

    def __repr__(self) -> str:
        return f"<DisputeEntry {self.id} of dispute {self.dispute_id}>"


class TimelineIsAppendOnly(RuntimeError):
    """Something tried to change a timeline entry that was already written."""


@event.listens_for(DisputeEntry, "before_update")
def _refuse_entry_update(mapper: object, connection: object, entry: DisputeEntry) -> None:
    raise TimelineIsAppendOnly(f"dispute entry {entry.id} is append-only: add a new entry instead")
