"""Absolute links for emails, always built from BASE_URL."""

from __future__ import annotations

from typing import Any

from flask import current_app


def external_url(endpoint: str, **values: Any) -> str:
    """The configured public address plus the endpoint's path; the Host header plays no part."""
    base = current_app.config["BASE_URL"].rstrip("/")
    # Binding the URL map directly works in a request, a CLI command or a test alike.
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path
