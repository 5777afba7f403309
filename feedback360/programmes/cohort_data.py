"""The cohort's inputs and outputs: each member's latest closed round's kept report in, and the
rows that the page, the CSV and the PDF all show out (one list, so they cannot disagree)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..instruments.registry import instruments
from ..reports.models import RoundReport
from ..reports.report import from_dict
from ..surveys.models import Round
from .cohort import BAND_LABELS, EVERYONE, CohortReport, Contribution, Distribution, Filter
from .models import Member, Programme, ProgrammeRound

NO_ROLE = "Role not given"


def contributions(programme: Programme) -> list[Contribution]:
    """One per worker: their latest closed round in this programme that has a kept report."""
    rows = db.session.execute(
        select(Round.user_id, Round.instrument_key, Member.job_role, RoundReport.data)
        .join(ProgrammeRound, ProgrammeRound.round_id == Round.id)
        .join(RoundReport, RoundReport.round_id == Round.id)
        .join(
            Member,
            (Member.user_id == Round.user_id) & (Member.programme_id == programme.id),
        )
        .where(ProgrammeRound.programme_id == programme.id, Round.closed_at.is_not(None))
        .order_by(Round.user_id, Round.closed_at.desc(), Round.id.desc())
    ).all()
    latest: dict[int, Contribution] = {}
    for user_id, instrument_key, role, data in rows:
        if user_id not in latest:
            latest[user_id] = Contribution(
                user_id, instrument_key, role or NO_ROLE, from_dict(data)
            )
    return list(latest.values())


def parse_filter(raw: str | None) -> Filter | None:
    """ "instrument:frontline" or "role:Team leader" from the query string; None if malformed."""
    if not raw or raw == "all":
        return EVERYONE
    kind, _, value = raw.partition(":")
    return (kind, value) if kind in ("instrument", "role") and value else None


def filter_value(chosen: Filter) -> str:
    return "all" if chosen == EVERYONE else f"{chosen[0]}:{chosen[1]}"


def filter_label(chosen: Filter) -> str:
    kind, value = chosen
    if kind == "instrument":
        found = instruments().get(value)
        return f"Questionnaire: {found.title if found else value}"
    return "Everyone" if kind == "all" else f"Role: {value}"


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the cohort's figures table: the screen, the CSV and the PDF show these."""

    capability: str
    figure: str
    workers: int | None
    mean: float | None
    bands: tuple[int, ...]


FIGURES = (("colleagues", "Colleagues' mean"), ("self", "Self mean"), ("gap", "Gap"))
HELD_BACK = None


def rows(report: CohortReport) -> list[Row]:
    found = []
    for capability in report.capabilities:
        for attribute, label in FIGURES:
            figure: Distribution | None = getattr(capability, attribute)
            if figure is None:
                found.append(Row(capability.name, label, HELD_BACK, HELD_BACK, ()))
            else:
                found.append(Row(capability.name, label, figure.workers, figure.mean, figure.bands))
    for title, gaps in (
        ("Largest gap", report.largest_gaps),
        ("Smallest gap", report.smallest_gaps),
    ):
        for gap in gaps:
            found.append(Row(gap.capability, f"{title}: {gap.text}", gap.workers, gap.gap, ()))
    return found


def csv_text(report: CohortReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["capability", "figure", "workers", "mean", *BAND_LABELS])
    for row in rows(report):
        bands = list(row.bands) or [""] * len(BAND_LABELS)
        writer.writerow(
            [_safe(row.capability), _safe(row.figure), cell(row.workers), cell(row.mean), *bands]
        )
    return out.getvalue()


def cell(value: float | int | None) -> str:
    return (
        "held back" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)
    )


def _safe(text: str) -> str:
    # A spreadsheet would run a cell starting with these as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
