"""People and their credentials. Accounts are global; what they may see is decided per partnership."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from partnership_hub.db import TimestampMixin, utcnow
from partnership_hub.extensions import Model


class User(UserMixin, TimestampMixin, Model):
    __tablename__ = "users"

    # Set by the login machinery: the raw token of the server-side session this request runs in.
    # Flask-Login keeps it in the signed cookie (``get_id``); it is never stored in clear.
    session_token = None  # type: str | None

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Where the person is: meetings are shown in it. None means their partnership's time zone.
    time_zone: Mapped[str | None] = mapped_column(String(64))

    sessions: Mapped[list[UserSession]] = relationship(back_populates="user", cascade="all, delete-orphan")

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserSession(TimestampMixin, Model):
    """One signed-in browser. The cookie carries a random token; only its hash is stored here,
    so logging out, changing the password or being removed revokes it server-side and a replayed
    cookie finds nothing."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="sessions")

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id}>"


class AccountToken(TimestampMixin, Model):
    """A single-use, expiring token sent by email (password reset, email verification)."""

    __tablename__ = "account_tokens"

    PURPOSE_RESET = "reset_password"
    PURPOSE_VERIFY = "verify_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<AccountToken {self.id} {self.purpose}>"
