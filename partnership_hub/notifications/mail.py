"""Turning an outbox row into an email, and handing it to the SMTP server over a connection the process
keeps open between messages."""

from __future__ import annotations

import binascii
import hashlib
import json
import re
import smtplib
import ssl
import threading
import time
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import parseaddr
from typing import Any

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


# Header lines may be up to 998 characters (RFC 5322): with the usual 78 the standard library writes a
# longer unbreakable value — List-Unsubscribe's signed URL — as RFC 2047 encoded words, which mail programs
# do not read as a link there (no one-click unsubscribe). Longer values are still folded at whitespace.
POLICY = default_policy.clone(max_line_length=998)
FROM_LINE = re.compile(r"^From ", re.MULTILINE)


def build_message(msg: OutboxMessage) -> EmailMessage:
    """The email for an outbox row: multipart/alternative (text, then HTML), with the attachments, if any,
    in a multipart/mixed around it. Raises (``ValueError`` and kin) when the row can't make one."""
    email = EmailMessage(policy=POLICY)
    email["From"] = header_value(current_app.config["MAIL_DEFAULT_SENDER"])
    email["To"] = header_value(msg.to_address)
    email["Subject"] = header_value(msg.subject)
    email["Message-ID"] = message_id(msg)
    for name, value in json.loads(msg.headers or "{}").items():
        email[name] = header_value(value)
    email["MIME-Version"] = "1.0"
    email.make_alternative()
    email.attach(_text_part(msg.text_body, "plain"))
    email.attach(_text_part(msg.html_body, "html"))
    for attachment in json.loads(msg.attachments or "[]"):
        # Text only ("text/calendar"); a calendar file's METHOD goes in its type too, as mail clients expect.
        _, _, subtype = attachment["content_type"].partition("/")
        params = {"method": attachment["method"]} if attachment.get("method") else {}
        email.add_attachment(attachment["content"], subtype=subtype, filename=attachment["filename"], params=params)
    return email


def _text_part(body: str, subtype: str) -> EmailMessage:
    """A UTF-8 text part, quoted-printable by ``binascii``'s encoder, in C (``set_content`` encodes in
    Python: about a millisecond more for a digest). Lines end in LF here; the generator writes CRLF."""
    part = EmailMessage(policy=POLICY)
    part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
    part["Content-Transfer-Encoding"] = "quoted-printable"
    lines = body.replace("\r\n", "\n").replace("\r", "\n")
    encoded = binascii.b2a_qp(lines.encode(), istext=True).decode("ascii")
    # smtplib's generator turns a line starting "From " into ">From " (mbox quoting); encoded, it is left alone.
    part.set_payload(FROM_LINE.sub("=46rom ", encoded))
    return part


# --- the SMTP connection: one per process, reused ------------------------------------------------
#
# Opening a connection (TCP, greeting, EHLO, STARTTLS, AUTH) costs more than sending a message, so a
# process keeps one open between messages and tasks. It is closed once it has carried no message for
# ``MAIL_KEEPALIVE`` seconds (by a daemon thread that lives as long as the connection; servers drop
# idle clients after a few minutes), when the mail settings change, and after any failure that is not
# the server's answer about one message.

KEEPALIVE = 30.0  # seconds; ``MAIL_KEEPALIVE`` overrides it
# The server's answers about one message: smtplib has sent RSET after them and the connection goes on.
MESSAGE_REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)
_clock = time.monotonic  # the tests move it


@dataclass
class _Connection:
    client: smtplib.SMTP
    settings: tuple[object, ...]
    keepalive: float
    last_used: float


_lock = threading.Lock()
_open: _Connection | None = None
_closer: threading.Thread | None = None
_wake_closer = threading.Event()


