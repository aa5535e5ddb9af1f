"""Sign-up, sign-in, sign-out, password reset, email verification and the account page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, g, redirect, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from partnership_hub.accounts import devices, services
from partnership_hub.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
    TimeZoneForm,
)
from partnership_hub.accounts.models import User
from partnership_hub.db import bind_user
from partnership_hub.extensions import db, limiter
from partnership_hub.web.htmx import render
from partnership_hub.web.redirects import safe_next
from partnership_hub.web.tenancy import offer_partnership, requested_slug
from partnership_hub.web.toolkit import done, form_status, submit
from partnership_hub.workspaces import services as workspaces
from partnership_hub.workspaces.forms import COMMON_TIME_ZONES
from partnership_hub.workspaces.models import Partnership, Role

bp = Blueprint("accounts", __name__)
ViewFunction = Callable[..., Any]


def configure_login(login_manager) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load_user(token: str):
        # One statement per request: the session, its person and the partnership a /p/<slug>/ URL
        # names (handed to the tenancy resolver, which checks the membership).
        slug = requested_slug()
        signed_in = services.load_session_user(token, slug)
        if signed_in is None:
            return None
        user = signed_in.user
        user.session_token = token
        g.user_session = signed_in.session
        if slug is not None:
            offer_partnership(slug, signed_in.partnership)
        bind_user(db.session, user.id)
        if services.touch_session(signed_in.session):  # a write at most every few minutes
            db.session.commit()
            session.modified = True  # and the cookie's 14 days start again with it (config.py)
        return user


# Signing in is two steps so the session row commits in the same transaction as whatever made the
# account (sign-up, joining by invitation): ``open_session`` inside the ``submit`` call, then
# ``log_in`` once it has committed.


def open_session(user: User) -> User:
    """Add a new server-side session for ``user`` to the request's transaction."""
    user.session_token = services.start_session(user, request.user_agent.string)
    return user


def log_in(user: User) -> None:
    """Give the browser a fresh cookie for the session ``open_session`` started (the id rotates at login)."""
    session.clear()
    login_user(user)
    session.permanent = True


# Every form that checks a password is a guessing oracle, so each one carries ``checks_password``:
# a limit per address (per form) and one per account that all of them share, so guesses spread
# over the sign-in page and the password change still meet one budget.


def _account_key(email: str) -> str:
    return "password-account:" + services.normalize_email(email)[:254]


def _typed_email_key() -> str:
    """The account a sign-in form names (whether or not it exists)."""
    return _account_key(request.form.get("email", ""))


def _signed_in_key() -> str:
    """The signed-in person's account (``login_required`` runs first)."""
    return _account_key(current_user.email if current_user.is_authenticated else "")


def _login_ip_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_IP"]


def _login_account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def checks_password(account_key: Callable[[], str]) -> Callable[[ViewFunction], ViewFunction]:
    """Rate-limit a form that checks a password: POSTs per address, and per account (``account_key``)
    in one budget shared by every such form. A refusal is a 429 (``_too_many_attempts``)."""

    def decorate(view: ViewFunction) -> ViewFunction:
        view = limiter.shared_limit(
            _login_account_limit,
            scope="password-check-account",
            key_func=account_key,
            methods=["POST"],
            error_message="too many password attempts for this account",
        )(view)
        return limiter.limit(_login_ip_limit, methods=["POST"], error_message="too many password attempts from here")(
            view
        )

    return decorate


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("workspaces.home"))
    form = SignupForm()

    def sign_up() -> tuple[User, Partnership]:
        ctx = workspaces.sign_up(form.name.data, form.email.data, form.password.data, form.partnership_name.data)
        assert ctx.user is not None  # the new account's own context
        return open_session(ctx.user), ctx.partnership  # the session commits with the account

    if saved := submit(form, sign_up):
        user, partnership = saved.value
        log_in(user)
        return done(
            f"Welcome to {partnership.name}. We've sent you an email to confirm your address.",
            url_for("workspace.home", slug=partnership.slug),
        )
    return render("accounts/signup.html", form=form, status=form_status(form))


@bp.route("/login", methods=["GET", "POST"])
@checks_password(_typed_email_key)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("workspaces.home")))
    form = LoginForm()
    if saved := submit(form, lambda: open_session(services.check_credentials(form.email.data, form.password.data))):
        log_in(saved.value)
        return done(None, safe_next(url_for("workspaces.home")))
    return render("accounts/login.html", form=form, status=form_status(form))


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_session(current_user.session_token)
        db.session.commit()
        logout_user()
    session.clear()
    return done("You've signed out.", url_for("accounts.login"), category="info")


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if submit(form, lambda: services.request_password_reset(form.email.data)):
        # The same answer whether or not the address has an account.
        return render("accounts/reset_sent.html", email=form.email.data)
    return render("accounts/forgot_password.html", form=form, status=form_status(form))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def reset_password(token: str):
    if not services.reset_token_is_valid(token):
        return render("accounts/link_invalid.html", kind="reset", status=410)
    form = ResetPasswordForm()
    if submit(form, lambda: services.reset_password(token, form.password.data)):
        logout_user()
        session.clear()
        return done(
            "Your password has been changed and every device was signed out. Sign in with the new password.",
            url_for("accounts.login"),
        )
    return render("accounts/reset_password.html", form=form, status=form_status(form))


