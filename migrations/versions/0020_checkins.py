"""Trust check-ins (anonymous pulse surveys) (issue #12), with row-level security on each new tenant table.

Who answered (``checkin_participations``) is kept apart from what was answered (``checkin_responses``:
a random UUID key, no person, no time); see partnership_hub/governance/checkins_models.py.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

TENANT_TABLES = ("trust_checkins", "checkin_participations", "checkin_responses")
CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"
QUESTION_KEYS = ("trust", "shared_goals", "equal_voice", "disagreement")


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
        "trust_checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("min_responses", sa.SmallInteger(), nullable=False),
        sa.Column("opened_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("closes_on >= opens_on", name=op.f("ck_trust_checkins_period")),
        sa.CheckConstraint("min_responses BETWEEN 3 AND 100", name=op.f("ck_trust_checkins_min_responses")),
        sa.ForeignKeyConstraint(
            ["opened_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_trust_checkins_opened_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_trust_checkins_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_checkins")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_trust_checkins_partnership_id_id")),
    )
    with op.batch_alter_table("trust_checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trust_checkins_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_trust_checkins_partnership_id_opens_on", ["partnership_id", "opens_on", "id"], unique=False
        )

    op.create_table(
        "checkin_participations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "checkin_id"],
            ["trust_checkins.partnership_id", "trust_checkins.id"],
            name=op.f("fk_checkin_participations_partnership_id_trust_checkins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_checkin_participations_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_checkin_participations_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_participations")),
        sa.UniqueConstraint(
            "partnership_id",
            "checkin_id",
            "membership_id",
            name=op.f("uq_checkin_participations_partnership_id_checkin_id_membership_id"),
        ),
    )
    with op.batch_alter_table("checkin_participations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_participations_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_checkin_participations_membership", ["partnership_id", "membership_id", "checkin_id"], unique=False
        )

    op.create_table(
        "checkin_responses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=False),
        *(sa.Column(key, sa.SmallInteger(), nullable=False) for key in QUESTION_KEYS),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        *(
            sa.CheckConstraint(f"{key} BETWEEN 1 AND 5", name=op.f(f"ck_checkin_responses_{key}_score"))
            for key in QUESTION_KEYS
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "checkin_id"],
            ["trust_checkins.partnership_id", "trust_checkins.id"],
            name=op.f("fk_checkin_responses_partnership_id_trust_checkins"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_checkin_responses_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_responses")),
    )
    with op.batch_alter_table("checkin_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_responses_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index("ix_checkin_responses_checkin", ["partnership_id", "checkin_id"], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    for table in ("checkin_responses", "checkin_participations", "trust_checkins"):
        op.drop_table(table)
