"""Send what is due in the outbox: claim rows, talk SMTP outside any transaction, record outcomes.

A pass opens an SMTP connection (smtp.TimedConnection: MAIL_TIMEOUT_SECONDS on every socket
operation), claims a batch in one short transaction and commits, then sends. No transaction is
open while it waits on the mail server, and each outcome is recorded in its own short one. While
the server is down nothing is claimed; one attempt is counted against the message first in line.
A pass stops before half the lease has gone, so no other sender takes rows it still holds.

Delivery is at least once, never knowingly twice. A row is claimed by a conditional UPDATE
(pending -> sending) whose row count says whether this sender won it, so two senders side by
side never both send one message; PostgreSQL senders also skip rows another sender has locked.
The one case that does send twice, and cannot be avoided without a two-phase commit with the
mail server: a sender killed after the SMTP server accepted a message but before "sent" was
recorded. Its row stays "sending"; when the lease runs out another sender claims it and sends it
again. A duplicate invitation is a nuisance; a lost one is a colleague never asked.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import OperationalError

from ..columns import utcnow
from ..extensions import db
from .models import OutboxMessage, OutboxStatus
from .smtp import Claimed, Outcome, TimedConnection, describe_error, send_one

log = logging.getLogger(__name__)

# A row left "sending" this long belongs to a sender that died; another may take it over.
LEASE = dt.timedelta(minutes=10)
MAX_BACKOFF = dt.timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class SendResult:
    """What one pass over the outbox did; deferred rows were claimed but not tried."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0


def send_due(
    now: dt.datetime | None = None, batch: int = 50, stop: threading.Event | None = None
) -> SendResult:
    """Send up to `batch` due messages; commits its own short transactions."""
    now = now or utcnow()
    if current_app.config["MAIL_TRANSPORT"] != "smtp":
        return _keep_in_outbox(_claim(now, batch), now)
    if not _anything_due(now):
        return SendResult()
    # Connect before claiming: while the server is down, rows stay as they are.
    try:
        connection = TimedConnection.open()
    except Exception as error:  # any failure to connect, greet or log in means "try later"
        return _server_unreachable(error, now)
    with connection:
        return _deliver(connection, _claim(now, batch), now, stop)


# -- claiming ----------------------------------------------------------------------------------


def _claim(now: dt.datetime, batch: int) -> list[Claimed]:
    """Mark up to `batch` due rows "sending" in one short transaction and return them."""
    m = OutboxMessage
    candidates = db.session.execute(
        select(m.id, m.status, m.claimed_at)
        .where(_due(now))
        .order_by(m.next_attempt_at, m.id)
        .limit(batch)
        # SQLite ignores this; its BEGIN IMMEDIATE already lets one sender claim at a time.
        .with_for_update(skip_locked=True)
    ).all()
    won = [row.id for row in candidates if _take(row.id, row.status, row.claimed_at, now)]
    # Columns, not ORM objects: nothing lingers in the session while we talk to the server.
    rows = db.session.execute(
        select(m.id, m.recipient, m.subject, m.text_body, m.html_body, m.attempts, m.created_at)
        .where(m.id.in_(won))
        .order_by(m.next_attempt_at, m.id)
    ).all()
    db.session.commit()
    return [Claimed(**row._asdict(), claimed_at=now) for row in rows]


def _anything_due(now: dt.datetime) -> bool:
    found = db.session.scalar(select(OutboxMessage.id).where(_due(now)).limit(1))
    db.session.commit()  # end the read: no transaction stays open while we connect
    return found is not None


def _due(now: dt.datetime) -> Any:
    m = OutboxMessage
    return or_(
        and_(m.status == OutboxStatus.PENDING, m.next_attempt_at <= now),
        and_(m.status == OutboxStatus.SENDING, m.claimed_at < now - LEASE),
    )