@bp.get("/verify-email/<token>")
def verify_email(token: str):
    user = services.verify_email(token)
    if user is None:
        return render("accounts/link_invalid.html", kind="verify", status=410)
    db.session.commit()
    return done(
        "Thank you: your email address is confirmed.",
        url_for("workspaces.home") if current_user.is_authenticated else url_for("accounts.login"),
    )


@bp.post("/verify-email/resend")
@login_required
@limiter.limit("5 per hour")
def resend_verification():
    to = safe_next(url_for("accounts.account"))
    if current_user.is_verified:
        return redirect(to)
    services.send_verification_email(current_user)
    db.session.commit()  # a button without a form: the site-wide CSRF check has passed
    return done(f"We've sent a new confirmation link to {current_user.email}.", to)


@bp.get("/account")
@login_required
def account():
    return _account_page(ChangePasswordForm())


def _account_page(form: ChangePasswordForm, status: int = 200, zone_form: TimeZoneForm | None = None):
    memberships = workspaces.memberships_of(current_user)
    # Their own zone, else their partnership's (the first, by name, when they have several).
    zone = current_user.time_zone or (memberships[0].partnership.time_zone if memberships else "UTC")
    return render(
        "accounts/account.html",
        form=form,
        zone_form=zone_form or TimeZoneForm(time_zone=current_user.time_zone or ""),
        time_zones=COMMON_TIME_ZONES,
        own_zone=bool(current_user.time_zone),
        sessions=services.open_sessions(current_user),
        current_session_id=g.user_session.id,
        memberships=memberships,
        advisor_in=[m for m in memberships if m.role == Role.SURVIVOR_ADVISOR],
        zone=zone,
        zone_label=devices.zone_label(zone),
        device_name=devices.device_name,
        local_time=devices.local_time,
        status=status,
    )


@bp.post("/account/password")
@login_required
@checks_password(_signed_in_key)
def change_password():
    form = ChangePasswordForm()
    if submit(
        form,
        lambda: services.change_password(
            current_user, form.current_password.data, form.password.data, keep_token=current_user.session_token
        ),
    ):
        return done("Your password has been changed. Your other devices were signed out.", url_for("accounts.account"))
    return _account_page(form, status=form_status(form))


@bp.post("/account/time-zone")
@login_required
def set_time_zone():
    form = TimeZoneForm()
    if submit(form, lambda: services.set_time_zone(current_user, form.time_zone.data or "")):
        zone = current_user.time_zone
        said = f"Meeting times are now shown in {zone}." if zone else "Meeting times follow each partnership's zone."
        return done(said, url_for("accounts.account"))
    return _account_page(ChangePasswordForm(), status=form_status(form), zone_form=form)


@bp.post("/account/sessions/<int:session_id>/revoke")
@login_required
def revoke_session(session_id: int):
    to = url_for("accounts.account")
    if session_id == g.user_session.id:
        return done("To end this session, sign out.", to, category="info")
    # Someone else's session, or one already ended, changes nothing and says nothing.
    if not services.revoke_session_by_id(current_user, session_id):
        return redirect(to)
    db.session.commit()  # a button without a form: the site-wide CSRF check has passed
    return done("That device has been signed out.", to)


@bp.errorhandler(429)
def _too_many_attempts(error):
    db.session.rollback()
    messages: dict[str, tuple[str, type[FlaskForm], str]] = {
        "accounts.login": (
            "accounts/login.html",
            LoginForm,
            "Too many sign-in attempts. For your security, "
            "wait 10 minutes before trying again, or reset your password.",
        ),
        "accounts.signup": (
            "accounts/signup.html",
            SignupForm,
            "Too many sign-ups from this network. Please try again in an hour.",
        ),
        "accounts.forgot_password": (
            "accounts/forgot_password.html",
            ForgotPasswordForm,
            "Too many reset requests. Please try again in an hour.",
        ),
    }
    if request.endpoint == "accounts.change_password" and current_user.is_authenticated:
        form = ChangePasswordForm(formdata=None)
        form.current_password.errors = [
            "Too many password attempts. For your security, wait 10 minutes before trying again."
        ]
        return _account_page(form, status=429)
    form_page = messages.get(request.endpoint or "")
    if form_page is None:
        detail = "Too many attempts. Please wait a while and try again."
        return render("errors/error.html", status=429, title="Too many attempts", detail=detail)
    template, form_class, message = form_page
    form = form_class(formdata=None)
    form.form_errors.append(message)
    return render(template, form=form, status=429)


def init_app(app) -> None:
    """The area's hook in the app factory: sessions are loaded by this area's user loader."""
    configure_login(app.login_manager)
