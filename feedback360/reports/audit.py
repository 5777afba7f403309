"""Which of the chosen groups' figures one capability may publish: the differencing audit.

groups.py chose the groups on answer-set counts. Not-observed answers can still leave a shown
group with a few scorers on some items, and subtraction could then single them out, so
`audit_capability` checks, per capability, every figure that would be published (group means,
over all the group's scores on the capability's items; item means, over the items in scope)
as linear sums over who scored what, and steps down a ladder
of what to show until nothing published can isolate one or two people. docs/reports.md explains
the model.

It counts with numpy for every round of a cohort, leaving the linear algebra to the few rounds
where somebody's scores could be within reach. Who scored an item is a bitmask: bit n stands for
the round's n-th answer set, so "these people together" is an OR and "how many" a bit count.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..instruments.model import Capability, Instrument
from .distinct import bit_counts
from .groups import GroupChoices
from .relationships import COLLEAGUE_RELATIONSHIPS
from .report import ALL_COLLEAGUES, LINE_MANAGER, Group
from .rules import AnonymityRules
from .tally import Tally, capability_parts

# (relationship, item) -> who in one round scored it; absent when nobody did.
Raters = Mapping[tuple[str, str], int]


@dataclass(frozen=True, slots=True)
class Publication:
    """What one capability may show: groups with a mean, and whether items may show theirs."""

    groups: tuple[Group, ...]
    items_shown: bool
    groups_withheld: bool


@dataclass(frozen=True, slots=True)
class Cells:
    """One capability's cells in every round of a cohort: [round, relationship, item] arrays.

    Relationships are COLLEAGUE_RELATIONSHIPS; items are the capability's, in order.
    """

    items: tuple[str, ...]
    scope: np.ndarray  # [round, item]: the items with enough scores for an item figure
    raters: np.ndarray  # [round, relationship, item]: who scored it (bitmasks)
    ratings: np.ndarray  # [round, relationship, item]: how many scored it


NOTHING = Publication((), False, False)


def audit_cohort(
    counts: Tally,
    in_scope: np.ndarray,
    groups: GroupChoices,
    instrument: Instrument,
    rules: AnonymityRules,
) -> list[list[Publication]]:
    """[capability][round]: what each capability of each round may publish."""
    parts = capability_parts(instrument)
    return [
        audit_capability(_cells(counts, in_scope, part, capability), groups, rules)
        for part, capability in zip(parts, instrument.capabilities, strict=True)
    ]


def _cells(counts: Tally, in_scope: np.ndarray, part: slice, capability: Capability) -> Cells:
    items = tuple(item.key for item in capability.items)
    raters, ratings = counts.raters[:, :, part], counts.ratings[:, :, part]
    return Cells(items=items, scope=in_scope[:, part], raters=raters, ratings=ratings)


def audit_capability(
    cells: Cells, groups: GroupChoices, rules: AnonymityRules
) -> list[Publication]:
    """Per round, the most this capability can show without anyone's scores being recoverable."""
    known = groups.manager_known()
    candidates = _candidates(groups, _people(cells), rules).tolist()
    within_reach = _within_reach(cells, known, rules).tolist()
    scoped = (cells.ratings > 0).any(axis=(1, 2)).tolist()
    # Where nobody is within reach, the first rung stands: one Publication per distinct choice
    # and candidates, shared by every round that has them.
    plain: dict[tuple[int, int], Publication] = {}
    published = []
    for n, choice in enumerate(groups.at.tolist()):
        round_groups, chosen = groups.choices[choice], candidates[n]
        if not scoped[n]:
            published.append(NOTHING)
        elif within_reach[n]:
            shown = _chosen(round_groups, chosen)
            published.append(_climb(cells, n, round_groups, shown, bool(known[n]), rules))
        else:
            if (choice, chosen) not in plain:
                rung = _ladder(round_groups, _chosen(round_groups, chosen))[0]
                plain[(choice, chosen)] = _publication(round_groups, *rung)
            published.append(plain[(choice, chosen)])
    return published


