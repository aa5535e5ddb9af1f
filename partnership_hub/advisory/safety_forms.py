"""The form of the safety section: a person's own contact and safety preferences. The service
(``safety.save_preferences``) checks every value together (a name taken, a number without a channel,
reminders nobody can send), so a refusal lands at its field and changes nothing."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField

from partnership_hub.accounts.forms import single_line
from partnership_hub.advisory.safety import (
    FIELDS,
    LEGAL_NAME_MAX,
    NAME_MAX,
    PHONE_MAX,
    SAFE_CONTACT_MAX,
    SAFE_TIMES_MAX,
)
from partnership_hub.form_fields import length


class SafetyForm(FlaskForm):
    name = StringField(
        "The name others see",
        validators=[length(NAME_MAX), single_line],
        description="A chosen name or a pseudonym is fine. It is the name on your account, in every partnership"
        " you belong to.",
    )
    legal_name = StringField(
        "Legal name (optional)",
        validators=[length(LEGAL_NAME_MAX), single_line],
        description="Only you and the people who arrange your payments see it. Leave it empty if payments can"
        " use the name above.",
    )
    allow_email = BooleanField("Email")
    allow_phone = BooleanField("Phone calls")
    allow_text = BooleanField("Text messages")
    phone = StringField(
        "Phone number",
        validators=[length(PHONE_MAX)],
        description="Only if you allow calls or texts, for example +1 303 555 0100.",
    )
    safe_times = TextAreaField(
        "Safe times to contact you",
        validators=[length(SAFE_TIMES_MAX)],
        description="Optional. For example “Weekdays 10am–2pm”.",
    )
    no_voicemail = BooleanField("Do not leave voicemail", description="Hang up and try again later instead.")
    safe_contact = TextAreaField(
        "A safe contact",
        validators=[length(SAFE_CONTACT_MAX)],
        description="Optional. Someone to reach if you cannot be reached, and how, or how to reach you safely.",
    )
    safe_mode = BooleanField(
        "Safe mode for email",
        description="Emails to you say only “You have a new update” with a link to sign in: no names, no"
        " subject, no details.",
    )
    wants_reminders = BooleanField(
        "Send me reminders", description="Reminders come by email, so email must be allowed."
    )

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in FIELDS}
