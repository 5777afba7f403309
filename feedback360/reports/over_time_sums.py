"""Can two reports' published sums, combined, rest on one or two colleagues?

A published figure is a sum over cells: (relationship, item, layer), where the layer is the
scores given or the "not observed" answers (a count of scores is the people in the cells
minus those). Per colleague relationship r, a_r answered the earlier round and b_r the newer,
s_r of them both, alike (0 <= s_r <= min(a_r, b_r): the app cannot know, so every value is
tried). A combination of both reports' sums puts weights y on the earlier report's cells and
z on the newer's. On r it rests on the s_r steady people when y + z is nonzero on one of r's
cells, on the a_r - s_r who left when y is, and on the b_r - s_r who joined when z is.

Cells a report gives away whole cover nobody: the weights on them are free. So a combination
rests, per relationship, on some of its three parts (steady, left, joined), judged on the
cells that hide them. Asking that it rest on no part outside a pattern gives a subspace whose
generic member rests on exactly the pattern's parts; every pattern some overlap could make one
or two people is tried. One leaver minus one joiner (of any relationships) is a difference of
two people's figures, nobody's own, unless their "not observed" answers differ; a difference
that pins them at the ends of the scale is over_time_ends.py's to find.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SMALLEST_GROUP = 3
# (steady, left, joined): which parts of one relationship a combination may rest on
PATTERNS = tuple(itertools.product((False, True), repeat=3))
Row = tuple[tuple[int, ...], ...]  # per relationship, its weights on that relationship's cells


@dataclass(frozen=True, slots=True)
class Side:
    """One report: its published sums as rows, how many answered per relationship, and per
    relationship which of its cells are known outright: a disclosed line manager's, and those
    of a group whose figure is unanimous at an end (all 1s, all 5s, nobody "not observed")."""

    rows: tuple[Row, ...]
    answered: tuple[int, ...]
    known: tuple[tuple[bool, ...], ...]
    # Per row: its number of "not observed" answers (0 for a row of scores; nan: not known).
    unseen: tuple[float, ...]


def pair_exposes(earlier: Side, newer: Side) -> bool:
    """Does some combination of both sides' sums rest on one or two people?"""
    if not earlier.rows or not newer.rows:
        return False
    return _exposes(earlier, newer)


@lru_cache(maxsize=4096)
def _exposes(earlier: Side, newer: Side) -> bool:
    present = [
        n for n, (a, b) in enumerate(zip(earlier.answered, newer.answered, strict=True)) if a or b
    ]
    if not present:
        return False
    if any(_pinned_between(earlier, newer, r) for r in present):
        return True
    y, z = _beside(_weights(earlier.rows, present), _weights(newer.rows, present))
    # Known cells cover nobody: the attacker can take them out of any sum. A steady
    # colleague's cell known from either report is known in both: they answered alike.
    hidden_y = [~np.array(earlier.known[r]) for r in present]
    hidden_z = [~np.array(newer.known[r]) for r in present]
    hidden_s = [hy & hz for hy, hz in zip(hidden_y, hidden_z, strict=True)]
    blocks = [
        _Blocks(on_y[hy], on_z[hz], (on_y + on_z)[hs])
        for on_y, on_z, hy, hz, hs in zip(y, z, hidden_y, hidden_z, hidden_s, strict=True)
    ]
    sizes = [(earlier.answered[r], newer.answered[r]) for r in present]
    for basis in _subspaces(blocks, sizes, y[0].shape[1]):
        people = [
            _people(a, b, *(_nonzero(part @ basis) for part in (k.steady, k.left, k.joined)))
            for (a, b), k in zip(sizes, blocks, strict=True)
        ]
        if _few_reachable(people, _swap_says_nothing(earlier, newer, basis)):
            return True
    return False


def _pinned_between(earlier: Side, newer: Side, r: int) -> bool:
    """Are colleagues who answered both rounds pinned on some item by what each report gives
    away, though neither does on its own? Say everyone scored the item then, and everyone who
    scored it now gave 5: those who answered both scored it now, and gave 5. One or two of
    them may be all there are in the relationship."""
    if not min(earlier.answered[r], newer.answered[r]):
        return False
    then, now = earlier.known[r], newer.known[r]
    for scores, unseen in zip(range(0, len(then), 2), range(1, len(then), 2), strict=True):
        alone = (then[scores] and then[unseen]) or (now[scores] and now[unseen])
        if not alone and (then[scores] or now[scores]) and (then[unseen] or now[unseen]):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Blocks:
    """One relationship's weights on the cells that hide its leavers, joiners and steady."""

    left: np.ndarray
    joined: np.ndarray
    steady: np.ndarray


