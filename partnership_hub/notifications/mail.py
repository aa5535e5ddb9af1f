"""Turning an outbox row into an email and handing it to the configured backend."""

from __future__ import annotations

import hashlib
import json
import smtplib
import ssl
import unicodedata
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app

from partnership_hub.notifications.models import OutboxMessage


def header_value(value: str, limit: int | None = None) -> str:
    """``value`` as one line: every run of whitespace (line breaks included) becomes one space and
    other control characters go, so nothing a person typed can start a header of its own."""
    kept = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in value)
    line = " ".join(kept.split())
    return line[:limit].rstrip() if limit is not None else line


def message_id(msg: OutboxMessage) -> str:
    """The row's Message-ID, the same on every attempt: a copy sent again after a worker died between
    the server's acceptance and the row's ``sent`` is recognisable as the same message. The dedup
    key goes in hashed (it names the recipient); the domain is the sender address's."""
    sender_domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2]
    digest = hashlib.sha256(msg.dedup_key.encode()).hexdigest()[:16]
    return f"<outbox-{msg.id}.{digest}@{sender_domain or 'partnershiphub.local'}>"


def build_message(msg: OutboxMessage) -> EmailMessage:
    """The email for an outbox row. Raises (``ValueError`` and kin) when the row can't make one."""
    email = EmailMessage()
    email["From"] = header_value(current_app.config["MAIL_DEFAULT_SENDER"])
    email["To"] = header_value(msg.to_address)
    email["Subject"] = header_value(msg.subject)
    email["Message-ID"] = message_id(msg)
    for name, value in json.loads(msg.headers or "{}").items():
        email[name] = header_value(value)
    email.set_content(msg.text_body)
    email.add_alternative(msg.html_body, subtype="html")
    for attachment in json.loads(msg.attachments or "[]"):
        # Text only ("text/calendar"); a calendar file's METHOD goes in its type too, as mail clients expect.
        _, _, subtype = attachment["content_type"].partition("/")
        params = {"method": attachment["method"]} if attachment.get("method") else {}
        email.add_attachment(attachment["content"], subtype=subtype, filename=attachment["filename"], params=params)
    return email


def transport(email: EmailMessage) -> None:
    """Hand a built email to the SMTP server. Raises ``smtplib.SMTPException`` / ``OSError`` when it fails."""
    config = current_app.config
    timeout = config["MAIL_TIMEOUT"]
    client: smtplib.SMTP  # SMTP_SSL is an SMTP that starts encrypted
    if config["MAIL_USE_SSL"]:
        client = smtplib.SMTP_SSL(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    with client:
        if config["MAIL_USE_TLS"]:
            client.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            client.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        client.send_message(email)
