"""Forms for organizations, representatives, custom sectors and linked networks.

Choice fields that depend on the partnership (sectors, members) get their choices in the view; the
services decide whether a value names something real, so the message at the field is theirs.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from partnership_hub import toolkit
from partnership_hub.errors import ServiceError
from partnership_hub.members import services

P_CHOICES = [SelectChoice(p.key, p.label) for p in toolkit.PS]
KIND_CHOICES = [SelectChoice(k.key, k.label) for k in toolkit.LINKED_NETWORK_KINDS]
PARENT_CHOICES = [SelectChoice("", "None: a sector of its own")] + [
    SelectChoice(s.key, s.label) for s in toolkit.SECTORS
]
NOTES_MAX = 5000


def _max(n: int):
    return Length(max=n, message=f"Use at most {n} characters.")


class WebAddress:
    """A web address starting with http:// or https:// (the service's own rule)."""

    def __call__(self, form, field):
        try:
            field.data = services.clean_website(field.data)
        except ServiceError as error:
            raise ValidationError(error.message) from None


EMAIL = Email("Enter an email address like name@example.org.", check_deliverability=False)


class OrganizationForm(FlaskForm):
    name = StringField("Organization name", validators=[DataRequired("Enter the organization's name."), _max(160)])
    sectors = SelectMultipleField("Sectors", choices=[], validate_choice=False)
    ps = SelectMultipleField("The Ps it works on", choices=P_CHOICES, validate_choice=False)
    website = StringField(
        "Website", validators=[Optional(), _max(300), WebAddress()], description="For example https://example.org"
    )
    service_area = StringField(
        "Service area", validators=[Optional(), _max(200)], description="The counties, cities or region it serves."
    )
    notes = TextAreaField("Notes", validators=[Optional(), _max(NOTES_MAX)])

    def data_for_service(self) -> services.OrganizationData:
        return services.OrganizationData(
            name=self.name.data or "",
            sectors=list(self.sectors.data or []),
            ps=list(self.ps.data or []),
            website=self.website.data or "",
            service_area=self.service_area.data or "",
            notes=self.notes.data or "",
        )


class RepresentativeForm(FlaskForm):
    kind = RadioField(
        "Who represents the organization?",
        choices=[
            SelectChoice("member", "A member of this workspace"),
            SelectChoice("contact", "A contact without an account"),
        ],
        default="member",
        validators=[DataRequired("Choose a member or a contact.")],
    )
    membership_id = SelectField("Member", choices=[], validate_choice=False)
    name = StringField("Contact name", validators=[Optional(), _max(120)])
    title = StringField("Title or role", validators=[Optional(), _max(120)])
    email = EmailField("Email", validators=[Optional(), _max(254), EMAIL])
    phone = StringField("Phone", validators=[Optional(), _max(40)])

    def validate_membership_id(self, field):
        if self.kind.data == "member" and not field.data:
            raise ValidationError("Choose a member of the partnership.")

    def validate_name(self, field):
        if self.kind.data == "contact" and not (field.data or "").strip():
            raise ValidationError("Enter the contact's name.")

    def data_for_service(self) -> services.RepresentativeData:
        if self.kind.data == "member":
            try:
                membership_id = int(self.membership_id.data)
            except (TypeError, ValueError):
                membership_id = -1  # names no one: the service refuses it at the field
            return services.RepresentativeData(membership_id=membership_id, title=self.title.data or "")
        return services.RepresentativeData(
            name=self.name.data or "",
            title=self.title.data or "",
            email=self.email.data or "",
            phone=self.phone.data or "",
        )


class CustomSectorForm(FlaskForm):
    name = StringField("Sector name", validators=[DataRequired("Name the sector."), _max(120)])
    parent_key = SelectField(
        "Part of a toolkit sector",
        choices=PARENT_CHOICES,
        validate_choice=False,
        description="Organizations in it then count for that sector on the coverage page.",
    )
    description = TextAreaField("Description", validators=[Optional(), _max(NOTES_MAX)])

    def data_for_service(self) -> services.CustomSectorData:
        return services.CustomSectorData(
            name=self.name.data or "", parent_key=self.parent_key.data or None, description=self.description.data or ""
        )


class LinkedNetworkForm(FlaskForm):
    name = StringField("Network name", validators=[DataRequired("Name the network."), _max(160)])
    kind = SelectField("Kind", choices=KIND_CHOICES, validate_choice=False)
    contact_name = StringField("Contact name", validators=[Optional(), _max(120)])
    contact_email = EmailField("Contact email", validators=[Optional(), _max(254), EMAIL])
    website = StringField("Website", validators=[Optional(), _max(300), WebAddress()])
    relationship_notes = TextAreaField(
        "How you work together",
        validators=[Optional(), _max(NOTES_MAX)],
        description="Shared cases, referrals, joint trainings, who attends whose meetings...",
    )

    def data_for_service(self) -> services.LinkedNetworkData:
        return services.LinkedNetworkData(
            name=self.name.data or "",
            kind=self.kind.data or "",
            contact_name=self.contact_name.data or "",
            contact_email=self.contact_email.data or "",
            website=self.website.data or "",
            relationship_notes=self.relationship_notes.data or "",
        )


class ConfirmForm(FlaskForm):
    """A bare form for buttons that only need CSRF protection (archive, restore, remove, delete)."""
