"""A report's figures as sums over sets of cells, added and taken away as far as they go.

A cell is one relationship's answers to one item. A figure states the "not observed" answers
and the scores added up over its cells; adding and taking away figures gives the same over
other sets of cells, and a figure where nobody, or everybody, did not observe (or every score
sits at an end of the scale) gives each of its cells away. over_time_ends.py reads these.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

Cells = tuple[frozenset[str], frozenset[str]]  # relationships, items


@dataclass(frozen=True, slots=True)
class Figure:
    """A published figure as sums over its cells; None where a sum is not published."""

    cells: Cells
    unseen: int | None  # "not observed" answers
    total: int | None  # the scores added up
    # A mean over a number of scores that is not published: no exact sum, but not nothing.
    mean_over_unknown: bool = False


@dataclass(frozen=True, slots=True)
class Tally:
    """One report's sums over a set of cells, as published or as its figures give them."""

    people: int  # colleagues in the cells' relationships who answered the round
    items: int
    unseen: int | None
    total: int | None
    mean_over_unknown: bool = False

    @property
    def scored(self) -> int | None:
        return None if self.unseen is None else self.people * self.items - self.unseen


@dataclass(frozen=True, slots=True)
class Each:
    """What each of a relationship's people gave on some items: their "not observed" answers,
    and the least and most their scores' total can be above the bottom of the scale."""

    unseen: int
    least: int
    most: int

    @property
    def above(self) -> int | None:
        """The scores' total above the bottom, where the figures give it away."""
        return self.least if self.least == self.most else None


class Sums:
    """What one report's figures give, added and taken away, over any set of cells."""

    def __init__(
        self,
        figures: Sequence[Figure],
        answered: Mapping[str, int],
        relationships: Sequence[str],
        items: Sequence[str],
        scale: tuple[int, int],
    ) -> None:
        self.answered, (self.bottom, self.top) = answered, scale
        self.columns = [(r, i) for r in relationships for i in items]
        # Every set of relationships, for sums the figures give without naming them.
        self.relationship_sets = [
            frozenset(chosen)
            for size in range(1, len(relationships) + 1)
            for chosen in itertools.combinations(relationships, size)
        ]
        self.unseen = _System([(self._row(f.cells), f.unseen) for f in figures])
        self.totals = _System([(self._row(f.cells), f.total) for f in figures])
        self.unknown = {f.cells for f in figures if f.mean_over_unknown}
        self.figures = figures
        self._found: dict[Cells, Tally | None] = {}

    def tally(self, cells: Cells) -> Tally | None:
        """The cells' sums, or None when the figures give neither."""
        if cells not in self._found:
            self._found[cells] = self._tally(cells)
        return self._found[cells]

    def each(self, relationship: str, items: frozenset[str]) -> Each | None:
        """What each of the relationship's people gave on the items, where the figures give
        it away; None where they do not."""
        if not self.answered.get(relationship, 0):
            return None
        unseen, least, most = 0, 0, 0
        for item in items:
            cell = (frozenset((relationship,)), frozenset((item,)))
            missed = self._unseen_each(cell)
            if missed is None:
                return None
            unseen += missed
            if not missed:
                low, high = self._score_range(cell)
                least, most = least + low, most + high
        return Each(unseen, least, most)

    def _unseen_each(self, cell: Cells) -> int | None:
        """1 when each of the cell's people did not observe, 0 when each did: some set of
        cells around it, published or worked out, has nobody or everybody not observing."""
        for found in self._around(cell):
            if found.unseen is not None and found.unseen in (0, found.people * found.items):
                return int(found.unseen > 0)
        return None

    def _score_range(self, cell: Cells) -> tuple[int, int]:
        """The least and most each score on the cell's item can be above the bottom of the
        scale, where everyone in the cell scored it. A sum of scores bounds each of them: a
        mean of 4.5 over two scores on a scale to 5 puts both at 4 or 5, and a mean at an
        end of the scale, or one person's score, gives each away."""
        least, most = 0, self.top - self.bottom
        for found in self._around(cell):
            if found.total is not None and found.scored:
                others = found.scored - 1
                least = max(least, found.total - others * self.top - self.bottom)
                most = min(most, found.total - others * self.bottom - self.bottom)
        return least, most

    def _around(self, cell: Cells) -> Iterator[Tally]:
        """The sums the figures give over every set of cells that takes in `cell`: any
        relationships with the cell's, by the cell's item or a figure's items with it."""
        relationships, items = cell
        item_sets = [items, *{f.cells[1] for f in self.figures if items < f.cells[1]}]
        for more in self.relationship_sets:
            if relationships <= more:
                for chosen in item_sets:
                    found = self.tally((more, chosen))
                    if found is not None and found.people:
                        yield found

    def _tally(self, cells: Cells) -> Tally | None:
        row = self._row(cells)
        unseen, total = self.unseen.solve(row), self.totals.solve(row)
        if unseen is None and total is None and cells not in self.unknown:
            return None
        people = sum(self.answered.get(r, 0) for r in cells[0])
        return Tally(people, len(cells[1]), unseen, total, cells in self.unknown)

    def _row(self, cells: Cells) -> np.ndarray:
        """1 on the cells, except those of a relationship nobody answered: they hold nothing."""
        relationships, items = cells
        return np.array(
            [
                r in relationships and i in items and self.answered.get(r, 0) > 0
                for r, i in self.columns
            ],
            dtype=float,
        )


class _System:
    """Published sums as rows over cells, and the values they state."""

    def __init__(self, rows: Iterable[tuple[np.ndarray, int | None]]) -> None:
        known = [(row, value) for row, value in rows if value is not None]
        self.matrix = np.array([row for row, _ in known]) if known else None
        self.values = np.array([value for _, value in known], dtype=float)
        # One pseudo-inverse for every question asked of these rows: the least-squares
        # combination of them nearest to any set of cells is that set times it.
        self.inverse = None if self.matrix is None else np.linalg.pinv(self.matrix)

    def solve(self, row: np.ndarray) -> int | None:
        """The sum over `row`'s cells, when some combination of the rows is exactly it."""
        if self.matrix is None or not row.any():
            return None
        coefficients = row @ self.inverse
        if np.abs(coefficients @ self.matrix - row).max() > 1e-6:
            return None
        return round(float(coefficients @ self.values))
