"""Signed links for email confirmation and password reset: nothing stored, nothing to leak."""

from __future__ import annotations

import hmac
from typing import Any

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from .errors import LinkExpired, LinkNotValid, LinkUsed
from .models import User
from .passwords import password_fingerprint

# Distinct salts: a confirmation token can never pass as a reset token, nor the reverse.
CONFIRM_SALT = "feedback360.auth.confirm-email"
RESET_SALT = "feedback360.auth.reset-password"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def confirmation_token(user: User) -> str:
    return _serializer(CONFIRM_SALT).dumps({"user": user.id, "email": user.email})


def reset_token(user: User) -> str:
    """Carries a fingerprint of the password hash, so the link dies once the password changes."""
    key = password_fingerprint(user.password_hash)
    return _serializer(RESET_SALT).dumps({"user": user.id, "key": key})


def user_for_confirmation(token: str) -> User:
    days = current_app.config["CONFIRM_EMAIL_DAYS"]
    data = _load(token, CONFIRM_SALT, max_age=days * 86400)
    user = _user(data)
    if user.email != data.get("email"):
        raise LinkNotValid()
    return user


def user_for_reset(token: str) -> User:
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    data = _load(token, RESET_SALT, max_age=minutes * 60)
    user = _user(data)
    key = data.get("key")
    if not isinstance(key, str) or not hmac.compare_digest(
        key, password_fingerprint(user.password_hash)
    ):
        raise LinkUsed()
    return user


def _load(token: str, salt: str, max_age: int) -> dict[str, Any]:
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkExpired() from error
    except BadData as error:
        raise LinkNotValid() from error
    if not isinstance(data, dict):
        raise LinkNotValid()
    return data


def _user(data: dict[str, Any]) -> User:
    user_id = data.get("user")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None:
        raise LinkNotValid()
    return user