def _settings(config: Mapping[str, Any]) -> tuple[object, ...]:
    password = hashlib.sha256(str(config["MAIL_PASSWORD"]).encode()).hexdigest()  # not kept in the clear
    return (
        config["MAIL_SERVER"],
        config["MAIL_PORT"],
        bool(config["MAIL_USE_SSL"]),
        bool(config["MAIL_USE_TLS"]),
        config["MAIL_USERNAME"],
        password,
        config["MAIL_TIMEOUT"],
    )


def _connect(config: Mapping[str, Any]) -> smtplib.SMTP:
    timeout = config["MAIL_TIMEOUT"]
    client: smtplib.SMTP  # SMTP_SSL is an SMTP that starts encrypted
    if config["MAIL_USE_SSL"]:
        client = smtplib.SMTP_SSL(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    try:
        if config["MAIL_USE_TLS"]:
            client.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            client.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        client.close()
        raise
    return client


def _drop(connection: _Connection, *, polite: bool) -> None:
    """Forget the connection and close it (``polite``: with QUIT, to a server that is still there)."""
    global _open
    if _open is connection:
        _open = None
    if polite and connection.client.sock is not None:
        try:
            connection.client.quit()
            return
        except (smtplib.SMTPException, OSError):
            pass
    connection.client.close()


def _reusable(settings: tuple[object, ...]) -> _Connection | None:
    """The open connection, if it may carry the next message: the same settings, still connected, and
    not idle past its keepalive (the server may have dropped it without a word)."""
    connection = _open
    if connection is None:
        return None
    if connection.settings != settings or connection.client.sock is None:
        _drop(connection, polite=True)
        return None
    if _clock() - connection.last_used > connection.keepalive:
        _drop(connection, polite=True)
        return None
    return connection


def _close_when_idle() -> None:
    """The closer thread: close the connection once it has been idle for its keepalive, then end."""
    global _closer
    while True:
        with _lock:
            connection = _open
            idle = 0.0 if connection is None else _clock() - connection.last_used
            if connection is None or idle > connection.keepalive:
                if connection is not None:
                    _drop(connection, polite=True)
                _closer = None
                return
            wait = connection.keepalive - idle
        _wake_closer.wait(wait + 0.01)  # or earlier, when a new connection arrives (its keepalive may be shorter)
        _wake_closer.clear()


def _open_connection(config: Mapping[str, Any], settings: tuple[object, ...]) -> _Connection:
    global _open, _closer
    keepalive = float(config.get("MAIL_KEEPALIVE", KEEPALIVE))
    _open = _Connection(_connect(config), settings, keepalive, _clock())
    if _closer is None:
        _closer = threading.Thread(target=_close_when_idle, name="smtp-idle-close", daemon=True)
        _closer.start()
    else:
        _wake_closer.set()
    return _open


def transport(email: EmailMessage) -> None:
    """Hand a built email to the SMTP server over this process's connection (opened on first use).
    Raises ``smtplib.SMTPException`` / ``OSError`` when it fails.

    A reused connection that the server closed meanwhile (``SMTPServerDisconnected``: it took nothing)
    is opened again and the message sent once more on the new one. After a refusal of this message
    (``MESSAGE_REFUSALS``) the connection stays open; after anything else it is closed."""
    config = current_app.config
    settings = _settings(config)
    with _lock:
        connection = _reusable(settings)
        for fresh in (False, True) if connection is not None else (True,):
            if fresh:
                connection = _open_connection(config, settings)
            assert connection is not None
            try:
                connection.client.send_message(email)
            except smtplib.SMTPServerDisconnected:
                _drop(connection, polite=False)
                if fresh:
                    raise
                continue
            except MESSAGE_REFUSALS:
                connection.last_used = _clock()
                raise
            except BaseException:
                _drop(connection, polite=False)
                raise
            connection.last_used = _clock()
            return


def close_connection() -> None:
    """Close this process's SMTP connection, if one is open (a worker process shutting down)."""
    with _lock:
        if _open is not None:
            _drop(_open, polite=True)
