"""The decision log's count at any size (issue #8): a partnership's decisions by meeting.

The decision log (``/meetings/decisions``, ``minutes.decision_log``) shows a page of the decisions the
viewer may see, with a count capped at 1,000+. A decision is visible when its meeting is, so the count
joins each counted decision to its meeting. PostgreSQL hashed all of the partnership's decisions (4,504
at the bench's large partnership) before counting the first 1,001. The count now asks for the decisions
in meeting order, which (partnership_id, meeting_id) gives index-only: a merge join with the meetings'
unique (partnership_id, id) index that stops at the cap (the page's statement executing: 1.9 -> 1.2 ms
at the large partnership, 0.16 ms at a demo-sized one; a loaded machine). A meetings index carrying the
visibility rule's columns as well made PostgreSQL choose a nested loop instead, slower; it is not added.
This index replaces ``ix_decisions_meeting_id``: every read of a meeting's decisions is also filtered by
partnership, and the composite foreign key to the meetings is (partnership_id, meeting_id).

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-03
"""

from alembic import op

revision = "0037"
down_revision = "0036"
branch_labels = None
depends_on = None

INDEX = "ix_decisions_partnership_id_meeting_id"


def upgrade() -> None:
    # IF NOT EXISTS: the kept benchmark database got the same index by hand to time it.
    op.create_index(INDEX, "decisions", ["partnership_id", "meeting_id"], if_not_exists=True)
    op.drop_index("ix_decisions_meeting_id", table_name="decisions")


def downgrade() -> None:
    op.create_index("ix_decisions_meeting_id", "decisions", ["meeting_id"])
    op.drop_index(INDEX, table_name="decisions")
