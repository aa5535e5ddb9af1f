"""Forms of the awareness area. Values are checked by the services (``days.py``, ``campaigns.py``), so
a bad one gets the service's message at its field."""

from __future__ import annotations

import calendar

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, StringField, TextAreaField

from partnership_hub.awareness.campaigns import TEXT_MAX, TITLE_MAX
from partnership_hub.awareness.days import NAME_MAX
from partnership_hub.awareness.days import TEXT_MAX as DAY_TEXT_MAX
from partnership_hub.awareness.rules import KIND_LABELS, NTH_LABELS, WEEKDAYS
from partnership_hub.form_fields import length

NTH_CHOICES = [SelectChoice(str(n), label) for n, label in NTH_LABELS.items()]
DAY_FIELDS = (
    *("name", "description", "kind", "month", "day", "nth", "weekday"),
    *("on_date", "offset_days", "direction", "base"),
)
MONTHS = [SelectChoice("", "Choose a month")] + [SelectChoice(str(m), calendar.month_name[m]) for m in range(1, 13)]


class DayForm(FlaskForm):
    name = StringField("Name", validators=[length(NAME_MAX)], description="For example “State Anti-Trafficking Day”.")
    description = TextAreaField("What it is about", validators=[length(DAY_TEXT_MAX)], description="Optional.")
    kind = RadioField(
        "How its date is set",
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validate_choice=False,
    )
    month = SelectField("Month", choices=MONTHS, validate_choice=False)
    day = StringField("Day of the month", description="1 to 31. A day some years lack (29 February) is skipped then.")
    nth = SelectField("Which one", choices=[SelectChoice("", "Choose"), *NTH_CHOICES], validate_choice=False)
    weekday = SelectField(
        "Weekday",
        choices=[SelectChoice("", "Choose")] + [SelectChoice(str(i), name) for i, name in enumerate(WEEKDAYS)],
        validate_choice=False,
    )
    on_date = StringField("Date", description="For a one-off observance.")
    offset_days = StringField("Number of days")
    direction = SelectField(
        "Before or after",
        choices=[SelectChoice("after", "after"), SelectChoice("before", "before")],
        validate_choice=False,
    )
    base = SelectField("The day it counts from", choices=[], validate_choice=False)

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in DAY_FIELDS}


class ObserveForm(FlaskForm):
    key = HiddenField()
    observe = HiddenField()

    def values(self) -> dict:
        return {"key": self.key.data, "observe": self.observe.data}


class LeadDaysForm(FlaskForm):
    lead_days = StringField(
        "Days of notice before each day",
        description="Days show as coming up, and notices go out, this many days ahead. 14 by default.",
    )

    def values(self) -> dict:
        return {"lead_days": self.lead_days.data}


class PlanForm(FlaskForm):
    day = SelectField("Awareness day", choices=[], validate_choice=False)
    year = StringField("Year")
    title = StringField("Title", validators=[length(TITLE_MAX)], description="For example “GivingTuesday appeal 2026”.")
    owner_membership_id = SelectField("Owner", choices=[], validate_choice=False, description="Who leads it.")
    funding_opportunity_id = SelectField(
        "Funding opportunity", choices=[], validate_choice=False, description="Optional: the appeal or grant it serves."
    )
    goal_text = TextAreaField("What it is for", validators=[length(TEXT_MAX)], description="Optional.")
    notes = TextAreaField("Notes", validators=[length(TEXT_MAX)], description="Optional.")
    outcome = TextAreaField(
        "Outcome",
        validators=[length(TEXT_MAX)],
        description="Afterwards: what happened, what was raised, what to repeat.",
    )

    def values(self) -> dict:
        return {
            "day": self.day.data,
            "year": self.year.data,
            "title": self.title.data,
            "owner_membership_id": self.owner_membership_id.data,
            "funding_opportunity_id": self.funding_opportunity_id.data,
            "goal_text": self.goal_text.data,
            "notes": self.notes.data,
            "outcome": self.outcome.data,
        }


class TaskForm(FlaskForm):
    title = StringField("Task", validators=[length(200)], description="What needs to be done.")
    assignee_membership_id = SelectField("Who", choices=[], validate_choice=False)
    due_date = StringField("Due", description="Optional.")

    def values(self) -> dict:
        return {
            "title": self.title.data,
            "assignee_membership_id": self.assignee_membership_id.data,
            "due_date": self.due_date.data,
        }
