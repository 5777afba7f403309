"""A round's answers and comments from the database, as compact DataFrames for summarize()."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import select

ANSWER_COLUMNS = ["answer_set", "relationship", "item", "score"]


COMMENT_COLUMNS = ["answer_set", "relationship", "question", "text"]


def answers_frame(round_id: int) -> pd.DataFrame:
    """Every answer of a round, one row each; an answer set with no answers keeps one row."""
    from ..extensions import db
    from ..surveys.models import Answer, AnswerSet

    statement = (
        select(AnswerSet.id, AnswerSet.relationship, Answer.item_key, Answer.score)
        .outerjoin(Answer, Answer.answer_set_id == AnswerSet.id)
        .where(AnswerSet.round_id == round_id)
    )
    return make_answers_frame(db.session.execute(statement).all())


def comments_frame(round_id: int) -> pd.DataFrame:
    """Every comment of a round with the relationship of whoever wrote it."""
    from ..extensions import db
    from ..surveys.models import AnswerSet, Comment

    statement = (
        select(AnswerSet.id, AnswerSet.relationship, Comment.question_key, Comment.text)
        .join(Comment, Comment.answer_set_id == AnswerSet.id)
        .where(AnswerSet.round_id == round_id)
    )
    return make_comments_frame(db.session.execute(statement).all())


def make_answers_frame(rows: Iterable[tuple]) -> pd.DataFrame:
    """Compact dtypes: categories for the repeated strings, float32 with NaN for not observed."""
    plain = [(a, str(r), i, s) for a, r, i, s in rows]
    frame = pd.DataFrame(plain, columns=ANSWER_COLUMNS)
    return frame.astype(
        {
            "answer_set": "category",
            "relationship": "category",
            "item": "category",
            "score": "float32",
        }
    )


def make_comments_frame(rows: Iterable[tuple]) -> pd.DataFrame:
    plain = [(a, str(r), q, t) for a, r, q, t in rows]
    frame = pd.DataFrame(plain, columns=COMMENT_COLUMNS)
    return frame.astype(
        {"answer_set": "category", "relationship": "category", "question": "category"}
    )
