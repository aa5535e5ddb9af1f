"""The email outbox. A row is written in the same transaction as the change that calls for it;
workers deliver from here, so a broker outage delays mail but never loses it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin, utcnow
from partnership_hub.extensions import Model


class OutboxStatus:
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    # The record it was about changed before it went out (a meeting moved or cancelled): never sent.
    SUPERSEDED = "superseded"


class OutboxMessage(TimestampMixin, Model):
    """One email to one recipient. ``dedup_key`` (kind:subject:recipient:occurrence) is unique:
    a retried request, a duplicate beat tick or a redelivered task cannot *queue* it twice
    (exactly-once enqueueing).

    Delivery is at-least-once, with a Message-ID derived from the row (``mail.message_id``), the
    same on every attempt. SMTP has no two-phase commit: a worker that dies after the server
    accepted the message but before the row says ``sent`` leaves a message that will be sent again.
    ``sending_at`` records that a send is in flight (committed before the SMTP transaction starts);
    such a row is left alone until ``OUTBOX_IN_FLIGHT_GRACE`` has passed, so only a dead worker's
    message is sent twice, and the copy carries the same Message-ID for receivers to recognise.

    Not a tenant table: account mail (verification, reset) belongs to no partnership, and the
    sweep must see every pending row. On PostgreSQL row-level security still guards it (migration
    0009): a request sees and writes only its own partnership's mail (account mail: write only); the
    delivery work opens the whole outbox for its own transaction (``services.open_outbox``).
    ``sender_id`` is the person whose action sent it, for the per-person sending limits.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbox_messages_sender_id_created_at", "sender_id", "created_at"),
        # The id comes from the sequence before the INSERT, not from RETURNING: row-level security
        # would otherwise require a request to read back account mail it may only write.
        {"implicit_returning": False},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnerships.id", ondelete="SET NULL"), index=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(String(200), default="")
    sent_at: Mapped[datetime | None]
    sending_at: Mapped[datetime | None]  # a worker began the SMTP transaction then; None when none is under way
    # JSON: [{"filename", "content_type", "content"}] (text attachments: a meeting's .ics).
    attachments: Mapped[str | None] = mapped_column(Text)
    # JSON: extra headers ({"List-Unsubscribe": ..., "List-Unsubscribe-Post": ...}).
    headers: Mapped[str | None] = mapped_column(Text)
    # "<prefix>:<ref>": asked of the area that declared ``prefix`` (``Area.mail_checks``) just before
    # sending; a message whose record has changed since (a meeting moved) is superseded, not sent.
    valid_while: Mapped[str | None] = mapped_column(String(120))

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"


# --- what people choose, and what the app shows them --------------------------------------------

DIGEST_OFF, DIGEST_DAILY, DIGEST_WEEKLY = "off", "daily", "weekly"
DIGEST_CHOICES = (DIGEST_OFF, DIGEST_DAILY, DIGEST_WEEKLY)
DEFAULT_REMINDER_OFFSETS = "1440 60"  # minutes before a meeting: a day, an hour
DEFAULT_DIGEST_WEEKDAY = 0  # Monday
DEFAULT_DIGEST_HOUR = 8  # local time


def _member_fk(table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["partnership_id", "membership_id"],
        ["memberships.partnership_id", "memberships.id"],
        ondelete="CASCADE",
        name=f"fk_{table}_membership",
    )


class NotificationSettings(TenantMixin, Model):
    """The partnership's defaults (one row, created on first change): when meeting reminders go out
    and on which weekday and local hour the weekly digest is sent."""

    __tablename__ = "notification_settings"
    __table_args__ = (
        UniqueConstraint("partnership_id"),
        CheckConstraint("digest_weekday BETWEEN 0 AND 6", name="digest_weekday"),
        CheckConstraint("digest_hour BETWEEN 0 AND 23", name="digest_hour"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_offsets: Mapped[str] = mapped_column(String(60), default=DEFAULT_REMINDER_OFFSETS)
    digest_weekday: Mapped[int] = mapped_column(SmallInteger, default=DEFAULT_DIGEST_WEEKDAY)
    digest_hour: Mapped[int] = mapped_column(SmallInteger, default=DEFAULT_DIGEST_HOUR)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<NotificationSettings {self.partnership_id}>"


class NotificationPreference(TenantMixin, Model):
    """One person's choices in one partnership (a row once they change anything; defaults otherwise).

    ``email_off`` / ``app_off``: the notice kinds (``Area.notice_kinds`` keys, space-separated) they
    turned off by email / in the app. ``digest``: None means the default for their role (weekly for
    coordinators, off for everyone else); ``digest_weekday`` / ``digest_hour`` None: the partnership's.
    ``time_zone`` None: their account's, else the partnership's. ``digest_sent_for``: the last period
    ("2026-12-01" or "2026-W49") a digest was queued for, so a period is built once."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        _member_fk("notification_preferences"),
        UniqueConstraint("membership_id"),
        CheckConstraint("digest IS NULL OR digest IN ('off', 'daily', 'weekly')", name="digest"),
        CheckConstraint("digest_weekday IS NULL OR digest_weekday BETWEEN 0 AND 6", name="digest_weekday"),
        CheckConstraint("digest_hour IS NULL OR digest_hour BETWEEN 0 AND 23", name="digest_hour"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int]
    email_off: Mapped[str] = mapped_column(String(1000), default="")
    app_off: Mapped[str] = mapped_column(String(1000), default="")
    digest: Mapped[str | None] = mapped_column(String(10))
    member_digest: Mapped[bool] = mapped_column(default=False)  # members: "what concerns me", opt-in
    digest_weekday: Mapped[int | None] = mapped_column(SmallInteger)
    digest_hour: Mapped[int | None] = mapped_column(SmallInteger)
    time_zone: Mapped[str | None] = mapped_column(String(64))
    digest_sent_for: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<NotificationPreference {self.membership_id}>"


class Notification(TenantMixin, Model):
    """One entry in a person's notification centre: what happened, in a line, and where to see it.
    ``dedup_key`` is the same key its email has (kind:subject:occurrence:recipient), unique in the
    partnership, so a repeated notice adds no second entry."""

    __tablename__ = "notifications"
    __table_args__ = (
        _member_fk("notifications"),
        UniqueConstraint("partnership_id", "dedup_key"),
        # The centre's page (newest first) is a bounded walk of this index.
        Index(
            "ix_notifications_partnership_id_membership_id_created_at",
            "partnership_id",
            "membership_id",
            "created_at",
            "id",
        ),
        Index(
            "ix_notifications_unread",
            "partnership_id",
            "membership_id",
            postgresql_where=text("read_at IS NULL"),
            sqlite_where=text("read_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500))  # a path inside the app
    dedup_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind}>"
