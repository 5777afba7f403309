"""The same items summed in both reports: is their difference at an end of its range?

Over one set of items whose sums both reports give, directly or by adding and taking away their
figures, over some relationships (the same in both, or one report's within the other's, where
everyone of a relationship only one sum takes in counts as having joined or left), the newer's
sums less the earlier's are what those who joined gave less what those who left gave. That
difference has a range, and at either end of it every one of them gave the most or the least
they could. How far each relationship's people can reach is over_time_reach.py's to say;
each report's whole sum, less what everyone else in it can add, bounds those who joined and
left once more. over_time_sums.py asks which combinations rest on one or two people; this asks
which rest on more but are pinned by where they sit. Nobody knows who answered both rounds, so
every overlap is tried that the bounds allow.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from .over_time_reach import (
    LAYERS,
    SCORES,
    UNSEEN,
    People,
    Range,
    Scale,
    Split,
    each_one,
    narrowed,
    splits,
    stated_in,
)
from .over_time_sums import SMALLEST_GROUP
from .over_time_tallies import Each, Tally


def ends_reached(now: Tally, then: Tally, people: Sequence[People], bottom: int, top: int) -> bool:
    """Can some overlap put the difference at an end of its range while one or two joined or
    left, so that it pins what they gave? Those whose answers a report gives away are taken
    out first: they cover nobody. An overlap the sums rule out is passed over."""
    scale = Scale(bottom, top - bottom)
    stated = _Stated(then, now, bottom)
    known = [p for p in people if p.apart]
    rest = [p for p in people if not p.apart]
    most = sum(min(p.then, p.now) for p in rest)
    splits_of = [splits(p, now.items, scale) for p in known]
    for split in itertools.product(*splits_of):
        for steady_rest in range(most + 1):
            moved = _Moved(now.items, scale, known, split, rest, steady_rest)
            reach = [moved.reach(layer, stated.then[layer], stated.now[layer]) for layer in LAYERS]
            if None in reach:
                continue
            if _unseen_at_an_end(stated, moved, reach[UNSEEN]) or _scores_at_an_end(
                now, then, stated, moved, reach[SCORES]
            ):
                return True
    return False


class _Stated:
    """What each report's sum over the cells states in each layer: its "not observed" answers,
    and its scores' total above the bottom of the scale (None where it does not state it)."""

    def __init__(self, then: Tally, now: Tally, bottom: int) -> None:
        self.then = [stated_in(then, layer, bottom) for layer in LAYERS]
        self.now = [stated_in(now, layer, bottom) for layer in LAYERS]


@dataclass(frozen=True, slots=True)
class Reach:
    """The least and most that those who joined, and those who left, add up to in a layer
    (of those whose answers no figure gives away)."""

    least_joined: int
    most_joined: int
    least_left: int
    most_left: int


