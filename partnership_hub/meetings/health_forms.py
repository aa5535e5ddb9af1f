"""The meeting health page's form: the partnership's intended meeting frequency."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField


class FrequencyForm(FlaskForm):
    meetings_every_weeks = StringField(
        "The partnership means to meet every … weeks",
        description="For example 4 for a monthly meeting. Leave it empty if it is not decided yet.",
    )
