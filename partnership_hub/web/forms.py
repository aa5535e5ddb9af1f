"""Showing a service's refusal at the form field it concerns."""

from __future__ import annotations

from flask_wtf import FlaskForm

from partnership_hub.errors import ServiceError


def show_error(form: FlaskForm, error: ServiceError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)
