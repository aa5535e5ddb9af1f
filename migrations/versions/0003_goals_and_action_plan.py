"""Goals with measurable objectives, append-only progress updates, endorsements, confidential
access, and the action plan; the partnership's "stalled after N days" setting.

Every new tenant table gets the same row-level security as 0001.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TENANT_TABLES = (
    "goals",
    "goal_lead_organizations",
    "goal_endorsements",
    "goal_access",
    "objectives",
    "progress_updates",
    "action_items",
)
CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"


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
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "horizon",
            sa.Enum("short", "medium", "long", name="horizon", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("ps", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "proposed",
                "active",
                "on_hold",
                "achieved",
                "dropped",
                name="goal_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "confidentiality",
            sa.Enum(
                "workspace",
                "leadership",
                "advisory",
                "private",
                name="confidentiality",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("owner_membership_id", sa.Integer(), nullable=True),
        sa.Column("author_membership_id", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "start_date IS NULL OR target_date IS NULL OR start_date <= target_date",
            name=op.f("ck_goals_dates_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["author_membership_id"],
            ["memberships.id"],
            name=op.f("fk_goals_author_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_membership_id"],
            ["memberships.id"],
            name=op.f("fk_goals_owner_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_goals_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_goals_partnership_id_id")),
    )
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goals_owner_membership_id"), ["owner_membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goals_partnership_id"), ["partnership_id"], unique=False)

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
    with op.batch_alter_table("goal_access", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_access_membership_id"), ["membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_access_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "goal_endorsements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_goal_endorsements_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "goal_id"],
            ["goals.partnership_id", "goals.id"],
            name=op.f("fk_goal_endorsements_partnership_id_goals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name=op.f("fk_goal_endorsements_partnership_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_goal_endorsements_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_endorsements")),
        sa.UniqueConstraint("goal_id", "organization_id", name=op.f("uq_goal_endorsements_goal_id_organization_id")),
    )
    with op.batch_alter_table("goal_endorsements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_endorsements_membership_id"), ["membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_endorsements_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_endorsements_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "goal_lead_organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "goal_id"],
            ["goals.partnership_id", "goals.id"],
            name=op.f("fk_goal_lead_organizations_partnership_id_goals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name=op.f("fk_goal_lead_organizations_partnership_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_goal_lead_organizations_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goal_lead_organizations")),
        sa.UniqueConstraint(
            "goal_id", "organization_id", name=op.f("uq_goal_lead_organizations_goal_id_organization_id")
        ),
    )
    with op.batch_alter_table("goal_lead_organizations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_goal_lead_organizations_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_goal_lead_organizations_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "objectives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("metric", sa.String(length=120), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("current_value", sa.Float(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("owner_membership_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("last_update_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("target <> baseline", name=op.f("ck_objectives_target_differs")),
        sa.ForeignKeyConstraint(
            ["owner_membership_id"],
            ["memberships.id"],
            name=op.f("fk_objectives_owner_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "goal_id"],
            ["goals.partnership_id", "goals.id"],
            name=op.f("fk_objectives_partnership_id_goals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_objectives_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objectives")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_objectives_partnership_id_id")),
    )
    with op.batch_alter_table("objectives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objectives_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_objectives_owner_membership_id"), ["owner_membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_objectives_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("objective_id", sa.Integer(), nullable=True),
        sa.Column("assignee_membership_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "done",
                "cancelled",
                name="action_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_membership_id"],
            ["memberships.id"],
            name=op.f("fk_action_items_assignee_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_action_items_created_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "goal_id"],
            ["goals.partnership_id", "goals.id"],
            name=op.f("fk_action_items_partnership_id_goals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "objective_id"],
            ["objectives.partnership_id", "objectives.id"],
            name=op.f("fk_action_items_partnership_id_objectives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_action_items_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
    )
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_items_assignee_membership_id"), ["assignee_membership_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_action_items_goal_id"), ["goal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_items_objective_id"), ["objective_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_items_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "progress_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("author_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_membership_id"],
            ["memberships.id"],
            name=op.f("fk_progress_updates_author_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "objective_id"],
            ["objectives.partnership_id", "objectives.id"],
            name=op.f("fk_progress_updates_partnership_id_objectives"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_progress_updates_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_updates")),
    )
    with op.batch_alter_table("progress_updates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_progress_updates_objective_id"), ["objective_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_progress_updates_partnership_id"), ["partnership_id"], unique=False)

    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("stalled_after_days", sa.Integer(), server_default=sa.text("(30)"), nullable=False)
        )

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade():
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.drop_column("stalled_after_days")

    with op.batch_alter_table("progress_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_progress_updates_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_progress_updates_objective_id"))

    op.drop_table("progress_updates")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_items_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_action_items_objective_id"))
        batch_op.drop_index(batch_op.f("ix_action_items_goal_id"))
        batch_op.drop_index(batch_op.f("ix_action_items_assignee_membership_id"))

    op.drop_table("action_items")
    with op.batch_alter_table("objectives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objectives_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_objectives_owner_membership_id"))
        batch_op.drop_index(batch_op.f("ix_objectives_goal_id"))

    op.drop_table("objectives")
    with op.batch_alter_table("goal_lead_organizations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_lead_organizations_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_goal_lead_organizations_organization_id"))

    op.drop_table("goal_lead_organizations")
    with op.batch_alter_table("goal_endorsements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_endorsements_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_goal_endorsements_organization_id"))
        batch_op.drop_index(batch_op.f("ix_goal_endorsements_membership_id"))

    op.drop_table("goal_endorsements")
    with op.batch_alter_table("goal_access", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_access_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_goal_access_membership_id"))

    op.drop_table("goal_access")
    with op.batch_alter_table("goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goals_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_goals_owner_membership_id"))

    op.drop_table("goals")
