"""A report's published figures as sums over cells, the form over_time.py's checks read.

A cell is one relationship's answers to one item, in one layer: the scores given, or the
"not observed" answers. over_time_sums.py reads the sums as rows over cells (a Side);
over_time_ends.py reads them as numbers over sets of cells (Figures).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .over_time_known import settled_cells
from .over_time_sums import Row, Side
from .over_time_tallies import Figure
from .report import LINE_MANAGER, CapabilityResult, ItemResult, Report, Score

RELATIONSHIPS = (LINE_MANAGER, "peer", "direct_report", "other")
SCORES, UNSEEN = 0, 1  # a cell's layers
BOTH_LAYERS = (SCORES, UNSEEN)


@dataclass(frozen=True, slots=True)
class Sum:
    """One published figure: the relationships and items it adds up, the layers it states
    (a mean adds scores, its count the "not observed" answers), and the layers it gives away
    whole (a mean at an end of the scale; nobody, or everybody, not observing)."""

    members: tuple[str, ...]
    items: tuple[str, ...]
    layers: tuple[int, ...]
    given: tuple[int, ...]
    # Per layer, its number of "not observed" answers as Side.unseen wants it (nan: unknown).
    unseen: tuple[float, ...]
    total: int | None  # the scores added up, when the mean's count is published
    mean_over_unknown: bool = False

    def figure(self) -> Figure:
        counted = self.unseen[-1]
        unseen = None if math.isnan(counted) else int(counted)
        cells = (frozenset(self.members), frozenset(self.items))
        return Figure(cells, unseen, self.total, self.mean_over_unknown)


def sums_of(report: Report, capability: CapabilityResult, scores, items) -> list[Sum]:
    """The sums stated by the capability's group means `scores` and item figures `items`."""
    return [_score_sum(report, capability, s) for s in scores] + [
        _item_sum(report, i) for i in items
    ]


def _score_sum(report: Report, capability: CapabilityResult, score: Score) -> Sum:
    group = report.group(score.group)
    members = () if group is None else group.members
    behind = 0 if group is None else group.answered * len(capability.figure_items)
    everyone = group is not None and score.ratings == behind
    given = (SCORES,) * (score.mean in ends(report)) + (UNSEEN,) * everyone
    unseen = (0.0, float(behind - score.ratings))
    total = round(score.mean * score.ratings)
    return Sum(members, capability.figure_items, BOTH_LAYERS, given, unseen, total)


def _item_sum(report: Report, item: ItemResult) -> Sum:
    mean_known = item.colleague_mean is not None and item.colleague_mean in ends(report)
    unseen_known = item.ratings is not None and 0 in (item.ratings, item.not_observed)
    given = (SCORES,) * mean_known + (UNSEEN,) * unseen_known
    counted = float("nan") if item.not_observed is None else float(item.not_observed)
    if item.colleague_mean is None:
        return Sum(RELATIONSHIPS, (item.key,), (UNSEEN,), given, (counted,), None)
    # A mean adds scores up over those who scored (an unknown count: both layers, to be safe).
    total = None if item.ratings is None else round(item.colleague_mean * item.ratings)
    unknown = item.ratings is None
    return Sum(RELATIONSHIPS, (item.key,), BOTH_LAYERS, given, (0.0, counted), total, unknown)


def ends(report: Report) -> tuple[float, float]:
    values = [float(p.value) for p in report.scale]
    return min(values), max(values)


def shown_items(capability: CapabilityResult) -> list[ItemResult]:
    """Items with a colleague figure: a mean, or their numbers of scores and "not observed"."""
    return [i for i in capability.items if i.colleague_mean is not None or i.ratings is not None]


def earlier_sums(old: Report, capability: CapabilityResult) -> list[Sum]:
    """The earlier report's sums that share an item with this capability."""
    keys = {i.key for i in capability.items}
    found = []
    for earlier in old.capabilities:
        if keys & set(earlier.figure_items):
            found += sums_of(old, earlier, earlier.scores, [])
        found += sums_of(old, earlier, [], [i for i in shown_items(earlier) if i.key in keys])
    return found


def answered(report: Report) -> dict[str, int]:
    return {c.relationship: c.answered for c in report.counts}


def side_of(report: Report, sums: Sequence[Sum], universe: Sequence[str]) -> Side:
    """The sums as rows over (relationship, item, layer) cells: each sum gives two, its scores
    and its "not observed" answers (the count of scores is the people less those)."""
    rows = [_row(s.members, s.items, layer, universe) for s in sums for layer in s.layers]
    counted = answered(report)
    people = tuple(counted.get(r, 0) for r in RELATIONSHIPS)
    unseen = tuple(v for s in sums for v in s.unseen)
    known = _known_cells(report, sums, universe)
    settled = settled_cells(rows, unseen, people, len(universe))
    return Side(
        rows=tuple(rows),
        answered=people,
        known=tuple(
            tuple(k or s for k, s in zip(ks, ss, strict=True))
            for ks, ss in zip(known, settled, strict=True)
        ),
        unseen=unseen,
    )


def _known_cells(
    report: Report, sums: Sequence[Sum], universe: Sequence[str]
) -> tuple[tuple[bool, ...], ...]:
    """Per relationship, its cells that a published figure gives away whole."""
    disclosed = report.group(LINE_MANAGER) is not None
    known = [[disclosed and r == LINE_MANAGER] * (2 * len(universe)) for r in RELATIONSHIPS]
    for s in sums:
        for layer in s.given:
            row = _row(s.members, s.items, layer, universe)
            for cells, marks in zip(known, row, strict=True):
                cells[:] = [k or bool(m) for k, m in zip(cells, marks, strict=True)]
    return tuple(tuple(cells) for cells in known)


def _row(members: Sequence[str], items: Sequence[str], layer: int, universe: Sequence[str]) -> Row:
    cells = [(item, at) for item in universe for at in (SCORES, UNSEEN)]
    return tuple(
        tuple(int(r in members and item in items and at == layer) for item, at in cells)
        for r in RELATIONSHIPS
    )


def universe_of(capability: CapabilityResult, sums: Sequence[Sum]) -> tuple[str, ...]:
    keys = [i.key for i in capability.items]
    for s in sums:
        keys += [k for k in s.items if k not in keys]
    return tuple(keys)
