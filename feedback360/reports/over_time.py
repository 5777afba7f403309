"""Two reports of one worker read side by side: what the newer one must hold back.

DESIGN.md section 4 treats two reports of the same worker as one publication, and the app
forgets colleagues' addresses at close, so it cannot know who answered both rounds. So assume
the worst: any colleague may have answered both, and alike, so that their answers cancel when
one report's figures are taken from the other's (over_time_sums.py has the algebra).

Per capability of the newer report, its colleague figures are tried from most to least: every
group mean and item figure; "all colleagues" and the items; the items alone; the group means
alone; nothing. The first that no combination with the earlier report's figures can narrow to
one or two people is kept. Before that, each item and group figure is compared with the same
figure in the earlier report: with as many answers in both, the difference is what the ones
who left gave less what the ones who joined gave, and a difference at the scale's ends (for
one or two of each) says exactly what each gave.

The rule runs once, when the newer round closes, against the reports already kept; a kept
report never changes afterwards. docs/reports.md, "Two rounds".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from .over_time_known import settled_cells
from .over_time_sums import SMALLEST_GROUP, Row, Side, pair_exposes
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

RELATIONSHIPS = (LINE_MANAGER, "peer", "direct_report", "other")
SCORES, UNSEEN = 0, 1  # a cell's layers: the scores given, and the "not observed" answers


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
    old_items = {i.key: i for c in old.capabilities for i in c.items}
    spread = _spread(newer)
    items = [i for i in _shown_items(capability) if not _item_ends(i, old_items.get(i.key), spread)]
    scores = [
        s for s in capability.scores if not _same_group_ends(s, capability, newer, old, spread)
    ]
    old_sums = _old_sums(old, capability)
    universe = _universe(capability, old_sums)
    earlier = _side(old, old_sums, universe)
    for kept_scores, kept_items in _ladder(scores, items):
        sums = _sums(newer, capability, kept_scores, kept_items)
        if not pair_exposes(earlier, _side(newer, sums, universe)):
            return _kept(capability, kept_scores, {i.key for i in kept_items})
    return _kept(capability, [], set())  # pragma: no cover (nothing shown cannot expose)


def _shown_items(capability: CapabilityResult) -> list[ItemResult]:
    """Items with a colleague figure: a mean, or their numbers of scores and "not observed"."""
    return [i for i in capability.items if i.colleague_mean is not None or i.ratings is not None]


def _ladder(scores: list[Score], items: list[ItemResult]) -> list[tuple[list, list]]:
    every = [s for s in scores if s.group == ALL_COLLEAGUES]
    return [(scores, items), (every, items), ([], items), (scores, []), (every, []), ([], [])]


def _kept(capability: CapabilityResult, scores: list[Score], items: set[str]) -> CapabilityResult:
    held = [i for i in _shown_items(capability) if i.key not in items]
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


def _spread(report: Report) -> int:
    values = [p.value for p in report.scale]
    return max(values) - min(values)


def _total(mean: float, count: int) -> int:
    """The one integer sum whose mean over `count` rounds to the published two decimals."""
    return round(mean * count)


def _at_the_ends(difference: int, step: int) -> bool:
    """One or two who left all at one end of the scale, as many who joined all at the other."""
    return difference != 0 and abs(difference) in (step, 2 * step)


def _item_ends(item: ItemResult, old: ItemResult | None, spread: int) -> bool:
    """Is the item's difference from the earlier report's at the ends, for one or two?"""
    if old is None or (old.colleague_mean is None and old.ratings is None):
        return False
    if item.ratings is None or old.ratings is None:
        return True  # a mean over hidden counts beside the same item's figures: assume the worst
    # As many answered the item: those who left and joined differ by what they observed.
    answered_alike = item.ratings + item.not_observed == old.ratings + old.not_observed
    if answered_alike and 0 < abs(item.not_observed - old.not_observed) < SMALLEST_GROUP:
        return True
    if item.ratings != old.ratings:
        return abs(item.ratings - old.ratings) < SMALLEST_GROUP
    if item.colleague_mean is None or old.colleague_mean is None:
        return False
    now, then = _total(item.colleague_mean, item.ratings), _total(old.colleague_mean, old.ratings)
    return _at_the_ends(now - then, spread)


def _same_group_ends(
    score: Score, capability: CapabilityResult, newer: Report, old: Report, spread: int
) -> bool:
    """The same group mean in both, over as many people: a difference in ratings of whole
    capabilities, or in sums of whole scales per person, for one or two, would say that those
    who left and those who joined sat at opposite ends."""
    before = _score_in(old, capability.key, score.group)
    group, old_group = newer.group(score.group), old.group(score.group)
    if before is None or group is None or old_group is None:
        return False
    if (group.members, group.answered) != (old_group.members, old_group.answered):
        return False
    if score.ratings != before.ratings:
        return _at_the_ends(score.ratings - before.ratings, len(capability.figure_items))
    if score.ratings % group.answered:
        return False  # not everyone scored every item: how many each scored is not known
    each = score.ratings // group.answered
    difference = _total(score.mean, score.ratings) - _total(before.mean, before.ratings)
    return _at_the_ends(difference, spread * each)


def _score_in(report: Report, capability: str, group: str) -> Score | None:
    found = next((c for c in report.capabilities if c.key == capability), None)
    return None if found is None else found.score(group)


# A published sum: the relationships and items it adds up, its layers (SCORES, UNSEEN), and the
# layers it gives away whole (a mean at an end of the scale; nobody, or everybody, not observing).
# Last, per layer, its number of "not observed" answers as _side's Side.unseen wants it.
Sum = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...], tuple[int, ...], tuple[float, ...]]
BOTH_LAYERS = (SCORES, UNSEEN)


def _sums(report: Report, capability: CapabilityResult, scores, items) -> list[Sum]:
    ends = _ends(report)
    found = []
    for score in scores:
        group = report.group(score.group)
        members = () if group is None else group.members
        everyone = group is not None and score.ratings == group.answered * len(
            capability.figure_items
        )
        given = (SCORES,) * (score.mean in ends) + (UNSEEN,) * everyone
        behind = 0 if group is None else group.answered * len(capability.figure_items)
        unseen = (0.0, float(behind - score.ratings))
        found.append((members, capability.figure_items, BOTH_LAYERS, given, unseen))
    for item in items:
        mean_known = item.colleague_mean is not None and item.colleague_mean in ends
        unseen_known = item.ratings is not None and 0 in (item.ratings, item.not_observed)
        given = (SCORES,) * mean_known + (UNSEEN,) * unseen_known
        counted = float("nan") if item.not_observed is None else float(item.not_observed)
        unseen = (0.0, counted) if item.colleague_mean is not None else (counted,)
        found.append((RELATIONSHIPS, (item.key,), _item_layers(item), given, unseen))
    return found


def _ends(report: Report) -> tuple[float, float]:
    values = [float(p.value) for p in report.scale]
    return min(values), max(values)


def _item_layers(item: ItemResult) -> tuple[int, ...]:
    """A mean adds scores up over those who scored (an unknown count: both layers, to be safe);
    counts alone give only the "not observed" answers."""
    return BOTH_LAYERS if item.colleague_mean is not None else (UNSEEN,)


def _old_sums(old: Report, capability: CapabilityResult) -> list[Sum]:
    """The earlier report's sums that share an item with this capability."""
    keys = {i.key for i in capability.items}
    found = []
    for earlier in old.capabilities:
        if keys & set(earlier.figure_items):
            found += _sums(old, earlier, earlier.scores, [])
        found += _sums(old, earlier, [], [i for i in _shown_items(earlier) if i.key in keys])
    return found


