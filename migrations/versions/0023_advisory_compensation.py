"""The advisory area's compensation section (issue #13): pay rates for a role on the board or one person,
and the log of payments owed and paid to advisors, with row-level security on each new tenant table.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

TENANT_TABLES = ("advisory_rates", "advisor_payments")
CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"


def _enable_row_level_security() -> None:
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (partnership_id = {CURRENT_PARTNERSHIP}) WITH CHECK (partnership_id = {CURRENT_PARTNERSHIP})"
        )


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "advisory_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind", _enum("hourly", "per_meeting", "stipend", "gift_card", "in_kind", name="rate_kind"), nullable=False
        ),
        sa.Column("period", _enum("month", "quarter", "year", name="rate_period"), nullable=True),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("recorded_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'in_kind') = (amount IS NULL)", name=op.f("ck_advisory_rates_amount_unless_in_kind")
        ),
        sa.CheckConstraint("(kind = 'stipend') = (period IS NOT NULL)", name=op.f("ck_advisory_rates_stipend_period")),
        sa.CheckConstraint(
            "(amount IS NULL) = (currency IS NULL)", name=op.f("ck_advisory_rates_currency_with_amount")
        ),
        sa.CheckConstraint("(role_id IS NULL) <> (membership_id IS NULL)", name=op.f("ck_advisory_rates_one_subject")),
        sa.CheckConstraint("amount IS NULL OR amount > 0", name=op.f("ck_advisory_rates_amount_positive")),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_advisory_rates_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "role_id"],
            ["advisory_roles.partnership_id", "advisory_roles.id"],
            name=op.f("fk_advisory_rates_partnership_id_advisory_roles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_advisory_rates_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_advisory_rates_recorded_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisory_rates")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_advisory_rates_partnership_id_id")),
        sa.UniqueConstraint(
            "partnership_id",
            "membership_id",
            "effective_from",
            name=op.f("uq_advisory_rates_partnership_id_membership_id_effective_from"),
        ),
        sa.UniqueConstraint(
            "partnership_id",
            "role_id",
            "effective_from",
            name=op.f("uq_advisory_rates_partnership_id_role_id_effective_from"),
        ),
    )
    with op.batch_alter_table("advisory_rates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_advisory_rates_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "advisor_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("payee_name", sa.String(length=120), nullable=False),
        sa.Column("for_what", sa.String(length=300), nullable=False),
        sa.Column("work_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "method",
            _enum("bank_transfer", "check", "cash", "gift_card", "in_kind", "payroll", "other", name="payment_method"),
            nullable=False,
        ),
        sa.Column("status", _enum("owed", "paid", name="payment_status"), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("recorded_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'paid') = (paid_on IS NOT NULL)", name=op.f("ck_advisor_payments_paid_on_when_paid")
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_advisor_payments_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_advisor_payments_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_advisor_payments_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_advisor_payments_recorded_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advisor_payments")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_advisor_payments_partnership_id_id")),
    )
    with op.batch_alter_table("advisor_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_advisor_payments_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_advisor_payments_membership", ["partnership_id", "membership_id", "work_date", "id"], unique=False
        )
        batch_op.create_index(
            "ix_advisor_payments_status", ["partnership_id", "status", "work_date", "id"], unique=False
        )
        batch_op.create_index("ix_advisor_payments_work_date", ["partnership_id", "work_date", "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("advisor_payments", schema=None) as batch_op:
        batch_op.drop_index("ix_advisor_payments_work_date")
        batch_op.drop_index("ix_advisor_payments_status")
        batch_op.drop_index("ix_advisor_payments_membership")
        batch_op.drop_index(batch_op.f("ix_advisor_payments_partnership_id"))

    op.drop_table("advisor_payments")
    with op.batch_alter_table("advisory_rates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advisory_rates_partnership_id"))

    op.drop_table("advisory_rates")
