"""Cells of a report that its counts settle outright, for over_time.py.

A report's numbers of "not observed" answers (item counts, and group means' numbers of scores)
add up over people. Where some combination of them gives a set of relationships on some items
exactly none or exactly all of their possible "not observed" answers, every one of those
answers is known: nobody there, or everybody there, did not observe. Such cells hide nobody,
so over_time_sums.py does not count their people as cover.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

Row = tuple[tuple[int, ...], ...]


def settled_cells(
    rows: Sequence[Row], unseen: Sequence[float], answered: Sequence[int], items: int
) -> list[list[bool]]:
    """Per relationship, per cell (item by item, scores then "not observed"), settled or not."""
    width = 2 * items
    settled = [[False] * width for _ in answered]
    counted = [(row, v) for row, v in zip(rows, unseen, strict=True) if _counts_unseen(row, v)]
    if not counted:
        return settled
    matrix = np.array([_unseen_part(row) for row, _ in counted], dtype=float)
    values = np.array([v for _, v in counted], dtype=float)
    present = [r for r, n in enumerate(answered) if n]
    # A relationship nobody answered in adds nothing to any sum: its cells are left out, or
    # a sum over every relationship would not count as one over those who answered.
    for r, n in enumerate(answered):
        if not n:
            matrix[:, r * items : (r + 1) * items] = 0
    for size in range(1, len(present) + 1):
        for group in itertools.combinations(present, size):
            for chosen in [*([i] for i in range(items)), list(range(items))]:
                _settle(settled, group, chosen, matrix, values, answered, items)
    return settled


def _counts_unseen(row: Row, value: float) -> bool:
    """A row of "not observed" answers (odd cells only) whose number is published."""
    marked = [n for cells in row for n, c in enumerate(cells) if c]
    return bool(marked) and all(n % 2 for n in marked) and not math.isnan(value)


def _unseen_part(row: Row) -> list[int]:
    return [c for cells in row for c in cells[1::2]]


def _settle(
    settled: list[list[bool]],
    group: tuple[int, ...],
    chosen: list[int],
    matrix: np.ndarray,
    values: np.ndarray,
    answered: Sequence[int],
    items: int,
) -> None:
    target = np.zeros(len(answered) * items)
    for r in group:
        target[[r * items + i for i in chosen]] = 1
    coefficients, *_ = np.linalg.lstsq(matrix.T, target, rcond=None)
    if np.abs(matrix.T @ coefficients - target).max() > 1e-6:
        return  # the counts do not give this set's number of "not observed"
    value = float(coefficients @ values)
    everyone = sum(answered[r] for r in group) * len(chosen)
    if abs(value) > 1e-6 and abs(value - everyone) > 1e-6:
        return
    for r in group:
        for i in chosen:
            settled[r][2 * i + 1] = True
            if abs(value - everyone) <= 1e-6:
                settled[r][2 * i] = True  # nobody scored: no scores to hide either
