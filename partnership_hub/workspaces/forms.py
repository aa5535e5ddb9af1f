"""Forms for partnerships, invitations, roles, the partnership profile and orientation."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, ValidationError

from partnership_hub import toolkit
from partnership_hub.accounts.forms import PARTNERSHIP_NAME_VALIDATORS
from partnership_hub.workspaces.models import ROLE_LABELS, Role
from partnership_hub.workspaces.services import is_time_zone

ROLE_CHOICES = [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role]


class NewPartnershipForm(FlaskForm):
    name = StringField(
        "Partnership name",
        validators=PARTNERSHIP_NAME_VALIDATORS,
    )


class InviteForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter the address to invite."),
            Length(max=254, message="That email address is too long."),
            Email("Enter an email address like name@example.org.", check_deliverability=False),
        ],
    )
    role = SelectField(
        "Role", choices=ROLE_CHOICES, default=Role.MEMBER.value, validators=[DataRequired("Choose a role.")]
    )


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES, validators=[DataRequired("Choose a role.")])


class ConfirmForm(FlaskForm):
    """A bare form for buttons that only need CSRF protection (revoke, resend, remove, leave)."""


# --- the partnership profile, planning team and orientation --------------------------------------

STATEMENT_MAX = 2000
REGION_MAX = 160
TIME_ZONE_MAX = 64
ORIENTATION_TITLE_MAX = 160
ORIENTATION_DESCRIPTION_MAX = 2000

# Offered as suggestions; any IANA zone is accepted.
COMMON_TIME_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Asia/Kolkata",
    "Asia/Manila",
    "Australia/Sydney",
    "UTC",
)

UNDECIDED = SelectChoice("", "Not decided yet")


def _statement(label: str, description: str) -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        filters=[_strip],
        validators=[Length(max=STATEMENT_MAX, message=f"Use at most {STATEMENT_MAX:,} characters.")],
    )


def _strip(value: str | None) -> str:
    return (value or "").strip()


def _valid_time_zone(form, field) -> None:
    if not is_time_zone(field.data):
        raise ValidationError("Enter a time zone from the list, like America/Denver.")


def _one_of(choices: tuple[toolkit.Choice, ...]):
    keys = {c.key for c in choices}

    def check(form, field) -> None:
        if field.data and field.data not in keys:
            raise ValidationError("Choose one of the options shown.")

    return check


class ProfileForm(FlaskForm):
    name = StringField(
        "Partnership name",
        filters=[_strip],
        validators=PARTNERSHIP_NAME_VALIDATORS,
    )
    definition = _statement(
        "How you define your partnership",
        "In your own words: who works together, and to do what about human trafficking.",
    )
    vision = _statement("Vision", "The change you want to see in your community.")
    mission = _statement("Mission", "What the partnership does to get there.")
    region = StringField(
        "Region",
        description="The area you serve, for example a county, a city or a state.",
        filters=[_strip],
        validators=[Length(max=REGION_MAX, message=f"Use at most {REGION_MAX} characters.")],
    )
    time_zone = StringField(
        "Time zone",
        description="Meetings and reminders use it. Start typing a city, like America/Denver.",
        filters=[_strip],
        validators=[DataRequired("Enter a time zone, like America/Denver."), _valid_time_zone],
    )
    functions = SelectMultipleField(
        "What the partnership does",
        description="The toolkit's six partnership functions. Choose all that apply.",
        choices=[SelectChoice(c.key, c.label) for c in toolkit.FUNCTIONS],
        invalid_choice_message="Choose from the functions shown.",
    )
    coordination_model = RadioField(
        "How it is coordinated",
        choices=[*(SelectChoice(c.key, c.label) for c in toolkit.COORDINATION_MODELS), UNDECIDED],
        validate_choice=False,
        validators=[_one_of(toolkit.COORDINATION_MODELS)],
    )
    stage = RadioField(
        "Stage",
        choices=[*(SelectChoice(c.key, c.label) for c in toolkit.STAGES), UNDECIDED],
        validate_choice=False,
        validators=[_one_of(toolkit.STAGES)],
    )
    public_profile = BooleanField(
        "Publish a public one-page profile",
        description="Anyone with the link can read the name, region, definition, vision, mission and functions. "
        "Nothing else is shown: no members, no meetings.",
    )

    @classmethod
    def for_partnership(cls, partnership) -> ProfileForm:
        """A form filled from the partnership (radios read "" as "not decided yet")."""
        return cls(
            data={
                "name": partnership.name,
                "definition": partnership.definition,
                "vision": partnership.vision,
                "mission": partnership.mission,
                "region": partnership.region,
                "time_zone": partnership.time_zone,
                "functions": list(partnership.functions or []),
                "coordination_model": partnership.coordination_model or "",
                "stage": partnership.stage or "",
                "public_profile": partnership.public_profile,
            }
        )

    def profile_data(self) -> dict:
        return {
            "name": self.name.data,
            "definition": self.definition.data,
            "vision": self.vision.data,
            "mission": self.mission.data,
            "region": self.region.data,
            "time_zone": self.time_zone.data,
            "functions": list(self.functions.data or []),
            "coordination_model": self.coordination_model.data or None,
            "stage": self.stage.data or None,
            "public_profile": bool(self.public_profile.data),
        }


class FlagForm(FlaskForm):
    """Set a yes/no flag (planning team, directory editor, a step done) to an explicit value, so a
    repeated submit changes nothing."""

    value = RadioField(
        "Value", choices=[SelectChoice("1", "Yes"), SelectChoice("0", "No")], validators=[DataRequired()]
    )

    @property
    def on(self) -> bool:
        return self.value.data == "1"


class TeamPickForm(FlaskForm):
    """Add the person picked to the planning team (choices come from the people picker)."""

    membership_id = SelectField(
        "Add someone to the planning team", validate_choice=False, validators=[DataRequired("Choose someone.")]
    )


class EditorPickForm(FlaskForm):
    """Let the member picked edit the directory (choices come from the people picker)."""

    membership_id = SelectField(
        "Let a member edit the directory", validate_choice=False, validators=[DataRequired("Choose a member.")]
    )


class OrientationItemForm(FlaskForm):
    title = StringField(
        "Step",
        description="A short instruction, for example “Read the partnership guidelines”.",
        filters=[_strip],
        validators=[
            DataRequired("Give the step a title."),
            Length(max=ORIENTATION_TITLE_MAX, message=f"Use at most {ORIENTATION_TITLE_MAX} characters."),
        ],
    )
    description = TextAreaField(
        "Details (optional)",
        description="Where to find what they need, or who to ask.",
        filters=[_strip],
        validators=[
            Length(max=ORIENTATION_DESCRIPTION_MAX, message=f"Use at most {ORIENTATION_DESCRIPTION_MAX:,} characters.")
        ],
    )


class MoveForm(FlaskForm):
    direction = RadioField(
        "Direction", choices=[SelectChoice("up", "Up"), SelectChoice("down", "Down")], validators=[DataRequired()]
    )
