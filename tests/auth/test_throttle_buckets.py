"""Throttle buckets are keyed with a secret and kept no longer than they count (SECURITY.md 27)."""

from __future__ import annotations

import datetime as dt
import hashlib

from account_pages import log_in
from builders import make_user
from sqlalchemy import select

from feedback360.auth import throttle
from feedback360.auth.models import RateLimitHit
from feedback360.columns import utcnow
from feedback360.extensions import db

ADDRESS = "203.0.113.7"
EMAIL = "morag@example.org"


def bare_hash(*parts: str) -> str:
    """The old bucket: anyone could recompute it for every address and email they can list."""
    return hashlib.sha256("\x1f".join(parts).lower().encode()).hexdigest()


def stored_buckets(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(RateLimitHit.bucket).order_by(RateLimitHit.id)))


def test_a_failed_login_stores_no_bucket_anyone_could_recompute(app, client):
    make_user(app, email=EMAIL)
    response = log_in(client, EMAIL, "not my password", environ_base={"REMOTE_ADDR": ADDRESS})
    assert response.status_code == 200
    buckets = stored_buckets(app)
    assert len(buckets) == 2  # one for the account, one for the IP address
    recomputable = {bare_hash("login-account", EMAIL), bare_hash("login-address", ADDRESS)}
    assert recomputable.isdisjoint(buckets)
    assert not any(EMAIL in bucket or ADDRESS in bucket for bucket in buckets)
    with app.app_context():
        # The same attempt lands in the same bucket, or nothing would ever be counted.
        assert buckets == [
            throttle.bucket_for("login-account", EMAIL),
            throttle.bucket_for("login-address", ADDRESS),
        ]


def test_a_different_secret_key_gives_different_buckets(app):
    with app.app_context():
        ours = throttle.bucket_for("token-guess", ADDRESS)
        assert throttle.bucket_for("TOKEN-GUESS", ADDRESS) == ours  # as before: case-blind
        app.config["SECRET_KEY"] = "another deployment's secret key"
        theirs = throttle.bucket_for("token-guess", ADDRESS)
    assert theirs != ours
    assert len(theirs) == len(ours) == 64  # still fits rate_limit_hit.bucket


def test_the_secret_key_itself_is_not_the_hmac_key(app):
    """A key derived for this one purpose: SECRET_KEY also signs sessions and email links."""
    with app.app_context():
        secret = app.config["SECRET_KEY"].encode()
        shortcuts = {secret, hashlib.sha256(secret).digest()}
        assert throttle.bucket_key(app.config["SECRET_KEY"]) not in shortcuts


def test_a_new_hit_deletes_the_buckets_hits_that_no_longer_count(app):
    with app.app_context():
        ours, other = throttle.bucket_for("token-guess", ADDRESS), throttle.bucket_for("x", "y")
        expired = utcnow() - throttle.WINDOW - dt.timedelta(minutes=1)
        recent = utcnow() - throttle.WINDOW / 2
        for bucket, when in ((ours, expired), (ours, recent), (other, expired)):
            db.session.add(RateLimitHit(bucket=bucket, created_at=when))
        db.session.commit()
        throttle.record_hit(ours)
        db.session.commit()
        rows = db.session.execute(select(RateLimitHit.bucket, RateLimitHit.created_at))
        kept = [(bucket, when < recent) for bucket, when in rows]
    # Ours keeps its recent hit and the new one; another bucket waits for its own next hit
    # (or the daily purge), so a hit costs one small indexed delete, never a table scan.
    assert sorted(kept) == sorted([(ours, False), (ours, False), (other, True)])
