"""Forms of the framework section: the practices, the federal rules checklist and an organization's
mandatory-reporting duties. The services (``framework.py``) check every value, so a bad one gets the
service's message at its field."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField

from partnership_hub.advisory.framework import (
    FEDERAL_RULES,
    NOTES_MAX,
    PRACTICE_MAX,
    PRACTICE_SECTIONS,
    REPORTER_CHOICES,
    REPORTS_FOR_MAX,
    RULE_STATUS_LABELS,
)
from partnership_hub.form_fields import length
from partnership_hub.toolkit import Choice


class PracticesForm(FlaskForm):
    """A text per practices section (``framework.PRACTICE_SECTIONS``, added below) and the revision the
    text is based on."""

    revision = HiddenField()

    def values(self) -> dict[str, Any]:
        return {section.key: self[section.key].data for section in PRACTICE_SECTIONS} | {"revision": self.revision.data}

    def sections(self) -> list[tuple[Choice, Field]]:
        return [(section, self[section.key]) for section in PRACTICE_SECTIONS]


for _section in PRACTICE_SECTIONS:
    setattr(
        PracticesForm,
        _section.key,
        TextAreaField(_section.label, validators=[length(PRACTICE_MAX)], description=_section.description),
    )


STATUS_CHOICES = [SelectChoice(status.value, label) for status, label in RULE_STATUS_LABELS.items()]


class ChecklistForm(FlaskForm):
    """Per federal rule (``toolkit.FEDERAL_CONFIDENTIALITY_RULES``, added below): ``<key>_status`` and
    ``<key>_notes``."""

    def values(self) -> dict[str, Any]:
        return {name: field.data for name, field in self._fields.items() if name != "csrf_token"}

    def rules(self) -> list[tuple[Choice, Field, Field]]:
        return [(rule, self[f"{rule.key}_status"], self[f"{rule.key}_notes"]) for rule in FEDERAL_RULES]


for _rule in FEDERAL_RULES:
    setattr(
        ChecklistForm,
        f"{_rule.key}_status",
        SelectField("Where the partnership stands", choices=STATUS_CHOICES, validate_choice=False),
    )
    setattr(
        ChecklistForm,
        f"{_rule.key}_notes",
        TextAreaField(
            "Notes",
            validators=[length(NOTES_MAX)],
            description="Optional: what you decided, who checked it, what is left to do.",
        ),
    )


class ReportingForm(FlaskForm):
    is_mandatory_reporter = RadioField(
        "Is this organization a mandatory reporter?",
        choices=[SelectChoice(status.value, label) for status, label in REPORTER_CHOICES.items()],
        validate_choice=False,
    )
    reports_for = StringField(
        "What its staff must report",
        validators=[length(REPORTS_FOR_MAX)],
        description="For example “child abuse and neglect; elder abuse”. Needed for “Yes”; empty for “No”.",
    )
    notes = TextAreaField(
        "Notes",
        validators=[length(NOTES_MAX)],
        description="Optional: the state law, to whom they report, what members should know before a referral.",
    )

    def values(self) -> dict[str, Any]:
        return {
            "is_mandatory_reporter": self.is_mandatory_reporter.data,
            "reports_for": self.reports_for.data,
            "notes": self.notes.data,
        }