def _subspaces(
    blocks: list[_Blocks], sizes: list[tuple[int, int]], width: int
) -> Iterator[np.ndarray]:
    """Bases of the combinations that rest on no part outside a pattern, for every pattern
    that some overlap can make one or two people.

    A pattern says, per relationship, on which of its steady, leavers and joiners a combination
    may rest. The generic combination of a pattern's subspace rests on exactly its parts (or
    fewer, which is another pattern), so trying every pattern tries every combination that
    matters. The walk narrows the subspace one relationship at a time, so patterns that share
    a beginning share its work, and an empty subspace ends its branch.
    """

    def walk(n: int, basis: np.ndarray, fewest: int) -> Iterator[np.ndarray]:
        if n == len(blocks):
            yield basis
            return
        a, b = sizes[n]
        for pattern in PATTERNS:
            more = _fewest(a, b, pattern)
            if fewest + more > 2:
                continue
            rows = _conditions(pattern, blocks[n], width)
            narrowed = basis if rows.shape[0] == 0 else basis @ _null_space(rows @ basis)
            if narrowed.shape[1]:
                yield from walk(n + 1, narrowed, fewest + more)

    yield from walk(0, np.eye(width), 0)


def _fewest(a: int, b: int, pattern: tuple[bool, ...]) -> int:
    """The fewest people a pattern rests on in one relationship, over every overlap."""
    steady, left, joined = pattern
    return min(s * steady + (a - s) * left + (b - s) * joined for s in range(min(a, b) + 1))


def _weights(rows: Sequence[Row], present: list[int]) -> list[np.ndarray]:
    """Per present relationship: [its cells, rows] of weights."""
    return [np.array([row[r] for row in rows], dtype=float).T for r in present]


def _beside(y: list[np.ndarray], z: list[np.ndarray]) -> tuple[list, list]:
    """Both sides' weights over one vector of coefficients: the earlier's rows, then the newer's."""
    ny, nz = y[0].shape[1], z[0].shape[1]
    wide_y = [np.hstack([block, np.zeros((block.shape[0], nz))]) for block in y]
    wide_z = [np.hstack([np.zeros((block.shape[0], ny)), block]) for block in z]
    return wide_y, wide_z


def _conditions(pattern: tuple[bool, ...], k: _Blocks, width: int) -> np.ndarray:
    """The combination rests on none of one relationship's parts the pattern leaves out."""
    rows = [
        part
        for allowed, part in zip(pattern, (k.steady, k.left, k.joined), strict=True)
        if not allowed
    ]
    return np.vstack(rows) if rows else np.zeros((0, width))


def _null_space(matrix: np.ndarray) -> np.ndarray:
    width = matrix.shape[1]
    if matrix.shape[0] == 0:
        return np.eye(width)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    return vt[rank:].T


def _nonzero(weights: np.ndarray) -> bool:
    return bool((np.abs(weights) > 1e-9).any())


def _people(a: int, b: int, on_s: bool, on_y: bool, on_z: bool) -> set[tuple[int, int, int]]:
    """Whom one relationship's weights can rest on, over every overlap: how many steady, how
    many who left and how many who joined, of a who answered the earlier round and b the newer."""
    return {
        (steady * on_s, (a - steady) * on_y, (b - steady) * on_z) for steady in range(min(a, b) + 1)
    }


def _swap_says_nothing(earlier: Side, newer: Side, basis: np.ndarray) -> bool:
    """Do the combinations give one leaver's "not observed" answers less one joiner's as 0?

    A difference of two people's scores says little, but "not observed" is 0 or 1 per item, so
    any other difference sits at the ends for someone. Unknown counts are assumed to differ.
    """
    values = np.array([*earlier.unseen, *newer.unseen], dtype=float)
    values = np.where(np.isnan(values), 1000.0 + np.arange(len(values)), values)
    return not _nonzero(values @ basis)


def _few_reachable(people: list[set[tuple[int, int, int]]], swap_allowed: bool) -> bool:
    """Can the relationships' people add up to one or two, other than one who left against
    one who joined (when that says nothing: a difference of two people's scores is nobody's,
    and its ends are checked on the figures in over_time.py)?"""
    for choice in itertools.product(*people):
        steady, left, joined = (sum(part) for part in zip(*choice, strict=True))
        total = steady + left + joined
        if 0 < total < SMALLEST_GROUP and not (
            swap_allowed and (steady, left, joined) == (0, 1, 1)
        ):
            return True
    return False
