"""Where a login may send someone next: only a path on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """The target if it is a plain local path, else None.

    Browsers read "//evil", "/\\evil" and "/<tab>/evil" as other hosts (they drop tabs and treat
    backslashes as slashes), so anything with a backslash or a control character is refused.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
