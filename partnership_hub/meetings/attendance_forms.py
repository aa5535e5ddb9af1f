"""Forms for invitations, answers (RSVP) and recording attendance. The services check every value; the
forms only carry them (choices are filled by the pickers, and a stale or forged id gets a message at
its field from the service rather than WTForms' own)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField

from partnership_hub.meetings.attendance import ANSWERS, INVITE_SCOPE_LABELS, RSVP_LABELS
from partnership_hub.picking import Pick


class RsvpForm(FlaskForm):
    answer = SelectField(
        "Your answer", choices=[SelectChoice(a.value, RSVP_LABELS[a]) for a in ANSWERS], validate_choice=False
    )

    def values(self) -> dict[str, Any]:
        return {"answer": self.answer.data}


class LinkAnswerForm(FlaskForm):
    """The RSVP link page's button: the token in the URL says everything; this carries the CSRF token."""


class InviteForm(FlaskForm):
    invite_scope = RadioField(
        "Who is invited",
        choices=[SelectChoice(k.value, v) for k, v in INVITE_SCOPE_LABELS.items()],
        validate_choice=False,
    )
    membership_ids = SelectMultipleField(
        "Add people",
        description="Only people who may see this meeting can be invited.",
        validate_choice=False,
    )
    organization_id = SelectField("Add everyone representing an organization", validate_choice=False)

    def set_choices(self, picks: dict[str, Pick]) -> None:
        self.membership_ids.choices = picks["membership_ids"].choices()
        self.organization_id.choices = picks["organization_id"].choices()

    def values(self) -> dict[str, Any]:
        return {
            "invite_scope": self.invite_scope.data,
            "membership_ids": list(self.membership_ids.data or []),
            "organization_id": self.organization_id.data,
        }


class RemoveInviteeForm(FlaskForm):
    membership_id = HiddenField()


class AttendanceForm(FlaskForm):
    # Checkboxes and hidden inputs written by the template (one per person on the page).
    shown = SelectMultipleField("People on this page", validate_choice=False)
    attended = SelectMultipleField("Attended", validate_choice=False)

    def values(self) -> dict[str, Any]:
        return {"shown": list(self.shown.data or []), "attended": list(self.attended.data or [])}
