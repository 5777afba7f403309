"""Plain make_* builders for tests: rows straight into the database, no HTTP."""

from __future__ import annotations

import datetime as dt
import itertools

from flask import Flask
from werkzeug.security import generate_password_hash

from feedback360.auth.models import User
from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.surveys.models import Invitation, Relationship, Round
from feedback360.web.links import new_token

PASSWORD = "correct horse battery"
_counter = itertools.count(1)
# Hashing is deliberately slow; one hash serves every test user.
_PASSWORD_HASH = generate_password_hash(PASSWORD)


def make_user(
    app: Flask, *, email: str | None = None, name: str = "Morag Campbell", confirmed: bool = True
) -> User:
    with app.app_context():
        user = User(
            email=email or f"worker{next(_counter)}@example.org",
            name=name,
            password_hash=_PASSWORD_HASH,
            confirmed_at=utcnow() if confirmed else None,
        )
        db.session.add(user)
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
        return user


def make_round(app: Flask, user: User, instrument_key: str = "frontline", days: int = 28) -> Round:
    from feedback360.instruments.registry import instruments
    from feedback360.instruments.snapshots import instrument_to_dict

    with app.app_context():
        instrument = instruments()[instrument_key]
        round_ = Round(
            user_id=user.id,
            instrument_key=instrument.key,
            instrument_version=instrument.version,
            instrument_snapshot=instrument_to_dict(instrument),
            deadline_at=utcnow() + dt.timedelta(days=days),
        )
        db.session.add(round_)
        db.session.commit()
        db.session.refresh(round_)
        db.session.expunge(round_)
        return round_


def make_invitation(
    app: Flask,
    round_: Round,
    relationship: Relationship = Relationship.PEER,
    email: str | None = None,
    name: str | None = None,
) -> tuple[Invitation, str]:
    """An invitation and the raw token its email would carry."""
    token, token_hash = new_token()
    with app.app_context():
        invitation = Invitation(
            round_id=round_.id,
            email=email or f"colleague{next(_counter)}@example.org",
            name=name,
            relationship=relationship,
            token_hash=token_hash,
        )
        db.session.add(invitation)
        db.session.commit()
        db.session.refresh(invitation)
        db.session.expunge(invitation)
        return invitation, token


def login_as(client, user: User) -> None:
    """Log a test client in without the login form (the auth tests use the form itself)."""
    from feedback360.auth.sessions import start_session_marks

    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        start_session_marks(session)
