"""The same cells summed in both reports: is their difference at an end of its range?

Over one set of cells (relationships by items) whose sums both reports give, directly or by
adding and taking away their figures, the newer's sums less the earlier's are what those who
joined gave less what those who left gave. That difference has a range, and at either end of
it every one of them gave the most or the least they could: all "not observed", or every score
at the top or the bottom of the scale. over_time_sums.py asks which combinations rest on one
or two people; this asks which rest on more but are pinned by where they sit. Nobody knows
who answered both rounds, so every overlap is tried.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from .over_time_sums import SMALLEST_GROUP
from .over_time_tallies import Each, Tally


@dataclass(frozen=True, slots=True)
class People:
    """One relationship's colleagues in a set of cells: how many answered each round, and
    what each gave there where that round's figures give it away."""

    then: int
    now: int
    then_each: Each | None = None
    now_each: Each | None = None
    # A line manager the round's report names: pinning them is no leak, but they still move
    # the difference.
    then_named: bool = False
    now_named: bool = False

    @property
    def apart(self) -> bool:
        """Counted one overlap at a time, not with the rest."""
        return bool(self.then_each or self.now_each or self.then_named or self.now_named)


def ends_reached(now: Tally, then: Tally, people: Sequence[People], bottom: int, top: int) -> bool:
    """Can some overlap put the difference at an end of its range while one or two joined or
    left, so that it pins what they gave? Those whose answers a report gives away are taken
    out first: they cover nobody."""
    known = [p for p in people if p.apart]
    rest = [p for p in people if not p.apart]
    most = sum(min(p.then, p.now) for p in rest)
    for steady_known in itertools.product(*(range(min(p.then, p.now) + 1) for p in known)):
        for steady_rest in range(most + 1):
            moved = _Moved(now.items, known, steady_known, rest, steady_rest)
            if _unseen_at_an_end(now, then, moved) or _scores_at_an_end(
                now, then, moved, top - bottom, bottom
            ):
                return True
    return False


class _Moved:
    """For one overlap: how many joined and left whose answers no figure gives away, and what
    those given away add to the differences, in "not observed" answers, in scores, and in
    scores above the bottom of the scale."""

    def __init__(
        self,
        items: int,
        known: Sequence[People],
        steady: Sequence[int],
        rest: Sequence[People],
        more_steady: int,
    ) -> None:
        joined = sum(p.now for p in rest) - more_steady
        left = sum(p.then for p in rest) - more_steady
        # Per layer ("not observed", scores): how many moved whose answers no figure gives
        # away, and how many of those the reports do not name; then what the known add.
        self.joined, self.left = [joined, joined], [left, left]
        self.anonymous_joined, self.anonymous_left = [joined, joined], [left, left]
        self.unseen = self.scored = self.above = 0
        for p, s in zip(known, steady, strict=True):
            self._add(p.now - s, p.now_each, p.now_named, items, 1)
            self._add(p.then - s, p.then_each, p.then_named, items, -1)

    def _add(self, count: int, each: Each | None, named: bool, items: int, sign: int) -> None:
        free = self.joined if sign > 0 else self.left
        anonymous = self.anonymous_joined if sign > 0 else self.anonymous_left
        for layer in (0, 1):
            if each is None or (layer and each.above is None):
                free[layer] += count
                anonymous[layer] += 0 if named else count
        if each is None:
            return
        self.unseen += sign * count * each.unseen
        if each.above is not None:
            self.scored += sign * count * (items - each.unseen)
            self.above += sign * count * each.above

    def few(self, layer: int) -> bool:
        """One or two colleagues the reports do not name would be pinned at an end."""
        return _few(self.anonymous_joined[layer]) or _few(self.anonymous_left[layer])


def _few(people: int) -> bool:
    return 0 < people < SMALLEST_GROUP


def _unseen_at_an_end(now: Tally, then: Tally, moved: _Moved) -> bool:
    """All who joined did not observe any item and all who left observed every one, or the
    other way round (of those whose answers no figure gives away)."""
    joined, left = moved.joined[0], moved.left[0]
    if now.unseen is None or then.unseen is None or not moved.few(0):
        return False
    difference = now.unseen - then.unseen - moved.unseen
    return difference in (joined * now.items, -left * now.items)


def _scores_at_an_end(now: Tally, then: Tally, moved: _Moved, span: int, bottom: int) -> bool:
    """Every score of those who joined at the top and of those who left at the bottom, or
    the other way round, with as many scores among them as the counts allow."""
    joined, left = moved.joined[1], moved.left[1]
    if not moved.few(1):
        return False
    if now.mean_over_unknown or then.mean_over_unknown:
        return True  # a mean over an unknown number of scores: assume the worst
    if None in (now.total, then.total, now.scored, then.scored):
        return False
    more_scores = now.scored - then.scored - moved.scored
    fewer_unseen = max(0, now.items * (joined - left) - more_scores)
    by_joiners = joined * now.items - fewer_unseen
    by_leavers = by_joiners - more_scores
    if by_joiners < 0 or by_leavers < 0 or by_joiners + by_leavers == 0:
        return False
    above = (now.total - bottom * now.scored) - (then.total - bottom * then.scored) - moved.above
    return above in (span * by_joiners, -span * by_leavers)
