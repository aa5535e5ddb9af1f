"""Forms for goals: a goal, an objective, a progress update, the status control, the stalled setting,
and the overview's filters. Numbers are text fields the service parses, so the message can name
the objective's unit ("Enter a number in people trained")."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm
from wtforms import Form, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired

from partnership_hub.form_fields import DateMessagesForm, length, optional_date
from partnership_hub.goals.models import (
    CONFIDENTIALITY_LABELS,
    HORIZON_LABELS,
    P_LABELS,
    STATUS_LABELS,
    Confidentiality,
    GoalStatus,
    Horizon,
)
from partnership_hub.goals.queries import GoalFilters
from partnership_hub.goals.services import DESCRIPTION_MAX, METRIC_MAX, NOTE_MAX, TITLE_MAX, UNIT_MAX
from partnership_hub.parsing import query_id

STATUS_CHOICES = [SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()]


class GoalForm(DateMessagesForm):
    title = StringField("Goal", validators=[DataRequired("Enter the goal."), length(TITLE_MAX)])
    description = TextAreaField("Description", validators=[length(DESCRIPTION_MAX)])
    horizon = SelectField(
        "Horizon",
        choices=[SelectChoice(h.value, label) for h, label in HORIZON_LABELS.items()],
        default=Horizon.MEDIUM.value,
        validate_choice=False,
    )
    ps = SelectMultipleField(
        "The Ps it serves", choices=[SelectChoice(k, v) for k, v in P_LABELS.items()], validate_choice=False
    )
    # The people and organization fields are pickers: the view fills their choices with what is
    # chosen plus the first matches (never the whole list); the services check every id.
    lead_organization_ids = SelectMultipleField(
        "Lead organizations",
        choices=[],
        coerce=int,
        validate_choice=False,
        description="The partnership's active organizations that lead the work.",
    )
    owner_membership_id = SelectField("Owner", choices=[], validate_choice=False)
    status = SelectField("Status", choices=STATUS_CHOICES, default=GoalStatus.PROPOSED.value, validate_choice=False)
    start_date = optional_date("Start date")
    target_date = optional_date("Target date")
    confidentiality = SelectField(
        "Who may see it",
        choices=[SelectChoice(c.value, label) for c, label in CONFIDENTIALITY_LABELS.items()],
        default=Confidentiality.WORKSPACE.value,
        validate_choice=False,
    )
    access_membership_ids = SelectMultipleField(
        "People named",
        choices=[],
        coerce=int,
        validate_choice=False,
        description="For advisory and private goals: the people who may also read it.",
    )

    def values(self) -> dict:
        names = ("title", "description", "horizon", "ps", "status", "start_date", "target_date", "confidentiality")
        data = {name: getattr(self, name).data for name in names}
        data["owner_membership_id"] = self.owner_membership_id.data
        data["lead_organization_ids"] = self.lead_organization_ids.data or []
        data["access_membership_ids"] = self.access_membership_ids.data or []
        return data


class ObjectiveForm(DateMessagesForm):
    title = StringField("Objective", validators=[DataRequired("Enter the objective."), length(TITLE_MAX)])
    metric = StringField(
        "What is measured",
        description="e.g. “Frontline workers who completed identification training”.",
        validators=[DataRequired("Enter what is measured."), length(METRIC_MAX)],
    )
    unit = StringField(
        "Unit",
        description="e.g. “people”, “referrals”, “days”.",
        validators=[DataRequired("Enter the unit the metric is counted in."), length(UNIT_MAX)],
    )
    baseline = StringField("Baseline", description="Where you start.")
    target = StringField("Target", description="Where you want to be. It can be lower than the baseline.")
    due_date = optional_date("Due date")
    owner_membership_id = SelectField(
        "Owner", choices=[], validate_choice=False, description="The owner posts progress updates."
    )

    def values(self) -> dict:
        names = ("title", "metric", "unit", "baseline", "target", "due_date", "owner_membership_id")
        return {name: getattr(self, name).data for name in names}


class ProgressUpdateForm(DateMessagesForm):
    value = StringField("New value")
    recorded_on = optional_date("Date")
    note = TextAreaField("Note", description="What happened, briefly.", validators=[length(NOTE_MAX)])

    def values(self) -> dict:
        return {"value": self.value.data, "recorded_on": self.recorded_on.data, "note": self.note.data}


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=STATUS_CHOICES, validate_choice=False)


class EndorseForm(FlaskForm):
    organization_id = StringField("Organization")


class GoalFilterForm(Form):
    """The overview's owner and organization filters, as pickers (a GET form: no CSRF token)."""

    owner = SelectField("Owner", id="filter-owner", choices=[], validate_choice=False)
    organization = SelectField("Lead organization", id="filter-organization", choices=[], validate_choice=False)


class StalledSettingForm(FlaskForm):
    stalled_after_days = StringField("Flag active goals as stalled after this many days without an update")


def parse_filters(args: Mapping[str, str], people: dict | None = None) -> GoalFilters:
    """The overview's filters from a query string. Unknown or malformed values mean "any"."""

    status = args.get("status", "")
    return GoalFilters(
        status=status if status in {s.value for s in GoalStatus} else "",
        owner=query_id(args, "owner"),
        organization=query_id(args, "organization"),
        group="p" if args.get("group") == "p" else "horizon",
    )
