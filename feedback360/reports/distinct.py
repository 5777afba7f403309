"""Numbering equal rows, counting bits, sharing made objects: used by every step of the cohort path.

A cohort repeats most of its figures, so each step works out each distinct one once (distinct_rows)
and hands the same frozen object to every round that has it (shared).
"""

from __future__ import annotations

import numpy as np


def distinct_rows(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The rows of integer columns numbered 0, 1, ..., equal rows alike; and a row of each number.

    The columns are packed into one integer per row, so that this is a sort of plain numbers.
    """
    packed, size = np.zeros(len(columns[0]), dtype=np.int64), 1
    for column in columns:
        radix = int(column.max(initial=0)) + 1
        if radix > len(column) or column.min(initial=0) < 0:
            column = np.unique(column, return_inverse=True)[1].astype(np.int64)
            radix = int(column.max(initial=0)) + 1
        if size * radix >= 1 << 62:
            # Renumber what is packed so far to make room: equal rows still get equal numbers.
            packed = np.unique(packed, return_inverse=True)[1].astype(np.int64)
            size = int(packed.max(initial=0)) + 1
        packed, size = packed * radix + column, size * radix
    _, firsts, numbers = np.unique(packed, return_index=True, return_inverse=True)
    return numbers.ravel(), firsts


def bit_counts(masks: np.ndarray) -> np.ndarray:
    """How many answer sets each bitmask holds."""
    if masks.dtype == object:
        return np.array([m.bit_count() for m in masks.ravel().tolist()]).reshape(masks.shape)
    return np.bitwise_count(masks).astype(np.int64)


def shared(made: list, numbers: np.ndarray) -> list[list]:
    """[row][column] -> made[numbers[row, column]]; `numbers` has two dimensions, as deeper
    nested lists are much slower to make."""
    shared = np.empty(len(made), dtype=object)
    shared[:] = made
    return shared[numbers].tolist()
