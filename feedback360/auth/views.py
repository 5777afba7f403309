"""Account pages: sign up, confirm, log in and out, forgotten and changed passwords."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..web.errors import shown_again_when_expired
from . import relogin, service
from .errors import LinkNotValid, LoginFailed, TooManyAttempts, WrongPassword
from .forms import (
    ButtonForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from .redirects import safe_next
from .sessions import begin_session, end_session

bp = Blueprint("auth", __name__, url_prefix="/account")

Page = str | Response | tuple[str, int]


@bp.app_errorhandler(relogin.LoginNeeded)
def login_needed(needed: relogin.LoginNeeded) -> tuple[str, int]:
    """A page kept what was posted when the login ran out; its log-in form comes instead."""
    return needed.page, needed.status


def _address() -> str:
    return request.remote_addr or "unknown"


def _then() -> str | None:
    """Where the person was going when a page asked them to log in (a path here), or None.

    It rides along from log-in to sign-up, into the confirmation email and back to log-in, so
    someone without an account who opened an emailed link ends up where that link points.
    """
    return safe_next(request.args.get("next"))


@bp.context_processor
def _carry_then() -> dict[str, str | None]:
    """Every account page links on with the same `next` (log in, sign up, check your email)."""
    return {"then": _then()}


def _landing() -> str:
    return _then() or url_for("worker.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@shown_again_when_expired("auth/login.html", LoginForm)
def login() -> Page:
    """Log in with email and password."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_landing())
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    try:
        user = service.authenticate(form.email.data, form.password.data, _address())
    except TooManyAttempts as error:
        return render_template("auth/login.html", form=form, stopped=str(error)), 429
    except LoginFailed as error:
        db.session.commit()  # the failed attempt counts towards the limits
        form.email.errors.append(str(error))
        return render_template("auth/login.html", form=form)
    db.session.commit()
    begin_session(user)
    # An unconfirmed worker may log in; the dashboard asks them to confirm before a round.
    return redirect(_landing())


@bp.route("/register", methods=["GET", "POST"])
@shown_again_when_expired("auth/register.html", RegisterForm)
def register() -> Page:
    """Create an account; the same answer follows whether or not the email was known."""
    form = RegisterForm()
    if not form.validate_on_submit():
        return render_template("auth/register.html", form=form)
    try:
        service.register_account(
            form.name.data, form.email.data, form.password.data, _address(), then=_then()
        )
    except TooManyAttempts as error:
        return render_template("auth/register.html", form=form, stopped=str(error)), 429
    db.session.commit()
    return render_template("auth/check_email.html", email=form.email.data)


@bp.post("/logout")
def logout() -> Response:
    """End this session and every copy of its cookie."""
    if current_user.is_authenticated:
        service.end_all_sessions(current_user)
        db.session.commit()
    end_session()
    flash("You have logged out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str) -> Page:
    """Confirm an email address; opening the link alone changes nothing (mail scanners do)."""
    form = ButtonForm()
    try:
        if not form.validate_on_submit():
            service.check_confirmation_link(token)
            return render_template("auth/confirm_email.html", form=form, token=token)
        user = service.confirm_email(token)
    except LinkNotValid as error:
        return render_template("auth/link_problem.html", problem=str(error), kind="confirm"), 410
    db.session.commit()
    flash("Thank you: your email address is confirmed.", "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(_landing())
    return redirect(url_for("auth.login", next=_then()))


@bp.route("/confirm", methods=["GET", "POST"])
@login_required
def resend_confirmation() -> Page:
    """Send a fresh confirmation link to a logged-in worker who has not confirmed yet."""
    if current_user.confirmed_at is not None:
        flash("Your email address is already confirmed.", "info")
        return redirect(url_for("worker.dashboard"))
    form = ButtonForm()
    if not form.validate_on_submit():
        return render_template("auth/resend_confirmation.html", form=form)
    try:
        service.resend_confirmation(current_user)
    except TooManyAttempts as error:
        return render_template("auth/resend_confirmation.html", form=form, stopped=str(error)), 429
    db.session.commit()
    flash(f"We have sent a new link to {current_user.email}.", "success")
    return redirect(url_for("auth.resend_confirmation"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@shown_again_when_expired("auth/forgot_password.html", ForgotPasswordForm)
def forgot_password() -> Page:
    """Ask for a reset link; the answer never says whether the email has an account."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot_password.html", form=form)
    try:
        service.request_password_reset(form.email.data, _address())
    except TooManyAttempts as error:
        return render_template("auth/forgot_password.html", form=form, stopped=str(error)), 429
    db.session.commit()
    return render_template("auth/reset_sent.html", email=form.email.data)


def _dead_reset_link(token: str) -> Page | None:
    """A reset page refused for its age usually has a dead link too: say so, not "send again"."""
    try:
        service.check_reset_link(token)
    except LinkNotValid as error:
        return render_template("auth/link_problem.html", problem=str(error), kind="reset"), 410
    return None


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@shown_again_when_expired("auth/reset_password.html", ResetPasswordForm, _dead_reset_link)
def reset_password(token: str) -> Page:
    """Choose a new password from an emailed link, which works once."""
    form = ResetPasswordForm()
    try:
        if not form.validate_on_submit():
            service.check_reset_link(token)
            return render_template("auth/reset_password.html", form=form, token=token)
        user = service.reset_password(token, form.password.data)
    except LinkNotValid as error:
        return render_template("auth/link_problem.html", problem=str(error), kind="reset"), 410
    db.session.commit()
    begin_session(user)
    flash("Your password is changed, and you are logged in.", "success")
    return redirect(url_for("worker.dashboard"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> Page:
    """Change a password knowing the current one; other sessions end, this one goes on."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return render_template("auth/change_password.html", form=form)
    try:
        service.change_password(current_user, form.current_password.data, form.password.data)
    except TooManyAttempts as error:
        return render_template("auth/change_password.html", form=form, stopped=str(error)), 429
    except WrongPassword as error:
        db.session.commit()  # the wrong guess counts towards the limit
        form.current_password.errors.append(str(error))
        return render_template("auth/change_password.html", form=form)
    db.session.commit()
    begin_session(current_user._get_current_object())
    flash(
        "Your password is changed. Any other place you were logged in has been logged out.",
        "success",
    )
    return redirect(url_for("worker.dashboard"))
