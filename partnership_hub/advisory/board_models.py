"""Tables of the advisory area's board section: the board's roles, the seats people hold on it and
their terms.

A seat does not by itself admit anyone to ``advisory`` records: the services keep one grant in the
confidentiality layer per open seat (``confidentiality.BOARD``), beside the chair's grants to others,
so the layer's rule is a function of grants alone.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
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

from partnership_hub.db import TenantMixin, TimestampMixin
from partnership_hub.extensions import Model

__all__ = ["AdvisoryRole", "BoardSeat", "BoardTerm"]


class AdvisoryRole(TenantMixin, TimestampMixin, Model):
    """A role on the board (chair, advisor, peer mentor…), with what it involves and its usual term."""

    __tablename__ = "advisory_roles"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        UniqueConstraint("partnership_id", "name"),
        CheckConstraint("term_months IS NULL OR term_months BETWEEN 1 AND 120", name="term_months"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    term_months: Mapped[int | None] = mapped_column(SmallInteger)

    def __repr__(self) -> str:
        return f"<AdvisoryRole {self.id}>"


class BoardSeat(TenantMixin, TimestampMixin, Model):
    """A person on the board in a role, from ``joined_on`` until a coordinator ends the seat (``left_on``).

    At most one open seat per person and one open chair per partnership (partial unique indexes)."""

    __tablename__ = "board_seats"
    __table_args__ = (
        UniqueConstraint("partnership_id", "id"),
        ForeignKeyConstraint(
            ["partnership_id", "membership_id"], ["memberships.partnership_id", "memberships.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(["partnership_id", "role_id"], ["advisory_roles.partnership_id", "advisory_roles.id"]),
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="period"),
        Index(
            "uq_board_seats_open_membership",
            "partnership_id",
            "membership_id",
            unique=True,
            sqlite_where=text("left_on IS NULL"),
            postgresql_where=text("left_on IS NULL"),
        ),
        Index(
            "uq_board_seats_open_chair",
            "partnership_id",
            unique=True,
            sqlite_where=text("left_on IS NULL AND is_chair"),
            postgresql_where=text("left_on IS NULL AND is_chair"),
        ),
        Index("ix_board_seats_partnership_id_role", "partnership_id", "role_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int]
    role_id: Mapped[int]
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)

    def __repr__(self) -> str:
        return f"<BoardSeat {self.id}>"


class BoardTerm(TenantMixin, TimestampMixin, Model):
    """One term of a seat: the first when the seat was given, then each renewal (append-only)."""

    __tablename__ = "board_terms"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "seat_id"], ["board_seats.partnership_id", "board_seats.id"], ondelete="CASCADE"
        ),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period"),
        Index("ix_board_terms_partnership_id_seat", "partnership_id", "seat_id", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seat_id: Mapped[int]
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    is_renewal: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_membership_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<BoardTerm {self.id}>"
