"""Helpers for the account tests: real forms with their CSRF tokens, and the outbox.

Imported by name (`from account_pages import ...`): pytest puts this folder on sys.path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from feedback360.auth.models import User
from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage

BASE_URL = "http://feedback360.test"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK = re.compile(r"http://[^\s\"<>]+")


@dataclass(frozen=True)
class Mail:
    recipient: str
    subject: str
    text: str
    html: str | None

    def link(self, path_prefix: str) -> str:
        """The one link in the text body whose path starts with path_prefix."""
        links = [url for url in LINK.findall(self.text) if path_prefix in url]
        assert len(links) == 1, links
        return links[0]


def csrf_token(client, path: str, **kwargs) -> str:
    page = client.get(path, **kwargs).get_data(as_text=True)
    match = CSRF_INPUT.search(page)
    assert match, f"no form on {path}"
    return match.group(1)


def submit(client, path: str, data: dict, *, token_from: str | None = None, **kwargs):
    """GET the page for a fresh CSRF token, then POST the form as a browser would."""
    token = csrf_token(client, token_from or path, **_get_kwargs(kwargs))
    return client.post(path, data={**data, "csrf_token": token}, **kwargs)


def _get_kwargs(kwargs: dict) -> dict:
    return {key: value for key, value in kwargs.items() if key in {"headers", "environ_base"}}


def register(
    client, email: str, password: str = "sunlit meadow lantern", name: str = "Ailsa Grant", **kwargs
):
    data = {"name": name, "email": email, "password": password, "confirm": password}
    return submit(client, "/account/register", data, **kwargs)


def log_in(client, email: str, password: str, *, next_path: str | None = None, **kwargs):
    path = "/account/login"
    kwargs.setdefault("query_string", {"next": next_path} if next_path is not None else None)
    return submit(client, path, {"email": email, "password": password}, token_from=path, **kwargs)


def log_out(client):
    return submit(client, "/account/logout", {}, token_from="/account/password")


def path_of(url: str) -> str:
    """An emailed link, checked to start with the configured base URL, as a test-client path."""
    assert url.startswith(BASE_URL + "/"), url
    return url.removeprefix(BASE_URL)


def outbox(app: Flask, to: str | None = None) -> list[Mail]:
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        if to is not None:
            query = query.where(OutboxMessage.recipient == to)
        return [
            Mail(m.recipient, m.subject, m.text_body, m.html_body)
            for m in db.session.scalars(query)
        ]


def find_user(app: Flask, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def is_logged_in(client) -> bool:
    """A page only a logged-in worker sees, and that this blueprint owns."""
    return client.get("/account/password").status_code == 200
