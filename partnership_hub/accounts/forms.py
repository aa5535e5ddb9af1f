"""Account forms. Every field is labelled and validated; messages say how to fix the input."""

from __future__ import annotations

import unicodedata

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from partnership_hub.accounts.services import MIN_PASSWORD_LENGTH

EMAIL_VALIDATORS = [
    DataRequired("Enter your email address."),
    Length(max=254, message="That email address is too long."),
    Email("Enter an email address like name@example.org.", check_deliverability=False),
]
NEW_PASSWORD_VALIDATORS = [
    DataRequired("Choose a password."),
    Length(min=MIN_PASSWORD_LENGTH, max=256, message=f"Use between {MIN_PASSWORD_LENGTH} and 256 characters."),
]


def single_line(form, field) -> None:
    """A name shown in email subjects and page titles: one line, no control characters (line
    breaks, tabs, NUL...). Used by every field that takes a person's or a partnership's name."""
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in field.data or ""):
        raise ValidationError("Use one line, without line breaks, tabs or other control characters.")


NAME_VALIDATORS = [
    DataRequired("Enter your name."),
    Length(max=120, message="Use at most 120 characters."),
    single_line,
]
PARTNERSHIP_NAME_VALIDATORS = [
    DataRequired("Name your partnership."),
    Length(max=120, message="Use at most 120 characters."),
    single_line,
]


class SignupForm(FlaskForm):
    name = StringField("Your name", validators=NAME_VALIDATORS)
    email = EmailField("Email address", validators=EMAIL_VALIDATORS)
    password = PasswordField(
        "Password", validators=NEW_PASSWORD_VALIDATORS, description=f"At least {MIN_PASSWORD_LENGTH} characters."
    )
    partnership_name = StringField(
        "Partnership name",
        validators=PARTNERSHIP_NAME_VALIDATORS,
        description="For example “Southern Colorado Anti-Trafficking Task Force”. You can change it later.",
    )


class LoginForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter your email address."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=256)])


class ForgotPasswordForm(FlaskForm):
    email = EmailField("Email address", validators=EMAIL_VALIDATORS)


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password", validators=NEW_PASSWORD_VALIDATORS, description=f"At least {MIN_PASSWORD_LENGTH} characters."
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired("Repeat the new password."), EqualTo("password", "The two passwords don't match.")],
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password."), Length(max=256)]
    )


class JoinSignupForm(FlaskForm):
    """Create an account from an invitation: the address is the invited one."""

    name = StringField("Your name", validators=NAME_VALIDATORS)
    password = PasswordField(
        "Password", validators=NEW_PASSWORD_VALIDATORS, description=f"At least {MIN_PASSWORD_LENGTH} characters."
    )


class TimeZoneForm(FlaskForm):
    time_zone = StringField(
        "Your time zone",
        description="Meeting times are shown in it. Leave it empty to use each partnership's time zone.",
        filters=[lambda value: (value or "").strip()],
        validators=[Length(max=64, message="Enter a time zone from the list, like America/Denver.")],
    )
