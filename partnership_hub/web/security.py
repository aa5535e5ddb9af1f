"""Response headers every page gets: CSP without inline scripts, no framing, no sniffing; no caching
of pages that hold a secret; which proxies' forwarding headers are believed; and the warning when
development mode runs where other people can reach it."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from partnership_hub.config import DEV_SECRET_KEY

log = logging.getLogger(__name__)

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

# A URL with one of these arguments carries a secret (an emailed single-use token): none of its
# responses may be stored by a browser or a shared cache, whoever asks.
SECRET_URL_ARGUMENTS = frozenset({"token"})
FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP", "X-Forwarded-Host")

View = TypeVar("View", bound=Callable[..., Any])


def no_store(view: View) -> View:
    """Mark a view whose every response holds a secret (signed in or not): ``Cache-Control: no-store``.
    URLs with a ``token`` argument need no mark (``SECRET_URL_ARGUMENTS``)."""
    view.no_store = True  # type: ignore[attr-defined]
    return view


def _holds_secret() -> bool:
    rule = request.url_rule
    if rule is not None and SECRET_URL_ARGUMENTS & set(rule.arguments):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "no_store", False))


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # Links in email carry single-use tokens: never leak a URL to another origin.
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if _holds_secret():
            headers["Cache-Control"] = "no-store"
        elif current_user and current_user.is_authenticated:
            # Pages behind a sign-in hold partnership data: no shared or back-button caches.
            headers.setdefault("Cache-Control", "no-store")  # downloads say "private, no-store" themselves
        return response


def trust_proxies(app: Flask) -> None:
    """Believe ``X-Forwarded-For``/``-Proto`` from exactly ``PROXY_HOPS`` proxies in front of the app
    (0: none, the default). The client's address then drives the per-address rate limits; with more
    hops configured than there are proxies, a client could choose its own address."""
    hops = app.config["PROXY_HOPS"]
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def from_loopback() -> bool:
    """Whether the request comes from this machine itself. With no proxies trusted, a request that
    carries forwarding headers came through a proxy on this machine from somewhere else: not local."""
    if current_app.config["PROXY_HOPS"] == 0 and any(name in request.headers for name in FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


# --- development mode on a reachable server -----------------------------------------------------


def is_loopback_host(host: str) -> bool:
    """Whether a server bound to ``host`` listens only on this machine."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name that may resolve anywhere, or 0.0.0.0 / ::


def development_reach(config: Mapping[str, Any], bind_host: str | None = None) -> list[str]:
    """Why a development-mode app looks like one other people can reach: a server bound beyond
    loopback (``bind_host``, known to ``flask serve``), or PostgreSQL or Redis configured."""
    if config["APP_ENV"] == "production":
        return []
    if bind_host is not None:
        return [] if is_loopback_host(bind_host) else [f"the server listens on {bind_host}, beyond this machine"]
    reasons = []
    if str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        reasons.append("PostgreSQL is configured")
    if config.get("REDIS_URL"):
        reasons.append("Redis is configured")
    return reasons


def development_exposure(config: Mapping[str, Any]) -> list[str]:
    """What development mode gives away on a server other people reach."""
    exposed = []
    if config["MAIL_BACKEND"] == "outbox":
        exposed.append(
            "the development mailbox (/dev/mail) shows every invitation, verification and password-reset "
            "link to anyone on this machine or behind a proxy on it"
        )
    if config["SECRET_KEY"] == DEV_SECRET_KEY:
        exposed.append("cookies and CSRF tokens are signed with the published development SECRET_KEY")
    if not config["SESSION_COOKIE_SECURE"]:
        exposed.append("session cookies are sent over plain http")
    return exposed


def warn_about_development_mode(config: Mapping[str, Any], bind_host: str | None = None) -> bool:
    """Log a loud warning when development mode runs where others can reach it; True if it did."""
    reasons = development_reach(config, bind_host)
    if not reasons:
        return False
    banner = "!" * 78
    log.warning(
        "\n%s\nDEVELOPMENT MODE (APP_ENV=%s) ON A SERVER OTHERS MAY REACH: %s.\n%s\n"
        "Set APP_ENV=production (with SECRET_KEY and SMTP settings) for any server other people use.\n%s",
        banner,
        config["APP_ENV"],
        "; ".join(reasons),
        "\n".join(f"  - {item}" for item in development_exposure(config) or ["development defaults apply"]),
        banner,
    )
    return True
