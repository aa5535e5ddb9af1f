"""Account rules: sign-up, credentials, server-side sessions and emailed single-use tokens."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, bindparam, select, update
from sqlalchemy.orm import contains_eager

from partnership_hub.accounts.models import AccountToken, User, UserSession
from partnership_hub.db import SelectApplyingSettings, utcnow
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db
from partnership_hub.notifications.services import absolute_url, queue_email
from partnership_hub.security import hash_password, hash_token, new_token, password_needs_rehash, verify_password
from partnership_hub.workspaces.models import Partnership

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 10


def normalize_email(email: str) -> str:
    """The form addresses are stored and compared in: trimmed, lower case."""
    return email.strip().lower()


def check_password_strength(password: str, *, email: str = "", name: str = "") -> None:
    """Refuse passwords that are short or are just the person's own email or name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"Use at least {MIN_PASSWORD_LENGTH} characters.", "password")
    lowered = password.lower()
    if email and lowered == normalize_email(email):
        raise ServiceError("Don't use your email address as your password.", "password")
    if name and lowered == name.strip().lower():
        raise ServiceError("Don't use your name as your password.", "password")


def find_user_by_email(email: str) -> User | None:
    """The account with this address (in any case), or None."""
    return db.session.scalars(select(User).where(User.email == normalize_email(email))).one_or_none()


def create_user(name: str, email: str, password: str, *, verified: bool = False) -> User:
    """Create an account. Raises ServiceError('email') when the address is taken."""
    email = normalize_email(email)
    check_password_strength(password, email=email, name=name)
    if find_user_by_email(email) is not None:
        raise ServiceError("An account already uses this address. Sign in instead.", "email")
    user = User(
        name=name.strip(),
        email=email,
        password_hash=hash_password(password),
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user whose email and password these are, or None. A miss costs as much as a hit."""
    user = find_user_by_email(email)
    matches = verify_password(user.password_hash if user else None, password)  # runs for a miss too
    if user is None or not matches:
        return None
    if password_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


LOGIN_MISMATCH = "That email and password don't match an account. Check them and try again."


def check_credentials(email: str, password: str) -> User:
    """``authenticate``, refusing a miss with one message whether or not the address has an account."""
    user = authenticate(email, password)
    if user is None:
        raise ServiceError(LOGIN_MISMATCH)
    return user


# --- sessions -----------------------------------------------------------------------------------


def start_session(user: User, user_agent: str = "") -> str:
    """Open a new server-side session for ``user``; returns the raw token for the cookie."""
    raw, digest = new_token()
    db.session.add(UserSession(user_id=user.id, token_hash=digest, user_agent=user_agent[:200]))
    return raw


@dataclass(frozen=True)
class SignedIn:
    """A live server-side session, its person and, when the request names one, the partnership with
    that slug (found, not yet shown to be theirs: the tenancy resolver checks the membership)."""

    user: User
    session: UserSession
    partnership: Partnership | None = None


@cache
def _session_lookup(with_partnership: bool) -> SelectApplyingSettings:
    """The statement behind every signed-in request, built once."""
    stmt = (
        select(UserSession)
        .join(UserSession.user)
        .options(contains_eager(UserSession.user))
        .where(
            UserSession.token_hash == bindparam("token_hash"),
            UserSession.revoked_at.is_(None),
            UserSession.last_seen_at >= bindparam("seen_since"),  # in SQL, so an expired session sets nothing
        )
    )
    if not with_partnership:
        return SelectApplyingSettings.of(stmt, user_id=UserSession.user_id)
    stmt = stmt.add_columns(Partnership).outerjoin(Partnership, Partnership.slug == bindparam("slug"))
    return SelectApplyingSettings.of(stmt, user_id=UserSession.user_id, partnership_id=Partnership.id)


def load_session_user(raw_token: str, partnership_slug: str | None = None) -> SignedIn | None:
    """The user behind a cookie's session token, if that session is still open — in one statement,
    which also finds the partnership named by ``partnership_slug`` and, on PostgreSQL, hands both
    ids to row-level security (``db.SelectApplyingSettings``)."""
    params = {
        "token_hash": hash_token(raw_token),
        "seen_since": utcnow() - current_app.config["PERMANENT_SESSION_LIFETIME"],
    }
    if partnership_slug is not None:
        params["slug"] = partnership_slug
    row = _session_lookup(partnership_slug is not None).execute(db.session, params)
    if row is None:
        return None
    user_session = row[0]
    return SignedIn(user_session.user, user_session, row[1] if partnership_slug is not None else None)


def touch_session(user_session: UserSession) -> bool:
    """Note activity at most every few minutes (avoids a write per request). True if it wrote."""
    now = utcnow()
    if (now - user_session.last_seen_at).total_seconds() < 300:
        return False
    user_session.last_seen_at = now
    return True


def end_session(raw_token: str) -> None:
    """Revoke the session this token belongs to (logging out)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == hash_token(raw_token), UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_all_sessions(user_id: int, *, keep_token: str | None = None) -> None:
    """Revoke every open session of a user, except the one with ``keep_token`` if given."""
    stmt = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if keep_token:
        stmt = stmt.where(UserSession.token_hash != hash_token(keep_token))
    db.session.execute(stmt.values(revoked_at=utcnow()))


def open_sessions(user: User) -> list[UserSession]:
    """The user's sessions still signed in, most recently active first."""
    stmt = (
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .order_by(UserSession.last_seen_at.desc())
    )
    return list(db.session.scalars(stmt))


def revoke_session_by_id(user: User, session_id: int) -> bool:
    """Sign one of the user's own other browsers out."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return cast(CursorResult[Any], result).rowcount == 1  # an UPDATE's result is a cursor result


# --- passwords ----------------------------------------------------------------------------------


def set_password(user: User, password: str) -> None:
    """Set a new password once it passes ``check_password_strength``."""
    check_password_strength(password, email=user.email, name=user.name)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()


def set_time_zone(user: User, zone: str) -> None:
    """Set the zone a person's meeting times are shown in; empty means their partnership's."""
    from partnership_hub.workspaces.services import is_time_zone  # workspaces stands on accounts

    zone = zone.strip()
    if zone and not is_time_zone(zone):
        raise ServiceError("Enter a time zone from the list, like America/Denver or Europe/London.", "time_zone")
    user.time_zone = zone or None


NAME_MAX = 120  # users.name


def set_name(user: User, name: str) -> None:
    """Rename a person: the one name the product shows for them, in every partnership. The database keeps
    ``memberships.sort_name`` in step (triggers of migration 0010), so lists sort by the new name at once."""
    name = name.strip()
    if not name:
        raise ServiceError("Enter the name you want others to see.", "name")
    if len(name) > NAME_MAX:
        raise ServiceError(f"Use at most {NAME_MAX} characters.", "name")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in name):
        raise ServiceError("Use one line, without line breaks, tabs or other control characters.", "name")
    user.name = name


def change_password(user: User, current: str, new: str, *, keep_token: str | None) -> None:
    """Change a signed-in user's password; every other session is signed out."""
    if not verify_password(user.password_hash, current):
        raise ServiceError("That is not your current password.", "current_password")
    set_password(user, new)
    revoke_all_sessions(user.id, keep_token=keep_token)


# --- emailed tokens -----------------------------------------------------------------------------


def _issue_token(user: User, purpose: str) -> tuple[AccountToken, str]:
    ttl = current_app.config["RESET_TTL" if purpose == AccountToken.PURPOSE_RESET else "VERIFY_TTL"]
    raw, digest = new_token()
    token = AccountToken(user_id=user.id, purpose=purpose, token_hash=digest, expires_at=utcnow() + ttl)
    db.session.add(token)
    db.session.flush()
    return token, raw


def _valid_token(raw: str, purpose: str) -> AccountToken | None:
    stmt = select(AccountToken).where(AccountToken.token_hash == hash_token(raw), AccountToken.purpose == purpose)
    token = db.session.scalars(stmt).one_or_none()
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        return None
    return token


def _spend_tokens(user_id: int, purpose: str) -> None:
    """Mark every outstanding token of this purpose used: one successful use ends them all."""
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user_id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
    )


