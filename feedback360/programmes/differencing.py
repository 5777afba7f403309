"""Whether a collection of published worker sets lets a lead single out fewer than five workers.

A lead sees a sum (a mean times a count, a band's count) over each published set. Adding and
subtracting those sums, with any whole-number coefficients, gives the sum over any vector in the
span of the sets' indicator vectors. The sets are safe together when every non-zero vector in
that span touches at least `minimum` workers: no combination of views, however many, isolates
fewer (the pairwise "five apart" rule is the case of two sets).

Every published set is a union of the atoms of the partition the sets make (workers who are in
exactly the same sets), so every vector of the span is constant on each atom and its support is a
union of atoms. A non-zero vector of the span lies inside a group of atoms A exactly when leaving
A's columns out lowers the rank: rank(M) > rank(M without A), where M has a row per set and a
column per atom. So the check is exact: try every group of atoms with fewer than `minimum`
workers in all (at most minimum - 1 atoms, each with at least one worker) and refuse if any of
them can be isolated. The ranks are computed over fractions, so no rounding decides anything.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction


def atoms(sets: Sequence[frozenset[int]]) -> list[frozenset[int]]:
    """The workers grouped by which of the sets they belong to (only those in at least one)."""
    # Refining by whole-set intersections keeps the work in C: a cohort of 10,000 workers and
    # a few dozen views is split in milliseconds.
    groups: list[frozenset[int]] = [frozenset().union(*sets)] if sets else []
    for s in sets:
        groups = [part for g in groups for part in (g & s, g - s) if part]
    return sorted(groups, key=lambda g: (len(g), min(g)))


def rank(rows: Sequence[Sequence[int]]) -> int:
    """The exact rank of a small whole-number matrix (Gaussian elimination over fractions)."""
    matrix = [[Fraction(x) for x in row] for row in rows if any(row)]
    found = 0
    columns = len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((r for r in range(found, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
        for r in range(len(matrix)):
            if r != found and matrix[r][column] != 0:
                factor = matrix[r][column] / matrix[found][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[found], strict=True)]
        found += 1
    return found


def smallest_isolated(sets: Sequence[frozenset[int]], minimum: int) -> frozenset[int] | None:
    """A group of fewer than `minimum` workers some combination of the sets isolates, or None."""
    groups = atoms(sets)
    matrix = [[int(group <= s) for group in groups] for s in sets]
    full = rank(matrix)
    small = [i for i, group in enumerate(groups) if len(group) < minimum]
    for size in range(1, minimum):
        for chosen in itertools.combinations(small, size):
            workers = frozenset().union(*(groups[i] for i in chosen))
            if len(workers) >= minimum:
                continue
            rest = [[row[j] for j in range(len(groups)) if j not in chosen] for row in matrix]
            if rank(rest) < full:
                return workers
    return None


def safe_together(sets: Sequence[frozenset[int]], minimum: int) -> bool:
    """Whether these sets may all be published: no combination isolates fewer than `minimum`."""
    return smallest_isolated(sets, minimum) is None
