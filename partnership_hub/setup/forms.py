"""The setup guide's forms: mark or unmark a question as addressed; record an answer or a note."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from partnership_hub.setup.services import ANSWER_MAX


class MarkForm(FlaskForm):
    item_key = HiddenField(validators=[DataRequired(), Length(max=60)])


class AnswerForm(FlaskForm):
    """The partnership's answer to one question, or a note on it (the page renders one per question)."""

    item_key = HiddenField(validators=[DataRequired(), Length(max=60)])
    text = TextAreaField(
        "Answer or note",
        validators=[
            DataRequired(message="Write the answer or note first."),
            Length(max=ANSWER_MAX, message=f"Use at most {ANSWER_MAX:,} characters."),
        ],
    )
    addressed = BooleanField("Mark this question as addressed", default=True)
