"""A goal's last activity, stored, so the stalled rule reads a bounded number of goals.

``goals.last_activity_at`` holds the instant of the goal's last activity as ``goals.progress`` defines
it: its last post (the latest ``objectives.last_update_at``), before any post the first moment of its
start date in the partnership's time zone, else when it was added. The services keep it in the same
transaction as every change; "stalled" becomes ``status = 'active' AND last_activity_at < cutoff``,
one range of the new index (partnership_id, status, last_activity_at, id).

Existing rows are backfilled (PostgreSQL converts the start date in the partnership's zone with
``AT TIME ZONE``; SQLite, which cannot, is backfilled row by row in Python).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEX = "ix_goals_partnership_id_status_last_activity_at"
LAST_POST = "(SELECT max(o.last_update_at) FROM objectives o WHERE o.goal_id = goals.id)"


def _as_datetime(value):
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _backfill_sqlite() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            f"SELECT goals.id, {LAST_POST}, goals.start_date, goals.created_at, partnerships.time_zone "
            "FROM goals JOIN partnerships ON partnerships.id = goals.partnership_id"
        )
    ).all()
    for goal_id, last_post, start, created, zone in rows:
        if last_post is not None:
            value = _as_datetime(last_post)
        elif start is not None:
            day = start if isinstance(start, date) else date.fromisoformat(str(start))
            value = datetime.combine(day, time.min, ZoneInfo(zone or "UTC")).astimezone(UTC).replace(tzinfo=None)
        else:
            value = _as_datetime(created)
        bind.execute(sa.text("UPDATE goals SET last_activity_at = :v WHERE id = :id"), {"v": value, "id": goal_id})


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.add_column("goals", sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=True))
    if postgres:
        # goals and objectives are under FORCEd row-level security, which binds even their owner:
        # lifted for this one statement.
        op.execute("ALTER TABLE goals NO FORCE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE objectives NO FORCE ROW LEVEL SECURITY")
        op.execute(
            f"""
            UPDATE goals SET last_activity_at = coalesce(
                {LAST_POST},
                (goals.start_date::timestamp AT TIME ZONE
                    (SELECT p.time_zone FROM partnerships p WHERE p.id = goals.partnership_id)),
                goals.created_at
            )
            """
        )
        op.execute("ALTER TABLE objectives FORCE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE goals FORCE ROW LEVEL SECURITY")
    else:
        _backfill_sqlite()
    with op.batch_alter_table("goals") as batch_op:
        batch_op.alter_column("last_activity_at", existing_type=sa.DateTime(timezone=True), nullable=False)
    op.create_index(INDEX, "goals", ["partnership_id", "status", "last_activity_at", "id"])
    # The goals overview and a goal's page count active organizations ("endorsed by N of M").
    op.create_index(
        "ix_organizations_active",
        "organizations",
        ["partnership_id", "id"],
        postgresql_where=sa.text("archived_at IS NULL"),
        sqlite_where=sa.text("archived_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_organizations_active", table_name="organizations")
    op.drop_index(INDEX, table_name="goals")
    with op.batch_alter_table("goals") as batch_op:
        batch_op.drop_column("last_activity_at")
