"""Rounds: starting one, the worker's self-assessment, and closing (flush, never commit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import abort, current_app
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..columns import utcnow
from ..extensions import db
from ..instruments.model import Capability, Instrument
from ..instruments.snapshots import instrument_from_dict, instrument_to_dict
from ..programmes import gates as programmes
from .models import Answer, AnswerSet, Comment, Relationship, Round, RoundStatus


class RoundProblem(Exception):
    """Something a person tried that the rules of a round do not allow; the message is for them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RoundAlreadyOpen(RoundProblem):
    pass


class RoundClosed(RoundProblem):
    def __init__(self) -> None:
        super().__init__("This round is closed, so nothing in it can be changed now.")


class NotConfirmed(RoundProblem):
    def __init__(self) -> None:
        super().__init__("Please confirm your email address before you start a round.")


def rounds_of(user: User) -> list[Round]:
    """The worker's rounds, open ones first, newest first."""
    return list(
        db.session.scalars(
            select(Round)
            .where(Round.user_id == user.id)
            .order_by(Round.status == RoundStatus.CLOSED, Round.opened_at.desc(), Round.id.desc())
        )
    )


def closed_rounds(user_id: int) -> int:
    """How many of the worker's rounds are closed: two or more can be compared."""
    query = select(func.count()).select_from(Round)
    return db.session.scalar(
        query.where(Round.user_id == user_id, Round.status == RoundStatus.CLOSED)
    )


def owned_round(user: User, round_id: int, *, for_update: bool = False) -> Round | None:
    """The round if it belongs to this worker; another worker's round is simply not found."""
    query = select(Round).where(Round.id == round_id, Round.user_id == user.id)
    if for_update:
        # Two clicks on "close" must not freeze the report twice (PostgreSQL; SQLite's
        # immediate transactions already serialise writers).
        query = query.with_for_update()
    return db.session.scalar(query)


def round_or_404(user: User, round_id: int, *, for_update: bool = False) -> Round:
    """For views: another worker's round is answered exactly like a round that doesn't exist."""
    round_ = owned_round(user, round_id, for_update=for_update)
    if round_ is None:
        abort(404)
    return round_


def round_instrument(round_: Round) -> Instrument:
    """What this round asked, from its own snapshot: later YAML edits change nothing here."""
    return instrument_from_dict(round_.instrument_snapshot)


def start_round(user: User, instrument: Instrument, now: dt.datetime | None = None) -> Round:
    """Open a round; the database refuses a second open round of the same instrument."""
    if user.confirmed_at is None:
        raise NotConfirmed()
    programme = programmes.programme_of(user.id)
    if not programmes.offers(programme, instrument.key):
        raise RoundProblem(f"Your programme does not use the {instrument.title} questionnaire.")
    now = now or utcnow()
    usual_deadline = now + dt.timedelta(days=current_app.config["ROUND_DEADLINE_DAYS"])
    round_ = Round(
        user_id=user.id,
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        instrument_snapshot=instrument_to_dict(instrument),
        opened_at=now,
        deadline_at=programmes.deadline(programme, usual_deadline),
    )
    try:
        # A savepoint, so a refused insert leaves the rest of the transaction usable.
        with db.session.begin_nested():
            db.session.add(round_)
    except IntegrityError:
        raise RoundAlreadyOpen(
            f"You already have an open {instrument.title} round. Close it, or wait for it to "
            "close at its deadline, before you start another."
        ) from None
    programmes.attach(programme, round_)
    return round_


def require_open(round_: Round) -> None:
    if not round_.is_open:
        raise RoundClosed()


# --- the self-assessment ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SelfProgress:
    answered: int
    total: int
    done_pages: frozenset[int]
    first_unfinished_page: int | None

    @property
    def complete(self) -> bool:
        return self.answered >= self.total


def self_answer_set(round_: Round, *, for_update: bool = False) -> AnswerSet | None:
    query = select(AnswerSet).where(
        AnswerSet.round_id == round_.id, AnswerSet.relationship == Relationship.SELF
    )
    return db.session.scalar(query.with_for_update() if for_update else query)


def self_answers(round_: Round) -> tuple[dict[str, int | None], dict[str, str]]:
    """The worker's saved scores (None is "not observed") and comments, by key."""
    answer_set = self_answer_set(round_)
    if answer_set is None:
        return {}, {}
    scores = {a.item_key: a.score for a in answer_set.answers}
    comments = {c.question_key: c.text for c in answer_set.comments}
    return scores, comments


def self_progress(round_: Round, instrument: Instrument) -> SelfProgress:
    """How much of the self-assessment is done: complete means every item has an answer."""
    scores, _ = self_answers(round_)
    done = frozenset(
        number
        for number, capability in enumerate(instrument.capabilities, start=1)
        if all(item.key in scores for item in capability.items)
    )
    unfinished = [n for n in range(1, len(instrument.capabilities) + 1) if n not in done]
    answered = sum(1 for item in instrument.items if item.key in scores)
    return SelfProgress(
        answered, len(instrument.items), done, unfinished[0] if unfinished else None
    )


def save_self_page(
    round_: Round,
    page_items: tuple[str, ...],
    page_questions: tuple[str, ...],
    scores: dict[str, int | None],
    comments: dict[str, str],
) -> None:
    """Replace one page's answers and comments in the round's single self answer set."""
    require_open(round_)
    answer_set = _self_answer_set_for_writing(round_)
    db.session.execute(
        delete(Answer).where(Answer.answer_set_id == answer_set.id, Answer.item_key.in_(page_items))
    )
    db.session.execute(
        delete(Comment).where(
            Comment.answer_set_id == answer_set.id, Comment.question_key.in_(page_questions)
        )
    )
    db.session.add_all(
        Answer(answer_set_id=answer_set.id, item_key=key, score=score)
        for key, score in scores.items()
        if key in page_items
    )
    db.session.add_all(
        Comment(answer_set_id=answer_set.id, question_key=key, text=text)
        for key, text in comments.items()
        if key in page_questions
    )
    db.session.flush()
    # The bulk deletes bypassed the ORM: forget any answers it had loaded before them.
    db.session.expire(answer_set)


def _self_answer_set_for_writing(round_: Round) -> AnswerSet:
    # Locked, so two tabs saving at once on PostgreSQL take turns instead of colliding.
    found = self_answer_set(round_, for_update=True)
    if found is not None:
        return found
    created = AnswerSet(round_id=round_.id, relationship=Relationship.SELF)
    try:
        with db.session.begin_nested():
            db.session.add(created)
    except IntegrityError:
        # A save in another tab got there first; the database allows only one self answer set.
        found = self_answer_set(round_, for_update=True)
        assert found is not None  # nosec B101  # narrows the type only
        return found
    return created


def capability_page(instrument: Instrument, number: int) -> Capability | None:
    if 1 <= number <= len(instrument.capabilities):
        return instrument.capabilities[number - 1]
    return None


def first_item_number(instrument: Instrument, page: int) -> int:
    """Items are numbered across the whole questionnaire, not per page."""
    return 1 + sum(len(c.items) for c in instrument.capabilities[: page - 1])
