"""Rows for the bench scripts, written straight into the database with the app's own models."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
from collections.abc import Iterator

from feedback360.auth.models import User
from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.instruments.loading import DEFAULT_DIRECTORY, load_instruments
from feedback360.instruments.model import Instrument
from feedback360.instruments.snapshots import instrument_to_dict
from feedback360.reports.models import Reflection
from feedback360.surveys.models import (
    Answer,
    AnswerSet,
    Comment,
    Invitation,
    InvitationStatus,
    RaterDraft,
    Relationship,
    Round,
)
from feedback360.web.links import new_token

# Fifteen colleagues: enough in every group for each part of the report to show.
FIFTEEN = (
    [Relationship.LINE_MANAGER] * 1
    + [Relationship.PEER] * 6
    + [Relationship.DIRECT_REPORT] * 4
    + [Relationship.OTHER] * 4
)
_emails = itertools.count(1)


@functools.cache
def frontline() -> Instrument:
    """The shipped frontline instrument, read as the app reads it (no app context needed)."""
    return load_instruments(DEFAULT_DIRECTORY)["frontline"]


def make_worker(name: str = "Morag Campbell") -> User:
    user = User(
        email=f"bench.worker{next(_emails)}@example.org",
        name=name,
        password_hash="not-a-hash: bench workers never log in with a password",  # noqa: S106
        confirmed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def open_round(user: User, instrument: Instrument, opened_at: dt.datetime | None = None) -> Round:
    opened_at = opened_at or utcnow()
    round_ = Round(
        user_id=user.id,
        instrument_key=instrument.key,
        instrument_version=instrument.version,
        instrument_snapshot=instrument_to_dict(instrument),
        opened_at=opened_at,
        deadline_at=opened_at + dt.timedelta(days=28),
    )
    db.session.add(round_)
    db.session.flush()
    return round_


def invite(round_: Round, count: int) -> list[tuple[int, str]]:
    """`count` pending invitations, mostly peers; (invitation id, emailed token) for each."""
    relationships = itertools.cycle(FIFTEEN)
    made = []
    for number in range(count):
        token, token_hash = new_token()
        invitation = Invitation(
            round_id=round_.id,
            email=f"rater{number}@example.org",
            relationship=next(relationships),
            token_hash=token_hash,
        )
        db.session.add(invitation)
        made.append((invitation, token))
    db.session.flush()
    return [(invitation.id, token) for invitation, token in made]


# Answers -------------------------------------------------------------------------------------


def rater_scores(instrument: Instrument, tag: int) -> dict[str, int | None]:
    """Varied but repeatable answers; about one in twelve is "not observed"."""
    rng = random.Random(tag)  # noqa: S311  (bench data, not a secret)
    return {
        item.key: None if rng.random() < 0.08 else rng.randint(2, 5) for item in instrument.items
    }


def rater_comments(instrument: Instrument, tag: int) -> dict[str, str]:
    """The tag rides in a comment, so the database check can find each rater's answer set."""
    comments = {"does_well": f"bench rater {tag}: calm, kind, and clear with the whole team."}
    if tag % 3 == 0:
        comments[instrument.capabilities[0].key] = "Shares where the service is heading."
    return comments


def seed_draft(invitation_id: int, instrument: Instrument, tag: int) -> None:
    """The draft the questionnaire pages would have saved, for runs that skip them."""
    data = {"scores": rater_scores(instrument, tag), "comments": rater_comments(instrument, tag)}
    db.session.add(RaterDraft(invitation_id=invitation_id, data=data))


def add_answer_set(
    round_: Round, relationship: Relationship, instrument: Instrument, tag: int
) -> None:
    answer_set = AnswerSet(round_id=round_.id, relationship=relationship)
    answer_set.answers = [
        Answer(item_key=key, score=score) for key, score in rater_scores(instrument, tag).items()
    ]
    answer_set.comments = [
        Comment(question_key=key, text=text)
        for key, text in rater_comments(instrument, tag).items()
    ]
    db.session.add(answer_set)


def answered_round(user: User, instrument: Instrument, tags: Iterator[int]) -> Round:
    """A round with a self-assessment and fifteen colleagues' answers, still open."""
    round_ = open_round(user, instrument, utcnow() - dt.timedelta(days=20))
    add_answer_set(round_, Relationship.SELF, instrument, next(tags))
    for relationship in FIFTEEN:
        token_hash = new_token()[1]
        db.session.add(
            Invitation(
                round_id=round_.id,
                email=f"colleague.{token_hash[:12]}@example.org",
                relationship=relationship,
                token_hash=token_hash,
                status=InvitationStatus.SUBMITTED,
            )
        )
        add_answer_set(round_, relationship, instrument, next(tags))
    db.session.flush()
    return round_


def add_reflection(round_: Round) -> None:
    db.session.add(
        Reflection(
            round_id=round_.id,
            strengths="Listening.\nStaying calm when the shift gets busy.",
            development_areas="Sharing where the service is heading.",
            statement="Reading my colleagues' feedback helped me see my leadership. " * 30,
            include_in_pdf=True,
        )
    )
    db.session.flush()
