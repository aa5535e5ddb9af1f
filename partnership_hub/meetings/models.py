"""Meetings and everything that hangs off one: the recurring series an occurrence belongs to, agenda
items and comments on them, who is invited and who came, decisions, and personal calendar feeds.

A recurring meeting is a ``MeetingSeries`` (an RFC 5545 rule and the local wall-clock time of its first
occurrence in its time zone) plus one ``Meeting`` row per occurrence, materialized up to a horizon (the
services and a daily beat task extend it). Each occurrence keeps the start its rule gave it
(``original_start``, the RECURRENCE-ID), so an occurrence moved or cancelled on its own is still
recognized and never generated twice (unique per series).

Links inside a partnership use composite (partnership_id, id) foreign keys. Where the record pointed at
may go while the pointing one stays, the composite key is left without an ON DELETE action (refused while
linked: the services clear the link first) rather than SET NULL, which would null partnership_id too.
Links to people (memberships) are plain keys with SET NULL, as elsewhere: a person leaving keeps the
meetings they facilitated; the services check that a chosen person is in the partnership.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.confidentiality import Confidential
from partnership_hub.db import TenantMixin, TimestampMixin, text_enum, utcnow
from partnership_hub.extensions import Model


def _member_fk() -> ForeignKey:
    return ForeignKey("memberships.id", ondelete="SET NULL")


class MeetingKind(enum.StrEnum):
    FULL_PARTNERSHIP = "full_partnership"
    PLANNING_TEAM = "planning_team"
    COMMITTEE = "committee"
    ADVISORY_BOARD = "advisory_board"
    OTHER = "other"


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class InviteScope(enum.StrEnum):
    ALL = "all"  # every member of the partnership
    SELECTED = "selected"  # the people in meeting_invitees


class AgendaItemKind(enum.StrEnum):
    INFORMATION = "information"
    DISCUSSION = "discussion"
    DECISION = "decision"


class AgendaItemStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"


class AgendaOutcome(enum.StrEnum):
    DISCUSSED = "discussed"
    NOT_REACHED = "not_reached"


class Rsvp(enum.StrEnum):
    NONE = "none"
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


KIND_LABELS: dict[MeetingKind, str] = {
    MeetingKind.FULL_PARTNERSHIP: "Full partnership",
    MeetingKind.PLANNING_TEAM: "Planning team",
    MeetingKind.COMMITTEE: "Committee",
    MeetingKind.ADVISORY_BOARD: "Survivor advisory board",
    MeetingKind.OTHER: "Other",
}


class MeetingSeries(TenantMixin, TimestampMixin, Model):
    """A recurring meeting: its rule and the local time of its first occurrence, in its time zone."""

    __tablename__ = "meeting_series"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(500))  # RFC 5545 RRULE value, without DTSTART
    # The naive local wall-clock start of the first occurrence (in ``time_zone``): every occurrence
    # keeps this time of day across DST changes.
    first_start_local: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    duration_minutes: Mapped[int]
    time_zone: Mapped[str] = mapped_column(String(64))
    # Occurrences exist up to here (UTC); the daily beat task moves it on. None until first generated.
    generated_until: Mapped[datetime | None]
    # Set when every occurrence from some point on was cancelled or replaced by a new series and the
    # rule had nothing left before that point: nothing more is generated.
    ended_at: Mapped[datetime | None]
    created_by_membership_id: Mapped[int | None] = mapped_column(_member_fk())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<MeetingSeries {self.id}>"


class Meeting(Confidential, TenantMixin, TimestampMixin, Model):
    """One meeting (a one-off, or one occurrence of a series)."""

    __tablename__ = "meetings"
    confidential_kind = "meeting"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        UniqueConstraint("series_id", "original_start"),
        ForeignKeyConstraint(["partnership_id", "series_id"], ["meeting_series.partnership_id", "meeting_series.id"]),
        ForeignKeyConstraint(
            ["partnership_id", "minutes_approved_in_meeting_id"], ["meetings.partnership_id", "meetings.id"]
        ),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_meetings_partnership_id_starts_at_id", "partnership_id", "starts_at", "id"),
        Index("ix_meetings_partnership_id_series_id_starts_at", "partnership_id", "series_id", "starts_at"),
        # One kind's meetings by start (the board's list in the advisory area, the list's kind filter): both
        # walks and the capped count read that kind only; on PostgreSQL the columns of the visibility rule
        # ride along, so they are index-only scans (migration 0035).
        Index(
            "ix_meetings_partnership_id_kind_starts_at_id",
            "partnership_id",
            "kind",
            "starts_at",
            "id",
            postgresql_include=["confidentiality", "author_membership_id"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None]
    original_start: Mapped[datetime | None]  # the start the rule gave this occurrence (UTC); None: one-off
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MeetingKind] = mapped_column(text_enum(MeetingKind, "meeting_kind"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    time_zone: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    facilitator_membership_id: Mapped[int | None] = mapped_column(_member_fk(), index=True)
    note_taker_membership_id: Mapped[int | None] = mapped_column(_member_fk(), index=True)
    author_membership_id: Mapped[int | None] = mapped_column(_member_fk())
    status: Mapped[MeetingStatus] = mapped_column(
        text_enum(MeetingStatus, "meeting_status"), default=MeetingStatus.SCHEDULED
    )
    sequence: Mapped[int] = mapped_column(default=0)  # +1 on every change that matters to a calendar
    version: Mapped[int] = mapped_column(default=1)  # optimistic lock for edits and reorders
    invite_scope: Mapped[InviteScope] = mapped_column(text_enum(InviteScope, "invite_scope"), default=InviteScope.ALL)
    agenda_published_at: Mapped[datetime | None]
    minutes_published_at: Mapped[datetime | None]
    minutes_approved_at: Mapped[datetime | None]
    minutes_approved_by_membership_id: Mapped[int | None] = mapped_column(_member_fk())
    minutes_approved_in_meeting_id: Mapped[int | None]  # the meeting at which they were approved
    minutes_md: Mapped[str] = mapped_column(Text, default="")
    # Reminders (the notifications area sends them): on or off; the offsets in minutes before the start,
    # space-separated (None: the partnership's); a line added to each; only to those who have not answered.
    reminders_on: Mapped[bool] = mapped_column(default=True)
    reminder_offsets: Mapped[str | None] = mapped_column(String(60))
    reminder_note: Mapped[str] = mapped_column(Text, default="")
    remind_unanswered_only: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def __repr__(self) -> str:
        return f"<Meeting {self.id}>"


class AgendaItem(TenantMixin, TimestampMixin, Model):
    __tablename__ = "agenda_items"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        ForeignKeyConstraint(
            ["partnership_id", "meeting_id"], ["meetings.partnership_id", "meetings.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(["partnership_id", "carried_from_id"], ["agenda_items.partnership_id", "agenda_items.id"]),
        Index(
            "ix_agenda_items_partnership_id_meeting_id_position_id", "partnership_id", "meeting_id", "position", "id"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[AgendaItemKind] = mapped_column(
        text_enum(AgendaItemKind, "agenda_item_kind"), default=AgendaItemKind.DISCUSSION
    )
    presenter_membership_id: Mapped[int | None] = mapped_column(_member_fk())
    minutes_allotted: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    links: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[AgendaItemStatus] = mapped_column(
        text_enum(AgendaItemStatus, "agenda_item_status"), default=AgendaItemStatus.ACCEPTED
    )
    proposed_by_membership_id: Mapped[int | None] = mapped_column(_member_fk())
    outcome: Mapped[AgendaOutcome | None] = mapped_column(text_enum(AgendaOutcome, "agenda_outcome"))
    # Unique: an item is carried over at most once (to the next occurrence).
    carried_from_id: Mapped[int | None] = mapped_column(index=True, unique=True)
    minutes_md: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<AgendaItem {self.id}>"


class AgendaComment(TenantMixin, Model):
    __tablename__ = "agenda_comments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "agenda_item_id"], ["agenda_items.partnership_id", "agenda_items.id"], ondelete="CASCADE"
        ),
        Index(
            "ix_agenda_comments_partnership_id_agenda_item_id_created_at",
            "partnership_id",
            "agenda_item_id",
            "created_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(index=True)
    author_membership_id: Mapped[int | None] = mapped_column(_member_fk())
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<AgendaComment {self.id}>"


class MeetingInvitee(TenantMixin, TimestampMixin, Model):
    """Someone invited to a meeting, their RSVP and whether they attended. The membership link is SET
    NULL when they leave, so attendance by organization (``organization_id``) outlives them."""

    __tablename__ = "meeting_invitees"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "meeting_id"], ["meetings.partnership_id", "meetings.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("meeting_id", "membership_id"),
        Index(
            "ix_meeting_invitees_partnership_id_membership_id_meeting_id",
            "partnership_id",
            "membership_id",
            "meeting_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int]
    membership_id: Mapped[int | None] = mapped_column(_member_fk())
    # The invitee's organization when attendance was recorded (per-organization history).
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id", ondelete="SET NULL"), index=True)
    rsvp: Mapped[Rsvp] = mapped_column(text_enum(Rsvp, "rsvp"), default=Rsvp.NONE)
    rsvp_at: Mapped[datetime | None]
    attended: Mapped[bool | None]  # None: not recorded
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<MeetingInvitee {self.id}>"


class Decision(TenantMixin, Model):
    """A decision recorded at a meeting (the decision log across meetings)."""

    __tablename__ = "decisions"
    __table_args__ = (
        ForeignKeyConstraint(["partnership_id", "meeting_id"], ["meetings.partnership_id", "meetings.id"]),
        ForeignKeyConstraint(["partnership_id", "agenda_item_id"], ["agenda_items.partnership_id", "agenda_items.id"]),
        Index("ix_decisions_partnership_id_created_at_id", "partnership_id", "created_at", "id"),
        # A meeting's decisions, and the decision log's capped count: it reads the decisions in meeting order
        # beside the meetings' (partnership_id, id), a merge join that stops at the cap (migration 0037).
        Index("ix_decisions_partnership_id_meeting_id", "partnership_id", "meeting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int]
    agenda_item_id: Mapped[int | None] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(Text)
    recorded_by_membership_id: Mapped[int | None] = mapped_column(_member_fk())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Decision {self.id}>"


class CalendarFeed(TenantMixin, Model):
    """A person's calendar subscription: a secret token (only its hash is kept), revocable."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"], ["memberships.partnership_id", "memberships.id"], ondelete="CASCADE"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id}>"


class MinutesRevision(TenantMixin, Model):
    """One saved version of a meeting's minutes: the whole meeting's (``agenda_item_id`` None) or one
    agenda item's. Append-only: saving adds a row and copies the text to ``minutes_md`` on the meeting
    or item, which the page reads."""

    __tablename__ = "meeting_minutes_revisions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "meeting_id"], ["meetings.partnership_id", "meetings.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["partnership_id", "agenda_item_id"], ["agenda_items.partnership_id", "agenda_items.id"], ondelete="CASCADE"
        ),
        Index("ix_meeting_minutes_revisions_partnership_id_meeting_id_id", "partnership_id", "meeting_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int]
    agenda_item_id: Mapped[int | None]
    body_md: Mapped[str] = mapped_column(Text)
    author_membership_id: Mapped[int | None] = mapped_column(_member_fk())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<MinutesRevision {self.id}>"
