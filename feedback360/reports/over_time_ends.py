"""The same items summed in both reports: is their difference at an end of its range?

Over one set of items whose sums both reports give, directly or by adding and taking away their
figures, over some relationships (the same in both, or one report's within the other's, where
everyone of a relationship only one sum takes in counts as having joined or left), the newer's
sums less the earlier's are what those who joined gave less what those who left gave. That
difference has a range, and at either end of it every one of them gave the most or the least
they could. Each person can give from all "not observed" to every score at the top of the
scale; where a report gives a relationship's own sums over the items, those bound its people
more tightly: those who left gave no more than their relationship's whole sum then, and no
less than what those who stayed could not cover. over_time_sums.py asks which combinations
rest on one or two people; this asks which rest on more but are pinned by where they sit.
Nobody knows who answered both rounds, so every overlap is tried.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from .over_time_sums import SMALLEST_GROUP
from .over_time_tallies import Each, Tally

UNSEEN, SCORES = 0, 1  # the layers: "not observed" answers, and scores above the bottom


@dataclass(frozen=True, slots=True)
class People:
    """One relationship's colleagues in a set of cells: how many answered each round, what
    each gave there where that round's figures give it away, and the relationship's own sums
    over the cells where they give those."""

    then: int
    now: int
    then_each: Each | None = None
    now_each: Each | None = None
    # A line manager the round's report names: pinning them is no leak, but they still move
    # the difference.
    then_named: bool = False
    now_named: bool = False
    then_sums: Tally | None = None
    now_sums: Tally | None = None

    @property
    def apart(self) -> bool:
        """Counted one overlap at a time, not with the rest."""
        return bool(
            self.then_each
            or self.now_each
            or self.then_named
            or self.now_named
            or self.then_sums
            or self.now_sums
        )


@dataclass(frozen=True, slots=True)
class Scale:
    """The answer scale, as its bottom and how far above it a score can go."""

    bottom: int
    span: int  # the top less the bottom


def ends_reached(now: Tally, then: Tally, people: Sequence[People], bottom: int, top: int) -> bool:
    """Can some overlap put the difference at an end of its range while one or two joined or
    left, so that it pins what they gave? Those whose answers a report gives away are taken
    out first: they cover nobody."""
    scale = Scale(bottom, top - bottom)
    known = [p for p in people if p.apart]
    rest = [p for p in people if not p.apart]
    most = sum(min(p.then, p.now) for p in rest)
    for steady_known in itertools.product(*(range(min(p.then, p.now) + 1) for p in known)):
        for steady_rest in range(most + 1):
            moved = _Moved(now.items, scale, known, steady_known, rest, steady_rest)
            if _unseen_at_an_end(now, then, moved) or _scores_at_an_end(now, then, moved, scale):
                return True
    return False


class _Moved:
    """For one overlap: how many joined and left whose answers no figure gives away, how far
    their sums can reach in each layer, and what those given away add to the differences, in
    "not observed" answers, in scores, and in scores above the bottom of the scale."""

    def __init__(
        self,
        items: int,
        scale: Scale,
        known: Sequence[People],
        steady: Sequence[int],
        rest: Sequence[People],
        more_steady: int,
    ) -> None:
        self.items, self.scale = items, scale
        joined = sum(p.now for p in rest) - more_steady
        left = sum(p.then for p in rest) - more_steady
        # Per layer: how many moved whose answers no figure gives away, how many of those the
        # reports do not name, and the least and most their answers add up to.
        self.joined, self.left = [joined, joined], [left, left]
        self.anonymous_joined, self.anonymous_left = [joined, joined], [left, left]
        self.least_joined, self.least_left = [0, 0], [0, 0]
        self.most_joined = [joined * items, scale.span * joined * items]
        self.most_left = [left * items, scale.span * left * items]
        self.unseen = self.scored = self.above = 0
        for p, s in zip(known, steady, strict=True):
            self._add(p.now - s, s, p.now_each, p.now_named, p.now_sums, 1)
            self._add(p.then - s, s, p.then_each, p.then_named, p.then_sums, -1)

    def _add(
        self,
        count: int,
        steady: int,
        each: Each | None,
        named: bool,
        sums: Tally | None,
        sign: int,
    ) -> None:
        joined = sign > 0
        free = self.joined if joined else self.left
        anonymous = self.anonymous_joined if joined else self.anonymous_left
        for layer in (UNSEEN, SCORES):
            if each is None or (layer == SCORES and each.above is None):
                free[layer] += count
                anonymous[layer] += 0 if named else count
                least, most = _reach(count, steady, sums, layer, self.items, self.scale)
                (self.least_joined if joined else self.least_left)[layer] += least
                (self.most_joined if joined else self.most_left)[layer] += most
        if each is None:
            return
        self.unseen += sign * count * each.unseen
        if each.above is not None:
            self.scored += sign * count * (self.items - each.unseen)
            self.above += sign * count * each.above

    def few(self, layer: int) -> bool:
        """One or two colleagues the reports do not name would be pinned at an end."""
        return _few(self.anonymous_joined[layer]) or _few(self.anonymous_left[layer])


def _reach(
    count: int, steady: int, sums: Tally | None, layer: int, items: int, scale: Scale
) -> tuple[int, int]:
    """The least and most `count` people of a relationship can add up to in a layer, beside
    `steady` who answered both rounds, when their report gives the relationship's `sums`."""
    whole = items if layer == UNSEEN else scale.span * items  # one person's most
    least, most = 0, count * whole
    stated = None if sums is None else _stated(sums, layer, scale.bottom)
    if stated is not None:
        most = min(most, stated)
        least = max(least, stated - steady * whole)
    return least, most


