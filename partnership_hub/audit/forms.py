"""The activity feed's filter form: the person filter is a picker (``picking.py``)."""

from __future__ import annotations

from wtforms import Form, SelectField


class FeedFilterForm(Form):
    """The person filter, as a picker: a GET form, so no CSRF token. The area filter's few fixed
    choices are written in the template."""

    person = SelectField("Person", id="person", choices=[], validate_choice=False)
