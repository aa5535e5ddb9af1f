"""Forms for the agenda: an item (added, proposed or edited), a move, a comment, an item's outcome, and
the bare confirm form behind one-click buttons. Numbers, people and links are text the service
parses and checks (``agenda.clean_item``), so every refusal is a message at its field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from partnership_hub.meetings.agenda import (
    COMMENT_MAX,
    FIELDS,
    KIND_LABELS,
    MINUTES_MAX,
    NOTES_MAX,
    OUTCOME_LABELS,
    TITLE_MAX,
)
from partnership_hub.picking import Pick

KIND_CHOICES = [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]
OUTCOME_CHOICES = [
    SelectChoice("", "Not marked"),
    *(SelectChoice(outcome.value, label) for outcome, label in OUTCOME_LABELS.items()),
]


class AgendaItemForm(FlaskForm):
    title = StringField(
        "Title",
        description="What the item is about, e.g. “Plan for the awareness month”.",
        validators=[
            DataRequired("Enter the item's title."),
            Length(max=TITLE_MAX, message=f"Use at most {TITLE_MAX} characters."),
        ],
    )
    kind = SelectField(
        "What it is for",
        choices=KIND_CHOICES,
        default="discussion",
        validate_choice=False,
        description="Information to share, a discussion, or a decision to take.",
    )
    # A picker: the view fills its choices with the chosen person and a page of matches.
    presenter_membership_id = SelectField("Presenter", validate_choice=False, description="Optional.")
    minutes_allotted = StringField(
        "Time allotted (minutes)",
        description=f"Optional, whole minutes up to {MINUTES_MAX}.",
        render_kw={"inputmode": "numeric"},
    )
    notes = TextAreaField(
        "Notes",
        description="Optional: background people should read before the meeting.",
        validators=[Length(max=NOTES_MAX, message=f"Use at most {NOTES_MAX:,} characters.")],
    )
    links = TextAreaField(
        "Links", description="Optional: web addresses starting with https://, one a line (papers, slides)."
    )

    def set_choices(self, pick: Pick) -> None:
        self.presenter_membership_id.choices = pick.choices()

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name).data for name in FIELDS}

    def fill(self, data: Mapping[str, str]) -> None:
        self.process(data=data)


class MoveForm(FlaskForm):
    """A move: ``direction`` up or down (the buttons), or ``before`` an item id or "end" (drag and
    drop), with the agenda ``version`` the page showed."""

    direction = HiddenField()
    before = HiddenField()
    version = HiddenField()


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Your comment",
        validators=[
            DataRequired("Write your comment first."),
            Length(max=COMMENT_MAX, message=f"Use at most {COMMENT_MAX:,} characters."),
        ],
    )


class OutcomeForm(FlaskForm):
    outcome = SelectField("Outcome", choices=OUTCOME_CHOICES, validate_choice=False)


class ConfirmForm(FlaskForm):
    """A bare form for buttons that only need CSRF protection (accept, decline, publish, delete)."""
