"""Emailed links: a secret token in each (only its hash kept), the address from BASE_URL."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from flask import current_app


def new_token() -> tuple[str, str]:
    """A fresh token for an emailed link, and the hash to store in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def external_url(endpoint: str, **values: Any) -> str:
    """The configured public address plus the endpoint's path; the Host header plays no part."""
    base = current_app.config["BASE_URL"].rstrip("/")
    # Binding the URL map directly works in a request, a CLI command or a test alike.
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path
