"""Forms for the minutes, decisions, approval and publication, and an action item from a meeting."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import Length

from partnership_hub.actions.forms import ActionItemForm
from partnership_hub.meetings.minutes import DECISION_MAX, MINUTES_MAX


class MinutesForm(FlaskForm):
    body = TextAreaField(
        "Minutes",
        description="Markdown: **bold**, *italic*, lists with “- ”, links. No information about individual survivors.",
        validators=[Length(max=MINUTES_MAX, message=f"Use at most {MINUTES_MAX:,} characters.")],
    )
    agenda_item_id = HiddenField()
    based_on = HiddenField()

    def values(self) -> dict[str, Any]:
        return {"body": self.body.data, "agenda_item_id": self.agenda_item_id.data, "based_on": self.based_on.data}


class DecisionForm(FlaskForm):
    text = TextAreaField(
        "Decision",
        description="What was decided, in a sentence or two.",
        validators=[Length(max=DECISION_MAX, message=f"Use at most {DECISION_MAX:,} characters.")],
    )
    agenda_item_id = SelectField("From agenda item", validate_choice=False)

    def values(self) -> dict[str, Any]:
        return {"text": self.text.data, "agenda_item_id": self.agenda_item_id.data}


class ApproveMinutesForm(FlaskForm):
    approved_in_meeting_id = SelectField("Approved at the meeting", validate_choice=False)

    def values(self) -> dict[str, Any]:
        return {"approved_in_meeting_id": self.approved_in_meeting_id.data}


class PublishMinutesForm(FlaskForm):
    """A one-click button (CSRF only)."""


class MeetingActionForm(ActionItemForm):
    """The action plan's own form, with the agenda item the action came from."""

    agenda_item_id = SelectField("From agenda item", validate_choice=False)

    def values(self) -> dict:
        return super().values() | {"agenda_item_id": self.agenda_item_id.data}
