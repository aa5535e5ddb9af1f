"""Tables of the governance area's trust check-ins section.

Anonymity by design: *who* answered (``checkin_participations``) is kept apart from *what* was answered
(``checkin_responses``), and nothing joins the two:

* a response has no membership or user id and no time at all; its key is a random UUID;
* a participation has no time either (its sequential id orders the answerers, never the answers);
* both rows are written in one transaction, and in that transaction every response of the check-in is
  deleted and inserted again in the order of their random keys (``checkins.answer_checkin``): the
  newest response is not the last row (SQLite's rowid, PostgreSQL's physical order), and every live
  response carries the same transaction id (PostgreSQL's ``xmin``), so neither joins a participation;
* answering writes no audit entry, no access-log entry and no mail.

What the database keeps outside the tables (dead row versions until VACUUM, the WAL, a server's
statement log with parameters) is the operator's to keep off; docs/ARCHITECTURE.md says so.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, ForeignKeyConstraint, Index, SmallInteger, Text, UniqueConstraint
from sqlalchemy import Uuid as UuidType
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin
from partnership_hub.extensions import Model

__all__ = ["QUESTION_KEYS", "CheckinParticipation", "CheckinResponse", "TrustCheckin"]

# The columns of a response, one per toolkit.TRUST_CHECKIN_QUESTIONS key (in that order).
QUESTION_KEYS = ("trust", "shared_goals", "equal_voice", "disagreement")


class TrustCheckin(TenantMixin, TimestampMixin, Model):
    """A check-in a coordinator opened for a period (``opens_on``..``closes_on``, the partnership's dates).

    Closed early: ``closed_at`` is set and ``closes_on`` brought forward to the day it closed."""

    __tablename__ = "trust_checkins"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        CheckConstraint("closes_on >= opens_on", name="period"),
        CheckConstraint("min_responses BETWEEN 3 AND 100", name="min_responses"),
        # The check-ins page: the newest first, and the one still open (a LIMIT walk).
        Index("ix_trust_checkins_partnership_id_opens_on", "partnership_id", "opens_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    closed_at: Mapped[datetime | None]
    # Results show once this many people answered (and the check-in has closed).
    min_responses: Mapped[int] = mapped_column(SmallInteger, default=5)
    opened_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<TrustCheckin {self.id}>"


class CheckinParticipation(TenantMixin, Model):
    """That a member answered a check-in (never what, never when): one per member and check-in."""

    __tablename__ = "checkin_participations"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "checkin_id"], ["trust_checkins.partnership_id", "trust_checkins.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"], ["memberships.partnership_id", "memberships.id"], ondelete="CASCADE"
        ),
        # A second answer is refused by the service; this makes it impossible.
        UniqueConstraint("partnership_id", "checkin_id", "membership_id"),
        # "Your work": the open check-ins a member has not answered.
        Index("ix_checkin_participations_membership", "partnership_id", "membership_id", "checkin_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int]
    membership_id: Mapped[int]

    def __repr__(self) -> str:
        return f"<CheckinParticipation {self.id}>"


def _score() -> Mapped[int]:
    return mapped_column(SmallInteger, nullable=False)


class CheckinResponse(TenantMixin, Model):
    """One anonymous answer: the scores and the comment, with nothing that names a person or a time."""

    __tablename__ = "checkin_responses"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "checkin_id"], ["trust_checkins.partnership_id", "trust_checkins.id"], ondelete="CASCADE"
        ),
        Index("ix_checkin_responses_checkin", "partnership_id", "checkin_id"),
        *(CheckConstraint(f"{key} BETWEEN 1 AND 5", name=f"{key}_score") for key in QUESTION_KEYS),
    )

    # Random, so the key says nothing about when a response was written.
    id: Mapped[uuid.UUID] = mapped_column(UuidType, primary_key=True, default=uuid.uuid4)
    checkin_id: Mapped[int]
    trust: Mapped[int] = _score()
    shared_goals: Mapped[int] = _score()
    equal_voice: Mapped[int] = _score()
    disagreement: Mapped[int] = _score()
    comment: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return "<CheckinResponse>"
