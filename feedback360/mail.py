"""The outbox: queue an email in the caller's transaction; a separate step sends what is due."""

from __future__ import annotations

from flask import Flask, render_template
from flask.cli import AppGroup

from .extensions import db, mail
from .models import OutboxMessage

mail_cli = AppGroup("mail", help="Send the emails waiting in the outbox.")


class HeaderInjection(ValueError):
    """A line break in a header field would let someone add recipients."""


def init_app(app: Flask) -> None:
    mail.init_app(app)


def queue_email(
    recipient: str,
    subject: str,
    template: str,
    *,
    invitation_id: int | None = None,
    user_id: int | None = None,
    **context: object,
) -> OutboxMessage:
    """Write one email for one recipient to the outbox (flush, no commit)."""
    _refuse_line_breaks(recipient, subject)
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        text_body=render_template(f"email/{template}.txt", **context),
        html_body=render_template(f"email/{template}.html", **context),
        invitation_id=invitation_id,
        user_id=user_id,
    )
    db.session.add(message)
    db.session.flush()
    return message


def _refuse_line_breaks(*fields: str) -> None:
    for field in fields:
        if "\r" in field or "\n" in field:
            raise HeaderInjection("Email header fields cannot contain line breaks.")
