"""Forms of the requests section: asking the board, answering a request, a board member's monthly limit.
Values are checked by the services (``requests.py``), so a bad one gets the service's message at its
field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from partnership_hub.advisory.requests import (
    ADVISORS_MAX,
    ASK_MAX,
    KIND_LABELS,
    LIMIT_MAX,
    NOTE_MAX,
    PAY_AMOUNT,
    PAY_RATES,
    TITLE_MAX,
)
from partnership_hub.form_fields import length
from partnership_hub.money import DEFAULT_CURRENCY, currency_choices

KIND_CHOICES = [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]
PAY_CHOICES = [
    SelectChoice(PAY_AMOUNT, "An amount"),
    SelectChoice(PAY_RATES, "The board's rates"),
]
PAY_HINTS = {
    PAY_AMOUNT: "What you will pay for this, in total.",
    PAY_RATES: "The rates the partnership pays its advisors for this kind of work.",
}
CURRENCY_CHOICES = [SelectChoice(code, label) for code, label in currency_choices()]
ADVISOR_CHOICES = [SelectChoice(str(n), str(n)) for n in range(1, ADVISORS_MAX + 1)]


class RequestForm(FlaskForm):
    kind = SelectField("What you are asking for", choices=KIND_CHOICES, validate_choice=False)
    title = StringField(
        "Title", validators=[length(TITLE_MAX)], description="A few words, like “Panel for the awareness month”."
    )
    ask = TextAreaField(
        "The ask",
        validators=[length(ASK_MAX)],
        description="What you would like, for whom, where, and what an advisor would need to know to decide.",
    )
    hours = StringField("Time needed, in hours", description="Preparation included. For example 2 or 1.5; 40 at most.")
    needed_on = StringField("Needed by", description="Today or later, like 2026-05-31.")
    pay_basis = SelectField("Pay offered", choices=PAY_CHOICES, default=PAY_AMOUNT, validate_choice=False)
    pay_amount = StringField("Amount", description="In total, for example 150 or 150.50.")
    pay_currency = SelectField("Currency", choices=CURRENCY_CHOICES, default=DEFAULT_CURRENCY, validate_choice=False)
    advisors_wanted = SelectField(
        "How many advisors you hope for", choices=ADVISOR_CHOICES, default="1", validate_choice=False
    )

    def values(self) -> dict:
        return {
            "kind": self.kind.data,
            "title": self.title.data,
            "ask": self.ask.data,
            "hours": self.hours.data,
            "needed_on": self.needed_on.data,
            "pay_basis": self.pay_basis.data,
            "pay_amount": self.pay_amount.data,
            "pay_currency": self.pay_currency.data,
            "advisors_wanted": self.advisors_wanted.data,
        }


class AnswerForm(FlaskForm):
    # Sent by the Accept or the Decline button ("accept" / "decline").
    answer = StringField("Your answer")
    note = TextAreaField(
        "A note to the requester",
        validators=[length(NOTE_MAX)],
        description="Optional. If you accept, say how you would like to be contacted.",
    )

    def values(self) -> dict:
        return {"answer": self.answer.data, "note": self.note.data}


class LimitForm(FlaskForm):
    monthly_limit = StringField(
        "Requests you take each month",
        description=f"From 0 to {LIMIT_MAX}. 0 means you are not taking requests; nobody is told why.",
    )

    def values(self) -> dict:
        return {"monthly_limit": self.monthly_limit.data}
