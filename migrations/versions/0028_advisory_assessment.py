"""The advisory area's assessment section (issue #13). (Being built: the section fills in its tables and the
row-level security policy of each new tenant table.)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02
"""

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
