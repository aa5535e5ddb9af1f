"""Forms for meetings: scheduling and editing (one occurrence or this and all following), cancelling,
and the list's filter. Dates, times and people are text the service parses and checks, so every
refusal is a message at its field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from partnership_hub.confidentiality import LEVEL_LABELS
from partnership_hub.meetings.models import KIND_LABELS
from partnership_hub.meetings.reminders import NOTE_MAX, OFFSET_CHOICES
from partnership_hub.meetings.services import (
    EDITABLE_FIELDS,
    LOCATION_MAX,
    TITLE_MAX,
    URL_MAX,
    MeetingFilters,
    repeat_choices,
)
from partnership_hub.parsing import query_choice
from partnership_hub.picking import Pick

KIND_CHOICES = [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]
LEVEL_CHOICES = [
    SelectChoice(
        "", "The usual for this kind (advisory board: the board and the people its chair admits; others: everyone)"
    ),
    *(SelectChoice(level.value, label) for level, label in LEVEL_LABELS.items()),
]
REMINDER_CHOICES = [SelectChoice(str(minutes), label) for minutes, label in OFFSET_CHOICES]
SCOPE_CHOICES = [
    SelectChoice("one", "Only this meeting"),
    SelectChoice("following", "This and all following meetings"),
]


def _length(limit: int) -> Length:
    return Length(max=limit, message=f"Use at most {limit} characters.")


class MeetingForm(FlaskForm):
    title = StringField(
        "Title",
        description="What people will see in their calendar, e.g. “Full partnership meeting”.",
        validators=[DataRequired("Enter the meeting's title."), _length(TITLE_MAX)],
    )
    kind = SelectField("Kind of meeting", choices=KIND_CHOICES, validate_choice=False)
    date = StringField("Date")
    start_time = StringField("Starts at")
    end_time = StringField("Ends at")
    location = StringField(
        "Place",
        description="An address or room. Leave empty for an online-only meeting.",
        validators=[_length(LOCATION_MAX)],
    )
    online_url = StringField(
        "Online meeting link", description="The full address, starting with https://.", validators=[_length(URL_MAX)]
    )
    # Pickers: the view fills their choices with the chosen person and a page of matches.
    facilitator_membership_id = SelectField("Facilitator", validate_choice=False)
    note_taker_membership_id = SelectField("Note-taker", validate_choice=False)
    confidentiality = SelectField("Who may see it", choices=LEVEL_CHOICES, validate_choice=False)
    repeat = SelectField("Repeats", validate_choice=False)
    repeat_until = StringField("Last meeting on", description="Optional. Leave empty to keep repeating.")
    repeat_count = StringField("Or stop after this many meetings", description="Optional, e.g. 10.")
    reminders_on = BooleanField(
        "Send reminders for this meeting",
        default=True,
        description="By email and in the app, to the people invited, unless they said they can't come.",
    )
    # Checked by the service (``reminders.clean_settings``), so a forged value gets a message at the field.
    reminder_offsets = SelectMultipleField("When", choices=REMINDER_CHOICES, validate_choice=False)
    reminder_note = TextAreaField(
        "Extra message",
        description="Optional. Added to every reminder, e.g. what to bring or where to park.",
        validators=[_length(NOTE_MAX)],
    )
    remind_unanswered_only = BooleanField(
        "Only remind people who have not answered yet",
        description="People who said yes or maybe are not reminded either.",
    )
    scope = SelectField("Change", choices=SCOPE_CHOICES, default="one", validate_choice=False)

    def set_choices(self, pickers: Mapping[str, Pick]) -> None:
        """Fill the people pickers and word the repeat choices for the chosen date."""
        for name, pick in pickers.items():
            getattr(self, name).choices = pick.choices()
        self.repeat.choices = repeat_choices(self.date.data, self.start_time.data, self.repeat.data or "")

    def values(self) -> dict[str, Any]:
        """The submitted values, keyed as the service reads them."""
        return {name: getattr(self, name).data for name in EDITABLE_FIELDS}


class CancelForm(FlaskForm):
    scope = SelectField("Cancel", choices=SCOPE_CHOICES, default="one", validate_choice=False)


def parse_filters(args: Mapping[str, str]) -> MeetingFilters:
    """The list's filter from a query string; an unknown kind means "any"."""
    return MeetingFilters(kind=query_choice(args, "kind", [kind.value for kind in KIND_LABELS]))
