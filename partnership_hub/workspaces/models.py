"""Partnerships, who belongs to them, and invitations to join."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, ForeignKeyConstraint, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partnership_hub.accounts.models import User
from partnership_hub.db import TenantMixin, TimestampMixin, text_enum, utcnow
from partnership_hub.extensions import Model


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    MEMBER = "member"
    SURVIVOR_ADVISOR = "survivor_advisor"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.COORDINATOR: "Coordinator",
    Role.MEMBER: "Member",
    Role.SURVIVOR_ADVISOR: "Survivor advisor",
    Role.OBSERVER: "Observer",
}

ROLE_DESCRIPTIONS = {
    Role.COORDINATOR: "Runs the workspace: invites people, changes roles, sees everything leadership sees.",
    Role.MEMBER: "An organization's representative: takes part, owns goals and action items.",
    Role.SURVIVOR_ADVISOR: (
        "Brings lived experience: takes part like a member and reads what is shared with advisors. Only"
        " coordinators and other survivor advisors see who holds this role."
    ),
    Role.OBSERVER: "Reads what the partnership chose to share, nothing more.",
}

# Stored as text with a CHECK constraint (not a native PostgreSQL enum) so adding a role later is
# a one-line migration on both databases.
role_type = text_enum(Role, "role")


class Partnership(TimestampMixin, Model):
    """A partnership's workspace: the tenant every other record belongs to."""

    __tablename__ = "partnerships"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The partnership profile (toolkit section 1: Partnership 101).
    definition: Mapped[str] = mapped_column(Text, default="", server_default="")
    vision: Mapped[str] = mapped_column(Text, default="", server_default="")
    mission: Mapped[str] = mapped_column(Text, default="", server_default="")
    region: Mapped[str] = mapped_column(String(160), default="", server_default="")
    functions: Mapped[list[str]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )  # toolkit.FUNCTIONS keys
    coordination_model: Mapped[str | None] = mapped_column(String(20))  # toolkit.COORDINATION_MODELS
    stage: Mapped[str | None] = mapped_column(String(20))  # toolkit.STAGES
    public_profile: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Goals and objectives with no progress update for this many days are flagged as stalled.
    stalled_after_days: Mapped[int] = mapped_column(default=30, server_default=text("30"))
    # How often the partnership means to meet, in weeks (None: not decided); meeting health compares.
    meetings_every_weeks: Mapped[int | None]

    def __repr__(self) -> str:
        return f"<Partnership {self.id} {self.slug}>"


class Membership(TenantMixin, TimestampMixin, Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("partnership_id", "user_id"),
        UniqueConstraint("partnership_id", "id"),
        # Counts by role and of the planning team / directory editors (setup facts, home, planning)
        # as index-only scans; user_id is there because the RLS policy reads it.
        Index("ix_memberships_partnership_id_role", "partnership_id", "role", "user_id"),
        Index(
            "ix_memberships_planning_team",
            "partnership_id",
            "user_id",
            postgresql_where=text("on_planning_team"),
            sqlite_where=text("on_planning_team"),
        ),
        Index(
            "ix_memberships_directory_editors",
            "partnership_id",
            "user_id",
            postgresql_where=text("directory_editor"),
            sqlite_where=text("directory_editor"),
        ),
        # Members by name (``sort_name``, then id), the first page a LIMIT scan however large the
        # partnership: the planning team, the pickers (any roles), and one role's members.
        Index("ix_memberships_partnership_id_sort_name", "partnership_id", "sort_name", "id"),
        Index("ix_memberships_partnership_id_role_sort_name", "partnership_id", "role", "sort_name", "id"),
        # The planning page's people (on the planning team or editing the directory), by name.
        Index(
            "ix_memberships_planning_people",
            "partnership_id",
            "sort_name",
            "id",
            postgresql_where=text("on_planning_team OR directory_editor"),
            sqlite_where=text("on_planning_team OR directory_editor"),
        ),
        # The People page: coordinators first, then by name. PostgreSQL only: SQLite cannot reflect an
        # expression index (the migration test compares schemas), and its partnerships are small.
        Index(
            "ix_memberships_people_order",
            "partnership_id",
            text("(role <> 'coordinator')"),
            "sort_name",
            "id",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(role_type)
    on_planning_team: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A coordinator may let a member edit the organization directory and resource map.
    directory_editor: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A coordinator put the home's "Getting started" card away (their own home; issue #10).
    getting_started_dismissed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # lower(users.name): what member lists sort by (users is shared by every partnership, so an order
    # by its name sorts every member first). Kept by database triggers (migration 0010) when the
    # membership is created and whenever the person's name changes, in every partnership; never set here.
    sort_name: Mapped[str] = mapped_column(String(120), server_default="")

    user: Mapped[User] = relationship()
    partnership: Mapped[Partnership] = relationship()

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    def __repr__(self) -> str:
        return f"<Membership {self.id} p={self.partnership_id} u={self.user_id} {self.role.value}>"


class Invitation(TenantMixin, TimestampMixin, Model):
    """An emailed, single-use, expiring invitation bound to one address."""

    __tablename__ = "invitations"
    __table_args__ = (
        Index("ix_invitations_partnership_id_email", "partnership_id", "email"),
        # One open invitation per address, even under concurrent requests (issue #9). Expired ones
        # count as open: inviting the address again renews that row instead of adding one.
        Index(
            "uq_invitations_open_email",
            "partnership_id",
            "email",
            unique=True,
            postgresql_where=text("accepted_at IS NULL AND revoked_at IS NULL"),
            sqlite_where=text("accepted_at IS NULL AND revoked_at IS NULL"),
        ),
        # Open invitations newest first (the People page and its invitations page): a LIMIT scan.
        Index(
            "ix_invitations_open_created_at",
            "partnership_id",
            "created_at",
            "id",
            postgresql_where=text("accepted_at IS NULL AND revoked_at IS NULL"),
            sqlite_where=text("accepted_at IS NULL AND revoked_at IS NULL"),
        ),
        # Pending (open, unexpired) invitations counted for the home: an index-only range scan.
        Index(
            "ix_invitations_open_expires_at",
            "partnership_id",
            "expires_at",
            postgresql_where=text("accepted_at IS NULL AND revoked_at IS NULL"),
            sqlite_where=text("accepted_at IS NULL AND revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(role_type)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime]
    send_count: Mapped[int] = mapped_column(default=1)
    last_sent_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None]

    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    partnership: Mapped[Partnership] = relationship()

    def status(self, now: datetime) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"

    def __repr__(self) -> str:
        return f"<Invitation {self.id} p={self.partnership_id}>"


class OrientationItem(TenantMixin, TimestampMixin, Model):
    """A step of the new-member orientation checklist that coordinators define."""

    __tablename__ = "orientation_items"
    __table_args__ = (UniqueConstraint("partnership_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    archived_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<OrientationItem {self.id}>"


class OrientationCompletion(TenantMixin, Model):
    __tablename__ = "orientation_completions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "orientation_item_id"],
            ["orientation_items.partnership_id", "orientation_items.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"], ["memberships.partnership_id", "memberships.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("orientation_item_id", "membership_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    orientation_item_id: Mapped[int]
    membership_id: Mapped[int] = mapped_column(index=True)
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<OrientationCompletion {self.id}>"
