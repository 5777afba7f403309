"""Accounts: register, confirm, log in, reset and change passwords. Flush, never commit."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..columns import utcnow
from ..extensions import db
from ..mail.outbox import queue_email
from ..web.links import external_url
from . import signing, throttle
from .errors import LoginFailed, TooManyAttempts, WrongPassword
from .models import User
from .passwords import check_password, check_without_account, hash_password


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def register_account(
    name: str, email: str, password: str, address: str, then: str | None = None
) -> None:
    """Create an account and ask its owner to confirm; an existing owner gets a note instead.

    Both paths end on the same page, so nobody learns whether an address has an account.
    `then` is a path on this site that both emails' links return to after logging in.
    """
    _count_or_refuse(_limit("ADDRESS"), ("register-address", address))
    # Hashed before looking anything up: both paths then take the same time.
    password_hash = hash_password(password)
    existing = user_by_email(email)
    if existing is None:
        user = _add_user(name, email, password_hash)
        if user is not None:
            send_confirmation(user, then)
            return
        existing = user_by_email(email)
    if existing is not None:
        _send_account_exists(existing, then)


def _add_user(name: str, email: str, password_hash: str) -> User | None:
    user = User(name=name, email=email, password_hash=password_hash)
    try:
        # A savepoint: two sign-ups racing for one address leave the first account standing.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:
        return None
    return user


def _confirmation_url(user: User, then: str | None) -> str:
    # Werkzeug leaves a None value out of the address, so `then` may be None.
    return external_url("auth.confirm_email", token=signing.confirmation_token(user), next=then)


def send_confirmation(user: User, then: str | None = None) -> None:
    url = _confirmation_url(user, then)
    queue_email(
        user.email,
        "Please confirm your email address for feedback360",
        "confirm_email",
        user_id=user.id,
        name=user.first_name,
        url=url,
        days=current_app.config["CONFIRM_EMAIL_DAYS"],
    )


def _send_account_exists(user: User, then: str | None) -> None:
    confirm_url = None if user.confirmed_at else _confirmation_url(user, then)
    queue_email(
        user.email,
        "Someone tried to create a feedback360 account with your email address",
        "account_exists",
        user_id=user.id,
        name=user.first_name,
        login_url=external_url("auth.login", next=then),
        reset_url=external_url("auth.forgot_password"),
        confirm_url=confirm_url,
    )


def resend_confirmation(user: User) -> None:
    _count_or_refuse(_limit("ACCOUNT"), ("confirm-account", user.email))
    send_confirmation(user)


def check_confirmation_link(token: str) -> None:
    """Refuse a bad or expired link as soon as it is opened."""
    signing.user_for_confirmation(token)


def confirm_email(token: str) -> User:
    user = signing.user_for_confirmation(token)
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
        db.session.flush()
    return user


def authenticate(email: str, password: str, address: str) -> User:
    """The account for this email and password; failures are counted per account and address."""
    account = throttle.bucket_for("login-account", email)
    place = throttle.bucket_for("login-address", address)
    if throttle.is_limited(account, _limit("ACCOUNT")) or throttle.is_limited(
        place, _limit("ADDRESS")
    ):
        raise TooManyAttempts()
    user = _matching_user(email, password)
    if user is None:
        throttle.record_hit(account)
        throttle.record_hit(place)
        raise LoginFailed()
    throttle.clear(account)
    return user


def _matching_user(email: str, password: str) -> User | None:
    user = user_by_email(email)
    if user is None:
        check_without_account(password)
        return None
    return user if check_password(user.password_hash, password) else None


def request_password_reset(email: str, address: str) -> None:
    """Email a reset link if the address has an account; say nothing either way."""
    _count_or_refuse(_limit("ACCOUNT"), ("reset-account", email))
    _count_or_refuse(_limit("ADDRESS"), ("reset-address", address))
    user = user_by_email(email)
    if user is None:
        return
    queue_email(
        user.email,
        "Reset your feedback360 password",
        "reset_password",
        user_id=user.id,
        name=user.first_name,
        url=external_url("auth.reset_password", token=signing.reset_token(user)),
        minutes=current_app.config["PASSWORD_RESET_MINUTES"],
    )


def check_reset_link(token: str) -> None:
    """Refuse an expired or used link before anyone types a new password for it."""
    signing.user_for_reset(token)


def reset_password(token: str, new_password: str) -> User:
    """Set a new password from an emailed link, which then stops working."""
    user = signing.user_for_reset(token)
    _set_password(user, new_password)
    # Only the owner of the mailbox could have followed the link.
    if user.confirmed_at is None:
        user.confirmed_at = utcnow()
    throttle.clear(throttle.bucket_for("login-account", user.email))
    db.session.flush()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change a password knowing the current one; every other session ends."""
    account = throttle.bucket_for("login-account", user.email)
    if throttle.is_limited(account, _limit("ACCOUNT")):
        raise TooManyAttempts()
    if not check_password(user.password_hash, current_password):
        throttle.record_hit(account)
        raise WrongPassword()
    _set_password(user, new_password)
    queue_email(
        user.email,
        "Your feedback360 password was changed",
        "password_changed",
        user_id=user.id,
        name=user.first_name,
        reset_url=external_url("auth.forgot_password"),
    )


def end_all_sessions(user: User) -> None:
    """Every cookie that carries the old session version stops working."""
    user.session_version = (user.session_version or 1) + 1
    db.session.flush()


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)


def _count_or_refuse(limit: int, bucket_parts: tuple[str, ...]) -> None:
    bucket = throttle.bucket_for(*bucket_parts)
    if throttle.is_limited(bucket, limit):
        raise TooManyAttempts()
    throttle.record_hit(bucket)


def _limit(kind: str) -> int:
    return int(current_app.config[f"LOGIN_ATTEMPTS_PER_{kind}"])
