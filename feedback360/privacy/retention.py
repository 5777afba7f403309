"""Retention: purging raw answers, finished account emails and throttle counts past their time.

What is kept and for how long is written up for people in docs/privacy.md. Functions here flush
and never commit: the command owns the transaction.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from ..auth.throttle import purge_older_than
from ..extensions import db
from ..mail.models import OutboxMessage, OutboxStatus
from ..surveys.models import Answer, AnswerSet, Comment, Round, RoundStatus

# Account emails (confirmations, resets) are kept this long once sent or failed, so a
# worker can be told "we sent it"; after that only the account's own address remains.
FINISHED_MAIL_DAYS = 30


@dataclass(frozen=True, slots=True)
class PurgeResult:
    rounds: int = 0
    answer_sets: int = 0
    finished_emails: int = 0
    throttle_records: int = 0


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the 31st becomes the month's end)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def expired_round_ids(now: dt.datetime, months: int) -> list[int]:
    """Closed rounds whose raw answers are past retention and still stored."""
    cutoff = months_before(now, months)
    with_answers = select(AnswerSet.round_id).distinct()
    return list(
        db.session.scalars(
            select(Round.id).where(
                Round.status == RoundStatus.CLOSED,
                Round.closed_at < cutoff,
                Round.id.in_(with_answers),
            )
        )
    )


def purge_expired_answers(now: dt.datetime, months: int) -> PurgeResult:
    """Delete the raw answers (colleagues' and the worker's own) of rounds closed too long ago.

    The kept report stays, and every report page and PDF reads only that. Also forgets finished
    account emails and throttle counts that no longer matter.
    """
    if months < 0:
        raise ValueError("The retention period cannot be negative.")
    round_ids = expired_round_ids(now, months)
    answer_sets = select(AnswerSet.id).where(AnswerSet.round_id.in_(round_ids))
    count = db.session.scalar(select(func.count()).select_from(answer_sets.subquery())) or 0
    # Children first: no reliance on the database's cascades for something this important.
    for table in (Answer, Comment):
        db.session.execute(
            delete(table).where(table.answer_set_id.in_(answer_sets)),
            execution_options={"synchronize_session": False},
        )
    db.session.execute(
        delete(AnswerSet).where(AnswerSet.round_id.in_(round_ids)),
        execution_options={"synchronize_session": False},
    )
    return PurgeResult(len(round_ids), count, _purge_finished_emails(now), purge_older_than())


def _purge_finished_emails(now: dt.datetime) -> int:
    """Sent or failed emails that belong to no invitation (invitations' go when rounds close)."""
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.invitation_id.is_(None),
            OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.FAILED)),
            OutboxMessage.created_at < now - dt.timedelta(days=FINISHED_MAIL_DAYS),
        ),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0
