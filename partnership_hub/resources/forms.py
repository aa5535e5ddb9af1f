"""Forms for the community resource map: the add/edit form and the list's filters."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, ValidationError

from partnership_hub import toolkit
from partnership_hub.formats import is_web_address
from partnership_hub.parsing import query_text
from partnership_hub.resources.services import (
    EDITABLE_FIELDS,
    MAX_LENGTHS,
    SERVICE_TYPE_LABELS,
    ResourceFilters,
)

SERVICE_TYPE_CHOICES = [SelectChoice(choice.key, choice.label) for choice in toolkit.SERVICE_TYPES]
FILTER_TEXT_MAX = 200


def _length(name: str) -> Length:
    return Length(max=MAX_LENGTHS[name], message=f"Use at most {MAX_LENGTHS[name]} characters.")


def _website(form, field) -> None:
    if field.data and not is_web_address(field.data.strip()):
        raise ValidationError("Enter a web address that starts with http:// or https://.")


class ResourceForm(FlaskForm):
    organization_name = StringField(
        "Organization name",
        validators=[DataRequired("Enter the organization's name."), _length("organization_name")],
    )
    service_type = SelectField(
        "Type of service",
        choices=[SelectChoice("", "Choose a type of service"), *SERVICE_TYPE_CHOICES],
        validators=[DataRequired("Choose a type of service from the list.")],
        validate_choice=False,  # validate_service_type below says it in words people understand
    )
    area_served = StringField(
        "Area served",
        description="Counties, cities or neighbourhoods, e.g. “Denver metro” or “Statewide”.",
        validators=[_length("area_served")],
    )
    languages = StringField(
        "Languages",
        description="Separate languages with commas, e.g. “English, Spanish”.",
        validators=[_length("languages")],
    )
    hours = StringField("Hours", description="e.g. “24/7” or “Mon–Fri 9am–5pm”.", validators=[_length("hours")])
    contact = StringField(
        "Contact", description="A phone number, email address or intake line.", validators=[_length("contact")]
    )
    website = URLField(
        "Website", description="The full address, starting with https://.", validators=[_length("website"), _website]
    )
    trafficking_specific = BooleanField("Funded specifically to serve trafficking survivors")
    notes = TextAreaField(
        "Notes",
        description="Eligibility, how to refer, what to expect. No information about individual survivors.",
        validators=[_length("notes")],
    )

    def validate_service_type(self, field) -> None:
        if field.data and field.data not in SERVICE_TYPE_LABELS:
            raise ValidationError("Choose a type of service from the list.")

    def values(self) -> dict:
        """The submitted values, keyed by the resource's column names, for the service."""
        return {name: getattr(self, name).data for name in EDITABLE_FIELDS}


def parse_filters(args: Mapping[str, str]) -> ResourceFilters:
    """The list's filters from a query string. Unknown or malformed values mean "any"."""
    service_type = args.get("service_type", "")
    return ResourceFilters(
        q=query_text(args, "q", limit=FILTER_TEXT_MAX),
        service_type=service_type if service_type in SERVICE_TYPE_LABELS else "",
        language=query_text(args, "language", limit=FILTER_TEXT_MAX),
        trafficking_only=args.get("trafficking", "") not in ("", "0", "false"),
    )
