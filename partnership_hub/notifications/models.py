"""The email outbox. A row is written in the same transaction as the change that calls for it;
workers deliver from here, so a broker outage delays mail but never loses it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TimestampMixin
from partnership_hub.extensions import Model


class OutboxStatus:
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


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

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"
