"""Tables of the advisory area's safety section: each survivor advisor's (and board member's) own safety
and contact preferences.

The name others see is the person's account name (``users.name``), so it is not stored here. The legal
name is stored only here, and read only by ``safety.own_profile`` (the person themself) and
``safety.legal_names`` (the payments view): nothing else may select the column.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKeyConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin, utcnow
from partnership_hub.extensions import Model

__all__ = ["AdvisorProfile"]


class AdvisorProfile(TenantMixin, TimestampMixin, Model):
    """One person's contact and safety preferences in one partnership (at most one per membership).

    The channels are three booleans; none of them ticked means "do not contact me outside the app". A
    phone number is kept only while calls or texts are allowed, and reminders (sent by email) only
    while email is (both also checked by the database)."""

    __tablename__ = "advisor_profiles"
    __table_args__ = (
        UniqueConstraint("partnership_id", "membership_id"),
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"], ["memberships.partnership_id", "memberships.id"], ondelete="CASCADE"
        ),
        CheckConstraint("allow_phone OR allow_text OR phone = ''", name="phone_when_allowed"),
        CheckConstraint("allow_email OR NOT wants_reminders", name="reminders_by_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int]
    legal_name: Mapped[str] = mapped_column(String(120), default="")
    allow_email: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_phone: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_text: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str] = mapped_column(String(40), default="")
    safe_times: Mapped[str] = mapped_column(String(500), default="")
    no_voicemail: Mapped[bool] = mapped_column(Boolean, default=False)
    safe_contact: Mapped[str] = mapped_column(String(500), default="")
    safe_mode: Mapped[bool] = mapped_column(Boolean, default=False)
    wants_reminders: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<AdvisorProfile {self.id}>"
