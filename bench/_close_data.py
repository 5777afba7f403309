"""Rows for the close bench: many closed rounds in bulk, and open rounds as a close finds them.

The closed rounds are written as closing would have left them (no addresses, names, drafts,
mail or marks of use; reminder links on the round's first invitation; answer sets under random
ids dated the day of the close), with Core inserts a few hundred rounds at a time: closing
10,000 rounds one by one would take most of an hour.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any

from _data import add_answer_set, make_worker, open_round, seed_draft
from sqlalchemy import insert

from feedback360.auth.models import User
from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.instruments.model import Instrument
from feedback360.instruments.snapshots import instrument_to_dict
from feedback360.mail.models import OutboxMessage, OutboxStatus
from feedback360.reports.models import RoundReport
from feedback360.surveys.models import (
    Answer,
    AnswerSet,
    Comment,
    Invitation,
    InvitationLink,
    InvitationStatus,
    InvitationUse,
    Relationship,
    Round,
    RoundStatus,
)
from feedback360.web.links import new_token

# The order colleagues are invited in: a line manager, then peers, reports and others.
COLLEAGUES = (
    Relationship.LINE_MANAGER,
    Relationship.PEER,
    Relationship.DIRECT_REPORT,
    Relationship.PEER,
    Relationship.DIRECT_REPORT,
    Relationship.OTHER,
    Relationship.PEER,
    Relationship.DIRECT_REPORT,
    Relationship.OTHER,
    Relationship.PEER,
    Relationship.PEER,
)
# A live round as a close finds it: these answered, these have not (drafts, mail, reminders).
ANSWERED, PENDING = 8, 3
CHUNK = 250  # rounds per transaction while building


def write_closed_rounds(
    count: int, instrument: Instrument, report: dict[str, Any], progress: Callable[[int], None]
) -> None:
    """`count` closed rounds of a self-assessment and 6 to 10 colleagues (8 on average)."""
    rng = random.Random(360)  # noqa: S311  (bench data, not a secret)
    snapshot = instrument_to_dict(instrument)
    items = [item.key for item in instrument.items]
    for first in range(0, count, CHUNK):
        rounds = [_closed_round(rng, first + n) for n in range(min(CHUNK, count - first))]
        with db.engine.begin() as connection:
            _insert_rounds(connection, rounds, instrument, snapshot, report)
            _insert_invitations(connection, rng, rounds)
            _insert_answers(connection, rng, rounds, items)
        progress(first + len(rounds))


def _closed_round(rng: random.Random, number: int) -> dict[str, Any]:
    closed_at = utcnow().replace(microsecond=0) - dt.timedelta(days=rng.randint(1, 700))
    return {
        "number": number,
        "closed_at": closed_at,
        "answered": rng.randint(6, 10),
        "declined": int(rng.random() < 0.3),
        "reminders": 2 if rng.random() < 0.25 else 0,
    }


def _insert_rounds(
    connection: Any,
    rounds: list[dict[str, Any]],
    instrument: Instrument,
    snapshot: dict[str, Any],
    report: dict[str, Any],
) -> None:
    users = [
        {
            "email": f"closed.worker{r['number']}@example.org",
            "name": f"Worker {r['number']} Campbell",
            "password_hash": "not-a-hash: bench workers never log in with a password",
            "confirmed_at": r["closed_at"] - dt.timedelta(days=60),
        }
        for r in rounds
    ]
    user_ids = _inserted_ids(connection, User, users)
    round_rows = [
        {
            "user_id": user_id,
            "instrument_key": instrument.key,
            "instrument_version": instrument.version,
            "instrument_snapshot": snapshot,
            "status": RoundStatus.CLOSED,
            "opened_at": r["closed_at"] - dt.timedelta(days=28),
            "deadline_at": r["closed_at"],
            "closed_at": r["closed_at"],
            "reminded_at": r["closed_at"] - dt.timedelta(days=7) if r["reminders"] else None,
        }
        for user_id, r in zip(user_ids, rounds, strict=True)
    ]
    for r, round_id in zip(rounds, _inserted_ids(connection, Round, round_rows), strict=True):
        r["id"] = round_id
    connection.execute(
        insert(RoundReport),
        [{"round_id": r["id"], "data": report, "created_at": r["closed_at"]} for r in rounds],
    )


def _insert_invitations(connection: Any, rng: random.Random, rounds: list[dict]) -> None:
    """Answered and declined invitations, addresses gone, days only; reminders on the first."""
    rows, owners = [], []
    for r in rounds:
        day = dt.datetime.combine(r["closed_at"].date() - dt.timedelta(days=27), dt.time())
        answered = [InvitationStatus.SUBMITTED] * r["answered"]
        statuses = answered + [InvitationStatus.DECLINED] * r["declined"]
        for relationship, status in zip(COLLEAGUES, statuses, strict=False):
            rows.append(
                {
                    "round_id": r["id"],
                    "relationship": relationship,
                    "token_hash": _hex(rng, 256),
                    "status": status,
                    "created_at": day,
                }
            )
            owners.append(r)
    for r, invitation_id in zip(owners, _inserted_ids(connection, Invitation, rows), strict=True):
        r.setdefault("first_invitation", invitation_id)
    links = [
        {"token_hash": _hex(rng, 256), "invitation_id": r["first_invitation"]}
        for r in rounds
        for _ in range(r["reminders"])
    ]
    if links:
        connection.execute(insert(InvitationLink), links)


def _insert_answers(
    connection: Any, rng: random.Random, rounds: list[dict], items: list[str]
) -> None:
    sets, answers, comments = [], [], []
    for r in rounds:
        relationships = [Relationship.SELF, *COLLEAGUES[: r["answered"]]]
        for relationship in relationships:
            set_id = _hex(rng, 128)
            sets.append(
                {
                    "id": set_id,
                    "round_id": r["id"],
                    "relationship": relationship,
                    "submitted_on": r["closed_at"].date(),
                }
            )
            answers.extend(
                {"answer_set_id": set_id, "item_key": key, "score": _score(rng)} for key in items
            )
            if rng.random() < 0.5:
                comments.append(
                    {"answer_set_id": set_id, "question_key": "does_well", "text": _comment(rng)}
                )
    connection.execute(insert(AnswerSet), sets)
    connection.execute(insert(Answer), answers)
    connection.execute(insert(Comment), comments)


def _inserted_ids(connection: Any, model: type, rows: list[dict[str, Any]]) -> list[int]:
    """Insert many rows at once and return their new ids in the order the rows were given."""
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(connection.execute(statement, rows).scalars())


def _hex(rng: random.Random, bits: int) -> str:
    return f"{rng.getrandbits(bits):0{bits // 4}x}"


def _score(rng: random.Random) -> int | None:
    """About one answer in twelve is "not observed"."""
    return None if rng.random() < 0.08 else rng.randint(2, 5)


def _comment(rng: random.Random) -> str:
    return f"Calm and kind with the whole team; {rng.randint(1, 9)} times out of ten."


# Open rounds ----------------------------------------------------------------------------------


def live_round(instrument: Instrument, tags: Iterator[int]) -> Round:
    """An open round with a self-assessment, 8 answers and 3 colleagues still to answer.

    Each answered invitation has its mark of use; each one still pending has a draft, the
    email that invited it and a reminder link, so a close has everything to forget.
    """
    round_ = open_round(make_worker(), instrument, utcnow() - dt.timedelta(days=20))
    add_answer_set(round_, Relationship.SELF, instrument, next(tags))
    answered = [_invitation(round_, n, InvitationStatus.SUBMITTED) for n in range(ANSWERED)]
    waiting = range(ANSWERED, ANSWERED + PENDING)
    pending = [_invitation(round_, n, InvitationStatus.PENDING) for n in waiting]
    db.session.flush()
    for invitation in answered:
        db.session.add(InvitationUse(invitation_id=invitation.id))
        add_answer_set(round_, invitation.relationship, instrument, next(tags))
    for invitation in pending:
        seed_draft(invitation.id, instrument, next(tags))
        db.session.add(_invitation_email(invitation))
        db.session.add(InvitationLink(token_hash=new_token()[1], invitation_id=invitation.id))
    db.session.flush()
    return round_


def _invitation(round_: Round, number: int, status: InvitationStatus) -> Invitation:
    invitation = Invitation(
        round_id=round_.id,
        email=f"colleague{number}@example.org",
        name=f"Colleague {number}",
        relationship=COLLEAGUES[number],
        token_hash=new_token()[1],
        status=status,
    )
    db.session.add(invitation)
    return invitation


def _invitation_email(invitation: Invitation) -> OutboxMessage:
    return OutboxMessage(
        recipient=invitation.email,
        subject="Morag Campbell asks for your feedback",
        text_body="Morag Campbell would value your feedback. " * 20,
        status=OutboxStatus.SENT,
        attempts=1,
        sent_at=utcnow(),
        invitation_id=invitation.id,
    )
