"""Forms for partnerships, invitations and roles."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from partnership_hub.workspaces.models import ROLE_LABELS, Role

ROLE_CHOICES = [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role]


class NewPartnershipForm(FlaskForm):
    name = StringField(
        "Partnership name",
        validators=[DataRequired("Name your partnership."), Length(max=120, message="Use at most 120 characters.")],
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
