"""What the worker may learn of colleagues' replies, and when they may close (flush, never commit).

Enough to decide on a reminder or on closing, never who replied or declined (DESIGN.md section 4,
SECURITY.md line 26). Why it is shaped like this: docs/decisions.md, "Progress".
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..instruments.model import Instrument
from ..reports.models import RoundReport
from .models import COLLEAGUE_RELATIONSHIPS, AnswerSet, Invitation, Relationship, Round
from .rounds import RoundProblem, SelfProgress, round_instrument
from .rounds import self_progress as self_progress_of

# Below this many answers the worker is told only "fewer than three": a smaller number, or
# its change, could tell them who had answered (the same three as a group in the report).
ANSWERS_SHOWN_FROM = 3


class NotEnoughAnswers(RoundProblem):
    pass


@dataclass(frozen=True, slots=True)
class GroupInvited:
    """How many the worker invited in one relationship: they typed those themselves."""

    relationship: Relationship
    invited: int


@dataclass(frozen=True, slots=True)
class RoundOverview:
    """Everything the worker's pages say about one round, as plain values.

    `answered` and `still_needed` are None while an open round has fewer than three answers.
    """

    round: Round
    instrument: Instrument
    self_progress: SelfProgress
    groups: tuple[GroupInvited, ...]
    invited: int
    answered: int | None
    still_needed: int | None
    closing_minimum: int

    @property
    def can_close(self) -> bool:
        return self.round.is_open and self.still_needed == 0


def overview(round_: Round) -> RoundOverview:
    instrument = round_instrument(round_)
    groups = invited_by_group(round_)
    answered = shown_answers(round_)
    minimum = closing_minimum(round_)
    return RoundOverview(
        round=round_,
        instrument=instrument,
        self_progress=self_progress_of(round_, instrument),
        groups=groups,
        invited=sum(g.invited for g in groups),
        answered=answered,
        still_needed=None if answered is None else max(0, minimum - answered),
        closing_minimum=minimum,
    )


def invited_by_group(round_: Round) -> tuple[GroupInvited, ...]:
    """Per relationship, how many were invited; never how many of them replied."""
    rows = db.session.execute(
        select(Invitation.relationship, func.count())
        .where(Invitation.round_id == round_.id)
        .group_by(Invitation.relationship)
    )
    invited: dict[Relationship, int] = dict.fromkeys(COLLEAGUE_RELATIONSHIPS, 0)
    for relationship, count in rows:
        invited[relationship] += count
    return tuple(GroupInvited(r, invited[r]) for r in COLLEAGUE_RELATIONSHIPS)


def answers_sent(round_: Round) -> int:
    """Colleagues' answer sets (declines and the worker's own answers are not answer sets)."""
    count = db.session.scalar(
        select(func.count())
        .select_from(AnswerSet)
        .where(AnswerSet.round_id == round_.id, AnswerSet.relationship != Relationship.SELF)
    )
    return count or 0


def shown_answers(round_: Round) -> int | None:
    """The answer count the worker may see: None below three while open; a closed round's report."""
    if not round_.is_open:
        # Its raw answers are purged in time; the kept report holds the count it published.
        kept = db.session.get(RoundReport, round_.id)
        return answers_sent(round_) if kept is None else int(kept.data["colleagues_answered"])
    sent = answers_sent(round_)
    return sent if sent >= ANSWERS_SHOWN_FROM else None


def closing_minimum(round_: Round | None = None) -> int:
    """Answers needed to close; never below three, or the close button would give the count away.

    A round inside a programme takes the programme's number when it sets one.
    """
    usual = current_app.config["MIN_RATERS_TO_CLOSE"]
    if round_ is not None:
        from ..programmes.gates import closing_minimum as programme_minimum

        usual = programme_minimum(round_, usual)
    return max(usual, ANSWERS_SHOWN_FROM)
