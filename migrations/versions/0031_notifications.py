"""Notifications (issue #15): the partnership's notification settings, each person's preferences, the
in-app notification centre (all three tenant tables with row-level security), the meetings' reminder
settings, and three outbox columns (text attachments, extra headers, and the reference a message is
checked against just before it is sent).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

TENANT_TABLES = ("notification_settings", "notification_preferences", "notifications")
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
        "notification_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reminder_offsets", sa.String(length=60), nullable=False),
        sa.Column("digest_weekday", sa.SmallInteger(), nullable=False),
        sa.Column("digest_hour", sa.SmallInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("digest_hour BETWEEN 0 AND 23", name=op.f("ck_notification_settings_digest_hour")),
        sa.CheckConstraint("digest_weekday BETWEEN 0 AND 6", name=op.f("ck_notification_settings_digest_weekday")),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_notification_settings_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_settings")),
        sa.UniqueConstraint("partnership_id", name=op.f("uq_notification_settings_partnership_id")),
    )
    with op.batch_alter_table("notification_settings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_settings_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("email_off", sa.String(length=1000), nullable=False),
        sa.Column("app_off", sa.String(length=1000), nullable=False),
        sa.Column("digest", sa.String(length=10), nullable=True),
        sa.Column("member_digest", sa.Boolean(), nullable=False),
        sa.Column("digest_weekday", sa.SmallInteger(), nullable=True),
        sa.Column("digest_hour", sa.SmallInteger(), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("digest_sent_for", sa.String(length=20), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "digest IS NULL OR digest IN ('off', 'daily', 'weekly')", name=op.f("ck_notification_preferences_digest")
        ),
        sa.CheckConstraint(
            "digest_hour IS NULL OR digest_hour BETWEEN 0 AND 23", name=op.f("ck_notification_preferences_digest_hour")
        ),
        sa.CheckConstraint(
            "digest_weekday IS NULL OR digest_weekday BETWEEN 0 AND 6",
            name=op.f("ck_notification_preferences_digest_weekday"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name="fk_notification_preferences_membership",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_notification_preferences_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint("membership_id", name=op.f("uq_notification_preferences_membership_id")),
    )
    with op.batch_alter_table("notification_preferences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notification_preferences_partnership_id"), ["partnership_id"], unique=False
        )

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("dedup_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name="fk_notifications_membership",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_notifications_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("partnership_id", "dedup_key", name=op.f("uq_notifications_partnership_id_dedup_key")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notifications_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_notifications_partnership_id_membership_id_created_at",
            ["partnership_id", "membership_id", "created_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_notifications_unread",
            ["partnership_id", "membership_id"],
            unique=False,
            postgresql_where=sa.text("read_at IS NULL"),
            sqlite_where=sa.text("read_at IS NULL"),
        )

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminders_on", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("reminder_offsets", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("reminder_note", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("remind_unanswered_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachments", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("headers", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("valid_while", sa.String(length=120), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("valid_while")
        batch_op.drop_column("headers")
        batch_op.drop_column("attachments")

    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("remind_unanswered_only")
        batch_op.drop_column("reminder_note")
        batch_op.drop_column("reminder_offsets")
        batch_op.drop_column("reminders_on")

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_notifications_unread",
            postgresql_where=sa.text("read_at IS NULL"),
            sqlite_where=sa.text("read_at IS NULL"),
        )
        batch_op.drop_index("ix_notifications_partnership_id_membership_id_created_at")
        batch_op.drop_index(batch_op.f("ix_notifications_partnership_id"))

    op.drop_table("notifications")
    with op.batch_alter_table("notification_preferences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_preferences_partnership_id"))

    op.drop_table("notification_preferences")
    with op.batch_alter_table("notification_settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_settings_partnership_id"))

    op.drop_table("notification_settings")