def _side(report: Report, sums: Sequence[Sum], universe: Sequence[str]) -> Side:
    """The sums as rows over (relationship, item, layer) cells: each sum gives two, its scores
    and its "not observed" answers (the count of scores is the people less those)."""
    rows = [
        _row(members, items, layer, universe)
        for members, items, layers, _, _ in sums
        for layer in layers
    ]
    counted = {c.relationship: c.answered for c in report.counts}
    answered = tuple(counted.get(r, 0) for r in RELATIONSHIPS)
    unseen = tuple(v for s in sums for _, v in zip(s[2], s[4], strict=True))
    known = _known_cells(report, sums, universe)
    settled = settled_cells(rows, unseen, answered, len(universe))
    return Side(
        rows=tuple(rows),
        answered=answered,
        known=tuple(
            tuple(k or s for k, s in zip(ks, ss, strict=True))
            for ks, ss in zip(known, settled, strict=True)
        ),
        unseen=unseen,
    )


def _known_cells(
    report: Report, sums: Sequence[Sum], universe: Sequence[str]
) -> tuple[tuple[bool, ...], ...]:
    """Per relationship, its cells that a published figure gives away whole."""
    disclosed = report.group(LINE_MANAGER) is not None
    known = [[disclosed and r == LINE_MANAGER] * (2 * len(universe)) for r in RELATIONSHIPS]
    for members, items, _, given, _ in sums:
        for layer in given:
            row = _row(members, items, layer, universe)
            for cells, marks in zip(known, row, strict=True):
                cells[:] = [k or bool(m) for k, m in zip(cells, marks, strict=True)]
    return tuple(tuple(cells) for cells in known)


def _row(members: Sequence[str], items: Sequence[str], layer: int, universe: Sequence[str]) -> Row:
    cells = [(item, at) for item in universe for at in (SCORES, UNSEEN)]
    return tuple(
        tuple(int(r in members and item in items and at == layer) for item, at in cells)
        for r in RELATIONSHIPS
    )


def _universe(capability: CapabilityResult, sums: Sequence[Sum]) -> tuple[str, ...]:
    keys = [i.key for i in capability.items]
    for _, items, *_ in sums:
        keys += [k for k in items if k not in keys]
    return tuple(keys)
