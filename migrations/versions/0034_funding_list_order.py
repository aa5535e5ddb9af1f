"""The funding pipeline's table at any size: an index of the opportunities in the table's order.

``/funding/opportunities`` lists the opportunities the viewer may see newest application deadline
first, those without one last, then by id (``pipeline.opportunities_page``). No index had that order,
so the database read and sorted every opportunity of the partnership for a page of 25 (4.0 ms of a
4.1 ms statement at the bench's 5,000); (partnership_id, application_deadline IS NULL,
application_deadline DESC, id DESC) makes the page a LIMIT walk (0.05 ms; the count stays capped).
PostgreSQL only, like the goals' title index (0005): SQLite cannot reflect an expression index back.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None

INDEX = "ix_funding_opportunities_list"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":  # see funding/pipeline_models.py
        op.create_index(
            INDEX,
            "funding_opportunities",
            [
                "partnership_id",
                sa.text("(application_deadline IS NULL)"),
                sa.text("application_deadline DESC"),
                sa.text("id DESC"),
            ],
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(INDEX, table_name="funding_opportunities")