def send_verification_email(user: User) -> None:
    """Email a link that confirms the address belongs to the account holder."""
    token, raw = _issue_token(user, AccountToken.PURPOSE_VERIFY)
    queue_email(
        kind="verify_email",
        dedup_key=f"verify_email:token-{token.id}:user-{user.id}",
        to=user.email,
        subject="Confirm your email address for Partnership Hub",
        template="verify_email",
        user=user,
        link=absolute_url("accounts.verify_email", token=raw),
        expires_hours=int(current_app.config["VERIFY_TTL"].total_seconds() // 3600),
    )


def verify_email(raw: str) -> User | None:
    """Confirm an address from its emailed link. None when the link is unknown, used or expired."""
    token = _valid_token(raw, AccountToken.PURPOSE_VERIFY)
    if token is None:
        return None
    _spend_tokens(token.user_id, AccountToken.PURPOSE_VERIFY)
    user = token.user
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def request_password_reset(email: str) -> None:
    """Email a reset link if an account has this address. Says nothing either way."""
    user = find_user_by_email(email)
    if user is None:
        return
    token, raw = _issue_token(user, AccountToken.PURPOSE_RESET)
    queue_email(
        kind="reset_password",
        dedup_key=f"reset_password:token-{token.id}:user-{user.id}",
        to=user.email,
        subject="Reset your Partnership Hub password",
        template="reset_password",
        user=user,
        link=absolute_url("accounts.reset_password", token=raw),
        expires_minutes=int(current_app.config["RESET_TTL"].total_seconds() // 60),
    )


def reset_token_is_valid(raw: str) -> bool:
    """Whether an emailed reset link can still be used."""
    return _valid_token(raw, AccountToken.PURPOSE_RESET) is not None


def reset_password(raw: str, password: str) -> User:
    """Set a new password from an emailed link; the link and every open session stop working."""
    token = _valid_token(raw, AccountToken.PURPOSE_RESET)
    if token is None:
        raise ServiceError("This reset link has expired or was already used. Ask for a new one.")
    user = token.user
    set_password(user, password)
    _spend_tokens(user.id, AccountToken.PURPOSE_RESET)
    revoke_all_sessions(user.id)
    if user.email_verified_at is None:  # following the emailed link proves the address
        user.email_verified_at = utcnow()
    return user
