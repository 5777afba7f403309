"""Sending back the "log in again" page that carried a post, as a browser would."""

from __future__ import annotations

import html as html_lib
import re

from werkzeug.datastructures import MultiDict

RELOGIN_CSRF = re.compile(r'name="relogin-csrf_token"[^>]*value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def log_in_from(client, path: str, page: str, email: str, password: str):
    """Post the kept fields of `page` back to `path` with the log-in form filled in."""
    token = RELOGIN_CSRF.search(page)
    assert token, "the log-in page has no token of its own"
    carried = [(name, html_lib.unescape(value)) for name, value in HIDDEN.findall(page)]
    data = [
        *carried,
        ("relogin-csrf_token", token[1]),
        ("relogin-email", email),
        ("relogin-password", password),
    ]
    return client.post(path, data=MultiDict(data))
