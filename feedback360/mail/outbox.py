"""The outbox: queue an email in the caller's transaction; a separate step sends what is due.

Pages only ever write rows here (queue_email). `flask mail send` and `flask mail worker` run
sender.send_due, which speaks SMTP through smtp.py, so a slow or dead mail server never slows
a page.
"""

from __future__ import annotations

import unicodedata
from email.utils import getaddresses

from flask import render_template

from ..extensions import db
from .models import OutboxMessage


class HeaderInjection(ValueError):
    """A header field that could add headers or recipients: a line break, or a second address."""


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
    _refuse_several_recipients(recipient)
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
    # Any control character or Unicode line separator, not only \r and \n: mail libraries
    # differ in what they treat as the end of a header line.
    for field in fields:
        if any(unicodedata.category(ch) in {"Cc", "Zl", "Zp"} for ch in field):
            raise HeaderInjection("Email addresses and subjects cannot contain line breaks.")


def _refuse_several_recipients(recipient: str) -> None:
    addresses = [address for _name, address in getaddresses([recipient]) if address]
    if len(addresses) != 1 or "@" not in addresses[0]:
        raise HeaderInjection("Each email goes to exactly one address.")
