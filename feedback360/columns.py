"""What every feature's tables share: naive UTC times, random ids, enums as checked strings."""

from __future__ import annotations

import datetime as dt
import secrets
from enum import StrEnum

from sqlalchemy import Enum


def utcnow() -> dt.datetime:
    """Naive UTC: SQLite drops time zones, so every stored time is UTC without one."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def utctoday() -> dt.date:
    return utcnow().date()


def random_id() -> str:
    return secrets.token_hex(16)


def enum_column(kind: type[StrEnum], name: str) -> Enum:
    # VARCHAR plus a CHECK constraint: the same on SQLite and PostgreSQL, and easy to migrate.
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )
