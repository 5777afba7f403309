"""Logins: Flask-Login with a per-user session version, so logging out really ends a session."""

from __future__ import annotations

from flask import Flask

from .extensions import db, login_manager
from .models import User, utcnow


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The cookie holds "id:version"; an outdated version is no login at all."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def start_session_marks(session: dict) -> None:
    """Record when a login began, for the idle and absolute session limits."""
    now = int(utcnow().timestamp())
    session["login_at"] = now
    session["seen_at"] = now
