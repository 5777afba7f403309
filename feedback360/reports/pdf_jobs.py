"""The queue of PDFs to make in the background: ask, claim, finish or fail.

A round's PDFs are asked for in the transaction that makes them due (the close keeps the
report; a saved reflection changes the PDF that shows it), like an email in the outbox. A worker
claims one row at a time: on PostgreSQL the candidates are read `FOR UPDATE SKIP LOCKED`, so
workers side by side pass over each other's rows, and on both engines the claim itself is a
conditional UPDATE whose row count says whether this worker won it, so two workers never make
the same round's PDFs at once. A claim is a random token plus its time; one left by a worker
that died is taken over when its lease runs out.

These functions commit their own short transactions, as the outbox sender does: a claim must be
visible to every other worker before the seconds of rendering start, and nothing may be held
open while they last.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, or_, select, update

from ..columns import utcnow
from ..database import start_writing
from ..extensions import db
from .models import PdfJob

# A render takes seconds; a claim this old belongs to a worker that died.
LEASE = dt.timedelta(minutes=5)
# After this many failures in a row the workers leave the round alone (a download still tries).
MAX_ATTEMPTS = 3
FIRST_RETRY = dt.timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class Claim:
    """A job held by one worker: `requests` is the count it saw, to know if more came since."""

    round_id: int
    token: str
    requests: int


@dataclass(frozen=True, slots=True)
class JobState:
    requested_at: dt.datetime
    claimed: bool
    attempts: int


def request_pdfs(round_id: int, now: dt.datetime | None = None) -> None:
    """Ask for the round's PDFs to be made, in the caller's transaction (flush, no commit).

    Asking again while a worker holds the row bumps `requests`, so that worker's finish
    leaves the row for another pass: it may have read what is now out of date.
    """
    now = now or utcnow()
    insert = _insert_for(db.engine.dialect.name)
    statement = insert(PdfJob).values(
        round_id=round_id, requests=1, requested_at=now, due_at=now, attempts=0
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[PdfJob.round_id],
            set_={
                "requests": PdfJob.requests + 1,
                "requested_at": now,
                "due_at": now,
                "attempts": 0,
                "last_error": None,
            },
        )
    )


def _insert_for(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def claim_next(now: dt.datetime | None = None) -> Claim | None:
    """The first due job, claimed for this worker; None when there is nothing to do. Commits."""
    now = now or utcnow()
    return _claim(_free(now) & (PdfJob.due_at <= now) & (PdfJob.attempts < MAX_ATTEMPTS), now)


def claim_round(round_id: int, now: dt.datetime | None = None) -> Claim | None:
    """This round's job for a download that makes it itself; None if a worker holds it."""
    now = now or utcnow()
    return _claim(_free(now) & (PdfJob.round_id == round_id), now)


def _free(now: dt.datetime) -> Any:
    return or_(PdfJob.claimed_at.is_(None), PdfJob.claimed_at < now - LEASE)


def _claim(condition: Any, now: dt.datetime) -> Claim | None:
    start_writing()
    candidates = db.session.execute(
        select(PdfJob.round_id, PdfJob.requests, PdfJob.claimed_by)
        .where(condition)
        .order_by(PdfJob.due_at, PdfJob.round_id)
        .limit(5)
        # SQLite ignores this; its write lock (BEGIN IMMEDIATE) already lets one claim at a time.
        .with_for_update(skip_locked=True)
    ).all()
    token = secrets.token_hex(16)
    for row in candidates:
        if _take(row.round_id, row.requests, row.claimed_by, token, now):
            db.session.commit()
            return Claim(row.round_id, token, row.requests)
    db.session.commit()
    return None


def _take(round_id: int, requests: int, held_by: str | None, token: str, now: dt.datetime) -> bool:
    """The conditional UPDATE: true only if the row was still as we read it."""
    holder = PdfJob.claimed_by.is_(None) if held_by is None else PdfJob.claimed_by == held_by
    unchanged = [PdfJob.round_id == round_id, PdfJob.requests == requests, holder]
    result = db.session.execute(
        update(PdfJob)
        .where(*unchanged)
        .values(claimed_by=token, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def finish(claim: Claim) -> None:
    """Done: the row goes, unless someone asked again meanwhile; then it is due again. Commits."""
    start_writing()
    ours = and_(PdfJob.round_id == claim.round_id, PdfJob.claimed_by == claim.token)
    done = db.session.execute(
        delete(PdfJob)
        .where(ours, PdfJob.requests == claim.requests)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount == 0:
        _release(ours)
    db.session.commit()


def fail(claim: Claim, error: str, now: dt.datetime | None = None) -> None:
    """Count a failed attempt and try again later, each time waiting twice as long. Commits."""
    now = now or utcnow()
    start_writing()
    ours = and_(PdfJob.round_id == claim.round_id, PdfJob.claimed_by == claim.token)
    attempts = db.session.scalar(select(PdfJob.attempts).where(ours))
    if attempts is not None:
        _release(
            ours,
            attempts=attempts + 1,
            due_at=now + FIRST_RETRY * 2**attempts,
            last_error=error[:500],
        )
    db.session.commit()


def _release(ours: Any, **values: Any) -> None:
    db.session.execute(
        update(PdfJob)
        .where(ours)
        .values(claimed_by=None, claimed_at=None, **values)
        .execution_options(synchronize_session=False)
    )


def job_state(round_id: int, now: dt.datetime | None = None) -> JobState | None:
    """What a download needs to know: since when it is asked for, and whether a worker has it."""
    now = now or utcnow()
    row = db.session.execute(
        select(PdfJob.requested_at, PdfJob.claimed_at, PdfJob.attempts).where(
            PdfJob.round_id == round_id
        )
    ).one_or_none()
    if row is None:
        return None
    claimed = row.claimed_at is not None and row.claimed_at >= now - LEASE
    return JobState(row.requested_at, claimed, row.attempts)
