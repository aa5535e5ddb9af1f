"""The meeting page's sections: one loader each, ``(ctx, page) -> value``, called by
``services.meeting_page`` in the order of ``services.SECTION_LOADERS``.

Each section's owner replaces its loader with ONE bounded statement (the agenda by
``ix_agenda_items_partnership_id_meeting_id_position_id``, the invitees by meeting, ...) and its
partial in ``templates/meetings/_<section>.html``. Until then they load nothing and the partials show
their empty state; returning None does the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from partnership_hub.context import WorkspaceContext

if TYPE_CHECKING:
    from partnership_hub.meetings.services import MeetingPage


def load_agenda(ctx: WorkspaceContext, page: MeetingPage) -> Any:
    """The agenda section: the first agenda items with their presenters and latest comments, and the
    totals of the whole agenda (``agenda.load_agenda``, one statement)."""
    from partnership_hub.meetings import agenda

    return agenda.load_agenda(ctx, page.meeting)


def load_attendance(ctx: WorkspaceContext, page: MeetingPage) -> Any:
    """The attendance section: the first invitees, the answers and who came (``attendance.load_section``,
    one statement)."""
    from partnership_hub.meetings import attendance

    return attendance.load_section(ctx, page.meeting)


def load_minutes(ctx: WorkspaceContext, page: MeetingPage) -> Any:
    """The minutes section: per-item minutes, the latest decisions, the approval
    (``minutes.load_section``, one statement; the whole-meeting minutes are on the meeting)."""
    from partnership_hub.meetings import minutes

    return minutes.load_section(ctx, page.meeting)


def load_actions(ctx: WorkspaceContext, page: MeetingPage) -> Any:
    """The action items section: the first action items from this meeting and how many
    (``minutes.load_actions``, one statement)."""
    from partnership_hub.meetings import minutes

    return minutes.load_actions(ctx, page.meeting)
