"""Counting attempts in the database, so every app process shares one count."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import bindparam, delete, func, select

from .database import start_writing
from .extensions import db
from .models import RateLimitHit, utcnow

WINDOW = dt.timedelta(minutes=15)
_HITS = RateLimitHit.__table__
# Built once: every rater page and every send counts first (issue 7 measured the ORM query).
RECENT_HITS = (
    select(func.count().label("hits"))
    .select_from(_HITS)
    .where(_HITS.c.bucket == bindparam("bucket"), _HITS.c.created_at >= bindparam("since"))
)


def bucket_for(*parts: str) -> str:
    """A hashed bucket name: the table never holds an email address or an IP address."""
    return hashlib.sha256("\x1f".join(parts).lower().encode()).hexdigest()


def is_limited(bucket: str, limit: int, window: dt.timedelta = WINDOW) -> bool:
    count = db.session.connection().execute(
        RECENT_HITS, {"bucket": bucket, "since": window_start(window)}
    )
    return (count.scalar() or 0) >= limit


def window_start(window: dt.timedelta = WINDOW) -> dt.datetime:
    """The oldest hit that still counts, for RECENT_HITS's "since"."""
    return utcnow() - window


def record_hit(bucket: str) -> None:
    start_writing()  # a guess at a link is counted even on a GET
    db.session.add(RateLimitHit(bucket=bucket))
    db.session.flush()


def clear(bucket: str) -> None:
    db.session.execute(delete(RateLimitHit).where(RateLimitHit.bucket == bucket))


def purge_older_than(window: dt.timedelta = WINDOW) -> int:
    result = db.session.execute(
        delete(RateLimitHit).where(RateLimitHit.created_at < utcnow() - window)
    )
    return result.rowcount or 0
