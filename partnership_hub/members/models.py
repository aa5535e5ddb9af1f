"""Organizations in the partnership and the directories around them.

Links between tenant records use composite foreign keys on (partnership_id, id), so the database
itself refuses an organization's sector, representative or completion that points into another
partnership.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partnership_hub.db import TenantMixin, TimestampMixin, utcnow
from partnership_hub.extensions import Model
from partnership_hub.workspaces.models import Membership


def name_key(name: str) -> str:
    """How names are compared for duplicates: case and surrounding/inner spacing don't count."""
    return " ".join(name.split()).casefold()


class CustomSector(TenantMixin, TimestampMixin, Model):
    """A sector a partnership added to the toolkit's taxonomy (optionally under a toolkit sector)."""

    __tablename__ = "custom_sectors"
    __table_args__ = (UniqueConstraint("partnership_id", "id"), UniqueConstraint("partnership_id", "name_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_key: Mapped[str] = mapped_column(String(120))
    parent_key: Mapped[str | None] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<CustomSector {self.id}>"


class Organization(TenantMixin, TimestampMixin, Model):
    __tablename__ = "organizations"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        UniqueConstraint("partnership_id", "name_key"),
        # "Endorsed by N of M organizations" counts the active ones: an index-only count.
        Index(
            "ix_organizations_active",
            "partnership_id",
            "id",
            postgresql_where=text("archived_at IS NULL"),
            sqlite_where=text("archived_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    name_key: Mapped[str] = mapped_column(String(160))
    website: Mapped[str] = mapped_column(String(300), default="")
    service_area: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The four Ps the organization works on.
    prevention: Mapped[bool] = mapped_column(default=False)
    protection: Mapped[bool] = mapped_column(default=False)
    prosecution: Mapped[bool] = mapped_column(default=False)
    partnership_p: Mapped[bool] = mapped_column("partnership", default=False)
    archived_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    sectors: Mapped[list[OrganizationSector]] = relationship(
        back_populates="organization",
        cascade="all, delete-orphan",
        primaryjoin="and_(Organization.id == OrganizationSector.organization_id, "
        "Organization.partnership_id == OrganizationSector.partnership_id)",
        foreign_keys="[OrganizationSector.partnership_id, OrganizationSector.organization_id]",
        overlaps="organization",
    )
    representatives: Mapped[list[Representative]] = relationship(
        back_populates="organization",
        cascade="all, delete-orphan",
        primaryjoin="and_(Organization.id == Representative.organization_id, "
        "Organization.partnership_id == Representative.partnership_id)",
        foreign_keys="[Representative.partnership_id, Representative.organization_id]",
        overlaps="organization",
        order_by="Representative.id",
    )

    @property
    def ps(self) -> list[str]:
        return [
            key
            for key, on in (
                ("prevention", self.prevention),
                ("protection", self.protection),
                ("prosecution", self.prosecution),
                ("partnership", self.partnership_p),
            )
            if on
        ]

    def __repr__(self) -> str:
        return f"<Organization {self.id}>"


class OrganizationSector(TenantMixin, Model):
    """An organization works in a sector: a toolkit sector (``sector_key``) or a custom one."""

    __tablename__ = "organization_sectors"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "custom_sector_id"],
            ["custom_sectors.partnership_id", "custom_sectors.id"],
            ondelete="CASCADE",
        ),
        CheckConstraint("(sector_key IS NULL) <> (custom_sector_id IS NULL)", name="one_sector"),
        UniqueConstraint("organization_id", "sector_key"),
        UniqueConstraint("organization_id", "custom_sector_id"),
        Index("ix_organization_sectors_partnership_id_sector_key", "partnership_id", "sector_key"),
        # A sector's active organizations in name order: its first names are a LIMIT walk, its count an
        # index-only scan (the coverage page, ``services.sector_tallies``).
        Index(
            "ix_organization_sectors_active_sector_order",
            "partnership_id",
            "sector_key",
            "organization_name_key",
            "organization_id",
            postgresql_where=text("organization_active AND sector_key IS NOT NULL"),
            sqlite_where=text("organization_active AND sector_key IS NOT NULL"),
        ),
        Index(
            "ix_organization_sectors_active_custom_order",
            "partnership_id",
            "custom_sector_id",
            "organization_name_key",
            "organization_id",
            postgresql_where=text("organization_active AND custom_sector_id IS NOT NULL"),
            sqlite_where=text("organization_active AND custom_sector_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int]
    sector_key: Mapped[str | None] = mapped_column(String(60))
    custom_sector_id: Mapped[int | None]
    # The organization's ``name_key`` and whether it is active (not archived), copied onto the link and
    # kept true by database triggers (migration 0032) whatever writes the organization or the link. Read
    # them in SQL: a loaded link does not see a change its organization made in the same session.
    organization_name_key: Mapped[str] = mapped_column(String(160), server_default="")
    organization_active: Mapped[bool] = mapped_column(server_default=true())

    organization: Mapped[Organization] = relationship(
        back_populates="sectors",
        primaryjoin="and_(Organization.id == OrganizationSector.organization_id, "
        "Organization.partnership_id == OrganizationSector.partnership_id)",
        foreign_keys="[OrganizationSector.partnership_id, OrganizationSector.organization_id]",
        overlaps="sectors",
    )
    custom_sector: Mapped[CustomSector | None] = relationship(
        primaryjoin="and_(CustomSector.id == OrganizationSector.custom_sector_id, "
        "CustomSector.partnership_id == OrganizationSector.partnership_id)",
        foreign_keys="[OrganizationSector.partnership_id, OrganizationSector.custom_sector_id]",
        viewonly=True,
    )

    def __repr__(self) -> str:
        return f"<OrganizationSector {self.id}>"


class Representative(TenantMixin, TimestampMixin, Model):
    """Who speaks for an organization: a workspace member, or a plain contact with no account."""

    __tablename__ = "representatives"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"], ["memberships.partnership_id", "memberships.id"], ondelete="CASCADE"
        ),
        CheckConstraint("membership_id IS NOT NULL OR name <> ''", name="named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(index=True)
    membership_id: Mapped[int | None] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    title: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")

    organization: Mapped[Organization] = relationship(
        back_populates="representatives",
        primaryjoin="and_(Organization.id == Representative.organization_id, "
        "Organization.partnership_id == Representative.partnership_id)",
        foreign_keys="[Representative.partnership_id, Representative.organization_id]",
        overlaps="representatives",
    )
    membership: Mapped[Membership | None] = relationship(
        primaryjoin="and_(Membership.id == Representative.membership_id, "
        "Membership.partnership_id == Representative.partnership_id)",
        foreign_keys="[Representative.partnership_id, Representative.membership_id]",
        viewonly=True,
    )

    def __repr__(self) -> str:
        return f"<Representative {self.id}>"


class LinkedNetwork(TenantMixin, TimestampMixin, Model):
    """An existing partnership or network to link with (an MDT, a SART, a regional task force...)."""

    __tablename__ = "linked_networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(20))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    relationship_notes: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<LinkedNetwork {self.id}>"
