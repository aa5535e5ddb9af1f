"""Forms of the guidelines section: the draft's sections, starting a draft, one-click buttons."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, StringField, TextAreaField

from partnership_hub import toolkit
from partnership_hub.governance.guidelines import DRAFT_FIELDS, SECTION_LABELS

HINTS = {choice.key: choice.description for choice in toolkit.GOVERNANCE_SECTIONS}
MARKDOWN = " Markdown works: *emphasis*, lists with - or 1., links."


class DraftForm(FlaskForm):
    # The services check every value (and refuse a version with nothing in it), so messages land at the field.
    member_input = TextAreaField(SECTION_LABELS["member_input"], description=HINTS["member_input"] + MARKDOWN)
    meeting_every_weeks = StringField(
        "The partnership meets every … weeks",
        description="A whole number of weeks from 1 to 52 (4 for monthly). Leave it empty if it is not decided. "
        "Meeting health uses it once this version is published.",
    )
    meeting_notes = TextAreaField("About the meetings", description=HINTS["meeting_frequency"] + MARKDOWN)
    dispute_resolution = TextAreaField(
        SECTION_LABELS["dispute_resolution"], description=HINTS["dispute_resolution"] + MARKDOWN
    )
    coordination_model = RadioField(
        "Coordination model",
        choices=[
            SelectChoice("", "Not decided yet"),
            *(SelectChoice(c.key, c.label) for c in toolkit.COORDINATION_MODELS),
        ],
        default="",
        validate_choice=False,
    )
    coordination_notes = TextAreaField("About coordination", description=HINTS["coordination"] + MARKDOWN)
    decision_making = TextAreaField(SECTION_LABELS["decision_making"], description=HINTS["decision_making"] + MARKDOWN)

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in DRAFT_FIELDS}


class StartDraftForm(FlaskForm):
    kind = HiddenField()


class ButtonForm(FlaskForm):
    """A button that only needs CSRF protection (publish, acknowledge)."""
