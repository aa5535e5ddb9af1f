"""Turning an outbox row into an email and handing it to the configured backend."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

from partnership_hub.notifications.models import OutboxMessage


def build_message(msg: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = msg.to_address
    email["Subject"] = msg.subject
    email["Message-ID"] = make_msgid(idstring=f"outbox-{msg.id}", domain="partnershiphub.local")
    email.set_content(msg.text_body)
    email.add_alternative(msg.html_body, subtype="html")
    return email


def send(msg: OutboxMessage) -> None:
    """Deliver one message. Raises ``smtplib.SMTPException`` / ``OSError`` when the server fails."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "outbox":
        return  # development: the message stays in the outbox and the in-app mailbox shows it
    email = build_message(msg)
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
