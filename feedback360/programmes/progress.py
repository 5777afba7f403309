"""The lead's progress page: counts per worker, enough to chase, nothing more (flush, no commit).

Answers are counted like the worker's own progress page counts them: below three the lead is told
"fewer than three", so that the lead, who may be a colleague too, cannot tell who answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from ..auth.models import User
from ..extensions import db
from ..surveys.models import AnswerSet, Invitation, Relationship, Round
from .models import HeldInvitation, Member, Programme, ProgrammeRound

ANSWERS_SHOWN_FROM = 3


@dataclass(frozen=True, slots=True)
class WorkerProgress:
    member_id: int
    name: str
    coach_user_id: int | None
    job_role: str | None
    rounds: int
    invitations_sent: int
    answers: int | None  # None: fewer than three

    @property
    def not_started(self) -> bool:
        return self.rounds == 0


def programme_progress(programme: Programme) -> list[WorkerProgress]:
    members = db.session.execute(
        select(Member, User.name)
        .join(User, User.id == Member.user_id)
        .where(Member.programme_id == programme.id)
        .order_by(func.lower(User.name), Member.id)
    ).all()
    rounds = _count_per_worker(select(Round.user_id, func.count()), programme)
    sent = _count_per_worker(
        select(Round.user_id, func.count(Invitation.id))
        .join(Invitation, Invitation.round_id == Round.id)
        .outerjoin(HeldInvitation, HeldInvitation.invitation_id == Invitation.id)
        .where(HeldInvitation.invitation_id.is_(None)),
        programme,
    )
    answered = _count_per_worker(
        select(Round.user_id, func.count(AnswerSet.id))
        .join(AnswerSet, AnswerSet.round_id == Round.id)
        .where(AnswerSet.relationship != Relationship.SELF),
        programme,
    )
    return [
        WorkerProgress(
            member.id,
            name,
            member.coach_user_id,
            member.job_role,
            rounds.get(member.user_id, 0),
            sent.get(member.user_id, 0),
            _shown(answered.get(member.user_id, 0)),
        )
        for member, name in members
    ]


def _shown(count: int) -> int | None:
    return count if count >= ANSWERS_SHOWN_FROM else None


def _count_per_worker(query: Select, programme: Programme) -> dict[int, int]:
    """The query's counts per worker, over this programme's rounds only."""
    scoped = (
        query.select_from(Round)
        .join(ProgrammeRound, ProgrammeRound.round_id == Round.id)
        .where(ProgrammeRound.programme_id == programme.id)
        .group_by(Round.user_id)
    )
    return {user_id: count for user_id, count in db.session.execute(scoped).all()}
