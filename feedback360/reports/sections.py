"""The parts of a report built from already-published figures: highlights, gaps, comments."""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..instruments.model import Instrument
from .model import ItemHighlight, ItemResult, QuestionComments
from .rules import AnonymityRules

SELF = "self"


def highlight(capability: str, item: ItemResult) -> ItemHighlight:
    """An item with a shown colleague mean, as the highlight lists and gaps list it."""
    return ItemHighlight(
        key=item.key,
        number=item.number,
        capability=capability,
        text=item.text,
        self_score=item.self_score,
        colleague_mean=item.colleague_mean or 0.0,
    )


@dataclass(frozen=True, slots=True)
class Highlighted:
    """Where one round's highlights are, as positions in instrument.items."""

    highest: list[int]
    lowest: list[int]
    blind_spots: list[int]
    hidden_strengths: list[int]


def highlighted(means: np.ndarray, own: np.ndarray, rules: AnonymityRules) -> list[Highlighted]:
    """Per round: colleagues' highest and lowest rated items (no item in both), blind spots
    (self at least `gap` above colleagues) and hidden strengths (the reverse), widest first.

    `means` is [round, item], colleagues' mean where it is shown, NaN elsewhere; `own` the
    worker's score, NaN where none. NaN fails every comparison, so those items drop out.
    """
    widest = -np.abs(own - means)
    ranked = _ranked(-means, ~np.isnan(means))
    blind_spots = _ranked(widest, own - means >= rules.gap)
    hidden_strengths = _ranked(widest, means - own >= rules.gap)
    return [
        Highlighted(*_ends(order, rules.highlights), blind, hidden)
        for order, blind, hidden in zip(ranked, blind_spots, hidden_strengths, strict=True)
    ]


def _ranked(key: np.ndarray, members: np.ndarray) -> list[list[int]]:
    """Per round, the positions of its members by `key`; the sort is stable, so ties keep the
    instrument's order."""
    order = np.argsort(np.where(members, key, np.inf), axis=1, kind="stable")
    counts = members.sum(axis=1).tolist()
    return [row[:count] for row, count in zip(order.tolist(), counts, strict=True)]


def _ends(ranked: list[int], most: int) -> tuple[list[int], list[int]]:
    """The first few, and the last few from the end: at most half each, so none is in both."""
    size = min(most, len(ranked) // 2)
    return ranked[:size], ranked[len(ranked) - size :][::-1]


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
