"""Counting attempts in the database, so every app process shares one count.

A bucket names whose attempts are counted (an account, an IP address) with an HMAC keyed by a
key derived from SECRET_KEY (SECURITY.md 27). A bare hash would not hide them: there are few
enough IPv4 addresses, and few enough likely emails, to hash every one and look each bucket up.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac

from flask import current_app
from sqlalchemy import bindparam, delete, func, select

from ..columns import utcnow
from ..database import start_writing
from ..extensions import db
from .models import RateLimitHit

WINDOW = dt.timedelta(minutes=15)
_HITS = RateLimitHit.__table__
# Built once: every rater page and every send counts first (issue 7 measured the ORM query).
RECENT_HITS = (
    select(func.count().label("hits"))
    .select_from(_HITS)
    .where(_HITS.c.bucket == bindparam("bucket"), _HITS.c.created_at >= bindparam("since"))
)
# A bucket's hits that no longer count, deleted as it takes a new one (same index).
EXPIRED_HITS = delete(_HITS).where(
    _HITS.c.bucket == bindparam("bucket"), _HITS.c.created_at < bindparam("since")
)
# Names what the derived key is for, so it is no other use's key made from the same secret.
BUCKET_KEY_PURPOSE = b"feedback360 throttle bucket key v1"


def bucket_for(*parts: str) -> str:
    """A keyed bucket name: the table never holds, nor lets anyone recover, an email or address."""
    message = "\x1f".join(parts).lower().encode()
    return hmac.digest(bucket_key(current_app.secret_key), message, "sha256").hex()


@functools.lru_cache(maxsize=4)
def bucket_key(secret_key: str | bytes) -> bytes:
    """The throttle's own key, derived from SECRET_KEY once per secret (every page needs it)."""
    secret = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.digest(secret, BUCKET_KEY_PURPOSE, "sha256")


def is_limited(bucket: str, limit: int, window: dt.timedelta = WINDOW) -> bool:
    count = db.session.connection().execute(
        RECENT_HITS, {"bucket": bucket, "since": window_start(window)}
    )
    return (count.scalar() or 0) >= limit


def window_start(window: dt.timedelta = WINDOW) -> dt.datetime:
    """The oldest hit that still counts, for RECENT_HITS's "since"."""
    return utcnow() - window


def record_hit(bucket: str, window: dt.timedelta = WINDOW) -> None:
    """Count an attempt, and forget this bucket's attempts that the window no longer counts."""
    start_writing()  # a guess at a link is counted even on a GET
    # Kept no longer than the throttle needs, not until the daily purge (SECURITY.md 27).
    db.session.execute(EXPIRED_HITS, {"bucket": bucket, "since": window_start(window)})
    db.session.add(RateLimitHit(bucket=bucket))
    db.session.flush()


def clear(bucket: str) -> None:
    db.session.execute(delete(RateLimitHit).where(RateLimitHit.bucket == bucket))


def purge_older_than(window: dt.timedelta = WINDOW) -> int:
    result = db.session.execute(
        delete(RateLimitHit).where(RateLimitHit.created_at < utcnow() - window)
    )
    return result.rowcount or 0
