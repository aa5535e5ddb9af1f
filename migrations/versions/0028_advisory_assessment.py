"""The trauma-informed self-assessment (issue #13): rounds, their ratings (a score 0-4 per key area and
principle, stored by the reference data's keys) and per-area notes and next steps, with row-level
security on each new tenant table. One round in progress per partnership (a partial unique index).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

TENANT_TABLES = ("trauma_assessments", "assessment_ratings", "assessment_area_notes")
CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"
IN_PROGRESS = "completed_on IS NULL"


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
        "trauma_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("started_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("completed_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "completed_on IS NULL OR completed_on >= started_on", name=op.f("ck_trauma_assessments_period")
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_trauma_assessments_completed_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_trauma_assessments_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["started_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_trauma_assessments_started_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trauma_assessments")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_trauma_assessments_partnership_id_id")),
    )
    with op.batch_alter_table("trauma_assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trauma_assessments_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index("ix_trauma_assessments_completed", ["partnership_id", "completed_on", "id"], unique=False)
        batch_op.create_index(
            "uq_trauma_assessments_in_progress",
            ["partnership_id"],
            unique=True,
            sqlite_where=sa.text(IN_PROGRESS),
            postgresql_where=sa.text(IN_PROGRESS),
        )

    op.create_table(
        "assessment_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("area_key", sa.String(length=40), nullable=False),
        sa.Column("principle_key", sa.String(length=40), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("score BETWEEN 0 AND 4", name=op.f("ck_assessment_ratings_score")),
        sa.ForeignKeyConstraint(
            ["partnership_id", "assessment_id"],
            ["trauma_assessments.partnership_id", "trauma_assessments.id"],
            name=op.f("fk_assessment_ratings_partnership_id_trauma_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_assessment_ratings_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_ratings")),
        sa.UniqueConstraint(
            "partnership_id", "assessment_id", "area_key", "principle_key", name="uq_assessment_ratings_cell"
        ),
    )
    with op.batch_alter_table("assessment_ratings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_ratings_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "assessment_area_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("area_key", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("updated_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "assessment_id"],
            ["trauma_assessments.partnership_id", "trauma_assessments.id"],
            name=op.f("fk_assessment_area_notes_partnership_id_trauma_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_assessment_area_notes_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_assessment_area_notes_updated_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_area_notes")),
        sa.UniqueConstraint("partnership_id", "assessment_id", "area_key", name="uq_assessment_area_notes_area"),
    )
    with op.batch_alter_table("assessment_area_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_area_notes_partnership_id"), ["partnership_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("assessment_area_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_area_notes_partnership_id"))

    op.drop_table("assessment_area_notes")
    with op.batch_alter_table("assessment_ratings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_ratings_partnership_id"))

    op.drop_table("assessment_ratings")
    with op.batch_alter_table("trauma_assessments", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_trauma_assessments_in_progress",
            sqlite_where=sa.text(IN_PROGRESS),
            postgresql_where=sa.text(IN_PROGRESS),
        )
        batch_op.drop_index("ix_trauma_assessments_completed")
        batch_op.drop_index(batch_op.f("ix_trauma_assessments_partnership_id"))

    op.drop_table("trauma_assessments")
