"""Two reports of one worker read side by side: what the newer one must hold back.

DESIGN.md section 4 treats two reports of the same worker as one publication, and the app
forgets colleagues' addresses at close, so it cannot know who answered both rounds. So assume
the worst: any colleague may have answered both, and alike, so that their answers cancel when
one report's figures are taken from the other's (over_time_sums.py has the algebra).

Two checks read both reports' figures as sums over cells (over_time_sides.py). One asks
whether some combination of the sums rests on only one or two people (over_time_sums.py). The
other asks whether sums over the same items, in both reports, differ by an end of what those
who joined less those who left could make them: then it pins every one of them
(over_time_ends.py, over_time_tallies.py). Per capability of the newer report, a figure pinned
on its own goes first; then its colleague figures are tried from most to least: every group
mean and item figure; "all colleagues" and the items; the items alone; the group means alone;
nothing. The first that neither check finds anything in is kept.

The rule runs once, when the newer round closes, against the reports already kept; a kept
report never changes afterwards. docs/reports.md, "Two rounds".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from .over_time_ends import ends_reached
from .over_time_reach import Own, People
from .over_time_sides import (
    RELATIONSHIPS,
    Sum,
    answered,
    earlier_sums,
    ends,
    shown_items,
    side_of,
    sums_of,
    universe_of,
)
from .over_time_sums import pair_exposes
from .over_time_tallies import Each, Sums, Tally
from .reasons import COMPARED_WITH_EARLIER
from .relationships import GROUP_AT
from .report import (
    ALL_COLLEAGUES,
    LINE_MANAGER,
    CapabilityResult,
    HeldBack,
    ItemResult,
    Report,
    Score,
    tied_out,
)


def hold_back_against(newer: Report, earlier: Iterable[Report]) -> Report:
    """The newer report with every figure held back that an earlier one would expose."""
    for old in earlier:
        if _item_keys(newer) & _item_keys(old):
            newer = _held_against(newer, old)
    return newer


def _item_keys(report: Report) -> set[str]:
    return {i.key for c in report.capabilities for i in c.items}


def _held_against(newer: Report, old: Report) -> Report:
    capabilities = tuple(_capability_held(c, newer, old) for c in newer.capabilities)
    held = {i.key for c in capabilities for i in c.items if i.held_over_time}
    highest = tuple(h for h in newer.highest if h.key not in held)
    lowest = tuple(h for h in newer.lowest if h.key not in held)
    # The ties left out are counted again over the means still shown: a count that took in a
    # held item would say what its mean was.
    shown = [i.colleague_mean for c in capabilities for i in c.items]
    return dataclasses.replace(
        newer,
        capabilities=capabilities,
        highest=highest,
        lowest=lowest,
        highest_tied_out=tied_out([h.colleague_mean for h in highest], shown),
        lowest_tied_out=tied_out([h.colleague_mean for h in lowest], shown),
        blind_spots=tuple(h for h in newer.blind_spots if h.key not in held),
        hidden_strengths=tuple(h for h in newer.hidden_strengths if h.key not in held),
    )


def _capability_held(capability: CapabilityResult, newer: Report, old: Report) -> CapabilityResult:
    old_sums = earlier_sums(old, capability)
    universe = universe_of(capability, old_sums)
    earlier = side_of(old, old_sums, universe)
    pinned = _Pinned(newer, old, old_sums, universe)
    # Figures pinned on their own go first, so that the ladder keeps as much as it can.
    items = [i for i in shown_items(capability) if not pinned(sums_of(newer, capability, [], [i]))]
    scores = [s for s in capability.scores if not pinned(sums_of(newer, capability, [s], []))]
    for kept_scores, kept_items in _ladder(scores, items):
        sums = sums_of(newer, capability, kept_scores, kept_items)
        if not pinned(sums) and not pair_exposes(earlier, side_of(newer, sums, universe)):
            return _kept(capability, kept_scores, {i.key for i in kept_items})
    return _kept(capability, [], set())  # pragma: no cover (nothing shown cannot expose)


def _ladder(scores: list[Score], items: list[ItemResult]) -> list[tuple[list, list]]:
    every = [s for s in scores if s.group == ALL_COLLEAGUES]
    return [(scores, items), (every, items), ([], items), (scores, []), (every, []), ([], [])]


def _kept(capability: CapabilityResult, scores: list[Score], items: set[str]) -> CapabilityResult:
    held = [i for i in shown_items(capability) if i.key not in items]
    dropped = [
        HeldBack(s.group, COMPARED_WITH_EARLIER) for s in capability.scores if s not in scores
    ]
    return dataclasses.replace(
        capability,
        scores=tuple(scores),
        items=tuple(_held_item(i) if i in held else i for i in capability.items),
        held_over_time=capability.held_over_time or bool(dropped),
        held_back=tuple(sorted((*capability.held_back, *dropped), key=lambda h: GROUP_AT[h.group])),
    )


def _held_item(item: ItemResult) -> ItemResult:
    return dataclasses.replace(
        item,
        colleague_mean=None,
        ratings=None,
        not_observed=None,
        held_over_time=True,
        held_back=COMPARED_WITH_EARLIER,
    )


class _Pinned:
    """Do the newer report's sums, beside the earlier's, give sums over the same items at an
    end of what those who joined less those who left could make them (over_time_ends.py)?
    The two sums may be over different relationships, one set within the other: then those
    of a relationship in one sum only count as having joined or left, every one of them."""

    def __init__(self, newer: Report, old: Report, old_sums: Sequence[Sum], universe) -> None:
        self.universe = universe
        self.counts = (answered(old), answered(newer))
        self.named = (old.group(LINE_MANAGER) is not None, newer.group(LINE_MANAGER) is not None)
        self.scale = tuple(int(end) for end in ends(newer))
        figures = [s.figure() for s in old_sums]
        self.then = Sums(figures, self.counts[0], RELATIONSHIPS, universe, self.scale)
        self.old_items = [f.cells[1] for f in figures]

    def __call__(self, sums: Sequence[Sum]) -> bool:
        figures = [s.figure() for s in sums]
        now = Sums(figures, self.counts[1], RELATIONSHIPS, self.universe, self.scale)
        item_sets = _item_sets([*self.old_items, *(f.cells[1] for f in figures)], self.universe)
        return any(
            self._reached(now, then_set, now_set, items, [k for k in item_sets if items < k])
            for items in item_sets
            for then_set, now_set in _nested(self.then, now, items)
        )

    def _reached(
        self,
        now: Sums,
        then_set: frozenset[str],
        now_set: frozenset[str],
        items: frozenset[str],
        wider: Sequence[frozenset[str]],
    ) -> bool:
        """Is the difference of the two sums over `items` at an end? Each relationship's own
        sums over the `wider` sets of items bound its people too."""
        before, after = self.then.tally((then_set, items)), now.tally((now_set, items))
        earlier = _Side(self.then, then_set, self.counts[0], self.named[0])
        newer = _Side(now, now_set, self.counts[1], self.named[1])
        people = [
            People(
                earlier.count(r),
                newer.count(r),
                _own(earlier, newer, r, items),
                tuple(o for o in (_own(earlier, newer, r, k) for k in wider) if o),
                earlier.names(r),
                newer.names(r),
            )
            for r in then_set | now_set
        ]
        return ends_reached(after, before, people, *self.scale)


@dataclasses.dataclass(frozen=True, slots=True)
class _Side:
    """One report's sum over some relationships: what it says of each relationship in it.
    A relationship outside it has nobody in it."""

    sums: Sums
    chosen: frozenset[str]
    counts: Mapping[str, int]
    named: bool  # the report shows a line manager on their own

    def count(self, relationship: str) -> int:
        return self.counts.get(relationship, 0) if relationship in self.chosen else 0

    def each(self, relationship: str, items: frozenset[str]) -> Each | None:
        return self.sums.each(relationship, items) if relationship in self.chosen else None

    def names(self, relationship: str) -> bool:
        return self.named and relationship == LINE_MANAGER and relationship in self.chosen

    def own(self, relationship: str, items: frozenset[str]) -> Tally | None:
        """The relationship's own sums over the items."""
        if relationship not in self.chosen:
            return None
        return self.sums.tally((frozenset((relationship,)), items))


def _own(earlier: _Side, newer: _Side, relationship: str, items: frozenset[str]) -> Own:
    return Own(
        len(items),
        earlier.each(relationship, items),
        newer.each(relationship, items),
        earlier.own(relationship, items),
        newer.own(relationship, items),
    )


def _nested(then: Sums, now: Sums, items: frozenset[str]) -> list[tuple[frozenset, frozenset]]:
    """Sets of relationships, one within the other, whose sums over `items` the earlier
    report gives for the first and the newer for the second. Any set, not only those a
    figure names: everyone but a line manager shown on their own is a sum too, and so are two
    groups added together."""
    given_then = [r for r in then.relationship_sets if then.tally((r, items)) is not None]
    given_now = [r for r in now.relationship_sets if now.tally((r, items)) is not None]
    return [(a, b) for a in given_then for b in given_now if a <= b or b <= a]


def _item_sets(items: Sequence[frozenset[str]], universe: Sequence[str]) -> set[frozenset[str]]:
    """Sets of items whose sums the two reports might both give: each figure's items, each
    item alone, and each figure's items but one."""
    found = set(items) | {frozenset((k,)) for k in universe}
    return found | {i - {k} for i in items for k in i if len(i) > 2}
