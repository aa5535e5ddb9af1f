"""Forms of the notifications area: a person's preferences, the partnership's settings, and the buttons
of the notification centre and the unsubscribe page. Values are checked by the services
(``preferences.py``), so a bad one (a kind not offered, hour 25, an unknown time zone) gets the service's
message at its field and nothing is saved."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField

from partnership_hub.notifications.preferences import (
    DIGEST_LABELS,
    REMINDER_CHOICES,
    WEEKDAYS,
    hour_label,
)

PREFERENCE_FIELDS = ("email", "app", "digest", "digest_weekday", "digest_hour", "time_zone", "safe_mode")
SETTINGS_FIELDS = ("reminder_offsets", "digest_weekday", "digest_hour")
WEEKDAY_CHOICES = [SelectChoice(str(n), name) for n, name in enumerate(WEEKDAYS)]
HOUR_CHOICES = [SelectChoice(str(hour), hour_label(hour)) for hour in range(24)]


class PreferencesForm(FlaskForm):
    # The table's checkboxes: the kinds ticked, by their keys (the service checks each one).
    email = SelectMultipleField("Email", choices=[], validate_choice=False)
    app = SelectMultipleField("In the app", choices=[], validate_choice=False)
    digest = RadioField(
        "Digest email",
        choices=[SelectChoice(value, label) for value, label in DIGEST_LABELS.items()],
        validate_choice=False,
    )
    digest_weekday = SelectField("Day of the week (weekly digest)", choices=[], validate_choice=False)
    digest_hour = SelectField("Hour", choices=[], validate_choice=False)
    time_zone = StringField(
        "Your time zone for notifications",
        filters=[lambda value: (value or "").strip()],
        description="Reminders and the digest follow it. Leave it empty to use the default.",
    )
    safe_mode = BooleanField(
        "Safe mode for email",
        description="Emails to you say only “You have a new update” with a link to sign in: no names, no subject,"
        " no details. The same setting as on your contact and safety page.",
    )

    def offer_defaults(self, weekday: int, hour: int, zone: str) -> None:
        """The first choice of the day and hour is "the partnership's" (its value now in the label); the
        time zone says which one applies when it is left empty."""
        self.digest_weekday.choices = [
            SelectChoice("", f"The partnership's day ({WEEKDAYS[weekday]})"),
            *WEEKDAY_CHOICES,
        ]
        self.digest_hour.choices = [SelectChoice("", f"The partnership's hour ({hour_label(hour)})"), *HOUR_CHOICES]
        self.time_zone.description = f"Reminders and the digest follow it. Leave it empty to use {zone}."

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in PREFERENCE_FIELDS}


class SettingsForm(FlaskForm):
    reminder_offsets = SelectMultipleField(
        "Meeting reminders go out",
        choices=[SelectChoice(str(minutes), label) for minutes, label in REMINDER_CHOICES],
        validate_choice=False,
    )
    digest_weekday = SelectField("Day of the weekly digest", choices=WEEKDAY_CHOICES, validate_choice=False)
    digest_hour = SelectField(
        "Hour of the digest",
        choices=HOUR_CHOICES,
        validate_choice=False,
        description="In the partnership's time zone, unless a person chose their own.",
    )

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in SETTINGS_FIELDS}


class ButtonForm(FlaskForm):
    """A button of the centre (open, mark read, mark all read): the URL says everything; this carries the
    CSRF token."""
