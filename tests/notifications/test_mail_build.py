"""The email built for an outbox row (``mail.build_message``): a multipart/alternative whose parts are encoded
by hand (quoted-printable, in C), so every test here reads the message back as a mail program would, from
the bytes smtplib sends."""

from __future__ import annotations

import io
import json
from email import policy
from email.generator import BytesGenerator
from email.parser import BytesParser

from partnership_hub.notifications import mail
from partnership_hub.notifications.models import OutboxMessage

UNSUBSCRIBE = "<http://localhost/notifications/unsubscribe/WzI1MDAxLDI1MDAxLCJkaWdlc3QiXQ.cDYL8A_5kpjwemgeLwmlhE6urm8>"
TEXT = (
    "Weekly digest: Zoë's partnership – 2 Dec\n\n"
    "MEETINGS\n========\n"
    ".a line that starts with a dot\n"
    "trailing spaces   \n"
    "a tab\there, = signs = and a very long line " + "word " * 60 + "\r\n"
    "a CRLF line above, 日本語 below\n"
    "From the start of a line\n"
    "no newline at the end"
)
HTML = '<p style="margin:0;color:#4a5563">Zoë · <a href="http://localhost/p/x?a=1&amp;b=2">link</a></p>\n' * 40


def _row(**values) -> OutboxMessage:
    defaults = {
        "id": 7,
        "kind": "digest",
        "dedup_key": "digest:2026-W49:12",
        "to_address": "dana@example.org",
        "subject": "Weekly digest for Zoë's partnership: 2 meetings, 5 items need you",
        "text_body": TEXT,
        "html_body": HTML,
        "headers": json.dumps({"List-Unsubscribe": UNSUBSCRIBE, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}),
    }
    return OutboxMessage(**(defaults | values))


def _lines(text: str) -> str:
    """Line breaks as a mail program shows them (the parser keeps the CRLF the message travelled with)."""
    return text.replace("\r\n", "\n")


def _sent_bytes(app, row: OutboxMessage) -> bytes:
    """What ``smtplib.send_message`` writes: the message flattened by a BytesGenerator with CRLF."""
    with app.app_context():
        built = mail.build_message(row)
    out = io.BytesIO()
    BytesGenerator(out).flatten(built, linesep="\r\n")
    return out.getvalue()


def test_the_bodies_round_trip_through_the_parser(app):
    raw = _sent_bytes(app, _row())
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert parsed["MIME-Version"] == "1.0"
    assert parsed.get_content_type() == "multipart/alternative"
    plain, html = parsed.iter_parts()
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    for part in (plain, html):
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
    assert _lines(plain.get_content()) == _lines(TEXT)
    assert _lines(html.get_content()) == HTML
    assert _lines(parsed.get_body(("html",)).get_content()) == HTML


def test_the_bytes_are_ascii_in_short_crlf_lines(app):
    raw = _sent_bytes(app, _row())
    raw.decode("ascii")  # 7-bit clean: no 8BITMIME needed
    body = raw.split(b"\r\n\r\n", 1)[1]
    assert b"\n" not in body.replace(b"\r\n", b"")  # every line break is CRLF
    assert max(len(line) for line in body.split(b"\r\n")) <= 78
    assert "=E2=80=93" in raw.decode()  # the en dash, quoted-printable


def test_list_unsubscribe_is_the_url_itself_not_encoded_words(app):
    raw = _sent_bytes(app, _row()).decode("ascii")
    assert f"\r\nList-Unsubscribe: {UNSUBSCRIBE}\r\n" in raw
    parsed = BytesParser(policy=policy.default).parsebytes(raw.encode())
    assert parsed["List-Unsubscribe"] == UNSUBSCRIBE
    assert parsed["Subject"] == "Weekly digest for Zoë's partnership: 2 meetings, 5 items need you"


def test_an_attachment_goes_in_a_mixed_message_around_the_alternative(app):
    calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nSUMMARY:Zoë's meeting\r\nEND:VCALENDAR\r\n"
    attachments = [
        {"filename": "meeting.ics", "content_type": "text/calendar", "content": calendar, "method": "REQUEST"}
    ]
    raw = _sent_bytes(app, _row(attachments=json.dumps(attachments)))
    parsed = BytesParser(policy=policy.default).parsebytes(raw)
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, ics = parsed.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert _lines(alternative.get_body(("plain",)).get_content()) == _lines(TEXT)
    assert ics.get_content_type() == "text/calendar" and ics.get_param("method") == "REQUEST"
    assert ics.get_filename() == "meeting.ics"
    assert _lines(ics.get_content()) == _lines(calendar)