def _take(
    message_id: int, status: OutboxStatus, claimed_at: dt.datetime | None, now: dt.datetime
) -> bool:
    """The conditional UPDATE: true only if the row was still as we saw it."""
    m = OutboxMessage
    unchanged = [m.id == message_id, m.status == status]
    if status == OutboxStatus.SENDING:
        unchanged.append(m.claimed_at == claimed_at)
    result = db.session.execute(
        update(m)
        .where(*unchanged)
        .values(status=OutboxStatus.SENDING, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


# -- recording ---------------------------------------------------------------------------------


def _record(claimed: Claimed, **values: Any) -> None:
    """Update a row we still hold (a row whose lease ran out may have a new sender by now)."""
    m = OutboxMessage
    result = db.session.execute(
        update(m)
        .where(m.id == claimed.id, m.status == OutboxStatus.SENDING)
        .where(m.claimed_at == claimed.claimed_at)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        log.warning("Outbox message %s was taken over by another sender.", claimed.id)


def _record_outcome(claimed: Claimed, outcome: Outcome, now: dt.datetime) -> OutboxStatus:
    """Store what happened; returns the row's new status."""
    if outcome.status == OutboxStatus.PENDING:
        return _record_retry(claimed, outcome.error, now)
    done = {"sent_at": now} if outcome.status == OutboxStatus.SENT else {}
    _record(
        claimed,
        status=outcome.status,
        attempts=claimed.attempts + 1,
        last_error=outcome.error,
        **done,
        **_blanked(),
    )
    return outcome.status


def _record_retry(claimed: Claimed, error: str | None, now: dt.datetime) -> OutboxStatus:
    attempts = claimed.attempts + 1
    if attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        _record(
            claimed, status=OutboxStatus.FAILED, attempts=attempts, last_error=error, **_blanked()
        )
        return OutboxStatus.FAILED
    _record(
        claimed,
        status=OutboxStatus.PENDING,
        attempts=attempts,
        next_attempt_at=now + backoff(claimed.attempts),
        claimed_at=None,
        last_error=error,
    )
    return OutboxStatus.PENDING


def _blanked() -> dict[str, Any]:
    """An invitation's body holds the rater's secret link: once it has left (or never
    will), the database forgets it. Only used with real SMTP; the outbox transport keeps bodies."""
    return {"text_body": "", "html_body": None}


def _release(claimed: list[Claimed]) -> None:
    """Give back rows we claimed but did not try, as they were: no attempt is counted."""
    if not claimed:
        return
    m = OutboxMessage
    db.session.execute(
        update(m)
        .where(m.id.in_([message.id for message in claimed]), m.status == OutboxStatus.SENDING)
        .where(m.claimed_at == claimed[0].claimed_at)
        .values(status=OutboxStatus.PENDING, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def backoff(attempts_before: int) -> dt.timedelta:
    """Delay before the next try: the base doubled per earlier attempt, at most one hour."""
    base = float(current_app.config["MAIL_RETRY_BASE_SECONDS"])
    seconds = base * 2 ** min(attempts_before, 30)
    return min(dt.timedelta(seconds=seconds), MAX_BACKOFF)


def _keep_in_outbox(claimed: list[Claimed], now: dt.datetime) -> SendResult:
    """Development: nothing leaves the machine; bodies stay for the outbox page."""
    for message in claimed:
        _record(message, status=OutboxStatus.SENT, sent_at=now)
    return SendResult(sent=len(claimed))


# -- sending -----------------------------------------------------------------------------------


def _deliver(
    connection: TimedConnection,
    claimed: list[Claimed],
    now: dt.datetime,
    stop: threading.Event | None,
) -> SendResult:
    """Send each claimed message; stop early rather than outlive the lease."""
    counts = {OutboxStatus.SENT: 0, OutboxStatus.PENDING: 0, OutboxStatus.FAILED: 0}
    deadline = time.monotonic() + LEASE.total_seconds() / 2
    tried = 0
    for message in claimed:
        if (stop is not None and stop.is_set()) or time.monotonic() > deadline:
            break
        outcome = send_one(connection, message)
        counts[_record_outcome(message, outcome, now)] += 1
        tried += 1
        if outcome.connection_lost:
            break
    untried = claimed[tried:]
    _release(untried)
    return SendResult(
        sent=counts[OutboxStatus.SENT],
        retried=counts[OutboxStatus.PENDING],
        failed=counts[OutboxStatus.FAILED],
        deferred=len(untried),
    )


def _server_unreachable(error: Exception, now: dt.datetime) -> SendResult:
    """Count one attempt against the message first in line; the others are left alone."""
    description = describe_error(error)
    log.error("Could not reach the mail server: %s", description)
    claimed = _claim(now, 1)
    if not claimed:
        return SendResult()
    if _record_retry(claimed[0], description, now) == OutboxStatus.FAILED:
        return SendResult(failed=1)
    return SendResult(retried=1)


# -- the worker --------------------------------------------------------------------------------


def run_worker(
    stop: threading.Event,
    interval: float,
    max_loops: int | None,
    batch: int,
    report: Callable[[SendResult], None],
) -> int:
    """Pass over the outbox until `stop` is set; returns the number of passes."""
    passes = 0
    while not stop.is_set() and (max_loops is None or passes < max_loops):
        result = _one_pass(stop, batch)
        passes += 1
        if result.sent or result.retried or result.failed:
            report(result)
        # After an outage hundreds may be waiting: go round again at once while batches are full.
        if result.sent < batch and (max_loops is None or passes < max_loops):
            stop.wait(interval)
    return passes


def _one_pass(stop: threading.Event, batch: int) -> SendResult:
    try:
        return send_due(batch=batch, stop=stop)
    except OperationalError:
        # The database is down or locked for too long. Rows keep their state, and rows left
        # "sending" are taken back when their lease ends: try again on the next pass.
        log.exception("The outbox could not be read or updated.")
        db.session.rollback()
        return SendResult()
