"""Closing a round: freeze it, make its report once, and forget who answered what.

While a round is open the database cannot help knowing a little: on PostgreSQL the invitation's
"used" mark and the answer set are written by one transaction and carry its id (`xmin`), and on
both engines rows lie in the order they were written. Closing ends that (docs/privacy.md):

- colleagues' addresses, names, unsent mail and drafts go, and each invitation keeps only the
  day it was made;
- the marks of use go (the invitation's status stays, for counting), and every reminder link
  points at the round's first invitation, so no row says who was reminded;
- every answer set is written again under a new random id, in a random order, dated the day of
  the close. On PostgreSQL they all then carry the close's transaction id, like the invitations.

Nothing here commits; after the commit, `scrub.scrub_after_close()` makes the engine drop the
old versions of these rows from its files.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from ..columns import random_id, utcnow
from ..extensions import db
from ..mail.models import OutboxMessage
from .models import (
    Answer,
    AnswerSet,
    Comment,
    Invitation,
    InvitationLink,
    InvitationUse,
    RaterDraft,
    Round,
    RoundStatus,
)
from .progress import ANSWERS_SHOWN_FROM, NotEnoughAnswers, answers_sent, closing_minimum
from .rounds import require_open


def close_round_early(round_: Round) -> None:
    """The worker closes the round, which needs enough colleagues' answers first."""
    require_open(round_)
    minimum = closing_minimum(round_)
    sent = answers_sent(round_)
    if sent < ANSWERS_SHOWN_FROM:
        raise NotEnoughAnswers(
            f"You can close this round once {minimum} colleagues have answered, and fewer than "
            f"{ANSWERS_SHOWN_FROM} have so far."
        )
    if sent < minimum:
        needed = minimum - sent
        raise NotEnoughAnswers(
            f"You need {needed} more {'answer' if needed == 1 else 'answers'} from colleagues "
            "before you can close this round."
        )
    close_round(round_)


def close_round(round_: Round, now: dt.datetime | None = None) -> None:
    """Freeze the round, keep its report, and leave nothing that ties an answer to a colleague.

    The hashes of every link sent stay, so any of them, first email or reminder, opens the same
    "this round has closed" page instead of counting as a guess.
    """
    round_.close(now)
    forget_colleagues(round_)
    db.session.flush()
    db.session.expire_all()
    # Imported here: the reports package pulls in pandas, which the other pages never need.
    from ..reports.freeze import freeze_report

    freeze_report(round_)
    assert round_.closed_at is not None  # nosec B101  # narrows the type only
    rewrite_answer_sets(round_.id, round_.closed_at.date())


def forget_colleagues(round_: Round) -> None:
    """Addresses, names, mail, drafts and marks of use go; each invitation keeps its day only."""
    of_round = Invitation.round_id == round_.id
    invitation_ids = select(Invitation.id).where(of_round)
    for table in (OutboxMessage, RaterDraft, InvitationUse):
        _run(delete(table).where(table.invitation_id.in_(invitation_ids)))
    first = db.session.scalar(select(func.min(Invitation.id)).where(of_round))
    _run(
        update(InvitationLink)
        .where(InvitationLink.invitation_id.in_(invitation_ids))
        .values(invitation_id=first)
    )
    for invitation in db.session.scalars(select(Invitation).where(of_round)):
        invitation.email = invitation.name = invitation.mailbox = None
        invitation.created_at = dt.datetime.combine(invitation.created_at.date(), dt.time())


def rewrite_answer_sets(round_id: int, day: dt.date) -> None:
    """Write the round's answer sets again in a random order, under new ids, dated `day`."""
    connection = db.session.connection()
    sets, answers, comments = _read_answer_sets(connection, round_id)
    if not sets:
        return
    _run(delete(AnswerSet).where(AnswerSet.round_id == round_id))
    secrets.SystemRandom().shuffle(sets)
    renamed = {old: random_id() for old, _ in sets}
    connection.execute(
        insert(AnswerSet),
        [
            {"id": renamed[old], "round_id": round_id, "relationship": r, "submitted_on": day}
            for old, r in sets
        ],
    )
    for table, rows in ((Answer, answers), (Comment, comments)):
        new_rows = [{**row, "answer_set_id": renamed[old]} for old, _ in sets for row in rows[old]]
        if new_rows:
            connection.execute(insert(table), new_rows)
    db.session.expire_all()


def _read_answer_sets(
    connection: Any, round_id: int
) -> tuple[list[tuple[str, Any]], dict[str, list[dict]], dict[str, list[dict]]]:
    """The round's answer sets as (id, relationship), and their answers and comments by set."""
    ids = select(AnswerSet.id).where(AnswerSet.round_id == round_id)
    sets = [tuple(row) for row in connection.execute(ids.add_columns(AnswerSet.relationship))]
    answers: dict[str, list[dict]] = defaultdict(list)
    for set_id, item_key, score in connection.execute(
        select(Answer.answer_set_id, Answer.item_key, Answer.score).where(
            Answer.answer_set_id.in_(ids)
        )
    ):
        answers[set_id].append({"item_key": item_key, "score": score})
    comments: dict[str, list[dict]] = defaultdict(list)
    for set_id, question_key, text in connection.execute(
        select(Comment.answer_set_id, Comment.question_key, Comment.text).where(
            Comment.answer_set_id.in_(ids)
        )
    ):
        comments[set_id].append({"question_key": question_key, "text": text})
    return sets, answers, comments


def _run(statement: Any) -> None:
    db.session.execute(statement, execution_options={"synchronize_session": False})


def due_round_ids(now: dt.datetime | None = None) -> list[int]:
    """Open rounds whose deadline has passed."""
    return list(
        db.session.scalars(
            select(Round.id).where(
                Round.status == RoundStatus.OPEN, Round.deadline_at <= (now or utcnow())
            )
        )
    )


def close_if_due(round_id: int, now: dt.datetime | None = None) -> bool:
    """Close one round at its deadline, whatever the number of answers; False if already closed."""
    round_ = db.session.scalar(select(Round).where(Round.id == round_id).with_for_update())
    if round_ is None or not round_.is_open:
        return False
    close_round(round_, now)
    return True
