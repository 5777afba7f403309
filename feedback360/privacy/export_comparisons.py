"""The data export's comparisons: each closed round beside the one closed before it.

Kept apart from export.py so that what the export says about two rounds is in one place. The
figures are the comparison page's (reports/comparison.py), which compares only what both kept
reports show, so the export gives away nothing the pages do not.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..reports.comparison import Change, Comparison, compare
from ..reports.models import RoundReport
from ..reports.report import from_dict
from ..surveys.models import Round


def comparisons_of(user: User) -> list[dict[str, Any]]:
    """Consecutive pairs of the worker's closed rounds, earlier first."""
    kept = db.session.execute(
        select(Round.id, RoundReport.data)
        .join(RoundReport, RoundReport.round_id == Round.id)
        .where(Round.user_id == user.id)
        .order_by(Round.closed_at, Round.id)
    ).all()
    return [
        {"then_round": then.id, "now_round": now.id, **_plain(compare(*_reports(then, now)))}
        for then, now in zip(kept, kept[1:], strict=False)
    ]


def _reports(then: Any, now: Any) -> tuple:
    return from_dict(then.data), from_dict(now.data)


def _plain(comparison: Comparison) -> dict[str, Any]:
    return _value(comparison)


def _value(value: Any) -> Any:
    if isinstance(value, Change):
        return {
            "then": value.then,
            "now": value.now,
            "difference": value.difference,
            "reading": value.direction,
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_value(v) for v in value]
    return value
