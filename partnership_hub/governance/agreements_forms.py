"""Forms of the governance area's agreements section: recording or changing an agreement. The
services check every value (dates, parties, links), so a refusal lands at its field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from partnership_hub.governance.agreements import (
    EDITABLE_FIELDS,
    EXPIRING_DAYS,
    LINKS_MAX,
    STATUS_LABELS,
    TEXT_MAX,
    TITLE_MAX,
)
from partnership_hub.governance.agreements_models import STORED_STATUSES, SharingAgreement
from partnership_hub.picking import Pick

STATUS_CHOICES = [SelectChoice(status.value, STATUS_LABELS[status]) for status in STORED_STATUSES]
DATE_HINT = "For example 2026-05-31."


def _long(label: str, description: str = "") -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        validators=[Length(max=TEXT_MAX, message=f"Use at most {TEXT_MAX:,} characters.")],
    )


class AgreementForm(FlaskForm):
    title = StringField(
        "Title",
        description="For example “Referral data-sharing agreement”.",
        validators=[
            DataRequired("Enter the agreement's title."),
            Length(max=TITLE_MAX, message=f"Use at most {TITLE_MAX} characters."),
        ],
    )
    # A picker: the view fills its choices with the chosen organizations and the first matches; the
    # services check every id (two or more, all of this partnership).
    organization_ids = SelectMultipleField(
        "Parties",
        choices=[],
        validate_choice=False,
        description="Two or more member organizations. Hold Ctrl (or ⌘) to choose several; type to find more.",
    )
    shared_scope = _long("What is shared", "The information the parties share, and for what purpose.")
    not_shared = _long("What is not shared", "Be explicit: for example case notes or anything identifying a survivor.")
    legal_basis = _long("Legal basis", "Consent, statute, a court order, a memorandum of understanding…")
    notes = _long("Notes")
    signed_on = StringField("Signed on", description=DATE_HINT)
    signatories = _long("Signatories", "One per line: name and organization, e.g. “Ana Ruiz, Streets of Hope”.")
    review_on = StringField("Review by", description=f"{DATE_HINT} On or before the expiry date.")
    expires_on = StringField(
        "Expires on",
        description=f"{DATE_HINT} Flagged {EXPIRING_DAYS} days ahead; leave it empty if it does not expire.",
    )
    status = SelectField(
        "Status",
        choices=STATUS_CHOICES,
        validate_choice=False,
        description="An active agreement shows as expired once its expiry date has passed.",
    )
    document_links = _long(
        "Document links", f"Up to {LINKS_MAX} web addresses (https://…), one per line: the signed copy, annexes."
    )

    def fill_from(self, agreement: SharingAgreement, organization_ids: list[int]) -> None:
        """Show ``agreement`` in the form (a GET of the edit page)."""
        for name in EDITABLE_FIELDS:
            if name == "organization_ids":
                self.organization_ids.data = [str(i) for i in organization_ids]
            elif name in ("signed_on", "review_on", "expires_on"):
                value = getattr(agreement, name)
                getattr(self, name).data = value.isoformat() if value else ""
            elif name == "status":
                self.status.data = agreement.status.value
            else:
                getattr(self, name).data = getattr(agreement, name)

    def set_parties(self, pick: Pick) -> None:
        self.organization_ids.choices = pick.choices()

    def values(self) -> dict:
        """The submitted values, keyed by the agreement's field names, for the service."""
        return {name: getattr(self, name).data for name in EDITABLE_FIELDS}
