"""Two reports of one worker read side by side: what the newer one must hold back.

DESIGN.md section 4 treats two reports of the same worker as one publication, and the app
forgets colleagues' addresses at close, so it cannot know who answered both rounds. The
attacker here assumes the worst: any colleague may have answered both, and answered alike,
so their scores cancel when one report's sum is taken from the other's.

Per colleague relationship r, with a_r answers in the earlier round and b_r in the newer,
s_r of them answered both (0 <= s_r <= min(a_r, b_r), any value). A combination of
published group sums puts a weight on r's sum in each report, y_r (earlier) and z_r (newer):
it then rests on the s_r steady people when y_r + z_r != 0, on the a_r - s_r who left when
y_r != 0, and on the b_r - s_r who joined when z_r != 0. A combination of both reports'
sums that rests on one or two people, for some choice of the s_r, singles them out. One
exception, by decision (docs/decisions.md): one leaver minus one joiner is a difference of
two people's scores, not anyone's score, unless it reaches the scale's ends; that end is
checked on the figures themselves (`_swap_at_the_ends`). docs/reports.md, "Two rounds".

The rule runs once, when the newer round closes, against the reports already kept; a kept
report never changes afterwards.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from .model import ALL_COLLEAGUES, LINE_MANAGER, CapabilityResult, ItemResult, Report, Score

RELATIONSHIPS = (LINE_MANAGER, "peer", "direct_report", "other")
# What a relationship's weights can be in one combination: nothing, the earlier report's
# only, the newer's only, the two cancelling (steady people drop out), or both, not cancelling.
NONE, EARLIER, NEWER, CANCEL, BOTH = range(5)
HELD_NOTE = "held back because it could be compared with your earlier report"
SMALLEST_GROUP = 3


def hold_back_against(newer: Report, earlier: Iterable[Report]) -> Report:
    """The newer report with every figure held back that an earlier one would expose."""
    for old in earlier:
        if _share_items(newer, old):
            newer = _held_against(newer, old)
    return newer


def _share_items(one: Report, other: Report) -> bool:
    return bool(_item_keys(one) & _item_keys(other))


def _item_keys(report: Report) -> set[str]:
    return {i.key for c in report.capabilities for i in c.items}


def _held_against(newer: Report, old: Report) -> Report:
    old_items = {i.key: i for c in old.capabilities for i in c.items}
    old_capabilities = {c.key: c for c in old.capabilities}
    capabilities = tuple(
        _capability_held(c, newer, old_capabilities.get(c.key), old, old_items)
        for c in newer.capabilities
    )
    held = {i.key for c in capabilities for i in c.items if i.held_over_time}
    return dataclasses.replace(
        newer,
        capabilities=capabilities,
        highest=tuple(h for h in newer.highest if h.key not in held),
        lowest=tuple(h for h in newer.lowest if h.key not in held),
        blind_spots=tuple(h for h in newer.blind_spots if h.key not in held),
        hidden_strengths=tuple(h for h in newer.hidden_strengths if h.key not in held),
    )


def _capability_held(
    capability: CapabilityResult,
    newer: Report,
    old_capability: CapabilityResult | None,
    old: Report,
    old_items: dict[str, ItemResult],
) -> CapabilityResult:
    items = tuple(_item_held(i, old_items.get(i.key), _spread(newer)) for i in capability.items)
    scores = capability.scores
    if old_capability is not None and set(old_capability.figure_items) & set(
        capability.figure_items
    ):
        scores = _scores_kept(capability, newer, old_capability, old)
    return dataclasses.replace(
        capability,
        items=items,
        scores=scores,
        held_over_time=capability.held_over_time or len(scores) < len(capability.scores),
    )


def _spread(report: Report) -> int:
    values = [p.value for p in report.scale]
    return max(values) - min(values)


def _item_held(item: ItemResult, old: ItemResult | None, spread: int) -> ItemResult:
    """An item's colleague figures, held back where the earlier mean of the same item exposes
    the one or two people whose scores differ between them."""
    if item.colleague_mean is None or old is None or old.colleague_mean is None:
        return item
    if not _item_exposes(item, old, spread):
        return item
    return dataclasses.replace(
        item, colleague_mean=None, ratings=None, not_observed=None, held_over_time=True
    )


def _item_exposes(item: ItemResult, old: ItemResult, spread: int) -> bool:
    if item.ratings is None or old.ratings is None:
        return True  # hidden counts could differ by one or two: assume they do
    change = abs(item.ratings - old.ratings)
    if 0 < change < SMALLEST_GROUP:
        return True
    same = change == 0
    return same and _swap_at_the_ends(
        _total(item.colleague_mean, item.ratings), _total(old.colleague_mean, old.ratings), spread
    )


def _total(mean: float, count: int) -> int:
    """The one integer sum whose mean over `count` rounds to the published two decimals."""
    return round(mean * count)


def _swap_at_the_ends(total: int, old_total: int, spread: int) -> bool:
    """Same count, sums a full scale apart: one leaver gave the top, one joiner the bottom."""
    return abs(total - old_total) == spread


def _scores_kept(
    capability: CapabilityResult, newer: Report, old_capability: CapabilityResult, old: Report
) -> tuple[Score, ...]:
    """The most group means the newer report may keep: all, "all colleagues" alone, none."""
    earlier = _rows(old, old_capability.scores)
    sides = (_answered(old), _answered(newer), _disclosed(old), _disclosed(newer))
    spread = _spread(newer)
    for kept in _ladder(capability.scores):
        if _pair_exposes(earlier, _rows(newer, kept), *sides):
            continue
        if any(_same_group_swap(s, newer, old_capability, old, spread) for s in kept):
            continue
        return kept
    return ()


def _ladder(scores: tuple[Score, ...]) -> list[tuple[Score, ...]]:
    return [scores, tuple(s for s in scores if s.group == ALL_COLLEAGUES), ()]


def _rows(report: Report, scores: Sequence[Score]) -> tuple[tuple[int, ...], ...]:
    """Each published group sum as weights over the relationships it adds up."""
    rows = []
    for score in scores:
        group = report.group(score.group)
        members = set(group.members) if group is not None else set()
        rows.append(tuple(int(r in members) for r in RELATIONSHIPS))
    return tuple(rows)


def _answered(report: Report) -> tuple[int, ...]:
    counted = {c.relationship: c.answered for c in report.counts}
    return tuple(counted.get(r, 0) for r in RELATIONSHIPS)


def _disclosed(report: Report) -> bool:
    """Is the line manager shown on their own, and so told their answers are not anonymous?"""
    return report.group(LINE_MANAGER) is not None


def _same_group_swap(
    score: Score, newer: Report, old_capability: CapabilityResult, old: Report, spread: int
) -> bool:
    """The same group, as many answers and ratings, and sums a whole scale apart per rating
    each: a leaver at the top and a joiner at the bottom (or the other way) would be forced."""
    before = old_capability.score(score.group)
    group, old_group = newer.group(score.group), old.group(score.group)
    if before is None or group is None or old_group is None:
        return False
    if (group.members, group.answered, score.ratings) != (
        old_group.members,
        old_group.answered,
        before.ratings,
    ):
        return False
    if score.ratings % group.answered:
        return False  # not everyone scored every item: the attacker cannot tell how many each did
    each = score.ratings // group.answered
    difference = abs(_total(score.mean, score.ratings) - _total(before.mean, before.ratings))
    return difference == spread * each


@lru_cache(maxsize=4096)
def _pair_exposes(
    earlier: tuple[tuple[int, ...], ...],
    newer: tuple[tuple[int, ...], ...],
    before: tuple[int, ...],
    after: tuple[int, ...],
    disclosed_before: bool,
    disclosed_after: bool,
) -> bool:
    """Can some combination of both reports' group sums rest on one or two people?

    Every way the weights can fall on each relationship is tried as a subspace of the
    combinations; a generic combination in it has every weight that is not forced to 0
    nonzero, so its people are the most that subspace can single out.
    """
    if not earlier or not newer:
        return False
    y = np.hstack([np.array(earlier, dtype=float).T, np.zeros((len(RELATIONSHIPS), len(newer)))])
    z = np.hstack([np.zeros((len(RELATIONSHIPS), len(earlier))), np.array(newer, dtype=float).T])
    for kinds in itertools.product(range(5), repeat=len(RELATIONSHIPS)):
        basis = _null_space(_conditions(kinds, y, z))
        if basis.shape[1] == 0:
            continue
        on_y, on_z = _nonzero(y @ basis), _nonzero(z @ basis)
        if not on_y.any() or not on_z.any():
            continue  # one report alone: its own audit answered for it
        on_s = _nonzero((y + z) @ basis)
        people = [
            _people(n, on_y, on_z, on_s, before, after, disclosed_before, disclosed_after)
            for n in range(len(RELATIONSHIPS))
        ]
        if _few_reachable(people):
            return True
    return False


def _conditions(kinds: tuple[int, ...], y: np.ndarray, z: np.ndarray) -> np.ndarray:
    rows = []
    for n, kind in enumerate(kinds):
        if kind in (NONE, NEWER):
            rows.append(y[n])
        if kind in (NONE, EARLIER):
            rows.append(z[n])
        if kind == CANCEL:
            rows.append(y[n] + z[n])
    return np.array(rows).reshape(-1, y.shape[1])


def _null_space(matrix: np.ndarray) -> np.ndarray:
    width = matrix.shape[1]
    if matrix.shape[0] == 0:
        return np.eye(width)
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    return vt[rank:].T


def _nonzero(weights: np.ndarray) -> np.ndarray:
    return (np.abs(weights) > 1e-9).any(axis=1)


def _people(
    n: int,
    on_y: np.ndarray,
    on_z: np.ndarray,
    on_s: np.ndarray,
    before: tuple[int, ...],
    after: tuple[int, ...],
    disclosed_before: bool,
    disclosed_after: bool,
) -> set[tuple[int, bool]]:
    """How many people relationship n's weights can rest on, over every overlap; each with
    whether it is a plain swap of one leaver for one joiner."""
    manager = RELATIONSHIPS[n] == LINE_MANAGER
    # A disclosed line manager's figures are theirs to be seen: they count as nobody.
    left_known = manager and disclosed_before
    joined_known = manager and disclosed_after
    a, b = before[n], after[n]
    found = set()
    for steady in range(min(a, b) + 1):
        left, joined = a - steady, b - steady
        count = (
            steady * (on_s[n] and not (left_known or joined_known))
            + left * (on_y[n] and not left_known)
            + joined * (on_z[n] and not joined_known)
        )
        swap = not on_s[n] and left == 1 and joined == 1 and count == 2
        found.add((int(count), swap))
    return found


def _few_reachable(people: list[set[tuple[int, bool]]]) -> bool:
    """Can the relationships' counts add up to one or two, other than a lone swap?"""
    for choice in itertools.product(*people):
        total = sum(count for count, _ in choice)
        if 0 < total < SMALLEST_GROUP and not any(swap for _, swap in choice):
            return True
    return False
