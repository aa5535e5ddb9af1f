"""Tables of the governance area's agreements section: information-sharing agreements between member
organizations of one partnership, and their parties.

The stored status is what people chose (draft, active, withdrawn); "expired" is never stored: an
active agreement whose expiry date has passed in the partnership's time zone *is* expired, derived
at read time by one SQL expression (``agreements.effective_status``) so lists, counts and filters
agree and nothing has to flip a row at midnight.

Parties are organizations of the same partnership: composite foreign keys on (partnership_id, id)
make the database refuse a party from another partnership even if a form smuggled its id in.
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
)
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin, text_enum, utcnow
from partnership_hub.extensions import Model

__all__ = ["AgreementStatus", "SharingAgreement", "SharingAgreementParty"]


class AgreementStatus(enum.StrEnum):
    """What is stored. ``EXPIRED`` is only ever derived (an active agreement past its expiry date)."""

    DRAFT = "draft"
    ACTIVE = "active"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


STORED_STATUSES = (AgreementStatus.DRAFT, AgreementStatus.ACTIVE, AgreementStatus.WITHDRAWN)


class SharingAgreement(TenantMixin, TimestampMixin, Model):
    """An information-sharing agreement between two or more member organizations."""

    __tablename__ = "sharing_agreements"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        CheckConstraint("status <> 'expired'", name="expired_is_derived"),
        CheckConstraint("signed_on IS NULL OR expires_on IS NULL OR signed_on <= expires_on", name="signed_first"),
        CheckConstraint("review_on IS NULL OR expires_on IS NULL OR review_on <= expires_on", name="review_first"),
        # The list (newest first per status) and the expiring / expired counts: a range of this index.
        Index("ix_sharing_agreements_status_expires_on", "partnership_id", "status", "expires_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    shared_scope: Mapped[str] = mapped_column(Text, default="")  # what is shared
    not_shared: Mapped[str] = mapped_column(Text, default="")  # what is not
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    signatories: Mapped[str] = mapped_column(Text, default="")  # one per line: "Name, Organization"
    document_links: Mapped[str] = mapped_column(Text, default="")  # one http(s) address per line
    signed_on: Mapped[date | None]
    review_on: Mapped[date | None]
    expires_on: Mapped[date | None]
    status: Mapped[AgreementStatus] = mapped_column(
        text_enum(AgreementStatus, "agreement_status"),
        default=AgreementStatus.DRAFT,
    )
    withdrawn_at: Mapped[datetime | None]
    created_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<SharingAgreement {self.id}>"


class SharingAgreementParty(TenantMixin, Model):
    """An organization that is party to an agreement (same partnership, enforced by the keys)."""

    __tablename__ = "sharing_agreement_parties"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "agreement_id"],
            ["sharing_agreements.partnership_id", "sharing_agreements.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("agreement_id", "organization_id"),
        # An organization's agreements (the list's organization filter, its page's link).
        Index("ix_sharing_agreement_parties_organization", "partnership_id", "organization_id", "agreement_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int]
    organization_id: Mapped[int]

    def __repr__(self) -> str:
        return f"<SharingAgreementParty {self.id}>"
