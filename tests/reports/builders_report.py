"""Builders for report tests: small instruments, answer frames, closed rounds in the database."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
from flask import Flask

from feedback360.instruments.model import (
    Capability,
    Indicator,
    Instrument,
    Item,
    OpenQuestion,
    Scale,
    ScalePoint,
)
from feedback360.reports.aggregate import RoundFacts, summarize
from feedback360.reports.frames import make_answers_frame, make_comments_frame
from feedback360.reports.report import Report
from feedback360.reports.rules import DEFAULT_RULES, AnonymityRules

MISSING = "missing"
_ids = itertools.count(1)
SCALE = Scale(
    points=tuple(
        ScalePoint(v, label)
        for v, label in enumerate(
            ["Almost never", "Rarely", "Sometimes", "Often", "Almost always"], 1
        )
    ),
    not_observed_label="Not observed / don't know",
)


def small_instrument(items_per_capability: Sequence[int] = (1, 2, 3)) -> Instrument:
    """An instrument with as many capabilities as numbers given, each with that many items."""
    capabilities = tuple(
        Capability(
            key=f"cap{c}",
            name=f"Capability {c}",
            description=f"What capability {c} means.",
            comment_prompt="Anything to add?",
            indicators=(Indicator(f"ind{c}", f"Indicator {c}"),),
            items=tuple(
                Item(f"c{c}i{i}", f"ind{c}", f"I do thing {c}.{i}.", f"They do thing {c}.{i}.")
                for i in range(1, count + 1)
            ),
        )
        for c, count in enumerate(items_per_capability, start=1)
    )
    return Instrument(
        key="small",
        version=1,
        title="Small test instrument",
        audience="Tests",
        intro="For tests.",
        scale=SCALE,
        capabilities=capabilities,
        questions=(OpenQuestion("does_well", "What do you do well?", "What do they do well?"),),
    )


# A rater: (answer set id, relationship, {item key: score, None for not observed, or MISSING}).
Rater = tuple[str, str, Mapping[str, int | None | str]]


def raters(relationship: str, count: int, scores: Mapping[str, int | None | str]) -> list[Rater]:
    """`count` raters in one relationship who all answered the same way."""
    return [(f"{relationship}-{next(_ids)}", relationship, dict(scores)) for _ in range(count)]


def answers_frame_of(people: Iterable[Rater]) -> pd.DataFrame:
    rows = []
    for answer_set, relationship, scores in people:
        answered = [(k, s) for k, s in scores.items() if s != MISSING]
        rows += [(answer_set, relationship, k, s) for k, s in answered]
        if not answered:
            rows.append((answer_set, relationship, None, None))
    return make_answers_frame(rows)


def comments_frame_of(comments: Iterable[tuple[str, str, str, str]] = ()) -> pd.DataFrame:
    return make_comments_frame(list(comments))


FACTS = RoundFacts("Morag Campbell", dt.date(2026, 1, 5), dt.date(2026, 2, 2), "round-1")


def report_of(
    people: Iterable[Rater],
    instrument: Instrument | None = None,
    comments: Iterable[tuple[str, str, str, str]] = (),
    rules: AnonymityRules = DEFAULT_RULES,
) -> Report:
    return summarize(
        answers_frame_of(people),
        comments_frame_of(comments),
        instrument or small_instrument(),
        rules,
        FACTS,
    )


def all_items(instrument: Instrument, score: int | None | str) -> dict[str, int | None | str]:
    return {item.key: score for item in instrument.items}


# --- database builders -----------------------------------------------------------------------


def add_answer_set(
    app: Flask,
    round_id: int,
    relationship: str,
    scores: Mapping[str, int | None],
    comments: Mapping[str, str] | None = None,
) -> str:
    """One submitted answer set, written straight into the tables."""
    from feedback360.extensions import db
    from feedback360.surveys.models import Answer, AnswerSet, Comment, Relationship

    with app.app_context():
        answer_set = AnswerSet(round_id=round_id, relationship=Relationship(relationship))
        db.session.add(answer_set)
        db.session.flush()
        db.session.add_all(
            Answer(answer_set_id=answer_set.id, item_key=k, score=s) for k, s in scores.items()
        )
        db.session.add_all(
            Comment(answer_set_id=answer_set.id, question_key=k, text=t)
            for k, t in (comments or {}).items()
        )
        db.session.commit()
        return answer_set.id


def close_and_freeze(app: Flask, round_id: int) -> None:
    """Close the round and keep its report, as the worker's close button does."""
    from feedback360.extensions import db
    from feedback360.reports.freeze import freeze_report
    from feedback360.surveys.models import Round

    with app.app_context():
        round_ = db.session.get(Round, round_id)
        round_.close()
        freeze_report(round_)
        db.session.commit()


def make_closed_round(
    app: Flask,
    user,
    *,
    colleagues: Mapping[str, int] | None = None,
    score: int = 4,
    comment: str = "Always makes time to listen.",
    name_comment: str | None = None,
) -> int:
    """A frontline round with a self-assessment and colleagues who all answered, closed."""
    from builders import make_round

    from feedback360.instruments.registry import instruments

    round_ = make_round(app, user)
    with app.app_context():
        instrument = instruments()["frontline"]
    items = [item.key for item in instrument.items]
    add_answer_set(app, round_.id, "self", {k: 3 for k in items}, {"does_well": "My own note."})
    sizes = colleagues or {"line_manager": 1, "peer": 3, "direct_report": 3, "other": 1}
    for relationship, count in sizes.items():
        for n in range(count):
            scores = {k: (score if (n + i) % 7 else None) for i, k in enumerate(items)}
            texts = {"does_well": name_comment or comment, instrument.capabilities[0].key: comment}
            add_answer_set(app, round_.id, relationship, scores, texts)
    close_and_freeze(app, round_.id)
    return round_.id
