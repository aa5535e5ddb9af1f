"""Forms of the dispute log: a dispute, a timeline entry, a status change, sharing and revoking.

People and organization fields are pickers (the view fills their choices with what is chosen plus the
first matches); the services check every id and every rule, so the forms only shape the input."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from partnership_hub.form_fields import DateMessagesForm, length, optional_date
from partnership_hub.governance.disputes import REASON_MAX, TEXT_MAX, TITLE_MAX, LogFilters
from partnership_hub.governance.disputes_models import KIND_LABELS, PATH_LABELS, STATUS_LABELS, DisputeStatus
from partnership_hub.parsing import query_choice, query_text


class DisputeForm(DateMessagesForm):
    title = StringField(
        "Title",
        description="Short and neutral: it names the disagreement, not who is at fault.",
        validators=[length(TITLE_MAX)],
    )
    kind = RadioField(
        "Kind of conflict", choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()], validate_choice=False
    )
    path = SelectField(
        "Path chosen",
        choices=[SelectChoice("", "Not chosen yet"), *(SelectChoice(p.value, v) for p, v in PATH_LABELS.items())],
        validate_choice=False,
    )
    organization_ids = SelectMultipleField(
        "Organizations involved", choices=[], validate_choice=False, description="Organizations of this partnership."
    )
    member_ids = SelectMultipleField(
        "Members involved",
        choices=[],
        validate_choice=False,
        description="Members named here can read this dispute (and nothing else that is confidential).",
    )
    handler_membership_id = SelectField(
        "Handler",
        choices=[],
        validate_choice=False,
        description="A coordinator or a named member who looks after it. They can read it and add to its timeline.",
    )
    opened_on = optional_date("When it began", description="Leave empty for today.")

    def values(self) -> dict:
        return {
            "title": self.title.data,
            "kind": self.kind.data,
            "path": self.path.data,
            "organization_ids": self.organization_ids.data or [],
            "member_ids": self.member_ids.data or [],
            "handler_membership_id": self.handler_membership_id.data,
            "opened_on": self.opened_on.data,
        }


class EntryForm(DateMessagesForm):
    happened_on = optional_date("Date", description="When it happened. Leave empty for today.")
    what_happened = TextAreaField("What happened", validators=[length(TEXT_MAX)])
    agreed = TextAreaField("What was agreed", description="Optional.", validators=[length(TEXT_MAX)])

    def values(self) -> dict:
        names = ("happened_on", "what_happened", "agreed")
        return {name: getattr(self, name).data for name in names}


class DisputeStatusForm(DateMessagesForm):
    status = SelectField(
        "New status", choices=[SelectChoice(s.value, v) for s, v in STATUS_LABELS.items()], validate_choice=False
    )
    resolution_notes = TextAreaField(
        "Resolution notes",
        description="Needed to resolve or close: what was agreed, and by whom.",
        validators=[length(TEXT_MAX)],
    )
    closed_on = optional_date("Date closed", description="For closing. Leave empty for today.")
    note = TextAreaField("Note for the timeline", description="Optional.", validators=[length(TEXT_MAX)])

    def values(self) -> dict:
        return {
            "status": self.status.data,
            "resolution_notes": self.resolution_notes.data,
            "closed_on": self.closed_on.data,
            "note": self.note.data,
        }


class ShareForm(DateMessagesForm):
    membership_id = SelectField("Person", choices=[], validate_choice=False)
    reason = StringField("Why they need to see it", validators=[length(REASON_MAX)])
    ends_on = optional_date("Until", description="Optional: access ends after this day.")

    def values(self) -> dict:
        return {"membership_id": self.membership_id.data, "reason": self.reason.data, "ends_on": self.ends_on.data}


class RevokeForm(FlaskForm):
    membership_id = HiddenField()


def parse_filters(args: Mapping[str, str]) -> LogFilters:
    """The log's filters from a query string; unknown values mean "any"."""
    return LogFilters(
        status=query_choice(args, "status", [s.value for s in DisputeStatus]),
        q=query_text(args, "q", limit=100),
    )
