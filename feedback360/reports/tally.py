"""Counting a cohort's answers: one numpy pass over every answer row, for summarize_many().

A Tally holds, per round, relationship and item, who scored, how many and the sum of the
scores, so that the rules (groups.py, audit.py) can be applied to counts alone.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..instruments.model import Instrument
from .distinct import bit_counts
from .relationships import COLLEAGUE_RELATIONSHIPS, RELATIONSHIPS, SELF


@dataclass(frozen=True, slots=True)
class Tally:
    """A cohort's answers counted: one row per round, then relationship and item positions.

    Relationships are COLLEAGUE_RELATIONSHIPS (RELATIONSHIPS for `answered`); items are the
    instrument's, in order. Who scored a cell is a bitmask over the round's answer sets.
    """

    answered: np.ndarray  # [round, relationship]: answer sets, including any with no answers
    raters: np.ndarray  # [round, relationship, item]: who scored it
    ratings: np.ndarray  # [round, relationship, item]: how many scored it
    totals: np.ndarray  # [round, relationship, item]: the sum of their scores
    not_observed: np.ndarray  # [round, item]: colleagues who answered "not observed"
    own: np.ndarray  # [round, item]: the worker's own score, -1 where there is none


def tally(answers: pd.DataFrame, instrument: Instrument, rounds: Sequence[Hashable]) -> Tally:
    """Every count the cohort's reports need, from its answer rows in one pass."""
    rows = _rows(answers, instrument, rounds)
    by_cell = (len(rounds), len(COLLEAGUE_RELATIONSHIPS), len(instrument.items))
    by_round = (len(rounds), len(instrument.items))
    place, answered = _answer_sets(rows, len(rounds))
    observed, answer = ~np.isnan(rows.score), rows.item >= 0
    scored = observed & answer & (rows.relationship > RELATIONSHIPS.index(SELF))
    whole = rows.score[scored].astype(np.int64)
    bits = _bits(place)[rows.answer_set[scored]]
    raters, ratings, totals = _cell_sums(rows.at_cell(scored), bits, whole, by_cell)
    unseen = answer & ~observed & (rows.relationship != RELATIONSHIPS.index(SELF))
    not_observed = np.bincount(rows.at_item(unseen), minlength=int(np.prod(by_round)))
    return Tally(
        answered=answered,
        raters=raters,
        ratings=ratings,
        totals=totals,
        not_observed=not_observed.reshape(by_round),
        own=_own_scores(rows, answer & (rows.relationship == RELATIONSHIPS.index(SELF)), by_round),
    )


def capability_parts(instrument: Instrument) -> list[slice]:
    """Where each capability's items sit on the item axis (instrument.items)."""
    ends = np.cumsum([len(c.items) for c in instrument.capabilities]).tolist()
    return [
        slice(end - len(c.items), end) for end, c in zip(ends, instrument.capabilities, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class _Rows:
    """The answer rows as compact numbers, 32 bits each: positions in the rounds asked for, in
    RELATIONSHIPS and in the instrument's items (-1: none), and a number per answer set."""

    round_at: np.ndarray
    relationship: np.ndarray
    item: np.ndarray
    answer_set: np.ndarray
    score: np.ndarray  # NaN for "not observed"
    items: int

    def at_item(self, rows: np.ndarray) -> np.ndarray:
        """The [round, item] cell of each selected row, as a flat position."""
        return self.round_at[rows].astype(np.int64) * self.items + self.item[rows]

    def at_cell(self, rows: np.ndarray) -> np.ndarray:
        """The [round, colleague relationship, item] cell of each selected colleague row, flat.

        RELATIONSHIPS has self first, so a colleague's position there less 1 is its position in
        COLLEAGUE_RELATIONSHIPS.
        """
        round_and_relationship = (
            self.round_at[rows].astype(np.int64) * len(COLLEAGUE_RELATIONSHIPS)
            + self.relationship[rows]
            - 1
        )
        return round_and_relationship * self.items + self.item[rows]


def _rows(answers: pd.DataFrame, instrument: Instrument, rounds: Sequence[Hashable]) -> _Rows:
    round_at = pd.Index(rounds).get_indexer(answers["round"]).astype(np.int32)
    if (round_at < 0).any():
        raise ValueError("answers of a round that was not asked for")
    return _Rows(
        round_at=round_at,
        relationship=_positions(answers["relationship"], RELATIONSHIPS),
        item=_positions(answers["item"], [i.key for i in instrument.items]),
        answer_set=pd.factorize(answers["answer_set"])[0].astype(np.int32),
        score=answers["score"].to_numpy(),
        items=len(instrument.items),
    )


def _positions(column: pd.Series, vocabulary: Sequence[str]) -> np.ndarray:
    """Each value's position in `vocabulary`; -1 where it is missing or not in it."""
    values = column.astype("category")
    lookup = {value: n for n, value in enumerate(vocabulary)}
    known = [lookup.get(c, -1) for c in values.cat.categories]
    # Code -1 (missing) picks the -1 added at the end.
    return np.array(known + [-1], dtype=np.int32)[values.cat.codes.to_numpy()]


def _answer_sets(rows: _Rows, rounds: int) -> tuple[np.ndarray, np.ndarray]:
    """Each answer set's place among its round's, and the answer sets per round and
    relationship (answer sets with no answers included)."""
    count = int(rows.answer_set.max(initial=-1)) + 1
    set_round = np.zeros(count, dtype=np.int64)
    set_round[rows.answer_set] = rows.round_at
    if (set_round[rows.answer_set] != rows.round_at).any():
        raise ValueError("an answer set in two rounds")
    set_relationship = np.zeros(count, dtype=np.int64)
    set_relationship[rows.answer_set] = rows.relationship
    per_round = np.bincount(set_round, minlength=rounds)
    order = np.argsort(set_round, kind="stable")
    place = np.empty(count, dtype=np.int64)
    place[order] = np.arange(count) - np.repeat(np.cumsum(per_round) - per_round, per_round)
    known = set_relationship >= 0
    by_relationship = set_round[known] * len(RELATIONSHIPS) + set_relationship[known]
    answered = np.bincount(by_relationship, minlength=rounds * len(RELATIONSHIPS))
    return place, answered.reshape(rounds, len(RELATIONSHIPS))


def _own_scores(rows: _Rows, mine: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """[round, item]: the worker's own score, -1 for none or "not observed"."""
    own = np.full(shape[0] * shape[1], -1, dtype=np.int64)
    scores = rows.score[mine]
    own[rows.at_item(mine)] = np.where(np.isnan(scores), -1, scores).astype(np.int64)
    return own.reshape(shape)


def _cell_sums(
    at: np.ndarray, bits: np.ndarray, scores: np.ndarray, shape: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Who scored each cell (a bitmask), how many, and the total of their scores."""
    size = int(np.prod(shape))
    raters = np.zeros(size, dtype=bits.dtype)
    # An answer set answers an item once (the answer table's key), so adding bits is an OR.
    np.add.at(raters, at, bits)
    ratings = np.bincount(at, minlength=size)
    if (bit_counts(raters) != ratings).any():
        raise ValueError("an answer set scored an item twice")
    totals = np.bincount(at, weights=scores, minlength=size).astype(np.int64)
    return raters.reshape(shape), ratings.reshape(shape), totals.reshape(shape)


def _bits(place: np.ndarray) -> np.ndarray:
    """1 << place: uint64 while no round has more than 64 answer sets, Python ints beyond."""
    if place.size == 0 or place.max() < 64:
        return np.left_shift(np.uint64(1), place.astype(np.uint64))
    return np.array([1 << p for p in place.tolist()], dtype=object)
