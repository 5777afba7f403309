"""The accounts' tables: workers and their logins, and the throttle's counted attempts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..columns import utcnow
from ..extensions import db


class User(db.Model):
    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Bumped at logout and password change: cookies that carry an older number stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # `rounds`, a worker's rounds, is declared with Round.user (surveys/models.py): accounts
    # come before the surveys that use them, so this module names no survey table.

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.name

    # Flask-Login protocol, written out so the model needs no mixin.
    is_active = True
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class RateLimitHit(db.Model):
    """One counted attempt against a throttle; the bucket is an HMAC, never an email or address."""

    __tablename__ = "rate_limit_hit"
    __table_args__ = (Index("ix_rate_limit_bucket_at", "bucket", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
