"""A person's own time zone (``users.time_zone``): meetings are shown in it, with the meeting's zone
alongside when they differ. NULL means "my partnership's".

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite too): a batch copy of users would drop the member sort-name triggers (0010).
    op.add_column("users", sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "time_zone")
