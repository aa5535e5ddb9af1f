"""Meetings (issue #11): recurring series and their occurrences, agenda items and comments, invitees
(RSVP and attendance), decisions, personal calendar feeds; action items gain the meeting and agenda
item they came from.

Links inside a partnership are composite (partnership_id, id) foreign keys. Where the linked record may
be removed while the linking one stays (an action item's meeting, a decision's agenda item), the key
has no ON DELETE action: SET NULL would null partnership_id as well.

Every new tenant table gets the same row-level security as 0001.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TENANT_TABLES = (
    "meeting_series",
    "meetings",
    "agenda_items",
    "agenda_comments",
    "meeting_invitees",
    "decisions",
    "calendar_feeds",
    "meeting_minutes_revisions",
)
CURRENT_PARTNERSHIP = "NULLIF(current_setting('app.partnership_id', true), '')::integer"


def _enable_row_level_security() -> None:
    for table in TENANT_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            f"USING (partnership_id = {CURRENT_PARTNERSHIP}) WITH CHECK (partnership_id = {CURRENT_PARTNERSHIP})"
        )


def upgrade():
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "membership_id"],
            ["memberships.partnership_id", "memberships.id"],
            name=op.f("fk_calendar_feeds_partnership_id_memberships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_calendar_feeds_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("membership_id", name=op.f("uq_calendar_feeds_membership_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feeds_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "meeting_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=500), nullable=False),
        sa.Column("first_start_local", sa.DateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("generated_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("duration_minutes > 0", name=op.f("ck_meeting_series_duration_positive")),
        sa.ForeignKeyConstraint(
            ["created_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_meeting_series_created_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_meeting_series_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_series")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_meeting_series_partnership_id_id")),
    )
    with op.batch_alter_table("meeting_series", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_series_partnership_id"), ["partnership_id"], unique=False)

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("original_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "full_partnership",
                "planning_team",
                "committee",
                "advisory_board",
                "other",
                name="meeting_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=False),
        sa.Column("online_url", sa.String(length=500), nullable=False),
        sa.Column("facilitator_membership_id", sa.Integer(), nullable=True),
        sa.Column("note_taker_membership_id", sa.Integer(), nullable=True),
        sa.Column("author_membership_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled", "cancelled", name="meeting_status", native_enum=False, create_constraint=True, length=20
            ),
            nullable=False,
        ),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "invite_scope",
            sa.Enum("all", "selected", name="invite_scope", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("agenda_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("minutes_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("minutes_approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("minutes_approved_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("minutes_approved_in_meeting_id", sa.Integer(), nullable=True),
        sa.Column("minutes_md", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "confidentiality",
            sa.Enum(
                "workspace",
                "leadership",
                "advisory",
                "private",
                name="confidentiality",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_meetings_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["author_membership_id"],
            ["memberships.id"],
            name=op.f("fk_meetings_author_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["facilitator_membership_id"],
            ["memberships.id"],
            name=op.f("fk_meetings_facilitator_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["minutes_approved_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_meetings_minutes_approved_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["note_taker_membership_id"],
            ["memberships.id"],
            name=op.f("fk_meetings_note_taker_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "series_id"],
            ["meeting_series.partnership_id", "meeting_series.id"],
            name=op.f("fk_meetings_partnership_id_meeting_series"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "minutes_approved_in_meeting_id"],
            ["meetings.partnership_id", "meetings.id"],
            name=op.f("fk_meetings_partnership_id_meetings"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_meetings_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_meetings_partnership_id_id")),
        sa.UniqueConstraint("series_id", "original_start", name=op.f("uq_meetings_series_id_original_start")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meetings_facilitator_membership_id"), ["facilitator_membership_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meetings_note_taker_membership_id"), ["note_taker_membership_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meetings_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_meetings_partnership_id_series_id_starts_at", ["partnership_id", "series_id", "starts_at"], unique=False
        )
        batch_op.create_index(
            "ix_meetings_partnership_id_starts_at_id", ["partnership_id", "starts_at", "id"], unique=False
        )

    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "information",
                "discussion",
                "decision",
                name="agenda_item_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("presenter_membership_id", sa.Integer(), nullable=True),
        sa.Column("minutes_allotted", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("links", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "proposed", "accepted", name="agenda_item_status", native_enum=False, create_constraint=True, length=20
            ),
            nullable=False,
        ),
        sa.Column("proposed_by_membership_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "discussed", "not_reached", name="agenda_outcome", native_enum=False, create_constraint=True, length=20
            ),
            nullable=True,
        ),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        sa.Column("minutes_md", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "carried_from_id"],
            ["agenda_items.partnership_id", "agenda_items.id"],
            name=op.f("fk_agenda_items_partnership_id_agenda_items"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "meeting_id"],
            ["meetings.partnership_id", "meetings.id"],
            name=op.f("fk_agenda_items_partnership_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_agenda_items_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["presenter_membership_id"],
            ["memberships.id"],
            name=op.f("fk_agenda_items_presenter_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_agenda_items_proposed_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
        sa.UniqueConstraint("partnership_id", "id", name=op.f("uq_agenda_items_partnership_id_id")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_items_carried_from_id"), ["carried_from_id"], unique=True)
        batch_op.create_index(batch_op.f("ix_agenda_items_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_agenda_items_partnership_id_meeting_id_position_id",
            ["partnership_id", "meeting_id", "position", "id"],
            unique=False,
        )

    op.create_table(
        "meeting_invitees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column(
            "rsvp",
            sa.Enum("none", "yes", "no", "maybe", name="rsvp", native_enum=False, create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("rsvp_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name=op.f("fk_meeting_invitees_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_meeting_invitees_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "meeting_id"],
            ["meetings.partnership_id", "meetings.id"],
            name=op.f("fk_meeting_invitees_partnership_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_meeting_invitees_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_invitees")),
        sa.UniqueConstraint("meeting_id", "membership_id", name=op.f("uq_meeting_invitees_meeting_id_membership_id")),
    )
    with op.batch_alter_table("meeting_invitees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_invitees_organization_id"), ["organization_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_invitees_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_meeting_invitees_partnership_id_membership_id_meeting_id",
            ["partnership_id", "membership_id", "meeting_id"],
            unique=False,
        )

    op.create_table(
        "agenda_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("author_membership_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_membership_id"],
            ["memberships.id"],
            name=op.f("fk_agenda_comments_author_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "agenda_item_id"],
            ["agenda_items.partnership_id", "agenda_items.id"],
            name=op.f("fk_agenda_comments_partnership_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_agenda_comments_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_comments")),
    )
    with op.batch_alter_table("agenda_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_comments_agenda_item_id"), ["agenda_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_agenda_comments_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_agenda_comments_partnership_id_agenda_item_id_created_at",
            ["partnership_id", "agenda_item_id", "created_at"],
            unique=False,
        )

    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by_membership_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partnership_id", "agenda_item_id"],
            ["agenda_items.partnership_id", "agenda_items.id"],
            name=op.f("fk_decisions_partnership_id_agenda_items"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "meeting_id"],
            ["meetings.partnership_id", "meetings.id"],
            name=op.f("fk_decisions_partnership_id_meetings"),
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_decisions_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_membership_id"],
            ["memberships.id"],
            name=op.f("fk_decisions_recorded_by_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_decisions_agenda_item_id"), ["agenda_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decisions_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_decisions_partnership_id"), ["partnership_id"], unique=False)
        batch_op.create_index(
            "ix_decisions_partnership_id_created_at_id", ["partnership_id", "created_at", "id"], unique=False
        )

    # Append-only history of the minutes (whole-meeting ones: agenda_item_id NULL), newest last.
    op.create_table(
        "meeting_minutes_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("body_md", sa.Text(), nullable=False),
        sa.Column("author_membership_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_membership_id"],
            ["memberships.id"],
            name=op.f("fk_meeting_minutes_revisions_author_membership_id_memberships"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "agenda_item_id"],
            ["agenda_items.partnership_id", "agenda_items.id"],
            name=op.f("fk_meeting_minutes_revisions_partnership_id_agenda_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id", "meeting_id"],
            ["meetings.partnership_id", "meetings.id"],
            name=op.f("fk_meeting_minutes_revisions_partnership_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partnership_id"],
            ["partnerships.id"],
            name=op.f("fk_meeting_minutes_revisions_partnership_id_partnerships"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_minutes_revisions")),
    )
    with op.batch_alter_table("meeting_minutes_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_minutes_revisions_partnership_id"), ["partnership_id"], unique=False
        )
        batch_op.create_index(
            "ix_meeting_minutes_revisions_partnership_id_meeting_id_id",
            ["partnership_id", "meeting_id", "id"],
            unique=False,
        )

    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("agenda_item_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_action_items_agenda_item_id"), ["agenda_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_items_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_action_items_partnership_id_meetings"),
            "meetings",
            ["partnership_id", "meeting_id"],
            ["partnership_id", "id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_action_items_partnership_id_agenda_items"),
            "agenda_items",
            ["partnership_id", "agenda_item_id"],
            ["partnership_id", "id"],
        )

    # The partnership's intended meeting frequency (the meeting health page compares the actual one).
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meetings_every_weeks", sa.Integer(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        _enable_row_level_security()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TENANT_TABLES:
            op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.drop_column("meetings_every_weeks")
    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_action_items_partnership_id_agenda_items"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_action_items_partnership_id_meetings"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_action_items_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_action_items_agenda_item_id"))
        batch_op.drop_column("agenda_item_id")
        batch_op.drop_column("meeting_id")

    with op.batch_alter_table("meeting_minutes_revisions", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_minutes_revisions_partnership_id_meeting_id_id")
        batch_op.drop_index(batch_op.f("ix_meeting_minutes_revisions_partnership_id"))
    op.drop_table("meeting_minutes_revisions")

    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_decisions_partnership_id_created_at_id")
        batch_op.drop_index(batch_op.f("ix_decisions_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_decisions_meeting_id"))
        batch_op.drop_index(batch_op.f("ix_decisions_agenda_item_id"))

    op.drop_table("decisions")
    with op.batch_alter_table("agenda_comments", schema=None) as batch_op:
        batch_op.drop_index("ix_agenda_comments_partnership_id_agenda_item_id_created_at")
        batch_op.drop_index(batch_op.f("ix_agenda_comments_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_agenda_comments_agenda_item_id"))

    op.drop_table("agenda_comments")
    with op.batch_alter_table("meeting_invitees", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_invitees_partnership_id_membership_id_meeting_id")
        batch_op.drop_index(batch_op.f("ix_meeting_invitees_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_meeting_invitees_organization_id"))

    op.drop_table("meeting_invitees")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index("ix_agenda_items_partnership_id_meeting_id_position_id")
        batch_op.drop_index(batch_op.f("ix_agenda_items_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_agenda_items_carried_from_id"))

    op.drop_table("agenda_items")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_partnership_id_starts_at_id")
        batch_op.drop_index("ix_meetings_partnership_id_series_id_starts_at")
        batch_op.drop_index(batch_op.f("ix_meetings_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_meetings_note_taker_membership_id"))
        batch_op.drop_index(batch_op.f("ix_meetings_facilitator_membership_id"))

    op.drop_table("meetings")
    with op.batch_alter_table("meeting_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_series_partnership_id"))

    op.drop_table("meeting_series")
    with op.batch_alter_table("calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feeds_partnership_id"))

    op.drop_table("calendar_feeds")
