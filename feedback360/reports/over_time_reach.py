"""How far one relationship's colleagues can reach, in one overlap, for over_time_ends.py.

Per relationship, any number of those who answered each round may be the same people, who
answered alike; the rest joined or left. Each person gives from all "not observed" to every
score at the top of the scale, or less where the figures bound each score
(over_time_tallies.Each). The relationship's own sums bound them more tightly, over the check's
items or over more items, in either report: those who left gave no more than their
relationship's whole sum then, and no less than what those who stayed could not cover; where
both reports give the sums, their difference is the leavers' less the joiners'. A split of the
relationship that these bounds rule out cannot have happened, and is not tried.
"""

from __future__ import annotations

from dataclasses import dataclass

from .over_time_tallies import Each, Tally

UNSEEN, SCORES = 0, 1  # the layers: "not observed" answers, and scores above the bottom
LAYERS = (UNSEEN, SCORES)


@dataclass(frozen=True, slots=True)
class Own:
    """What one relationship's own figures say over a set of items in each report: what each
    of its people gave, where that report gives it away, and the relationship's sums."""

    items: int
    then_each: Each | None = None
    now_each: Each | None = None
    then_sums: Tally | None = None
    now_sums: Tally | None = None

    def __bool__(self) -> bool:
        return any((self.then_each, self.now_each, self.then_sums, self.now_sums))


@dataclass(frozen=True, slots=True)
class People:
    """One relationship's colleagues in a set of cells: how many answered each round, what
    the relationship's own figures say over the cells' items, and over more items."""

    then: int
    now: int
    own: Own
    wider: tuple[Own, ...] = ()
    # A line manager the round's report names: pinning them is no leak, but they still move
    # the difference.
    then_named: bool = False
    now_named: bool = False

    @property
    def apart(self) -> bool:
        """Counted one overlap at a time, not with the rest."""
        return bool(self.then_named or self.now_named or self.own or any(self.wider))


@dataclass(frozen=True, slots=True)
class Scale:
    """The answer scale, as its bottom and how far above it a score can go."""

    bottom: int
    span: int  # the top less the bottom


Range = tuple[int, int]  # the least and the most


@dataclass(frozen=True, slots=True)
class Split:
    """One relationship's people split one way: how many answered both rounds, and per layer
    how far those who joined, and those who left, can reach, and those who answered both."""

    steady: int
    reach: tuple[tuple[Range, Range], ...]
    steady_reach: tuple[Range, ...]


def splits(people: People, items: int, scale: Scale) -> list[Split]:
    """Every split of one relationship's people that its own figures allow."""
    found = []
    for steady in range(min(people.then, people.now) + 1):
        reach = [_movers(people, steady, layer, items, scale) for layer in LAYERS]
        if None not in reach:
            found.append(Split(steady, tuple(reach), _steady_reach(people, steady, items, scale)))
    return found


def _steady_reach(people: People, steady: int, items: int, scale: Scale) -> tuple[Range, ...]:
    """Per layer, the least and most those who answered both rounds add to either sum: they
    answered alike, so what either report says of each of them holds in both."""
    found = []
    for layer in LAYERS:
        least, most = _steady_one(people.own.then_each, people.own.now_each, layer, items, scale)
        found.append((steady * least, steady * most))
    return tuple(found)


def _movers(
    people: People, steady: int, layer: int, items: int, scale: Scale
) -> tuple[Range, Range] | None:
    """The least and most one relationship's joiners, and its leavers, add up to in a layer
    on the check's items: by their own figures there, and by those over more items, which
    hold at least as much; None when their figures rule the overlap out."""
    joined, left = people.now - steady, people.then - steady
    found = _own_reach(people.own, joined, left, steady, layer, scale)
    for wider in people.wider:
        more = _own_reach(wider, joined, left, steady, layer, scale)
        if found is None or more is None:
            return None
        # The other items add from nothing to everything to what each of them gave.
        rest = (wider.items - items) * (1 if layer == UNSEEN else scale.span)
        found = tuple(
            (max(least, wide_least - count * rest), min(most, wide_most))
            for (least, most), (wide_least, wide_most), count in zip(
                found, more, (joined, left), strict=True
            )
        )
    if found is None or any(least > most for least, most in found):
        return None
    return found


def _own_reach(
    own: Own, joined: int, left: int, steady: int, layer: int, scale: Scale
) -> tuple[Range, Range] | None:
    """The least and most one relationship's joiners, and its leavers, add up to in a layer
    over `own`'s items: each person's range; each report's sums less what those who
    answered both add to them; and the sums' difference, which is the leavers' less the
    joiners'."""
    one_then = each_one(own.then_each, layer, own.items, scale)
    one_now = each_one(own.now_each, layer, own.items, scale)
    one_steady = _steady_one(own.then_each, own.now_each, layer, own.items, scale)
    steady_reach = (steady * one_steady[0], steady * one_steady[1])
    then = None if own.then_sums is None else stated_in(own.then_sums, layer, scale.bottom)
    now = None if own.now_sums is None else stated_in(own.now_sums, layer, scale.bottom)
    leavers, joiners = (
        (left * one_then[0], left * one_then[1]),
        (joined * one_now[0], joined * one_now[1]),
    )
    least_left, most_left = narrowed(leavers, then, steady_reach)
    least_joined, most_joined = narrowed(joiners, now, steady_reach)
    if then is not None and now is not None:
        difference = then - now
        least_left = max(least_left, difference + least_joined)
        most_left = min(most_left, difference + most_joined)
        least_joined = max(least_joined, least_left - difference)
        most_joined = min(most_joined, most_left - difference)
    if least_joined > most_joined or least_left > most_left:
        return None
    return (least_joined, most_joined), (least_left, most_left)


def narrowed(reach: Range, total: int | None, others: Range) -> Range:
    """`reach` narrowed by a sum it is part of, where the sum is stated: the sum less the most
    and the least the others in it can add."""
    if total is None:
        return reach
    return max(reach[0], total - others[1]), min(reach[1], total - others[0])


def each_one(each: Each | None, layer: int, items: int, scale: Scale) -> Range:
    """The least and most one person adds up to in a layer, as far as `each` says."""
    if each is None:
        return 0, items if layer == UNSEEN else scale.span * items
    if layer == UNSEEN:
        return each.unseen, each.unseen
    return each.least, each.most


def _steady_one(then: Each | None, now: Each | None, layer: int, items: int, scale: Scale) -> Range:
    """One person who answered both rounds alike: what both reports say of them."""
    then_least, then_most = each_one(then, layer, items, scale)
    now_least, now_most = each_one(now, layer, items, scale)
    return max(then_least, now_least), min(then_most, now_most)


def stated_in(sums: Tally, layer: int, bottom: int) -> int | None:
    """What a sum states in a layer: its "not observed" answers, or its scores' total above the
    bottom of the scale (None where it does not state it)."""
    return sums.unseen if layer == UNSEEN else _above(sums, bottom)


def _above(tally: Tally, bottom: int) -> int | None:
    if tally.total is None or tally.scored is None or tally.mean_over_unknown:
        return None
    return tally.total - bottom * tally.scored
