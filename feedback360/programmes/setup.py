"""Setting programmes up: organisations, programmes, leads, coaches, joining (flush, no commit)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..auth.models import User
from ..extensions import db
from ..web.links import hash_token, new_token
from .models import Member, Operator, Organisation, Programme, ProgrammeCoach, ProgrammeLead


class ProgrammeProblem(Exception):
    """Something the rules of programmes do not allow; the message is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def account_by_email(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise ProgrammeProblem(
            f"There is no account for {email.strip()}. Ask them to sign up first, then try again."
        )
    return user


def make_operator(email: str) -> User:
    user = account_by_email(email)
    if db.session.get(Operator, user.id) is None:
        db.session.add(Operator(user_id=user.id))
        db.session.flush()
    return user


def create_organisation(name: str) -> Organisation:
    name = " ".join(name.split())
    if not name:
        raise ProgrammeProblem("Please give the organisation a name.")
    if db.session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
        raise ProgrammeProblem(f"There is already an organisation called {name}.")
    organisation = Organisation(name=name)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def organisation_named(name: str) -> Organisation:
    found = db.session.scalar(
        select(Organisation).where(Organisation.name == " ".join(name.split()))
    )
    if found is None:
        raise ProgrammeProblem(f"There is no organisation called {name}.")
    return found


def create_programme(
    organisation: Organisation,
    name: str,
    *,
    instrument_keys: list[str],
    closing_minimum: int | None = None,
    deadline_at: dt.datetime | None = None,
    approval_required: bool = False,
    release_after_debrief: bool = False,
) -> Programme:
    name = " ".join(name.split())
    if not name:
        raise ProgrammeProblem("Please give the programme a name.")
    if closing_minimum is not None and closing_minimum < 3:
        raise ProgrammeProblem("The minimum number of answers to close a round is at least 3.")
    programme = Programme(
        organisation_id=organisation.id,
        name=name,
        instrument_keys=sorted(instrument_keys),
        closing_minimum=closing_minimum,
        deadline_at=deadline_at,
        approval_required=approval_required,
        release_after_debrief=release_after_debrief,
    )
    try:
        with db.session.begin_nested():
            db.session.add(programme)
    except IntegrityError:
        raise ProgrammeProblem(
            f"{organisation.name} already has a programme called {name}."
        ) from None
    return programme


def add_lead(programme: Programme, email: str) -> User:
    user = account_by_email(email)
    if db.session.get(ProgrammeLead, (programme.id, user.id)) is None:
        db.session.add(ProgrammeLead(programme_id=programme.id, user_id=user.id))
        db.session.flush()
    return user


def add_coach(programme: Programme, email: str) -> User:
    user = account_by_email(email)
    if db.session.get(ProgrammeCoach, (programme.id, user.id)) is None:
        db.session.add(ProgrammeCoach(programme_id=programme.id, user_id=user.id))
        db.session.flush()
    return user


def coaches_of(programme: Programme) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(ProgrammeCoach, ProgrammeCoach.user_id == User.id)
            .where(ProgrammeCoach.programme_id == programme.id)
            .order_by(func.lower(User.name))
        )
    )


def assign_coach(member: Member, coach_user_id: int | None) -> None:
    """The composite foreign key refuses a coach from outside the member's programme."""
    if coach_user_id is not None:
        key = (member.programme_id, coach_user_id)
        if db.session.get(ProgrammeCoach, key) is None:
            raise ProgrammeProblem("Please choose one of this programme's coaches.")
    member.coach_user_id = coach_user_id
    db.session.flush()


def new_join_link(programme: Programme) -> str:
    """A fresh join token (only its hash kept); any earlier join link stops working."""
    token, token_hash = new_token()
    programme.join_token_hash = token_hash
    db.session.flush()
    return token


def programme_for_join(token: str) -> Programme | None:
    return db.session.scalar(
        select(Programme).where(Programme.join_token_hash == hash_token(token))
    )


def join(user: User, programme: Programme, job_role: str | None = None) -> Member:
    """The worker joins; the unique user_id keeps them in one programme at a time."""
    existing = db.session.scalar(select(Member).where(Member.user_id == user.id))
    if existing is not None and existing.programme_id == programme.id:
        return existing
    if existing is not None:
        raise ProgrammeProblem(
            "You are already taking part in another programme. Ask its lead to remove you first."
        )
    member = Member(programme_id=programme.id, user_id=user.id, job_role=job_role or None)
    try:
        with db.session.begin_nested():
            db.session.add(member)
    except IntegrityError:
        raise ProgrammeProblem("You are already taking part in a programme.") from None
    return member
