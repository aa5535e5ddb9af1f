"""The chair's review of advisory reads at any size (issue #8): a partial index of them.

The board's access log (``/advisory/access-log``, ``advisory.board.access_log``) shows a page of the reads
of ``advisory`` records, newest first, with a count capped at 1,000+. Those are a few in a hundred of a
partnership's logged reads, and the log only grows. The page walked the partnership's whole log in time
order and skipped the other reads; the count found no index at all and read the log from the start until
it had 1,001 (at the bench's large partnership: a sequential scan of 29,000 rows, 7.3 ms, and growing with
every read anyone makes). Both now walk this partial index, which holds the advisory reads only.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0038"
down_revision = "0037"
branch_labels = None
depends_on = None

INDEX = "ix_access_log_advisory"
ADVISORY = sa.text("level = 'advisory'")


def upgrade() -> None:
    op.create_index(
        INDEX,
        "access_log",
        ["partnership_id", "created_at", "id"],
        postgresql_where=ADVISORY,
        sqlite_where=ADVISORY,
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="access_log")
