"""Can two reports' published sums, combined, rest on one or two colleagues?

A published figure is a sum over cells: (relationship, item, layer), where the layer is the
scores given or the "not observed" answers (a count of scores is the people in the cells
minus those). Per colleague relationship r, a_r answered the earlier round and b_r the newer,
s_r of them both, alike (0 <= s_r <= min(a_r, b_r): the app cannot know, so every value is
tried). A combination of both reports' sums puts weights y on the earlier report's cells and
z on the newer's. On r it rests on the s_r steady people when y + z is nonzero on one of r's
cells, on the a_r - s_r who left when y is, and on the b_r - s_r who joined when z is.

Every way the weights can fall on each relationship (none, the earlier's only, the newer's
only, cancelling, or both) is a subspace of combinations; a generic combination in it is
nonzero wherever the subspace allows, so it rests on the most people the subspace can. If
some choice of the s_r makes that one or two people, the pair singles them out. One leaver
minus one joiner (of any relationships) is a difference of two people's figures, nobody's
own unless it reaches the scale's ends: over_time.py checks those ends on the figures.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SMALLEST_GROUP = 3
NONE, EARLIER, NEWER, CANCEL, BOTH = range(5)
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
    y = _weights(earlier.rows, present)
    z = _weights(newer.rows, present)
    y, z = _beside(y, z)
    for kinds in itertools.product(range(5), repeat=len(present)):
        basis = _null_space(_conditions(kinds, y, z))
        if basis.shape[1] == 0:
            continue
        if not _both_used(y, z, basis):
            continue  # one report alone: its own audit answered for it
        # Known cells cover nobody: the attacker can take them out of any sum.
        hidden_y = [~np.array(earlier.known[r]) for r in present]
        hidden_z = [~np.array(newer.known[r]) for r in present]
        on_y = [_nonzero((b @ basis)[h]) for b, h in zip(y, hidden_y, strict=True)]
        on_z = [_nonzero((b @ basis)[h]) for b, h in zip(z, hidden_z, strict=True)]
        on_s = [
            _nonzero(((a + b) @ basis)[hy & hz])
            for a, b, hy, hz in zip(y, z, hidden_y, hidden_z, strict=True)
        ]
        people = [
            _people(earlier, newer, r, on_y[n], on_z[n], on_s[n]) for n, r in enumerate(present)
        ]
        if _few_reachable(people, _swap_says_nothing(earlier, newer, basis)):
            return True
    return False


def _both_used(y: list, z: list, basis: np.ndarray) -> bool:
    return any(_nonzero(b @ basis) for b in y) and any(_nonzero(b @ basis) for b in z)


def _weights(rows: Sequence[Row], present: list[int]) -> list[np.ndarray]:
    """Per present relationship: [its cells, rows] of weights."""
    return [np.array([row[r] for row in rows], dtype=float).T for r in present]


def _beside(y: list[np.ndarray], z: list[np.ndarray]) -> tuple[list, list]:
    """Both sides' weights over one vector of coefficients: the earlier's rows, then the newer's."""
    ny, nz = y[0].shape[1], z[0].shape[1]
    wide_y = [np.hstack([block, np.zeros((block.shape[0], nz))]) for block in y]
    wide_z = [np.hstack([np.zeros((block.shape[0], ny)), block]) for block in z]
    return wide_y, wide_z


def _conditions(kinds: tuple[int, ...], y: list, z: list) -> np.ndarray:
    blocks = []
    for kind, on_y, on_z in zip(kinds, y, z, strict=True):
        if kind in (NONE, NEWER):
            blocks.append(on_y)
        if kind in (NONE, EARLIER):
            blocks.append(on_z)
        if kind == CANCEL:
            blocks.append(on_y + on_z)
    width = y[0].shape[1]
    return np.vstack(blocks) if blocks else np.zeros((0, width))


def _null_space(matrix: np.ndarray) -> np.ndarray:
    width = matrix.shape[1]
    if matrix.shape[0] == 0:
        return np.eye(width)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    return vt[rank:].T


def _nonzero(weights: np.ndarray) -> bool:
    return bool((np.abs(weights) > 1e-9).any())


def _people(
    earlier: Side, newer: Side, r: int, on_y: bool, on_z: bool, on_s: bool
) -> set[tuple[int, int, int]]:
    """Whom relationship r's weights can rest on, over every overlap: how many steady, how
    many who left and how many who joined."""
    a, b = earlier.answered[r], newer.answered[r]
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