def _stated(sums: Tally, layer: int, bottom: int) -> int | None:
    if layer == UNSEEN:
        return sums.unseen
    if sums.total is None or sums.scored is None or sums.mean_over_unknown:
        return None
    return sums.total - bottom * sums.scored


def _few(people: int) -> bool:
    return 0 < people < SMALLEST_GROUP


def _unseen_at_an_end(now: Tally, then: Tally, moved: _Moved) -> bool:
    """All who joined did as many "not observed" as they could and all who left as few, or
    the other way round (of those whose answers no figure gives away)."""
    if now.unseen is None or then.unseen is None or not moved.few(UNSEEN):
        return False
    difference = now.unseen - then.unseen - moved.unseen
    return difference in (
        moved.most_joined[UNSEEN] - moved.least_left[UNSEEN],
        moved.least_joined[UNSEEN] - moved.most_left[UNSEEN],
    )


def _scores_at_an_end(now: Tally, then: Tally, moved: _Moved, scale: Scale) -> bool:
    """Every score of those who joined as high as it could be and of those who left as low,
    or the other way round, with as many scores among them as the counts allow."""
    joined, left = moved.joined[SCORES], moved.left[SCORES]
    if not moved.few(SCORES):
        return False
    if now.mean_over_unknown or then.mean_over_unknown:
        return True  # a mean over an unknown number of scores: assume the worst
    if None in (now.total, then.total, now.scored, then.scored):
        return False
    more_scores = now.scored - then.scored - moved.scored
    fewer_unseen = max(0, now.items * (joined - left) - more_scores)
    by_joiners = now.items * joined - fewer_unseen
    by_leavers = by_joiners - more_scores
    if by_joiners < 0 or by_leavers < 0 or by_joiners + by_leavers == 0:
        return False
    bottom = scale.bottom
    above = (now.total - bottom * now.scored) - (then.total - bottom * then.scored) - moved.above
    most_joined = min(scale.span * by_joiners, moved.most_joined[SCORES])
    most_left = min(scale.span * by_leavers, moved.most_left[SCORES])
    return above in (
        most_joined - moved.least_left[SCORES],
        moved.least_joined[SCORES] - most_left,
    )
