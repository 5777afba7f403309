"""What a programme changes in a worker's round: the few questions the surveys and reports ask.

Low on purpose: it names only tables, so the surveys and reports can ask it without importing
the programmes' pages or services. A worker outside any programme gets every answer as before.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from ..columns import utcnow
from ..extensions import db
from ..surveys.models import Invitation, Round
from .models import HeldInvitation, ListStatus, Member, Programme, ProgrammeRound


def programme_of(user_id: int) -> Programme | None:
    """The programme the worker takes part in, if any."""
    return db.session.scalar(
        select(Programme)
        .join(Member, Member.programme_id == Programme.id)
        .where(Member.user_id == user_id)
    )


def offers(programme: Programme | None, instrument_key: str) -> bool:
    return (
        programme is None
        or not programme.instrument_keys
        or (instrument_key in programme.instrument_keys)
    )


def deadline(programme: Programme | None, default: dt.datetime) -> dt.datetime:
    """The programme's deadline when it has one still ahead, else the usual one."""
    if programme is None or programme.deadline_at is None or programme.deadline_at <= utcnow():
        return default
    return programme.deadline_at


def attach(programme: Programme | None, round_: Round) -> None:
    """Record that a new round belongs to the programme, with its list still to approve."""
    if programme is None:
        return
    db.session.flush()
    status = ListStatus.OPEN if programme.approval_required else None
    db.session.add(
        ProgrammeRound(round_id=round_.id, programme_id=programme.id, list_status=status)
    )
    db.session.flush()


def programme_round(round_id: int) -> ProgrammeRound | None:
    return db.session.get(ProgrammeRound, round_id)


def holds_invitations(round_: Round) -> bool:
    """Whether new invitations wait for the coach: while the list is not yet approved."""
    found = programme_round(round_.id)
    return found is not None and found.list_status is not None


def hold(invitation: Invitation) -> None:
    """Keep the invitation unsent; an approved list is reopened by a new colleague."""
    db.session.flush()
    db.session.add(HeldInvitation(invitation_id=invitation.id))
    found = programme_round(invitation.round_id)
    if found is not None and found.list_status is ListStatus.APPROVED:
        found.list_status = ListStatus.OPEN
    db.session.flush()


def held_ids(round_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(HeldInvitation.invitation_id)
            .join(Invitation, Invitation.id == HeldInvitation.invitation_id)
            .where(Invitation.round_id == round_id)
        )
    )


def closing_minimum(round_: Round, usual: int) -> int:
    found = programme_round(round_.id)
    if found is None or found.programme.closing_minimum is None:
        return usual
    return found.programme.closing_minimum


def stop_coaching(user_id: int) -> None:
    """Before an account goes: the workers it coached stay in their programme without a coach."""
    db.session.execute(
        update(Member).where(Member.coach_user_id == user_id).values(coach_user_id=None)
    )


def report_waiting(round_: Round) -> bool:
    """A closed round's report the worker may not read yet: the coach has not released it."""
    found = programme_round(round_.id)
    return found is not None and found.programme.release_after_debrief and found.released_at is None
