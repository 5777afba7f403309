"""Highlights: the highest and lowest rated items, blind spots and hidden strengths.

Made from already-published item means only, so they add nothing the rules have not allowed.
"""

from __future__ import annotations

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
