"""The survivor advisory board's roles, seats and terms (issue #13), with row-level security on each
new tenant table. Admission to the board's records is a grant in ``confidential_grants``
(``record_kind = 'advisory_board'``), which needs no schema change.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

TENANT_TABLES = ("advisory_roles", "board_seats", "board_terms")
CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"


def _enable_row_level_security() -> None:
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (partnership_id = {CURRENT_PARTNERSHIP}) WITH CHECK (partnership_id = {CURRENT_PARTNERSHIP})"
        )


def upgrade() -> None:
    op.create_table(
        "advisory_roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("term_months", sa.SmallInteger(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "term_months IS NULL OR term_months BETWEEN 1 AND 120", name=op.f("ck_advisory_roles_term_months")
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_advisory_roles_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_roles")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_advisory_roles_partnership_id_id")),
        sa.UniqueConstraint("partnership_id", "name", name=op.f("uq_advisory_roles_partnership_id_name")),
    )
    with op.batch_alter_table("advisory_roles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_advisory_roles_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "board_seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("is_chair", sa.Boolean(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("left_on IS NULL OR left_on >= joined_on", name=op.f("ck_board_seats_period")),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_board_seats_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "role_id"],
            ["advisory_roles.partnership_id", "advisory_roles.id"],
            name=op.f("fk_board_seats_partnership_id_advisory_roles"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_board_seats_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_seats")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_board_seats_partnership_id_id")),
    )
    with op.batch_alter_table("board_seats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_seats_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index("ix_board_seats_partnership_id_role", ["partnership_id", "role_id"], unique=False)
        batch_op.create_index(
            "uq_board_seats_open_chair",
            ["partnership_id"],
            unique=True,
            sqlite_where=sa.text("left_on IS NULL AND is_chair"),
            postgresql_where=sa.text("left_on IS NULL AND is_chair"),
        )
        batch_op.create_index(
            "uq_board_seats_open_membership",
            ["partnership_id", "membership_id"],
            unique=True,
            sqlite_where=sa.text("left_on IS NULL"),
            postgresql_where=sa.text("left_on IS NULL"),
        )

    op.create_table(
        "board_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seat_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("is_renewal", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_board_terms_period")),
        sa.ForeignKeyConstraint(
            ["partnership_id", "seat_id"],
            ["board_seats.partnership_id", "board_seats.id"],
            name=op.f("fk_board_terms_partnership_id_board_seats"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_board_terms_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_board_terms_recorded_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_terms")),
    )
    with op.batch_alter_table("board_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_board_terms_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_board_terms_partnership_id_seat", ["partnership_id", "seat_id", "starts_on"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("board_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_board_terms_partnership_id_seat")
        batch_op.drop_index(batch_op.f("ix_board_terms_partnership_id"))

    op.drop_table("board_terms")
    with op.batch_alter_table("board_seats", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_board_seats_open_membership",
            sqlite_where=sa.text("left_on IS NULL"),
            postgresql_where=sa.text("left_on IS NULL"),
        )
        batch_op.drop_index(
            "uq_board_seats_open_chair",
            sqlite_where=sa.text("left_on IS NULL AND is_chair"),
            postgresql_where=sa.text("left_on IS NULL AND is_chair"),
        )
        batch_op.drop_index("ix_board_seats_partnership_id_role")
        batch_op.drop_index(batch_op.f("ix_board_seats_partnership_id"))

    op.drop_table("board_seats")
    with op.batch_alter_table("advisory_roles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advisory_roles_partnership_id"))

    op.drop_table("advisory_roles")
