"""Logins: Flask-Login with a per-user session version, so logging out really ends a session.

Sessions are signed cookies. Two marks inside them, "login_at" and "seen_at" (UTC epoch
seconds), give every session an idle limit and an absolute limit that the cookie's holder
cannot stretch, because changing a mark breaks the signature.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from ..columns import utcnow
from ..extensions import db, login_manager
from .models import User

# seen_at is rewritten at most this often, so the cookie is not reissued on every request.
SEEN_RESOLUTION_SECONDS = 60
EXPIRED_MESSAGE = "For your safety we logged you out after a while. Please log in again."


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(enforce_session_limits)


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


def epoch_now() -> int:
    return int(utcnow().replace(tzinfo=dt.UTC).timestamp())


def start_session_marks(session: MutableMapping[str, Any]) -> None:
    """Record when a login began, for the idle and absolute session limits."""
    now = epoch_now()
    session["login_at"] = now
    session["seen_at"] = now


def begin_session(user: User) -> None:
    """A fresh session for a login: nothing from before it carries over."""
    _forget_session()
    login_user(user)
    start_session_marks(session)


def end_session() -> None:
    logout_user()
    _forget_session()


def _forget_session() -> None:
    session.clear()
    # Flask-WTF caches this request's CSRF token, made from the old session's secret.
    g.pop("csrf_token", None)


def session_expired(marks: MutableMapping[str, Any], now: int) -> bool:
    """True when the session was idle too long, is too old, or lacks its marks."""
    login_at, seen_at = marks.get("login_at"), marks.get("seen_at")
    if not (isinstance(login_at, int) and isinstance(seen_at, int)):
        return True
    idle_limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute_limit = current_app.config["SESSION_MAX_HOURS"] * 3600
    return now - seen_at > idle_limit or now - login_at > absolute_limit


def enforce_session_limits() -> Response | None:
    """End a logged-in session past its limits; otherwise note that it is still in use."""
    if "_user_id" not in session or request.endpoint == "static":
        return None
    now = epoch_now()
    if session_expired(session, now):
        end_session()
        if _view_keeps_posted_answers():
            # That view shows a log-in form carrying what was posted, so nothing typed is lost.
            return None
        flash(EXPIRED_MESSAGE, "info")
        return redirect(url_for("auth.login", next=_return_path()))
    if now - session["seen_at"] >= SEEN_RESOLUTION_SECONDS:
        session["seen_at"] = now
    return None


def _view_keeps_posted_answers() -> bool:
    """Views marked `keeps_posted_answers` (the self-assessment) handle a lost login themselves."""
    view = current_app.view_functions.get(request.endpoint or "")
    marked = request.method == "POST" and bool(getattr(view, "keeps_posted_answers", False))
    return marked and not posted_from_another_site()


def posted_from_another_site() -> bool:
    """The browser's word that another site's page sent this request.

    Pages that keep a post through logging in again must never carry fields another site chose
    into our log-in page: a worker logging in there would save them as their own. Current
    browsers send Sec-Fetch-Site; every browser sends Origin with a form POST.
    """
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    base = urlsplit(current_app.config["BASE_URL"])
    return origin.rstrip("/") != f"{base.scheme}://{base.netloc}"


def _return_path() -> str | None:
    # Only a page can be gone back to; a form's POST cannot be replayed after logging in.
    if request.method != "GET":
        return None
    return request.full_path.rstrip("?")
