"""Forms of the consent section: giving consent (an advisor's own, or a coordinator's on their behalf),
recording where material is used, withdrawing. The services check every value (``consent.py``), so a
refusal lands at its field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField

from partnership_hub.advisory.consent import LINK_MAX, MATERIALS, NOTE_MAX, PURPOSE_MAX, TITLE_MAX
from partnership_hub.form_fields import length

MATERIAL_CHOICES = [SelectChoice(key, label) for key, label in MATERIALS.items()]


class ConsentForm(FlaskForm):
    # A picker, shown to coordinators only (an advisor records their own consent).
    membership_id = SelectField(
        "Advisor",
        choices=[],
        validate_choice=False,
        description="A survivor advisor or someone on the board. Type to find them.",
    )
    shares = SelectMultipleField("What may be shared", choices=MATERIAL_CHOICES, validate_choice=False)
    purpose = StringField(
        "For what use",
        validators=[length(PURPOSE_MAX)],
        description="One use, for example “2027 awareness month video”. Another use is another consent.",
    )
    starts_on = StringField("From", description="Leave empty for today. For example 2027-01-01.")
    ends_on = StringField("Until", description="Optional: the last day. Left empty, it lasts until it is withdrawn.")

    def values(self) -> dict:
        return {
            "membership_id": self.membership_id.data,
            "shares": self.shares.data or [],
            "purpose": self.purpose.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
        }


class UseForm(FlaskForm):
    title = StringField(
        "Where it is used",
        validators=[length(TITLE_MAX)],
        description="For example “Awareness month video” or “2026 annual report”.",
    )
    link = StringField("Link", validators=[length(LINK_MAX)], description="Optional: https://…")
    material = SelectMultipleField("What is used", choices=MATERIAL_CHOICES, validate_choice=False)

    def values(self) -> dict:
        return {"title": self.title.data, "link": self.link.data, "material": self.material.data or []}


class WithdrawForm(FlaskForm):
    note = TextAreaField(
        "A note for the coordinators",
        validators=[length(NOTE_MAX)],
        description="Optional. You don't have to give a reason.",
    )

    def values(self) -> dict:
        return {"note": self.note.data}
