"""Forms of the funding pipeline. Values are checked by the services (``pipeline.py``), so a bad one gets
the service's message at its field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField

from partnership_hub import money, toolkit
from partnership_hub.confidentiality import LEVEL_LABELS, Level
from partnership_hub.form_fields import length
from partnership_hub.funding.pipeline import FUNDER_MAX, NOTES_MAX, TITLE_MAX
from partnership_hub.funding.pipeline_models import STATUS_LABELS

STATUS_CHOICES = [SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()]
TYPE_CHOICES = [SelectChoice("", "Choose a type")] + [SelectChoice(c.key, c.label) for c in toolkit.FUNDING_TYPES]
LEVEL_CHOICES = [SelectChoice(level.value, LEVEL_LABELS[level]) for level in Level]
FIELDS = (
    *("title", "funder", "source_type", "status", "amount_asked", "amount_awarded", "currency"),
    *("application_deadline", "report_deadline", "fiscal_year", "lead_organization_id", "owner_membership_id"),
    *("confidentiality", "notes"),
)


class OpportunityForm(FlaskForm):
    title = StringField(
        "Name", validators=[length(TITLE_MAX)], description="For example “2027 state victim services grant”."
    )
    funder = StringField("Funder", validators=[length(FUNDER_MAX)], description="Optional: who gives it.")
    source_type = SelectField("Type", choices=TYPE_CHOICES, validate_choice=False)
    status = SelectField("Status", choices=STATUS_CHOICES, validate_choice=False)
    amount_asked = StringField("Amount asked", description="Optional, like 25000 or 25,000.00.")
    amount_awarded = StringField("Amount awarded", description="Optional: once it is awarded.")
    currency = SelectField(
        "Currency",
        choices=[SelectChoice(code, label) for code, label in money.currency_choices()],
        default=money.DEFAULT_CURRENCY,
        validate_choice=False,
    )
    application_deadline = StringField("Application deadline", description="Optional.")
    report_deadline = StringField("Report deadline", description="Optional: when the funder expects a report.")
    fiscal_year = StringField("Year it counts in", description="For the totals. Leave empty for the deadline's year.")
    lead_organization_id = SelectField("Lead organization", choices=[], validate_choice=False, description="Optional.")
    owner_membership_id = SelectField(
        "Owner",
        choices=[],
        validate_choice=False,
        description="Who keeps it moving; its deadlines appear in their work.",
    )
    goal_ids = SelectMultipleField("Goals it would fund", choices=[], validate_choice=False, description="Optional.")
    confidentiality = SelectField(
        "Who may see it", choices=LEVEL_CHOICES, default=Level.WORKSPACE.value, validate_choice=False
    )
    access = SelectMultipleField(
        "People named",
        choices=[],
        validate_choice=False,
        description="Above “everyone in the workspace”: people who may also read it (not observers).",
    )
    notes = TextAreaField("Notes", validators=[length(NOTES_MAX)], description="Optional.")

    def values(self) -> dict:
        data = {name: getattr(self, name).data for name in FIELDS}
        data["goal_ids"] = self.goal_ids.data or []
        data["access"] = self.access.data or []
        return data


class MoveForm(FlaskForm):
    status = SelectField("Move to", choices=STATUS_CHOICES, validate_choice=False)
    return_to = HiddenField()

    def values(self) -> dict:
        return {"status": self.status.data}
