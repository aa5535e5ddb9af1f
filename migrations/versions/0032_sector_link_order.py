"""Coverage at any directory size (issue #8): each organization's sector link carries its name order and
whether it is active.

The coverage page names the first five active organizations of every sector (by ``name_key``, then id)
and counts them. It ranked EVERY link of the partnership to do so, as the name and the archived flag
live on ``organizations``. ``organization_sectors.organization_name_key`` and ``organization_active``
copy them onto the link, with two partial indexes of the active links in name order:

- (partnership_id, sector_key, organization_name_key, organization_id) WHERE active, for a toolkit sector;
- (partnership_id, custom_sector_id, organization_name_key, organization_id) WHERE active, for a custom one;

so a sector's first names are a LIMIT walk and its count an index-only scan.

They are derived from the organization and kept true by the database, whatever path writes (the
services, the demo seed, the bench's COPY):

- a new link (or one moved to another organization) takes its organization's (PostgreSQL: BEFORE INSERT
  OR UPDATE OF organization_id; SQLite: AFTER INSERT / AFTER UPDATE OF organization_id);
- renaming, archiving or restoring an organization updates its links (AFTER UPDATE OF name_key,
  archived_at ON organizations). Both happen inside the organization's partnership, so the functions run
  as the caller (the app role) and row-level security applies as usual.

Existing rows are backfilled.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

SECTOR_INDEX = "ix_organization_sectors_active_sector_order"
CUSTOM_INDEX = "ix_organization_sectors_active_custom_order"
SQLITE_TRIGGERS = ("organization_sectors_order_on_insert", "organization_sectors_order_on_move", "organizations_order")


def _on_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    postgres = _on_postgres()
    with op.batch_alter_table("organization_sectors") as batch_op:
        batch_op.add_column(
            sa.Column("organization_name_key", sa.String(length=160), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("organization_active", sa.Boolean(), server_default=sa.true(), nullable=False))
    # Backfill. Both tables are under FORCEd row-level security, which binds even their owner: lifted for
    # this one statement.
    if postgres:
        op.execute("ALTER TABLE organization_sectors NO FORCE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE organizations NO FORCE ROW LEVEL SECURITY")
    of_the_organization = "FROM organizations o WHERE o.id = organization_sectors.organization_id"
    op.execute(
        "UPDATE organization_sectors SET "
        f"organization_name_key = (SELECT o.name_key {of_the_organization}), "
        f"organization_active = (SELECT o.archived_at IS NULL {of_the_organization})"
    )
    if postgres:
        op.execute("ALTER TABLE organizations FORCE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE organization_sectors FORCE ROW LEVEL SECURITY")
    op.create_index(
        SECTOR_INDEX,
        "organization_sectors",
        ["partnership_id", "sector_key", "organization_name_key", "organization_id"],
        postgresql_where=sa.text("organization_active AND sector_key IS NOT NULL"),
        sqlite_where=sa.text("organization_active AND sector_key IS NOT NULL"),
    )
    op.create_index(
        CUSTOM_INDEX,
        "organization_sectors",
        ["partnership_id", "custom_sector_id", "organization_name_key", "organization_id"],
        postgresql_where=sa.text("organization_active AND custom_sector_id IS NOT NULL"),
        sqlite_where=sa.text("organization_active AND custom_sector_id IS NOT NULL"),
    )
    if not postgres:
        take = (
            "UPDATE organization_sectors SET "
            "organization_name_key = (SELECT name_key FROM organizations WHERE id = NEW.organization_id), "
            "organization_active = (SELECT archived_at IS NULL FROM organizations WHERE id = NEW.organization_id) "
            "WHERE id = NEW.id;"
        )
        op.execute(
            f"CREATE TRIGGER organization_sectors_order_on_insert AFTER INSERT ON organization_sectors BEGIN {take} END"
        )
        op.execute(
            "CREATE TRIGGER organization_sectors_order_on_move AFTER UPDATE OF organization_id ON organization_sectors "
            f"BEGIN {take} END"
        )
        op.execute(
            "CREATE TRIGGER organizations_order AFTER UPDATE OF name_key, archived_at ON organizations "
            "WHEN NEW.name_key IS NOT OLD.name_key OR (NEW.archived_at IS NULL) IS NOT (OLD.archived_at IS NULL) "
            "BEGIN UPDATE organization_sectors SET organization_name_key = NEW.name_key, "
            "organization_active = (NEW.archived_at IS NULL) WHERE organization_id = NEW.id; END"
        )
        return

    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    op.execute(
        f"""
        CREATE FUNCTION organization_sector_order() RETURNS trigger
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $$
        BEGIN
            SELECT o.name_key, o.archived_at IS NULL INTO NEW.organization_name_key, NEW.organization_active
            FROM "{schema}".organizations o
            WHERE o.id = NEW.organization_id AND o.partnership_id = NEW.partnership_id;
            RETURN NEW;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER organization_sectors_order BEFORE INSERT OR UPDATE OF organization_id "
        "ON organization_sectors FOR EACH ROW EXECUTE FUNCTION organization_sector_order()"
    )
    op.execute(
        f"""
        CREATE FUNCTION organization_order_to_sectors() RETURNS trigger
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $$
        BEGIN
            UPDATE "{schema}".organization_sectors
            SET organization_name_key = NEW.name_key, organization_active = NEW.archived_at IS NULL
            WHERE partnership_id = NEW.partnership_id AND organization_id = NEW.id;
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER organizations_order AFTER UPDATE OF name_key, archived_at ON organizations FOR EACH ROW "
        "WHEN (NEW.name_key IS DISTINCT FROM OLD.name_key "
        "OR (NEW.archived_at IS NULL) IS DISTINCT FROM (OLD.archived_at IS NULL)) "
        "EXECUTE FUNCTION organization_order_to_sectors()"
    )


def downgrade() -> None:
    if _on_postgres():
        op.execute("DROP TRIGGER IF EXISTS organizations_order ON organizations")
        op.execute("DROP FUNCTION IF EXISTS organization_order_to_sectors()")
        op.execute("DROP TRIGGER IF EXISTS organization_sectors_order ON organization_sectors")
        op.execute("DROP FUNCTION IF EXISTS organization_sector_order()")
    else:
        for trigger in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.drop_index(CUSTOM_INDEX, table_name="organization_sectors")
    op.drop_index(SECTOR_INDEX, table_name="organization_sectors")
    with op.batch_alter_table("organization_sectors") as batch_op:
        batch_op.drop_column("organization_active")
        batch_op.drop_column("organization_name_key")
