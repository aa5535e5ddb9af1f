"""Forms of the trauma-informed self-assessment: starting a round, and rating one key area (a radio
group per principle, notes, next steps). Values are checked by the services (``assessment.py``), so a
bad one gets the service's message at its field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField

from partnership_hub.advisory.assessment import (
    PRINCIPLES,
    SCALE,
    TEXT_MAX,
    TITLE_MAX,
    AreaData,
    StartData,
)
from partnership_hub.form_fields import length

SCALE_CHOICES = [SelectChoice(choice.key, f"{choice.key} – {choice.label}") for choice in SCALE]


class StartForm(FlaskForm):
    title = StringField(
        "Name of the round",
        validators=[length(TITLE_MAX)],
        description="For example “Spring 2026”. It names this round in the results and the comparison.",
    )
    started_on = StringField("Started on", description="For example 2026-03-02. Today or an earlier day.")

    def values(self) -> StartData:
        return StartData(self.title.data or "", self.started_on.data or "")


# Made before the form's own fields, so the radio groups come first in the form's order (and in its list
# of problems), as they come first on the page.
_PRINCIPLE_FIELDS = {
    principle.key: RadioField(
        principle.label, choices=SCALE_CHOICES, validate_choice=False, description=principle.description
    )
    for principle in PRINCIPLES
}


class AreaForm(FlaskForm):
    """One key area: a score for each principle (the fields are named by the principles' keys and added
    below, in the toolkit's order), notes and next steps."""

    notes = TextAreaField(
        "Notes",
        validators=[length(TEXT_MAX)],
        description=(
            "What is in place, what is missing, what you heard. Optional. No details about individual survivors."
        ),
    )
    next_steps = TextAreaField(
        "Next steps",
        validators=[length(TEXT_MAX)],
        description="What the partnership will do about this area before the next round. Optional.",
    )

    def principle_fields(self) -> list[tuple[object, RadioField]]:
        """(principle, its radio group), in the toolkit's order."""
        return [(principle, self[principle.key]) for principle in PRINCIPLES]

    def values(self, area: str) -> AreaData:
        scores = {principle.key: self[principle.key].data for principle in PRINCIPLES}
        return AreaData(area, scores, self.notes.data or "", self.next_steps.data or "")


for _key, _field in _PRINCIPLE_FIELDS.items():
    setattr(AreaForm, _key, _field)
