"""PDFs made before anyone asks: the background worker's pass, and what a download does.

A round's PDF is asked for when the round closes (and again when a reflection shown in it is
saved); `flask worker` or `flask report worker` makes it within seconds, so the first download
reads a kept file like every later one. A download that comes first gets a page that refreshes
itself. If no worker has taken the job `PDF_RENDER_WAIT_SECONDS` after it was asked for, no
worker is running: the download makes the PDF itself, as it did before there were workers, so a
missing worker makes downloads slow, never impossible.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.exc import OperationalError

from ..columns import utcnow
from ..database import start_writing
from ..extensions import db
from . import documents, pdf_jobs
from .reflection import ReflectionView

log = logging.getLogger(__name__)


def render_due(now: dt.datetime | None = None) -> int:
    """Claim one due round, make its missing PDFs, and finish; returns 1 if there was one."""
    try:
        claim = pdf_jobs.claim_next(now)
        if claim is None:
            return 0
        _make(claim)
    except OperationalError:
        # The database is down or locked too long. A job claimed meanwhile is taken back
        # when its lease ends: the worker goes on with its next pass.
        log.exception("The PDF queue could not be read or updated.")
        db.session.rollback()
        return 0
    return 1


def _make(claim: pdf_jobs.Claim) -> None:
    """Make the claimed round's PDFs; a failure is counted on the job, never raised."""
    try:
        documents.make_pdfs(claim.round_id)
    except documents.NoReport:
        db.session.rollback()  # the round is gone; its job went with it (ON DELETE CASCADE)
        return
    except OperationalError:
        raise  # the database, not this round: render_due waits for it
    except Exception as error:  # any failure of this round's: recorded, retried later
        log.exception("Could not make the PDFs of round %s.", claim.round_id)
        db.session.rollback()
        pdf_jobs.fail(claim, f"{type(error).__name__}: {error}")
        return
    pdf_jobs.finish(claim)


def download_pdf(
    round_id: int, reflection: ReflectionView | None, wait_seconds: float
) -> bytes | None:
    """The kept PDF; None while a worker is (or soon will be) making it.

    Raises documents.NoReport for a round without a report. May commit.
    """
    kept = documents.kept_pdf(round_id, reflection)
    if kept is not None:
        return kept
    now = utcnow()
    state = pdf_jobs.job_state(round_id, now)
    if state is None:
        # Made before its reflection was saved, or before there was a queue: ask now.
        start_writing()
        pdf_jobs.request_pdfs(round_id, now)
        db.session.commit()
        state = pdf_jobs.JobState(requested_at=now, claimed=False, attempts=0)
    if state.claimed or not _worker_overdue(state, now, wait_seconds):
        return None
    return _make_here(round_id, reflection, now)


def _worker_overdue(state: pdf_jobs.JobState, now: dt.datetime, wait_seconds: float) -> bool:
    """No worker took the job in time (none is running), or the workers gave up on it."""
    waited = now - state.requested_at >= dt.timedelta(seconds=wait_seconds)
    return waited or state.attempts >= pdf_jobs.MAX_ATTEMPTS


def _make_here(round_id: int, reflection: ReflectionView | None, now: dt.datetime) -> bytes | None:
    """Make the PDFs in this request, holding the job so that no worker makes them too."""
    claim = pdf_jobs.claim_round(round_id, now)
    if claim is None:
        return None  # a worker took it a moment ago
    try:
        pdf = documents.pdf_for(round_id, reflection)
    except Exception as error:
        db.session.rollback()
        pdf_jobs.fail(claim, f"{type(error).__name__}: {error}")
        raise
    pdf_jobs.finish(claim)
    return pdf
