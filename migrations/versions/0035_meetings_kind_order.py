"""One kind of meeting at any size (issue #8): an index of a partnership's meetings by kind, then start.

The board's meetings (``/advisory/restricted/meetings``, ``meetings.board_meetings``) are the meeting
list narrowed to ``kind = 'advisory_board'``. The only ordered index was (partnership_id, starts_at,
id), so both walks of the page (upcoming, past) stepped over every other kind of meeting to find 20 of
the board's, and the capped count read every meeting of the partnership from the heap to keep the
board's (5,017 rows for 513 at the bench's large partnership; 1.3 ms of the statement).
(partnership_id, kind, starts_at, id) makes the walks exact and the count read the board's rows only;
on PostgreSQL it INCLUDEs the columns of the visibility rule (confidentiality, author_membership_id), so
the walks and the count are index-only scans (0.46 ms). SQLite gets the key columns (no INCLUDE there).

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-03
"""

from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None

INDEX = "ix_meetings_partnership_id_kind_starts_at_id"


def upgrade() -> None:
    # IF NOT EXISTS: the kept benchmark database got the same index by hand to time it.
    op.create_index(
        INDEX,
        "meetings",
        ["partnership_id", "kind", "starts_at", "id"],
        postgresql_include=["confidentiality", "author_membership_id"],
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="meetings")
