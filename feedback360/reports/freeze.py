"""Producing a round's report once, at close, and reading it back ever after."""

from __future__ import annotations

from sqlalchemy import select, text

from ..columns import utcnow
from ..extensions import db
from ..instruments.snapshots import instrument_from_dict
from ..surveys.models import Round
from .aggregate import RoundFacts, summarize
from .frames import answers_frame, comments_frame
from .models import RoundReport
from .over_time import hold_back_against
from .pdf_jobs import request_pdfs
from .report import Report, from_dict, to_dict
from .rules import DEFAULT_RULES, AnonymityRules

# The first key of the advisory locks that make one worker's closes take turns (the second is
# the worker's id). Nothing else here takes advisory locks; the number only has to be ours.
CLOSES_LOCK = 360_019


def freeze_report(round_: Round, rules: AnonymityRules = DEFAULT_RULES) -> RoundReport:
    """Summarize the round's answers with its own instrument snapshot and keep the result.

    Called from close_round in the same transaction; flushes, never commits. A round that
    already has a report keeps it: a closed round's report never changes. Its PDF is asked for
    in the same transaction, so a background worker makes it as soon as the close commits.
    """
    existing = db.session.get(RoundReport, round_.id)
    if existing is not None:
        return existing
    db.session.flush()  # answers added in this transaction must be in the select
    one_close_at_a_time(round_.user_id)
    report = build_report(round_, rules)
    stored = RoundReport(round_id=round_.id, data=to_dict(report))
    db.session.add(stored)
    db.session.flush()
    request_pdfs(round_.id)  # the worker makes the PDF now, before anyone asks for it
    return stored


def one_close_at_a_time(user_id: int) -> None:
    """Wait for any other close of this worker's rounds to commit, and keep them waiting.

    A worker may have a round of each instrument open, and the instruments share items. Two
    closes at once would each hold their report back against the reports kept before, neither
    seeing the other's, not yet committed: two reports never compared. On PostgreSQL a lock
    named for the worker, held until the commit, makes them take turns, and the next close's
    read of the kept reports then sees this one. It is an advisory lock, not the worker's row,
    because a close already holds its round when it gets here: locking the row after the round
    risks a deadlock with anything that locks them the other way round (deleting an account
    deletes the row, and its rounds with it). SQLite's one write lock already makes closes
    take turns.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:closes, :user_id)"),
            {"closes": CLOSES_LOCK, "user_id": user_id},
        )


def build_report(round_: Round, rules: AnonymityRules = DEFAULT_RULES) -> Report:
    """The Report for a round's current answers (freeze_report is the one caller that keeps it)."""
    instrument = instrument_from_dict(round_.instrument_snapshot)
    closed_at = round_.closed_at or utcnow()
    facts = RoundFacts(
        worker_name=round_.user.name,
        opened_on=round_.opened_at.date(),
        closed_on=closed_at.date(),
        seed=f"round-{round_.id}",
    )
    report = summarize(
        answers_frame(round_.id), comments_frame(round_.id), instrument, rules, facts
    )
    # Two reports of one worker are one publication (DESIGN.md section 4).
    return hold_back_against(report, earlier_reports(round_))


def earlier_reports(round_: Round) -> list[Report]:
    """The reports already kept for the same worker's other rounds, oldest first."""
    kept = db.session.scalars(
        select(RoundReport)
        .join(Round, Round.id == RoundReport.round_id)
        .where(Round.user_id == round_.user_id, Round.id != round_.id)
        .order_by(Round.closed_at, Round.id)
    )
    return [from_dict(stored.data) for stored in kept]


def stored_report(round_id: int) -> Report | None:
    """The report kept at close, or None for a round that has none."""
    stored = db.session.get(RoundReport, round_id)
    return None if stored is None else from_dict(stored.data)