class _Moved:
    """For one overlap: how many joined and left whose answers no figure gives away, how far
    their sums and those who answered both rounds can reach in each layer, and what those
    given away add to each report's sums."""

    def __init__(
        self,
        items: int,
        scale: Scale,
        known: Sequence[People],
        splits: Sequence[Split],
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
        # Per layer: the least and most those who answered both rounds add to either sum.
        self.steady_least = [0, 0]
        self.steady_most = [more_steady * items, scale.span * more_steady * items]
        # Per layer: what those who moved and are given away add to each report's sums.
        self.given_then, self.given_now = [0, 0], [0, 0]
        self.scored = 0  # scores given away among them, the newer's less the earlier's
        for p, split in zip(known, splits, strict=True):
            s = split.steady
            self._add(p.now - s, p.own.now_each, p.now_named, [r[0] for r in split.reach], 1)
            self._add(p.then - s, p.own.then_each, p.then_named, [r[1] for r in split.reach], -1)
            for layer, (least, most) in zip(LAYERS, split.steady_reach, strict=True):
                self.steady_least[layer] += least
                self.steady_most[layer] += most

    def _add(
        self, count: int, each: Each | None, named: bool, reach: list[Range], sign: int
    ) -> None:
        joined = sign > 0
        free = self.joined if joined else self.left
        anonymous = self.anonymous_joined if joined else self.anonymous_left
        given = self.given_now if joined else self.given_then
        for layer in LAYERS:
            if each is None or (layer == SCORES and each.above is None):
                free[layer] += count
                anonymous[layer] += 0 if named else count
                least, most = reach[layer]
                (self.least_joined if joined else self.least_left)[layer] += least
                (self.most_joined if joined else self.most_left)[layer] += most
            else:
                given[layer] += count * each_one(each, layer, self.items, self.scale)[0]
        if each is not None and each.above is not None:
            self.scored += sign * count * (self.items - each.unseen)

    def reach(self, layer: int, then: int | None, now: int | None) -> Reach | None:
        """How far those who joined and left can reach in a layer, once each report's sum
        less what everyone else adds to it bounds them too; None when nothing can."""
        steady = (self.steady_least[layer], self.steady_most[layer])
        least_left, most_left = narrowed(
            (self.least_left[layer], self.most_left[layer]),
            None if then is None else then - self.given_then[layer],
            steady,
        )
        least_joined, most_joined = narrowed(
            (self.least_joined[layer], self.most_joined[layer]),
            None if now is None else now - self.given_now[layer],
            steady,
        )
        if least_joined > most_joined or least_left > most_left:
            return None
        return Reach(least_joined, most_joined, least_left, most_left)

    @property
    def unseen(self) -> int:
        """What those given away add to the difference in "not observed" answers."""
        return self.given_now[UNSEEN] - self.given_then[UNSEEN]

    @property
    def above(self) -> int:
        """What those given away add to the difference in scores above the bottom."""
        return self.given_now[SCORES] - self.given_then[SCORES]

    def few(self, layer: int) -> bool:
        """One or two colleagues the reports do not name would be pinned at an end."""
        return _few(self.anonymous_joined[layer]) or _few(self.anonymous_left[layer])


def _few(people: int) -> bool:
    return 0 < people < SMALLEST_GROUP


def _unseen_at_an_end(stated: _Stated, moved: _Moved, reach: Reach | None) -> bool:
    """All who joined did as many "not observed" as they could and all who left as few, or
    the other way round (of those whose answers no figure gives away)."""
    then, now = stated.then[UNSEEN], stated.now[UNSEEN]
    if now is None or then is None or reach is None or not moved.few(UNSEEN):
        return False
    difference = now - then - moved.unseen
    return difference in (
        reach.most_joined - reach.least_left,
        reach.least_joined - reach.most_left,
    )


def _scores_at_an_end(
    now: Tally, then: Tally, stated: _Stated, moved: _Moved, reach: Reach | None
) -> bool:
    """Every score of those who joined as high as it could be and of those who left as low,
    or the other way round, with as many scores among them as the counts allow."""
    joined, left = moved.joined[SCORES], moved.left[SCORES]
    if not moved.few(SCORES):
        return False
    if now.mean_over_unknown or then.mean_over_unknown:
        return True  # a mean over an unknown number of scores: assume the worst
    if None in (stated.now[SCORES], stated.then[SCORES]) or reach is None:
        return False
    more_scores = now.scored - then.scored - moved.scored
    fewer_unseen = max(0, now.items * (joined - left) - more_scores)
    by_joiners = now.items * joined - fewer_unseen
    by_leavers = by_joiners - more_scores
    if by_joiners < 0 or by_leavers < 0 or by_joiners + by_leavers == 0:
        return False
    span = moved.scale.span
    above = stated.now[SCORES] - stated.then[SCORES] - moved.above
    most_joined = min(span * by_joiners, reach.most_joined)
    most_left = min(span * by_leavers, reach.most_left)
    return above in (most_joined - reach.least_left, reach.least_joined - most_left)
