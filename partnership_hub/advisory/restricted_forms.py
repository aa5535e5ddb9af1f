"""Forms of the board's restricted area: a note, a document by link, a discussion, a reply. No form offers
a confidentiality level (the services always store ``advisory``); the services check every value, so a
bad one gets their message at its field."""

from __future__ import annotations

from collections.abc import Mapping

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField

from partnership_hub.advisory.restricted import (
    DOCUMENT_NOTE_MAX,
    NOTE_BODY_MAX,
    POST_MAX,
    SEARCH_MAX,
    TITLE_MAX,
    URL_MAX,
)
from partnership_hub.form_fields import length
from partnership_hub.parsing import query_text


class NoteForm(FlaskForm):
    title = StringField("Title", validators=[length(TITLE_MAX)])
    body = TextAreaField(
        "Note",
        validators=[length(NOTE_BODY_MAX)],
        description=(
            "Markdown works: **bold**, lists with “-”, links. "
            "Only the board and the people its chair admitted can read it."
        ),
    )

    def values(self) -> dict:
        return {"title": self.title.data, "body": self.body.data}


class DocumentForm(FlaskForm):
    title = StringField("Title", validators=[length(TITLE_MAX)])
    url = StringField(
        "Link",
        validators=[length(URL_MAX)],
        description=(
            "The document's web address, starting with https://. "
            "The file stays where it is; keep its own sharing settings to the board."
        ),
    )
    note = TextAreaField(
        "Note", validators=[length(DOCUMENT_NOTE_MAX)], description="Optional: what it is, what to look at."
    )

    def values(self) -> dict:
        return {"title": self.title.data, "url": self.url.data, "note": self.note.data}


class ThreadForm(FlaskForm):
    title = StringField("Title", validators=[length(TITLE_MAX)], description="What the discussion is about.")
    body = TextAreaField("Opening post", validators=[length(POST_MAX)])

    def values(self) -> dict:
        return {"title": self.title.data, "body": self.body.data}


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", validators=[length(POST_MAX)])

    def values(self) -> dict:
        return {"body": self.body.data}


def search_text(args: Mapping[str, str]) -> str:
    """A list's "title contains" filter from the query string (anything unusable: no filter)."""
    return query_text(args, "q", limit=SEARCH_MAX)
