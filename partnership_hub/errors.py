"""Errors a service raises when a rule is broken; views show them at the named form field."""

from __future__ import annotations


class ServiceError(Exception):
    """A rule said no. ``field`` names the form field the message belongs to (or None: the form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
