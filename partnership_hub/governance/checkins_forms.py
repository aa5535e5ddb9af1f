"""Forms of the trust check-ins: opening one, and the anonymous answer. Values are checked by the
services (``checkins.py``), so a bad one gets the service's message at its field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField

from partnership_hub import toolkit
from partnership_hub.governance.checkins import MIN_RESPONSES, AnswerData, CheckinData
from partnership_hub.governance.checkins_models import QUESTION_KEYS

SCALE = [SelectChoice(choice.key, f"{choice.key} – {choice.label}") for choice in toolkit.TRUST_CHECKIN_SCALE]


class OpenCheckinForm(FlaskForm):
    opens_on = StringField("First day", description="For example 2026-03-02. Today or later.")
    closes_on = StringField("Last day", description="Answers are taken until the end of this day.")
    min_responses = StringField(
        "Answers needed before results are shown",
        default=str(MIN_RESPONSES),
        description="Fewer answers than this and nobody sees any result, not even the comments. 5 is a good floor.",
    )

    def values(self) -> CheckinData:
        return CheckinData(self.opens_on.data, self.closes_on.data, self.min_responses.data)


def _question(key: str) -> RadioField:
    statement = next(q for q in toolkit.TRUST_CHECKIN_QUESTIONS if q.key == key)
    return RadioField(statement.description, choices=SCALE, validate_choice=False)


class AnswerForm(FlaskForm):
    trust = _question("trust")
    shared_goals = _question("shared_goals")
    equal_voice = _question("equal_voice")
    disagreement = _question("disagreement")
    comment = TextAreaField(
        "Anything you want to add (optional)",
        description=(
            "Shown to the partnership without your name, apart from the scores, once enough people have answered. "
            "Leave out anything that would identify you or anyone else."
        ),
    )

    def values(self) -> AnswerData:
        return AnswerData({key: getattr(self, key).data for key in QUESTION_KEYS}, self.comment.data or "")
