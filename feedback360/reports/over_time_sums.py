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
    """One report: its published sums as rows, how many answered per relationship, and which
    relationships' figures are theirs to be seen (a disclosed line manager)."""

    rows: tuple[Row, ...]
    answered: tuple[int, ...]
    known: tuple[bool, ...]


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
        on_y = [_nonzero(block @ basis) for block in y]
        on_z = [_nonzero(block @ basis) for block in z]
        if not any(on_y) or not any(on_z):
            continue  # one report alone: its own audit answered for it
        on_s = [_nonzero((a + b) @ basis) for a, b in zip(y, z, strict=True)]
        people = [
            _people(earlier, newer, r, on_y[n], on_z[n], on_s[n]) for n, r in enumerate(present)
        ]
        if _few_reachable(people):
            return True
    return False


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
    left_known, joined_known = earlier.known[r], newer.known[r]
    a, b = earlier.answered[r], newer.answered[r]
    found = set()
    for steady in range(min(a, b) + 1):
        found.add(
            (
                steady * (on_s and not (left_known or joined_known)),
                (a - steady) * (on_y and not left_known),
                (b - steady) * (on_z and not joined_known),
            )
        )
    return found


def _few_reachable(people: list[set[tuple[int, int, int]]]) -> bool:
    """Can the relationships' people add up to one or two, other than one who left against
    one who joined (a difference of two people's figures, checked at the ends elsewhere)?"""
    for choice in itertools.product(*people):
        steady, left, joined = (sum(part) for part in zip(*choice, strict=True))
        total = steady + left + joined
        if 0 < total < SMALLEST_GROUP and (steady, left, joined) != (0, 1, 1):
            return True
    return False
