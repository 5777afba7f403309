"""Highlights: the highest and lowest rated items, blind spots and hidden strengths.

Made from already-published item means only, so they add nothing the rules have not allowed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ..instruments.model import Instrument
from .report import ItemHighlight, ItemResult
from .rules import AnonymityRules


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
    """Where one round's highlights are, as positions in instrument.items, and how many items
    tied with the last of `highest` (and of `lowest`) were left out of it."""

    highest: list[int]
    lowest: list[int]
    blind_spots: list[int]
    hidden_strengths: list[int]
    highest_tied_out: int
    lowest_tied_out: int


def highlighted(means: np.ndarray, own: np.ndarray, rules: AnonymityRules) -> list[Highlighted]:
    """Per round: colleagues' highest and lowest rated items (no item in both), blind spots and
    hidden strengths, widest first.

    A hidden strength is rated highly by colleagues (mean at least `strength_min`) and at least
    `gap` lower by the worker; a blind spot the reverse (own score at least `strength_min`,
    colleagues at least `gap` lower). Neither contradicts a ranking: no item among the lowest
    rated is a hidden strength, and none among the highest rated a blind spot.

    `means` is [round, item], colleagues' mean where it is shown, NaN elsewhere; `own` the
    worker's score, NaN where none. NaN fails every comparison, so those items drop out.
    """
    widest = -np.abs(own - means)
    ranked = _ranked(-means, ~np.isnan(means))
    blind_spots = _ranked(widest, (own >= rules.strength_min) & (own - means >= rules.gap))
    hidden_strengths = _ranked(widest, (means >= rules.strength_min) & (means - own >= rules.gap))
    ends = [_ends(order, rules.highlights) for order in ranked]
    highest, lowest = [e[0] for e in ends], [e[1] for e in ends]
    tied_high, tied_low = _tied_out(means, highest).tolist(), _tied_out(means, lowest).tolist()
    return [
        Highlighted(
            high,
            low,
            [i for i in blind if i not in high],
            [i for i in hidden if i not in low],
            tied_high[n],
            tied_low[n],
        )
        for n, (high, low, blind, hidden) in enumerate(
            zip(highest, lowest, blind_spots, hidden_strengths, strict=True)
        )
    ]


def _tied_out(means: np.ndarray, listed: list[list[int]]) -> np.ndarray:
    """[round]: items with the colleague mean of the last listed one that are not listed."""
    rounds = np.arange(len(listed))
    last = np.array([row[-1] if row else -1 for row in listed], dtype=np.int64)
    cut = np.where(last >= 0, means[rounds, np.maximum(last, 0)], np.nan)
    tied = means == cut[:, None]  # NaN equals nothing: no list, nothing tied
    inside = np.zeros_like(tied)
    at = list(itertools.chain.from_iterable(listed))
    inside[np.repeat(rounds, [len(row) for row in listed]), at] = True
    return (tied & ~inside).sum(axis=1)


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


def item_highlights(made: list[ItemResult], instrument: Instrument) -> list[ItemHighlight | None]:
    """The highlight of each distinct ItemResult whose colleague mean is shown."""
    capability = {i.key: c.name for c in instrument.capabilities for i in c.items}
    return [
        None if item.colleague_mean is None else highlight(capability[item.key], item)
        for item in made
    ]


def means_and_own(made: list[ItemResult], numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[round, item]: the colleague mean where shown and the worker's score, NaN for none."""
    means = [np.nan if i.colleague_mean is None else i.colleague_mean for i in made]
    own = [np.nan if i.self_score is None else i.self_score for i in made]
    return np.array(means, dtype=float)[numbers], np.array(own, dtype=float)[numbers]
