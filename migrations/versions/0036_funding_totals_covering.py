"""The funding totals at any size (issue #8): the year index carries what the totals read.

``/funding/totals`` sums asked and awarded by year, type and currency over the six years shown, with the
viewer's confidentiality rule (``pipeline.totals``). It walked (partnership_id, fiscal_year) and fetched
every opportunity of those years from the heap (3,006 rows, 641 pages at the bench's large
partnership: 2.4 ms of the page's 2.9 ms statement). The same key with the columns the statement reads
INCLUDEd (type, currency, status, amounts, and the visibility rule's confidentiality, author and id)
makes it an index-only scan (37 pages, 1.0 ms): the rows read are the same, each much cheaper. It
replaces ``ix_funding_opportunities_year``, whose key it has, so the list's year filter uses it too.
SQLite has no INCLUDE: there it is the old key under the new name.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-03
"""

from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None

INDEX = "ix_funding_opportunities_totals"
INCLUDED = [
    "source_type",
    "currency",
    "status",
    "amount_asked",
    "amount_awarded",
    "confidentiality",
    "author_membership_id",
    "id",
]


def upgrade() -> None:
    # IF NOT EXISTS: the kept benchmark database got the same index by hand to time it.
    op.create_index(
        INDEX,
        "funding_opportunities",
        ["partnership_id", "fiscal_year"],
        postgresql_include=INCLUDED,
        if_not_exists=True,
    )
    op.drop_index("ix_funding_opportunities_year", table_name="funding_opportunities")


def downgrade() -> None:
    op.create_index("ix_funding_opportunities_year", "funding_opportunities", ["partnership_id", "fiscal_year"])
    op.drop_index(INDEX, table_name="funding_opportunities")
