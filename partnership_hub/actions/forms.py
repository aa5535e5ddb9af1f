"""Forms for the action plan: adding and editing an item, the status change, and the list's filters."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from partnership_hub.actions.services import (
    DESCRIPTION_MAX,
    EDITABLE_FIELDS,
    STATUS_LABELS,
    TITLE_MAX,
    ActionFilters,
)
from partnership_hub.parsing import parse_id
from partnership_hub.picking import Pick

STATUS_CHOICES = [SelectChoice(key.value, label) for key, label in STATUS_LABELS.items()]


class ActionItemForm(FlaskForm):
    title = StringField(
        "What needs to be done",
        description="One clear step, e.g. “Draft the shared referral protocol”.",
        validators=[
            DataRequired("Enter what needs to be done."),
            Length(max=TITLE_MAX, message=f"Use at most {TITLE_MAX} characters."),
        ],
    )
    description = TextAreaField(
        "Details",
        description="What done looks like, who to involve. No information about individual survivors.",
        validators=[Length(max=DESCRIPTION_MAX, message=f"Use at most {DESCRIPTION_MAX} characters.")],
    )
    # The services check every choice (it must exist in this partnership and be visible to the
    # editor), so a stale or forged value gets a message at the field rather than WTForms' own.
    goal_id = SelectField("Goal", validate_choice=False)
    objective_id = SelectField(
        "Objective", description="Choosing an objective links its goal too.", validate_choice=False
    )
    assignee_membership_id = SelectField("Assigned to", validate_choice=False)
    due_date = StringField("Due date", description="For example 2026-05-31. Leave empty for no due date.")
    status = SelectField("Status", choices=STATUS_CHOICES, validate_choice=False)

    def set_choices(self, goal_id: Pick, objective_id: Pick, assignee_membership_id: Pick) -> None:
        """Fill the goal, objective and assignee pickers (``services.form_pickers``)."""
        self.goal_id.choices = goal_id.choices()
        self.objective_id.choices = objective_id.choices()
        self.assignee_membership_id.choices = assignee_membership_id.choices()

    def values(self) -> dict:
        """The submitted values, keyed by the item's column names, for the service."""
        return {name: getattr(self, name).data for name in EDITABLE_FIELDS}


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=STATUS_CHOICES, validate_choice=False)


def _id_or(value: str, words: tuple[str, ...]) -> str:
    value = (value or "").strip()
    return value if value in words else str(parse_id(value) or "")


def parse_filters(args: Mapping[str, str]) -> ActionFilters:
    """The list's filters from a query string. Unknown or malformed values mean "any"."""
    status = args.get("status", "")
    return ActionFilters(
        status=status if status in STATUS_LABELS else "",
        assignee=_id_or(args.get("assignee", ""), ("me", "none")),
        goal=_id_or(args.get("goal", ""), ("none",)),
        overdue=args.get("overdue", "") not in ("", "0", "false"),
    )
