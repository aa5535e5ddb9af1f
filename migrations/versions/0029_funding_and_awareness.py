"""The funding pipeline (opportunities and the goals they would fund) and awareness days (the
partnership's own days, the toolkit days it hides, its lead time, campaign plans; action items may be a
campaign's tasks) (issue #14), with row-level security on each new tenant table.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

TENANT_TABLES = (
    "funding_opportunities",
    "funding_opportunity_goals",
    "awareness_days",
    "awareness_hidden_days",
    "awareness_settings",
    "campaign_plans",
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


def upgrade() -> None:
    op.create_table(
        "awareness_hidden_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day_key", sa.String(length=60), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_awareness_hidden_days_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_hidden_days")),
        sa.UniqueConstraint("partnership_id", "day_key", name=op.f("uq_awareness_hidden_days_partnership_id_day_key")),
    )
    with op.batch_alter_table("awareness_hidden_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_awareness_hidden_days_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "awareness_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_days", sa.SmallInteger(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("lead_days BETWEEN 1 AND 120", name=op.f("ck_awareness_settings_lead_days")),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_awareness_settings_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_settings")),
        sa.UniqueConstraint("partnership_id", name=op.f("uq_awareness_settings_partnership_id")),
    )
    with op.batch_alter_table("awareness_settings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_awareness_settings_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "awareness_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "fixed",
                "nth_weekday",
                "month",
                "one_off",
                "offset",
                name="awareness_rule_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("month", sa.SmallInteger(), nullable=True),
        sa.Column("day", sa.SmallInteger(), nullable=True),
        sa.Column("weekday", sa.SmallInteger(), nullable=True),
        sa.Column("nth", sa.SmallInteger(), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("base_key", sa.String(length=60), nullable=True),
        sa.Column("base_day_id", sa.Integer(), nullable=True),
        sa.Column("offset_days", sa.SmallInteger(), nullable=False),
        sa.Column("created_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("base_key IS NULL OR base_day_id IS NULL", name=op.f("ck_awareness_days_one_base")),
        sa.CheckConstraint("day IS NULL OR day BETWEEN 1 AND 31", name=op.f("ck_awareness_days_day")),
        sa.CheckConstraint("month IS NULL OR month BETWEEN 1 AND 12", name=op.f("ck_awareness_days_month")),
        sa.CheckConstraint("nth IS NULL OR nth BETWEEN 1 AND 5 OR nth = -1", name=op.f("ck_awareness_days_nth")),
        sa.CheckConstraint("offset_days BETWEEN -180 AND 180", name=op.f("ck_awareness_days_offset_days")),
        sa.CheckConstraint("weekday IS NULL OR weekday BETWEEN 0 AND 6", name=op.f("ck_awareness_days_weekday")),
        sa.ForeignKeyConstraint(
            ["created_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_awareness_days_created_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "base_day_id"],
            ["awareness_days.partnership_id", "awareness_days.id"],
            name=op.f("fk_awareness_days_partnership_id_awareness_days"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_awareness_days_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awareness_days")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_awareness_days_partnership_id_id")),
    )
    with op.batch_alter_table("awareness_days", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_awareness_days_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index("ix_awareness_days_partnership_id_name", ["partnership_id", "name"], unique=False)

    op.create_table(
        "funding_opportunities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("funder", sa.String(length=200), nullable=False),
        sa.Column("source_type", sa.String(length=40), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "idea",
                "researching",
                "applying",
                "submitted",
                "awarded",
                "declined",
                "reporting",
                "closed",
                name="funding_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("amount_asked", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("amount_awarded", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("application_deadline", sa.Date(), nullable=True),
        sa.Column("report_deadline", sa.Date(), nullable=True),
        sa.Column("fiscal_year", sa.SmallInteger(), nullable=True),
        sa.Column("lead_organization_id", sa.Integer(), nullable=True),
        sa.Column("owner_membership_id", sa.Integer(), nullable=True),
        sa.Column("author_membership_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
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
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "amount_asked IS NULL OR amount_asked >= 0", name=op.f("ck_funding_opportunities_asked_not_negative")
        ),
        sa.CheckConstraint(
            "amount_awarded IS NULL OR amount_awarded >= 0", name=op.f("ck_funding_opportunities_awarded_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["author_membership_id"],
            ["memberships.id"],
            name=op.f("fk_funding_opportunities_author_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_membership_id"],
            ["memberships.id"],
            name=op.f("fk_funding_opportunities_owner_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "lead_organization_id"],
            ["organizations.partnership_id", "organizations.id"],
            name=op.f("fk_funding_opportunities_partnership_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_funding_opportunities_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_opportunities")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_funding_opportunities_partnership_id_id")),
    )
    with op.batch_alter_table("funding_opportunities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_funding_opportunities_application", ["partnership_id", "application_deadline"], unique=False
        )
        batch_op.create_index(
            "ix_funding_opportunities_board", ["partnership_id", "status", "position", "id"], unique=False
        )
        batch_op.create_index(
            "ix_funding_opportunities_owner", ["partnership_id", "owner_membership_id", "status"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_funding_opportunities_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index("ix_funding_opportunities_report", ["partnership_id", "report_deadline"], unique=False)
        batch_op.create_index("ix_funding_opportunities_year", ["partnership_id", "fiscal_year"], unique=False)

    op.create_table(
        "campaign_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day_key", sa.String(length=60), nullable=True),
        sa.Column("awareness_day_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner_membership_id", sa.Integer(), nullable=True),
        sa.Column("funding_opportunity_id", sa.Integer(), nullable=True),
        sa.Column("goal_text", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(day_key IS NULL) <> (awareness_day_id IS NULL)", name=op.f("ck_campaign_plans_one_day")),
        sa.CheckConstraint("year BETWEEN 2000 AND 2200", name=op.f("ck_campaign_plans_year")),
        sa.ForeignKeyConstraint(
            ["owner_membership_id"],
            ["memberships.id"],
            name=op.f("fk_campaign_plans_owner_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "awareness_day_id"],
            ["awareness_days.partnership_id", "awareness_days.id"],
            name=op.f("fk_campaign_plans_partnership_id_awareness_days"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "funding_opportunity_id"],
            ["funding_opportunities.partnership_id", "funding_opportunities.id"],
            name=op.f("fk_campaign_plans_partnership_id_funding_opportunities"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_campaign_plans_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_plans")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_campaign_plans_partnership_id_id")),
    )
    with op.batch_alter_table("campaign_plans", schema=None) as batch_op:
        batch_op.create_index("ix_campaign_plans_owner", ["partnership_id", "owner_membership_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_campaign_plans_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index("ix_campaign_plans_partnership_id_year", ["partnership_id", "year", "id"], unique=False)

    op.create_table(
        "funding_opportunity_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "goal_id"],
            ["goals.partnership_id", "goals.id"],
            name=op.f("fk_funding_opportunity_goals_partnership_id_goals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "opportunity_id"],
            ["funding_opportunities.partnership_id", "funding_opportunities.id"],
            name=op.f("fk_funding_opportunity_goals_partnership_id_funding_opportunities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_funding_opportunity_goals_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_opportunity_goals")),
        sa.UniqueConstraint(
            "opportunity_id", "goal_id", name=op.f("uq_funding_opportunity_goals_opportunity_id_goal_id")
        ),
    )
    with op.batch_alter_table("funding_opportunity_goals", schema=None) as batch_op:
        batch_op.create_index("ix_funding_opportunity_goals_goal", ["partnership_id", "goal_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_funding_opportunity_goals_partnership_id"), ["partnership_id"], unique=False
        )

    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("campaign_plan_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_action_items_campaign_plan_id"), ["campaign_plan_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_action_items_partnership_id_campaign_plans"),
            "campaign_plans",
            ["partnership_id", "campaign_plan_id"],
            ["partnership_id", "id"],
        )
    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_action_items_partnership_id_campaign_plans"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_action_items_campaign_plan_id"))
        batch_op.drop_column("campaign_plan_id")

    with op.batch_alter_table("funding_opportunity_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_funding_opportunity_goals_partnership_id"))
        batch_op.drop_index("ix_funding_opportunity_goals_goal")

    op.drop_table("funding_opportunity_goals")
    with op.batch_alter_table("campaign_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_campaign_plans_partnership_id_year")
        batch_op.drop_index(batch_op.f("ix_campaign_plans_partnership_id"))
        batch_op.drop_index("ix_campaign_plans_owner")

    op.drop_table("campaign_plans")
    with op.batch_alter_table("funding_opportunities", schema=None) as batch_op:
        batch_op.drop_index("ix_funding_opportunities_year")
        batch_op.drop_index("ix_funding_opportunities_report")
        batch_op.drop_index(batch_op.f("ix_funding_opportunities_partnership_id"))
        batch_op.drop_index("ix_funding_opportunities_owner")
        batch_op.drop_index("ix_funding_opportunities_board")
        batch_op.drop_index("ix_funding_opportunities_application")

    op.drop_table("funding_opportunities")
    with op.batch_alter_table("awareness_days", schema=None) as batch_op:
        batch_op.drop_index("ix_awareness_days_partnership_id_name")
        batch_op.drop_index(batch_op.f("ix_awareness_days_partnership_id"))

    op.drop_table("awareness_days")
    with op.batch_alter_table("awareness_settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_awareness_settings_partnership_id"))

    op.drop_table("awareness_settings")
    with op.batch_alter_table("awareness_hidden_days", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_awareness_hidden_days_partnership_id"))

    op.drop_table("awareness_hidden_days")
