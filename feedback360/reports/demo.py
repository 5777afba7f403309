"""A demo worker with a closed round: a self-assessment and eight colleagues' answers.

The answers are varied but realistic and always the same (a fixed seed), so the demo report
shows every part of a report: groups, a combined group, blind spots, hidden strengths,
comments and a Thing 11 reflection.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from ..auth.models import User
from ..auth.passwords import hash_password
from ..columns import utcnow
from ..extensions import db
from ..instruments.model import Instrument
from ..instruments.registry import instruments
from ..instruments.snapshots import instrument_to_dict
from ..surveys.models import (
    Answer,
    AnswerSet,
    Comment,
    Invitation,
    InvitationStatus,
    Relationship,
    Round,
    RoundStatus,
)
from ..web.links import new_token
from .models import DevelopmentPriority, Reflection

DEMO_EMAIL = "demo@example.org"
# Printed by `flask demo` for anyone to use: the command refuses to run in production.
DEMO_PASSWORD = "demo leadership feedback"  # noqa: S105  # nosec B105
DEMO_NAME = "Jamie Robertson"
COLLEAGUES = {"line_manager": 1, "peer": 3, "direct_report": 2, "other": 2}
# How colleagues and the worker see each capability: a blind spot in vision, a hidden strength
# in motivating and inspiring.
COLLEAGUE_LEVEL = [3.6, 3.4, 4.3, 3.2, 4.4, 3.0]
SELF_LEVEL = [4.6, 3.6, 3.1, 3.4, 4.0, 2.6]
NOT_OBSERVED_CHANCE = {"line_manager": 0.08, "peer": 0.06, "direct_report": 0.12, "other": 0.3}
DOES_WELL = [
    "Jamie is calm when things get busy, and that keeps the whole shift steady.",
    "Always makes time to listen to residents and their families, even on a hard day.",
    "Jamie explains changes clearly and checks that everyone has understood.",
    "Very good at sharing what works with new staff. I learned a lot from shadowing.",
    "Jamie notices when someone is struggling and quietly offers help.",
    "Brings people together across teams; the handover notes are the best we have.",
]
EVEN_BETTER = [
    "Could speak up more in team meetings: Jamie's ideas are good and we only hear them later.",
    "Try handing over more tasks instead of doing them all, so others can learn too.",
    "It would help to hear more about where the service is heading and why.",
    "Sometimes says yes to too much. Protect some time for your own development.",
    "Share the small improvements you try, so the rest of us can try them too.",
]
CAPABILITY_NOTES = {
    "motivating_inspiring": "Jamie's encouragement made a real difference in my first months.",
    "creativity_innovation": "Maybe try out some of the ideas from the last training day?",
    "collaborating_influencing": "Works really well with the district nurses and the GP practice.",
}


def demo_user() -> User | None:
    return db.session.scalar(select(User).where(User.email == DEMO_EMAIL))


def demo_round(user: User) -> Round | None:
    return db.session.scalar(
        select(Round)
        .where(Round.user_id == user.id, Round.status == RoundStatus.CLOSED)
        .order_by(Round.id.desc())
    )


def create_demo(now: dt.datetime | None = None) -> Round:
    """The demo worker, their closed round and its kept report (flushes, never commits)."""
    from ..surveys.closing import close_round

    now = now or utcnow()
    user = User(
        email=DEMO_EMAIL,
        name=DEMO_NAME,
        password_hash=hash_password(DEMO_PASSWORD),
        confirmed_at=now - dt.timedelta(days=40),
    )
    db.session.add(user)
    db.session.flush()
    instrument = instruments()["frontline"]
    round_ = _open_round(user, instrument, now - dt.timedelta(days=30))
    # Demo data, the same every time: not a secret.
    rng = random.Random(360)  # noqa: S311  # nosec B311
    _add_self_assessment(round_, instrument, rng)
    _add_colleagues(round_, instrument, rng)
    db.session.flush()
    close_round(round_, now - dt.timedelta(days=2))
    _add_reflection(round_)
    db.session.flush()
    return round_


def _open_round(user: User, instrument: Instrument, opened_at: dt.datetime) -> Round:
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


def _score(level: float, rng: random.Random) -> int:
    return max(1, min(5, round(level + rng.gauss(0, 0.7))))


def _add_self_assessment(round_: Round, instrument: Instrument, rng: random.Random) -> None:
    answer_set = _answer_set(round_, Relationship.SELF)
    for level, capability in zip(SELF_LEVEL, instrument.capabilities, strict=True):
        for item in capability.items:
            _answer(answer_set, item.key, _score(level, rng))
    _comment(answer_set, "does_well", "I think I am good at keeping people calm and listening.")
    _comment(answer_set, "even_more_effective", "More confidence to share my ideas with the team.")


def _add_colleagues(round_: Round, instrument: Instrument, rng: random.Random) -> None:
    # Copies: each comment is used once, and a second demo in one process starts afresh.
    pools = {"does_well": list(DOES_WELL), "even_more_effective": list(EVEN_BETTER)}
    notes = dict(CAPABILITY_NOTES)
    for relationship, count in COLLEAGUES.items():
        for _ in range(count):
            _invitation(round_, Relationship(relationship))
            answer_set = _answer_set(round_, Relationship(relationship))
            bias = rng.uniform(-0.4, 0.4)
            for level, capability in zip(COLLEAGUE_LEVEL, instrument.capabilities, strict=True):
                for item in capability.items:
                    unseen = rng.random() < NOT_OBSERVED_CHANCE[relationship]
                    _answer(answer_set, item.key, None if unseen else _score(level + bias, rng))
            _colleague_comments(answer_set, rng, pools, notes)
    _invitation(round_, Relationship.PEER, answered=False)


def _colleague_comments(
    answer_set: AnswerSet, rng: random.Random, pools: dict[str, list[str]], notes: dict[str, str]
) -> None:
    for question, texts in pools.items():
        if texts and rng.random() < 0.8:
            _comment(answer_set, question, texts.pop(rng.randrange(len(texts))))
    for key in list(notes):
        if rng.random() < 0.3:
            _comment(answer_set, key, notes.pop(key))


def _answer_set(round_: Round, relationship: Relationship) -> AnswerSet:
    answer_set = AnswerSet(round_id=round_.id, relationship=relationship)
    db.session.add(answer_set)
    db.session.flush()
    return answer_set


def _answer(answer_set: AnswerSet, item_key: str, score: int | None) -> None:
    db.session.add(Answer(answer_set_id=answer_set.id, item_key=item_key, score=score))


def _comment(answer_set: AnswerSet, question_key: str, text: str) -> None:
    db.session.add(Comment(answer_set_id=answer_set.id, question_key=question_key, text=text))


def _invitation(round_: Round, relationship: Relationship, answered: bool = True) -> None:
    _, token_hash = new_token()
    status = InvitationStatus.SUBMITTED if answered else InvitationStatus.PENDING
    db.session.add(
        Invitation(
            round_id=round_.id,
            email=f"colleague.{token_hash[:8]}@example.org",
            relationship=relationship,
            token_hash=token_hash,
            status=status,
        )
    )


STATEMENT = (
    "Asking colleagues for feedback felt daunting, and reading it was easier than I expected. "
    "The clearest message is that people value how I listen and how calm I stay when the shift "
    "gets busy. Several comments said that I help new staff settle in, which I had not thought "
    "of as leadership before.\n\n"
    "The report also showed me a blind spot. I rated myself highly on explaining what our "
    "service is trying to achieve, but my colleagues scored me lower. When I think about it, I "
    "talk about our values with residents but rarely with the team. I also scored myself lower "
    "than my colleagues on motivating others, so I may be underestimating the effect that "
    "encouragement has.\n\n"
    "Over the next six months I want to share ideas earlier instead of waiting until I am sure, "
    "and to hand over tasks so that others can learn. I will ask my manager for time in "
    "supervision to plan this, and I will ask two colleagues for quick feedback after team "
    "meetings. I will know it is working when I have brought at least one idea to each monthly "
    "meeting, and when the next round of feedback shows a change in how clearly I share where "
    "we are heading as a team. Writing this down has helped me see my leadership as something "
    "I already do every day, not something that belongs only to managers."
)


def _add_reflection(round_: Round) -> None:
    reflection = Reflection(
        round_id=round_.id,
        strengths="Listening to residents and colleagues.\nStaying calm under pressure.\n"
        "Helping new staff settle in.",
        development_areas="Sharing the service's direction with the team.\n"
        "Speaking up with ideas in meetings.\nDelegating tasks so others can learn.",
        statement=STATEMENT,
        include_in_pdf=True,
    )
    reflection.priorities = [
        DevelopmentPriority(
            position=1,
            what="Bring one idea to every monthly team meeting",
            how="Note ideas during shifts and pick one to share.",
            support="Ten minutes on the agenda from my manager.",
            by_when="By the end of June",
            measure="Ideas shared at six meetings in a row.",
        ),
        DevelopmentPriority(
            position=2,
            what="Delegate the weekly activity planning",
            how="Plan it with a colleague for a month, then hand it over.",
            support="Agreement from the team leader.",
            by_when="Within three months",
            measure="A colleague plans the week on their own.",
        ),
    ]
    db.session.add(reflection)
