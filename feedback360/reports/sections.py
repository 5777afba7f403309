"""A report's comment sections: colleagues' comments pooled per question, and the worker's own."""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..instruments.model import Instrument
from .relationships import SELF
from .report import QuestionComments


def stable_order(texts: Iterable[str], seed: str) -> tuple[str, ...]:
    """A shuffled order that never changes for a round: neither group nor time shows through."""

    def rank(text: str) -> str:
        return hashlib.sha256(f"{seed}\x1f{text}".encode("utf-8", "surrogatepass")).hexdigest()

    return tuple(sorted(texts, key=rank))


@dataclass(slots=True)
class RoundComments:
    """A round's comments, stripped, blanks left out: colleagues' by question, and the worker's."""

    colleagues: dict[str, list[str]] = field(default_factory=dict)
    own: dict[str, str] = field(default_factory=dict)


def split_comments(comments: pd.DataFrame, rounds: Sequence[Hashable]) -> list[RoundComments]:
    """Every round's comments in one pass over a frame with a `round` column, in `rounds` order."""
    kept = comments[comments["text"].astype(str).str.strip() != ""]
    at = pd.Index(rounds).get_indexer(kept["round"])
    if (at < 0).any():
        raise ValueError("comments of a round that was not asked for")
    split = [RoundComments() for _ in rounds]
    columns = (kept[c].astype(str).tolist() for c in ("relationship", "question", "text"))
    for n, relationship, question, text in zip(at.tolist(), *columns, strict=True):
        note = text.strip()
        if relationship == SELF:
            # The worker writes at most one note a question; the first is the one shown.
            split[n].own.setdefault(question, note)
        else:
            split[n].colleagues.setdefault(question, []).append(note)
    return split


def comment_sections(
    comments: RoundComments, instrument: Instrument, seed: str, shown: bool
) -> tuple[dict[str, tuple[tuple[str, ...], str]], tuple[QuestionComments, ...]]:
    """Colleagues' comments pooled per question (only when shown) and the worker's own notes."""

    def pooled(question: str) -> tuple[str, ...]:
        if not shown:
            return ()
        found = comments.colleagues.get(question)
        return stable_order(found, f"{seed}\x1f{question}") if found else ()

    def own_note(question: str) -> str:
        return comments.own.get(question, "")

    by_capability = {c.key: (pooled(c.key), own_note(c.key)) for c in instrument.capabilities}
    questions = tuple(
        QuestionComments(q.key, q.colleague_text, pooled(q.key), own_note(q.key))
        for q in instrument.questions
    )
    return by_capability, questions
