"""Small pieces the areas' forms share: a length rule with our message, an optional ISO date field,
and a form base that says what to type when a date does not parse."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Length, Optional

DATE_MESSAGE = "Enter a date like 2026-03-31."


def length(limit: int) -> Length:
    """At most ``limit`` characters, said as we say it everywhere."""
    return Length(max=limit, message=f"Use at most {limit} characters.")


def optional_date(label: str, **kwargs: Any) -> DateField:
    """A date typed or picked as YYYY-MM-DD, or nothing."""
    return DateField(label, validators=[Optional()], format="%Y-%m-%d", **kwargs)


class DateMessagesForm(FlaskForm):
    """WTForms says "Not a valid date value."; say what to type instead."""

    def validate(self, extra_validators: Any = None) -> bool:
        ok = bool(super().validate(extra_validators))
        for f in self:
            if isinstance(f, DateField) and f.errors:
                f.errors = [DATE_MESSAGE if "valid date" in str(e) else e for e in f.errors]
        return ok
