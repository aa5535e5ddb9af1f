"""Domain errors. Services raise these; they never raise HTTP exceptions, so a Celery task or a CLI
command can call the same service. ``web/`` maps them to responses in one place:
``NotFound`` → 404, ``Forbidden`` → 403, ``ServiceError`` → the message at the form field."""

from __future__ import annotations


class ServiceError(Exception):
    """A rule said no. ``field`` names the form field the message belongs to (or None: the form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(LookupError):  # noqa: N818 - the domain's word; web/ answers it with 404
    """No such record for this person in this partnership (missing, another tenant's, or hidden)."""


class Forbidden(PermissionError):  # noqa: N818 - answered with 403
    """The person may see the record but may not do this to it."""