def _chosen(groups: tuple[Group, ...], bits: int) -> tuple[Group, ...]:
    return tuple(g for j, g in enumerate(groups) if bits >> j & 1)


def _people(cells: Cells) -> np.ndarray:
    """[round, relationship]: how many scored at least one of the capability's items."""
    return bit_counts(np.bitwise_or.reduce(cells.raters, axis=2))


def _candidates(groups: GroupChoices, people: np.ndarray, rules: AnonymityRules) -> np.ndarray:
    """[round]: bit j set when the round's group j has enough people behind the capability."""
    chosen = np.zeros(len(groups.at), dtype=np.int64)
    for choice, round_groups in enumerate(groups.choices):
        rows = groups.at == choice
        for j, group in enumerate(round_groups):
            members = [COLLEAGUE_RELATIONSHIPS.index(r) for r in group.members]
            # An answer set has one relationship, so a group's people add up across its members.
            behind = people[rows][:, members].sum(axis=1)
            chosen[rows] |= _cell_big_enough(group, behind, rules).astype(np.int64) << j
    return chosen


def _cell_big_enough(group: Group, people: np.ndarray, rules: AnonymityRules) -> np.ndarray:
    needed = rules.manager_min if group.key == LINE_MANAGER else rules.group_min
    return people >= needed


def _ladder(
    groups: tuple[Group, ...], candidates: tuple[Group, ...]
) -> list[tuple[tuple[Group, ...], bool]]:
    """What to try showing, most first, as (groups with a mean, whether items show theirs).

    Group means are over all the capability's scores, so with item means beside them they can
    leave the scores of items with too few scorers to be worked out; then the line manager's
    mean (known anyway, so it tells nothing of anyone else) and the item means are kept.
    """
    all_shown = any(g.key == ALL_COLLEAGUES for g in groups)
    managers_only = tuple(g for g in candidates if g.key in (ALL_COLLEAGUES, LINE_MANAGER))
    return [
        (candidates, all_shown),
        (managers_only, all_shown),
        (tuple(g for g in candidates if g.key == ALL_COLLEAGUES), all_shown),
        (tuple(g for g in candidates if g.key == LINE_MANAGER), all_shown),
        ((), False),
    ]


def _publication(groups: tuple[Group, ...], shown: tuple[Group, ...], items: bool) -> Publication:
    return Publication(shown, items, len(shown) < len(groups))


def _climb(
    cells: Cells,
    n: int,
    groups: tuple[Group, ...],
    candidates: tuple[Group, ...],
    known: bool,
    rules: AnonymityRules,
) -> Publication:
    """Round n's publication, down the ladder until nothing published can single anyone out."""
    scope = tuple(item for item, inside in zip(cells.items, cells.scope[n], strict=True) if inside)
    counted = cells.ratings[n].sum(axis=0).tolist()
    scored = tuple(item for item, count in zip(cells.items, counted, strict=True) if count)
    raters = {
        (r, item): mask
        for r, masks in zip(COLLEAGUE_RELATIONSHIPS, cells.raters[n].tolist(), strict=True)
        for item, mask in zip(cells.items, masks, strict=True)
        if mask
    }
    for shown, items_shown in _ladder(groups, candidates):
        if not _leaks(shown, scope if items_shown else (), scored, raters, known, rules):
            return _publication(groups, shown, items_shown)
    raise AssertionError("publishing nothing cannot leak")  # pragma: no cover


