"""Forms of the board section: roles, seats, renewals, the end of a seat, the chair's grants. Values are
checked by the services (``board.py``), so a bad one gets the service's message at its field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from partnership_hub.advisory.board import NAME_MAX, REASON_MAX, TEXT_MAX
from partnership_hub.form_fields import length


class RoleForm(FlaskForm):
    name = StringField("Role", validators=[length(NAME_MAX)], description="For example Chair, Advisor, Peer mentor.")
    description = TextAreaField("What it involves", validators=[length(TEXT_MAX)], description="Optional.")
    term_months = StringField(
        "Usual term, in months", description="Optional. A new seat's term ends after this many months."
    )

    def values(self) -> dict:
        return {"name": self.name.data, "description": self.description.data, "term_months": self.term_months.data}


class SeatForm(FlaskForm):
    membership_id = SelectField(
        "Person",
        choices=[],
        validate_choice=False,
        description="A survivor advisor, or anyone else in the partnership you name (not observers).",
    )
    role_id = SelectField("Role on the board", choices=[], validate_choice=False)
    is_chair = BooleanField("Chair of the board", description="The chair admits others and reviews who read what.")
    term_starts_on = StringField("Term starts", description="Leave empty for today.")
    term_ends_on = StringField("Term ends", description="Optional; the role's usual term when left empty.")

    def values(self) -> dict:
        return {
            "membership_id": self.membership_id.data,
            "role_id": self.role_id.data,
            "is_chair": self.is_chair.data,
            "term_starts_on": self.term_starts_on.data,
            "term_ends_on": self.term_ends_on.data,
        }


class SeatEditForm(FlaskForm):
    role_id = SelectField("Role on the board", choices=[], validate_choice=False)
    is_chair = BooleanField("Chair of the board", description="Naming a new chair ends the current chair's turn.")

    def values(self) -> dict:
        return {"role_id": self.role_id.data, "is_chair": self.is_chair.data}


class RenewForm(FlaskForm):
    term_starts_on = StringField("New term starts")
    term_ends_on = StringField("New term ends", description="Optional; the role's usual term when left empty.")
    note = TextAreaField("Note", validators=[length(TEXT_MAX)], description="Optional.")

    def values(self) -> dict:
        return {
            "term_starts_on": self.term_starts_on.data,
            "term_ends_on": self.term_ends_on.data,
            "note": self.note.data,
        }


class EndSeatForm(FlaskForm):
    left_on = StringField("Last day on the board", description="Leave empty for today.")

    def values(self) -> dict:
        return {"left_on": self.left_on.data}


class GrantForm(FlaskForm):
    membership_id = SelectField("Person", choices=[], validate_choice=False)
    reason = TextAreaField(
        "Why they need access",
        validators=[length(REASON_MAX)],
        description="Shown to everyone on the board.",
    )
    ends_on = StringField("Access ends", description="Their last day, within a year. The chair can renew it.")

    def values(self) -> dict:
        return {"membership_id": self.membership_id.data, "reason": self.reason.data, "ends_on": self.ends_on.data}


class RevokeForm(FlaskForm):
    membership_id = HiddenField()

    def values(self) -> dict:
        return {"membership_id": self.membership_id.data}
