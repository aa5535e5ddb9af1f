"""The confidentiality layer: grants to named people for any confidential record, and the access
log of reads above ``workspace``. Goals' named people (``goal_access``) move into the grants.

Both new tables are tenant tables with the same row-level security as 0001.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TENANT_TABLES = ("confidential_grants", "access_log")
CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"
LEVELS = sa.Enum(
    "workspace",
    "leadership",
    "advisory",
    "private",
    name="confidentiality",
    native_enum=False,
    create_constraint=True,
    length=20,
)


def _enable_row_level_security() -> None:
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (partnership_id = {CURRENT_PARTNERSHIP}) WITH CHECK (partnership_id = {CURRENT_PARTNERSHIP})"
        )


def upgrade():
    op.create_table(
        "confidential_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("granted_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["granted_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_confidential_grants_granted_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_confidential_grants_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_confidential_grants_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confidential_grants")),
        sa.UniqueConstraint(
            "record_kind",
            "record_id",
            "membership_id",
            name=op.f("uq_confidential_grants_record_kind_record_id_membership_id"),
        ),
    )
    with op.batch_alter_table("confidential_grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_confidential_grants_membership_id"), ["membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_confidential_grants_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_confidential_grants_partnership_id_record",
            ["partnership_id", "record_kind", "record_id"],
            unique=False,
        )

    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("record_kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("level", LEVELS, nullable=False),
        sa.Column("how", sa.String(length=20), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_access_log_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_access_log_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_access_log_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_log_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index("ix_access_log_partnership_id_created_at", ["partnership_id", "created_at"], unique=False)
        batch_op.create_index(
            "ix_access_log_partnership_id_record", ["partnership_id", "record_kind", "record_id"], unique=False
        )

    # Goals' named people become grants; the goal's author is recorded as who granted them.
    op.execute(
        "INSERT INTO confidential_grants "
        "(record_kind, record_id, membership_id, granted_by_membership_id, reason, partnership_id, created_at) "
        "SELECT 'goal', goal_access.goal_id, goal_access.membership_id, goals.author_membership_id, '', "
        "goal_access.partnership_id, CURRENT_TIMESTAMP "
        "FROM goal_access JOIN goals ON goals.id = goal_access.goal_id"
    )
    op.drop_table("goal_access")

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade():
    op.create_table(
        "goal_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "goal_id"],
            ["goals.partnership_id", "goals.id"],
            name=op.f("fk_goal_access_partnership_id_goals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_goal_access_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_goal_access_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_access")),
        sa.UniqueConstraint("goal_id", "membership_id", name=op.f("uq_goal_access_goal_id_membership_id")),
    )
    op.execute(
        "INSERT INTO goal_access (goal_id, membership_id, partnership_id) "
        "SELECT record_id, membership_id, partnership_id FROM confidential_grants WHERE record_kind = 'goal'"
    )
    op.drop_table("access_log")
    op.drop_table("confidential_grants")
