"""Forms of the funding area's in-kind section: an offer, a need, a match. Organization, person and
offer fields are pickers (the view fills their choices with what is chosen plus the first matches); the
services (``inkind.py``) check every value, so a refusal lands at its field."""

from __future__ import annotations

from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField

from partnership_hub.form_fields import DateMessagesForm, length, optional_date
from partnership_hub.funding.inkind import (
    KIND_LABELS,
    NEED_STATUS_LABELS,
    NOTE_MAX,
    OFFER_STATUS_LABELS,
    QUANTITY_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from partnership_hub.funding.inkind_models import InkindNeed, InkindOffer

KIND_CHOICES = [SelectChoice(key, label) for key, label in KIND_LABELS.items()]


class OfferForm(DateMessagesForm):
    kind = SelectField(
        "Kind of resource", choices=[SelectChoice("", "Choose a kind"), *KIND_CHOICES], validate_choice=False
    )
    title = StringField(
        "Title", validators=[length(TITLE_MAX)], description="A few words, like “Pro bono legal hours”."
    )
    description = TextAreaField(
        "What is offered",
        validators=[length(TEXT_MAX)],
        description="What it is, any conditions, and what it suits best.",
    )
    organization_id = SelectField(
        "Offered by the organization",
        choices=[],
        validate_choice=False,
        description="Optional: a member organization of the partnership.",
    )
    offered_by_membership_id = SelectField(
        "Person offering",
        choices=[],
        validate_choice=False,
        description="Who to talk to about it.",
    )
    hours = StringField("Hours", description="Optional: the time offered in total, for example 40 or 7.5.")
    quantity = StringField(
        "Quantity",
        validators=[length(QUANTITY_MAX)],
        description="Optional: how much or how often, like “2 rooms, Tuesdays”. Give this, the hours, or both.",
    )
    available_from = optional_date("Available from", description="Optional.")
    available_until = optional_date("Available until", description="Optional: the last day.")
    status = SelectField(
        "Status",
        choices=[SelectChoice(status.value, label) for status, label in OFFER_STATUS_LABELS.items()],
        validate_choice=False,
        description="“Matched” is set when a coordinator matches the offer to a need.",
    )
    used_by_organization_id = SelectField(
        "Used by", choices=[], validate_choice=False, description="Optional: the organization using it."
    )

    def fill_from(self, offer: InkindOffer) -> None:
        """Show ``offer`` in the form (a GET of the edit page)."""
        self.kind.data = offer.kind
        self.title.data = offer.title
        self.description.data = offer.description
        self.organization_id.data = str(offer.organization_id or "")
        self.offered_by_membership_id.data = str(offer.offered_by_membership_id or "")
        self.hours.data = f"{offer.hours.normalize():f}" if offer.hours is not None else ""
        self.quantity.data = offer.quantity
        self.available_from.data = offer.available_from
        self.available_until.data = offer.available_until
        self.status.data = offer.status.value
        self.used_by_organization_id.data = str(offer.used_by_organization_id or "")

    def values(self) -> dict:
        names = (
            "kind",
            "title",
            "description",
            "organization_id",
            "offered_by_membership_id",
            "hours",
            "quantity",
            "available_from",
            "available_until",
            "status",
            "used_by_organization_id",
        )
        return {name: getattr(self, name).data for name in names}


class NeedForm(DateMessagesForm):
    title = StringField(
        "Title", validators=[length(TITLE_MAX)], description="A few words, like “A room for our meetings”."
    )
    details = TextAreaField(
        "What is needed",
        validators=[length(TEXT_MAX)],
        description="What, how much, when and where — and anything a partner should know before offering.",
    )
    kind = SelectField(
        "Kind of resource",
        choices=[SelectChoice("", "Any kind"), *KIND_CHOICES],
        validate_choice=False,
    )
    needed_by = optional_date("Needed by", description="Optional: today or later.")
    status = SelectField(
        "Status",
        choices=[SelectChoice(status.value, label) for status, label in NEED_STATUS_LABELS.items()],
        validate_choice=False,
    )

    def fill_from(self, need: InkindNeed) -> None:
        """Show ``need`` in the form (a GET of the edit page)."""
        self.title.data = need.title
        self.details.data = need.details
        self.kind.data = need.kind or ""
        self.needed_by.data = need.needed_by
        self.status.data = need.status.value

    def values(self) -> dict:
        names = ("title", "details", "kind", "needed_by", "status")
        return {name: getattr(self, name).data for name in names}


class MatchForm(DateMessagesForm):
    offer_id = SelectField(
        "Offer", choices=[], validate_choice=False, description="Type a few letters of the offer's title."
    )
    note = TextAreaField(
        "Note", validators=[length(NOTE_MAX)], description="Optional: what was agreed, for example days and times."
    )
    more_needed = BooleanField("More is still needed: keep the need open")

    def values(self) -> dict:
        return {"offer_id": self.offer_id.data, "note": self.note.data, "more_needed": self.more_needed.data}
