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
    """The agenda section: the meeting's agenda items (none loaded yet)."""
    return []


def load_attendance(ctx: WorkspaceContext, page: MeetingPage) -> Any:
    """The attendance section: invitees, RSVPs and who came (none loaded yet)."""
    return []


def load_minutes(ctx: WorkspaceContext, page: MeetingPage) -> Any:
    """The minutes section: the minutes and decisions (none loaded yet)."""
    return None


def load_actions(ctx: WorkspaceContext, page: MeetingPage) -> Any:
    """The action items section: action items that came from this meeting (none loaded yet)."""
    return []
