"""Sign-up, sign-in, sign-out, password reset, email verification and the account page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from partnership_hub.accounts import services
from partnership_hub.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
)
from partnership_hub.db import bind_user
from partnership_hub.errors import ServiceError
from partnership_hub.extensions import db, limiter
from partnership_hub.web.forms import show_error
from partnership_hub.web.htmx import render
from partnership_hub.web.redirects import safe_next
from partnership_hub.workspaces import services as workspaces

bp = Blueprint("accounts", __name__)


def configure_login(login_manager) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load_user(token: str):
        found = services.load_session_user(token)
        if found is None:
            return None
        user, user_session = found
        user.session_token = token
        g.user_session = user_session
        bind_user(db.session, user.id)
        if services.touch_session(user_session):
            db.session.commit()
        return user


def sign_in(user) -> None:
    """Start a fresh server-side session and a fresh cookie (the session id rotates at login)."""
    session.clear()
    user.session_token = services.start_session(user, request.user_agent.string)
    db.session.commit()
    login_user(user)
    session.permanent = True


def _login_email_key() -> str:
    return "login-account:" + services.normalize_email(request.form.get("email", ""))[:254]


def _login_ip_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_IP"]


def _login_account_limit() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("workspaces.home"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            ctx = workspaces.sign_up(form.name.data, form.email.data, form.password.data, form.partnership_name.data)
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            sign_in(ctx.user)
            flash(f"Welcome to {ctx.partnership.name}. We've sent you an email to confirm your address.", "success")
            return redirect(url_for("workspace.home", slug=ctx.partnership.slug))
    return render("accounts/signup.html", form=form, status=422 if form.errors else 200)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_ip_limit, methods=["POST"], error_message="too many sign-in attempts from here")
@limiter.limit(
    _login_account_limit,
    key_func=_login_email_key,
    methods=["POST"],
    error_message="too many sign-in attempts for this account",
)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("workspaces.home")))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            sign_in(user)
            return redirect(safe_next(url_for("workspaces.home")))
        form.form_errors.append("That email and password don't match an account. Check them and try again.")
    return render("accounts/login.html", form=form, status=422 if form.errors or form.form_errors else 200)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_session(current_user.session_token)
        db.session.commit()
        logout_user()
    session.clear()
    flash("You've signed out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the address has an account.
        return render("accounts/reset_sent.html", email=form.email.data)
    return render("accounts/forgot_password.html", form=form, status=422 if form.errors else 200)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def reset_password(token: str):
    if not services.reset_token_is_valid(token):
        return render("accounts/link_invalid.html", kind="reset", status=410)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            logout_user()
            session.clear()
            flash(
                "Your password has been changed and every device was signed out. Sign in with the new password.",
                "success",
            )
            return redirect(url_for("accounts.login"))
    return render("accounts/reset_password.html", form=form, status=422 if form.errors else 200)


@bp.get("/verify-email/<token>")
def verify_email(token: str):
    user = services.verify_email(token)
    if user is None:
        return render("accounts/link_invalid.html", kind="verify", status=410)
    db.session.commit()
    flash("Thank you: your email address is confirmed.", "success")
    return redirect(url_for("workspaces.home") if current_user.is_authenticated else url_for("accounts.login"))


@bp.post("/verify-email/resend")
@login_required
@limiter.limit("5 per hour")
def resend_verification():
    if not current_user.is_verified:
        services.send_verification_email(current_user)
        db.session.commit()
        flash(f"We've sent a new confirmation link to {current_user.email}.", "success")
    return redirect(safe_next(url_for("accounts.account")))


@bp.get("/account")
@login_required
def account():
    return _account_page(ChangePasswordForm())


def _account_page(form: ChangePasswordForm, status: int = 200):
    return render(
        "accounts/account.html",
        form=form,
        sessions=services.open_sessions(current_user),
        current_session_id=g.user_session.id,
        memberships=workspaces.memberships_of(current_user),
        status=status,
    )


@bp.post("/account/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                current_user, form.current_password.data, form.password.data, keep_token=current_user.session_token
            )
        except ServiceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("Your password has been changed. Your other devices were signed out.", "success")
            return redirect(url_for("accounts.account"))
    return _account_page(form, status=422)


@bp.post("/account/sessions/<int:session_id>/revoke")
@login_required
def revoke_session(session_id: int):
    if session_id == g.user_session.id:
        flash("To end this session, sign out.", "info")
    elif services.revoke_session_by_id(current_user, session_id):
        db.session.commit()
        flash("That device has been signed out.", "success")
    return redirect(url_for("accounts.account"))


@bp.errorhandler(429)
def _too_many_attempts(error):
    db.session.rollback()
    messages = {
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
    template, form_class, message = messages.get(
        request.endpoint, ("errors/error.html", None, "Too many attempts. Please wait a while and try again.")
    )
    if form_class is None:
        return render(template, status=429, title="Too many attempts", detail=message)
    form = form_class(formdata=None)
    form.form_errors.append(message)
    return render(template, form=form, status=429)
