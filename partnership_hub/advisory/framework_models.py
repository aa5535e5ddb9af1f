"""Tables of the advisory area's framework section: the partnership's confidentiality framework (its
consent, privacy and retention practices), each member organization's mandatory-reporting duties and
the partnership's review of the federal rules on confidentiality the toolkit lists.

The framework is one row per partnership, edited in place (no versions: the audit log says who changed
which section when). Reporting rows point at their organization with a composite
``(partnership_id, organization_id)`` key, so the database refuses an organization of another
partnership; an organization without a row is "not recorded". A federal rule without a review row is
"not started"; ``rule_key`` is a key of ``toolkit.FEDERAL_CONFIDENTIALITY_RULES``.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from partnership_hub.db import TenantMixin, TimestampMixin, text_enum
from partnership_hub.extensions import Model

__all__ = [
    "ConfidentialityFramework",
    "FederalRuleReview",
    "OrganizationReporting",
    "ReporterStatus",
    "RuleStatus",
]


class ReporterStatus(enum.StrEnum):
    """Whether an organization is a mandatory reporter (its staff must report certain harms by law)."""

    YES = "yes"
    NO = "no"
    UNSURE = "unsure"


class RuleStatus(enum.StrEnum):
    """Where the partnership stands with one federal rule. ``NOT_STARTED`` is also what a missing row means."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    ADDRESSED = "addressed"
    NOT_APPLICABLE = "not_applicable"


class ConfidentialityFramework(TenantMixin, TimestampMixin, Model):
    """The partnership's confidentiality practices, one Markdown text per section (one row per partnership)."""

    __tablename__ = "confidentiality_frameworks"
    __table_args__ = (UniqueConstraint("partnership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consent: Mapped[str] = mapped_column(Text, default="")  # how consent is asked, recorded and withdrawn
    privacy: Mapped[str] = mapped_column(Text, default="")  # what members share, and what never
    retention: Mapped[str] = mapped_column(Text, default="")  # how long records are kept
    other: Mapped[str] = mapped_column(Text, default="")
    # Raised by every save: a save based on an older one is refused rather than overwriting it.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<ConfidentialityFramework {self.id}>"


class OrganizationReporting(TenantMixin, TimestampMixin, Model):
    """An organization's mandatory-reporting duties: whether it is a mandatory reporter and for what."""

    __tablename__ = "organization_reporting"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            ondelete="CASCADE",
        ),
        UniqueConstraint("partnership_id", "organization_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int]
    is_mandatory_reporter: Mapped[ReporterStatus] = mapped_column(text_enum(ReporterStatus, "reporter_status"))
    reports_for: Mapped[str] = mapped_column(String(500), default="")  # "child abuse and neglect; elder abuse"
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<OrganizationReporting {self.id}>"


class FederalRuleReview(TenantMixin, TimestampMixin, Model):
    """The partnership's review of one federal rule on confidentiality: where it stands, with notes."""

    __tablename__ = "federal_rule_reviews"
    __table_args__ = (UniqueConstraint("partnership_id", "rule_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_key: Mapped[str] = mapped_column(String(60))
    status: Mapped[RuleStatus] = mapped_column(text_enum(RuleStatus, "rule_status"), default=RuleStatus.NOT_STARTED)
    notes: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"<FederalRuleReview {self.id}>"
