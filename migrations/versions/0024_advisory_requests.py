"""The advisory area's requests section (issue #13): requests for an advisor's time addressed to the board,
their deliveries to the board's members and each member's monthly limit, with row-level security on each
new tenant table.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

TENANT_TABLES = ("participation_requests", "request_deliveries", "participation_limits")
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
        "participation_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "review",
                "talk",
                "panel",
                "meeting",
                "other",
                name="participation_request_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("ask", sa.Text(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("needed_on", sa.Date(), nullable=False),
        sa.Column("pay_amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("pay_currency", sa.String(length=3), nullable=True),
        sa.Column("advisors_wanted", sa.SmallInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "accepted",
                "declined",
                "at_capacity",
                name="participation_request_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("requested_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(pay_amount IS NULL AND pay_currency IS NULL) OR (pay_amount >= 0 AND pay_currency IS NOT NULL)",
            name=op.f("ck_participation_requests_pay"),
        ),
        sa.CheckConstraint("advisors_wanted BETWEEN 1 AND 5", name=op.f("ck_participation_requests_advisors_wanted")),
        sa.CheckConstraint("hours > 0 AND hours <= 40", name=op.f("ck_participation_requests_hours")),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_participation_requests_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_participation_requests_requested_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation_requests")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_participation_requests_partnership_id_id")),
    )
    with op.batch_alter_table("participation_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participation_requests_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_participation_requests_requester",
            ["partnership_id", "requested_by_membership_id", "id"],
            unique=False,
        )
        batch_op.create_index("ix_participation_requests_status", ["partnership_id", "status", "id"], unique=False)

    op.create_table(
        "request_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "accepted",
                "declined",
                name="request_delivery_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(status = 'pending') = (answered_at IS NULL)", name=op.f("ck_request_deliveries_answered")),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_request_deliveries_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "request_id"],
            ["participation_requests.partnership_id", "participation_requests.id"],
            name=op.f("fk_request_deliveries_partnership_id_participation_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_request_deliveries_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_deliveries")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_request_deliveries_partnership_id_id")),
        sa.UniqueConstraint("request_id", "membership_id", name=op.f("uq_request_deliveries_request_id_membership_id")),
    )
    with op.batch_alter_table("request_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_request_deliveries_member_created", ["partnership_id", "membership_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_request_deliveries_member_status", ["partnership_id", "membership_id", "status", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_request_deliveries_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "participation_limits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("monthly_limit", sa.SmallInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("monthly_limit BETWEEN 0 AND 20", name=op.f("ck_participation_limits_monthly_limit")),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_participation_limits_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_participation_limits_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation_limits")),
        sa.UniqueConstraint(
            "partnership_id", "membership_id", name=op.f("uq_participation_limits_partnership_id_membership_id")
        ),
    )
    with op.batch_alter_table("participation_limits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participation_limits_partnership_id"), ["partnership_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("participation_limits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participation_limits_partnership_id"))

    op.drop_table("participation_limits")
    with op.batch_alter_table("request_deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_deliveries_partnership_id"))
        batch_op.drop_index("ix_request_deliveries_member_status")
        batch_op.drop_index("ix_request_deliveries_member_created")

    op.drop_table("request_deliveries")
    with op.batch_alter_table("participation_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_participation_requests_status")
        batch_op.drop_index("ix_participation_requests_requester")
        batch_op.drop_index(batch_op.f("ix_participation_requests_partnership_id"))

    op.drop_table("participation_requests")
