"""The development outbox: read the emails the app would have sent, in the browser."""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, render_template
from markupsafe import Markup, escape
from sqlalchemy import select

from ..extensions import db
from .models import OutboxMessage

bp = Blueprint("outbox", __name__, url_prefix="/dev/outbox")

# Up to the first character that cannot be in a URL written in plain text.
URL = re.compile(r"https?://[^\s<>\"']+")
TRAILING_PUNCTUATION = ".,;:!?)]}"
LATEST = 200


@bp.before_request
def development_only() -> None:
    """A second guard: the factory registers this only for the outbox transport."""
    config = current_app.config
    if config["FEEDBACK360_ENV"] == "production" or config["MAIL_TRANSPORT"] != "outbox":
        abort(404)


@bp.get("/")
def index() -> str:
    """The newest messages first."""
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(LATEST)
    ).all()
    return render_template("outbox/index.html", messages=messages, latest=LATEST)


@bp.get("/<int:message_id>")
def show(message_id: int) -> str:
    """One message, its links to this site clickable."""
    message = db.get_or_404(OutboxMessage, message_id)
    body = linkify(message.text_body, current_app.config["BASE_URL"])
    return render_template("outbox/show.html", message=message, body=body)


def linkify(text: str, base_url: str) -> Markup:
    """Escape everything; then make links to our own BASE_URL clickable, and nothing else."""
    parts: list[Markup] = []
    position = 0
    for match in URL.finditer(text):
        url = match.group().rstrip(TRAILING_PUNCTUATION)
        parts.append(escape(text[position : match.start()]))
        parts.append(_link(url) if _is_ours(url, base_url) else escape(url))
        position = match.start() + len(url)
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def _is_ours(url: str, base_url: str) -> bool:
    # "http://site.test.evil.example" starts with "http://site.test" too: compare up to a "/".
    base = base_url.rstrip("/")
    return url == base or url.startswith(base + "/")


def _link(url: str) -> Markup:
    # Markup.format escapes its arguments: the URL cannot close the attribute or the tag.
    return Markup('<a href="{0}">{0}</a>').format(url)
