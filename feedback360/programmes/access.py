"""Who may see what in a programme: every lookup is by role, and a miss is a 404.

A lead or coach of one programme asking for another programme's pages, or anyone asking for a
programme that does not exist, gets the same "not found": nothing says the other exists.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..surveys.models import Round
from .models import Member, Operator, Programme, ProgrammeCoach, ProgrammeLead, ProgrammeRound


def is_operator(user: User) -> bool:
    return getattr(user, "is_authenticated", False) and (
        db.session.get(Operator, user.id) is not None
    )


def require_operator(user: User) -> None:
    if not is_operator(user):
        abort(404)


def led_programme_or_404(user: User, programme_id: int) -> Programme:
    """The programme if this user leads it."""
    found = db.session.scalar(
        select(Programme)
        .join(ProgrammeLead, ProgrammeLead.programme_id == Programme.id)
        .where(Programme.id == programme_id, ProgrammeLead.user_id == user.id)
    )
    if found is None:
        abort(404)
    return found


def coached_member_or_404(user: User, member_id: int) -> Member:
    """A worker this user coaches, in the programme they coach."""
    found = db.session.scalar(
        select(Member).where(Member.id == member_id, Member.coach_user_id == user.id)
    )
    if found is None:
        abort(404)
    return found


def coached_round_or_404(user: User, member: Member, round_id: int) -> ProgrammeRound:
    """One of the coached worker's rounds inside the coach's programme."""
    found = db.session.scalar(
        select(ProgrammeRound)
        .join(Round, Round.id == ProgrammeRound.round_id)
        .where(
            ProgrammeRound.round_id == round_id,
            ProgrammeRound.programme_id == member.programme_id,
            Round.user_id == member.user_id,
        )
    )
    if found is None:
        abort(404)
    return found


def programmes_led(user: User) -> list[Programme]:
    return list(
        db.session.scalars(
            select(Programme)
            .join(ProgrammeLead, ProgrammeLead.programme_id == Programme.id)
            .where(ProgrammeLead.user_id == user.id)
            .order_by(Programme.id)
        )
    )


def members_coached(user: User) -> list[Member]:
    return list(
        db.session.scalars(
            select(Member)
            .join(ProgrammeCoach, ProgrammeCoach.programme_id == Member.programme_id)
            .where(Member.coach_user_id == user.id, ProgrammeCoach.user_id == user.id)
            .order_by(Member.id)
        )
    )


def roles_of(user: User) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    found = {"operator"} if is_operator(user) else set()
    if programmes_led(user):
        found.add("lead")
    coaching = select(ProgrammeCoach.programme_id).where(ProgrammeCoach.user_id == user.id)
    if db.session.scalar(coaching.limit(1)) is not None:
        found.add("coach")
    return found


def membership_of(user_id: int) -> Member | None:
    return db.session.scalar(select(Member).where(Member.user_id == user_id))
