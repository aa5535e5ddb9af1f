"""Forms of the compensation section: a rate, a payment, marking a payment paid. Every value is checked
by the services (``compensation.py``, ``money.py``), so a refusal lands at its field with their message."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField

from partnership_hub import money
from partnership_hub.advisory.compensation import DESCRIPTION_MAX, FOR_WHAT_MAX, REFERENCE_MAX
from partnership_hub.advisory.compensation_models import (
    METHOD_LABELS,
    PERIOD_LABELS,
    RATE_KIND_LABELS,
    STATUS_LABELS,
    AdvisorPayment,
    AdvisoryRate,
)
from partnership_hub.form_fields import length

KIND_CHOICES = [SelectChoice("", "Choose how it is paid")] + [
    SelectChoice(kind.value, label) for kind, label in RATE_KIND_LABELS.items()
]
PERIOD_CHOICES = [SelectChoice("", "Not a stipend")] + [
    SelectChoice(period.value, f"Once {label}") for period, label in PERIOD_LABELS.items()
]
METHOD_CHOICES = [SelectChoice("", "Choose a method")] + [
    SelectChoice(method.value, label) for method, label in METHOD_LABELS.items()
]
STATUS_CHOICES = [SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()]
DATE_HINT = "For example 2026-03-14."


def _currency() -> SelectField:
    choices = [SelectChoice(code, label) for code, label in money.currency_choices()]
    return SelectField("Currency", choices=choices, default=money.DEFAULT_CURRENCY, validate_choice=False)


class RateEditForm(FlaskForm):
    kind = SelectField("Kind of rate", choices=KIND_CHOICES, validate_choice=False)
    period = SelectField(
        "Stipend paid", choices=PERIOD_CHOICES, validate_choice=False, description="For a stipend only."
    )
    amount = StringField(
        "Amount",
        description="Per hour, per meeting, per stipend period or the gift card's value, like 50 or 52.50. "
        "Leave it empty for something in kind.",
    )
    currency = _currency()
    description = TextAreaField(
        "Details",
        validators=[length(DESCRIPTION_MAX)],
        description="What is given in kind (required for in kind), or a note such as the gift card's shop.",
    )
    effective_from = StringField("Applies from", description=f"{DATE_HINT} Leave it empty for today.")

    def fill_from(self, rate: AdvisoryRate) -> None:
        self.kind.data = rate.kind.value
        self.period.data = rate.period.value if rate.period else ""
        self.amount.data = (
            f"{rate.amount:.{money.stored_places(rate.currency or '')}f}" if rate.amount is not None else ""
        )
        self.currency.data = rate.currency or money.DEFAULT_CURRENCY
        self.description.data = rate.description
        self.effective_from.data = rate.effective_from.isoformat()

    def values(self) -> dict:
        return {
            "kind": self.kind.data,
            "period": self.period.data,
            "amount": self.amount.data,
            "currency": self.currency.data,
            "description": self.description.data,
            "effective_from": self.effective_from.data,
        }


class RateForm(RateEditForm):
    # Exactly one of the two: a role on the board, or one person (whose own rate then takes the role's place).
    role_id = SelectField("For a role", choices=[], validate_choice=False)
    membership_id = SelectField(
        "Or for one person",
        choices=[],
        validate_choice=False,
        description="Someone on the board or a survivor advisor. Their own rate takes the place of their role's.",
    )

    def values(self) -> dict:
        return {"role_id": self.role_id.data, "membership_id": self.membership_id.data, **super().values()}


class PaymentForm(FlaskForm):
    membership_id = SelectField(
        "Paid to", choices=[], validate_choice=False, description="Someone on the board or a survivor advisor."
    )
    for_what = StringField(
        "For what",
        validators=[length(FOR_WHAT_MAX)],
        description="For example “Panel at the spring training (3 hours)”. Nothing about their story.",
    )
    work_date = StringField("Day of the work", description=DATE_HINT)
    amount = StringField("Amount", description="Like 150 or 150.50.")
    currency = _currency()
    method = SelectField("Method", choices=METHOD_CHOICES, validate_choice=False)
    status = SelectField("Status", choices=STATUS_CHOICES, default="owed", validate_choice=False)
    paid_on = StringField("Paid on", description=f"If it is paid. {DATE_HINT} Leave it empty for today.")
    reference = StringField(
        "Reference",
        validators=[length(REFERENCE_MAX)],
        description="Optional: a check number or a transfer reference, for the bookkeeper.",
    )

    def fill_from(self, payment: AdvisorPayment) -> None:
        self.membership_id.data = str(payment.membership_id or "")
        self.for_what.data = payment.for_what
        self.work_date.data = payment.work_date.isoformat()
        self.amount.data = f"{payment.amount:.{money.stored_places(payment.currency)}f}"
        self.currency.data = payment.currency
        self.method.data = payment.method.value
        self.status.data = payment.status.value
        self.paid_on.data = payment.paid_on.isoformat() if payment.paid_on else ""
        self.reference.data = payment.reference

    def values(self) -> dict:
        return {
            "membership_id": self.membership_id.data,
            "for_what": self.for_what.data,
            "work_date": self.work_date.data,
            "amount": self.amount.data,
            "currency": self.currency.data,
            "method": self.method.data,
            "status": self.status.data,
            "paid_on": self.paid_on.data,
            "reference": self.reference.data,
        }


class PaidForm(FlaskForm):
    paid_on = StringField("Paid on", description=f"{DATE_HINT} Leave it empty for today.")

    def values(self) -> dict:
        return {"paid_on": self.paid_on.data}