def _within_reach(cells: Cells, known: np.ndarray, rules: AnonymityRules) -> np.ndarray:
    """[round]: could some combination of published sums rest on a few people's scores alone?

    Only then does a round need the linear algebra of _leaks. Nobody is within reach unless
    an item was scored in some relationship (a known manager's aside) by fewer than
    group_min people: they are who _suspects tries. Even then they are out of reach when the
    cells scored by group_min or more link every relationship and item: every published sum,
    and so every combination of them, is a_r + b_i on cell (r, i), a_r from the group sums
    holding relationship r and b_i from item i's sum (0 where the item's is not shown). A
    combination that is 0 on every well-scored cell has a_r = c and b_i = -c along linked cells
    (c = 0 when some linked item shows no sum), so if they link everything it is 0 on every
    cell.
    """
    manager = np.array([r == LINE_MANAGER for r in COLLEAGUE_RELATIONSHIPS])
    scored = cells.ratings > 0
    columns = scored & ~(known[:, None, None] & manager[None, :, None])
    few = columns & (cells.ratings < rules.group_min)
    return few.any(axis=(1, 2)) & ~_linked(columns & ~few, columns)


def _linked(edges: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """[round]: do the `edges` cells connect every relationship and item that `cells` has?"""
    rounds = np.arange(edges.shape[0])
    reached = np.zeros(edges.shape[:2], dtype=bool)
    reached[rounds, edges.any(axis=2).argmax(axis=1)] = edges.any(axis=(1, 2))
    for _ in COLLEAGUE_RELATIONSHIPS:
        # Each pass reaches every item of the relationships reached, and the relationships of
        # those items; a pass that adds no relationship changes nothing, so this many suffice.
        items = (edges & reached[:, :, None]).any(axis=1)
        reached = (edges & items[:, None, :]).any(axis=2)
    every = (reached == cells.any(axis=2)).all(axis=1)
    return every & (items == cells.any(axis=1)).all(axis=1)


def _leaks(
    groups: tuple[Group, ...],
    shown_items: tuple[str, ...],
    scope: tuple[str, ...],
    raters: Raters,
    manager_known: bool,
    rules: AnonymityRules,
) -> bool:
    """Could any published sum, or a combination of them, single out one or two people?"""
    columns = [
        (r, i)
        for r in COLLEAGUE_RELATIONSHIPS
        for i in scope
        if (r, i) in raters and not (manager_known and r == LINE_MANAGER)
    ]
    rows = [[float(r in g.members) for r, _ in columns] for g in groups]
    rows += [[float(i == item) for _, i in columns] for item in shown_items]
    basis = _row_basis(rows, len(columns))
    if basis.shape[0] == 0:
        return False
    return any(
        _isolates(basis, columns, people, raters) for people in _suspects(columns, raters, rules)
    )


def _row_basis(rows: list[list[float]], width: int) -> np.ndarray:
    """An orthonormal basis of everything the published sums let anyone compute."""
    if not rows or width == 0:
        return np.zeros((0, width))
    _, singular, vt = np.linalg.svd(np.array(rows), full_matrices=False)
    rank = int((singular > 1e-9).sum())
    return vt[:rank]


def _suspects(columns: list[tuple[str, str]], raters: Raters, rules: AnonymityRules) -> list[int]:
    """Every set of one or two people who are alone in some relationship-and-item entry."""
    few = 0
    for cell in columns:
        if raters[cell].bit_count() < rules.group_min:
            few |= raters[cell]
    people = [1 << n for n in range(few.bit_length()) if few >> n & 1]
    size = min(rules.group_min - 1, len(people))
    return [sum(group) for group in itertools.combinations(people, size)] if size else []


def _isolates(
    basis: np.ndarray, columns: list[tuple[str, str]], people: int, raters: Raters
) -> bool:
    """Is some computable sum made only of these people's scores, and not only a manager's?"""
    inside = [not raters[c] & ~people for c in columns]
    managers = [inside[n] and c[0] == LINE_MANAGER for n, c in enumerate(columns)]
    if not any(inside):
        return False
    # dim(published ∩ span(entries)) = rank(basis) - rank(basis without those columns).
    free_rank = _rank(basis[:, [not x for x in inside]])
    manager_rank = _rank(basis[:, [not x for x in managers]])
    return manager_rank > free_rank


def _rank(matrix: np.ndarray) -> int:
    if matrix.size == 0:
        return 0
    return int(np.linalg.matrix_rank(matrix, tol=1e-9))
