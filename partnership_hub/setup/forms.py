"""The setup guide's one form: mark or unmark a question as addressed."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length


class MarkForm(FlaskForm):
    item_key = HiddenField(validators=[DataRequired(), Length(max=60)])
