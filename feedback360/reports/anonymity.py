"""Which colleague figures a report may show: DESIGN.md section 4, decided in one place.

Two steps. `choose_groups` works on answer-set counts alone: groups of 3 or more (the line
manager at 1), small groups pooled, and a left-over of 1 or 2 people folded into a bigger group
so that "all colleagues" minus the shown groups never isolates them. `audit_capability` then
checks, per capability, every figure that would be published (group means, the all-colleagues
mean, item means) as linear sums over who scored what: not-observed answers can leave a shown
group with a few scorers on some items, and subtraction could then single them out. If it can,
group figures for that capability are held back. docs/reports.md explains the model.

Both steps work on a whole cohort of rounds at once (a report is a cohort of one): choices are
made once per distinct set of counts, and the audit counts with numpy for every round, leaving
the linear algebra to the few rounds where somebody's scores could be within reach. Who scored
an item is a bitmask: bit n stands for the round's n-th answer set, so "these people together"
is an OR and "how many" a bit count.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from .model import ALL_COLLEAGUES, COMBINED, LINE_MANAGER, Group
from .rules import AnonymityRules

OTHER_RELATIONSHIPS = ("peer", "direct_report", "other")
COLLEAGUE_RELATIONSHIPS = (LINE_MANAGER, *OTHER_RELATIONSHIPS)
GROUP_LABELS = {
    ALL_COLLEAGUES: "All colleagues",
    LINE_MANAGER: "Line manager",
    "peer": "Peers",
    "direct_report": "People I manage",
    "other": "Others",
    COMBINED: "Other colleagues combined",
}


# (relationship, item) -> who in one round scored it; absent when nobody did.
Raters = Mapping[tuple[str, str], int]


def choose_groups(answered: Mapping[str, int], rules: AnonymityRules) -> tuple[Group, ...]:
    """The groups to show, "all colleagues" first, from how many answered in each relationship."""
    total = sum(answered.get(r, 0) for r in COLLEAGUE_RELATIONSHIPS)
    managers = answered.get(LINE_MANAGER, 0)
    shown = [r for r in OTHER_RELATIONSHIPS if answered.get(r, 0) >= rules.group_min]
    pooled = [r for r in OTHER_RELATIONSHIPS if 0 < answered.get(r, 0) < rules.group_min]
    show_manager = managers >= rules.manager_min
    all_shown = total >= rules.all_min
    left_over = sum(answered[r] for r in pooled)
    if all_shown and 0 < left_over < rules.group_min:
        # "All" minus the shown groups would be these one or two people: fold them in.
        if shown:
            smallest = min(shown, key=lambda r: answered[r])
            shown.remove(smallest)
            pooled = [r for r in OTHER_RELATIONSHIPS if r in pooled or r == smallest]
        else:
            show_manager = False
    groups = _group_list(answered, shown, pooled, show_manager, all_shown, rules)
    # A group holding everyone would only repeat "all colleagues".
    return tuple(
        g for g in groups if not all_shown or g.key == ALL_COLLEAGUES or g.answered < total
    )


def _group_list(
    answered: Mapping[str, int],
    shown: list[str],
    pooled: list[str],
    show_manager: bool,
    all_shown: bool,
    rules: AnonymityRules,
) -> list[Group]:
    groups = []
    if all_shown:
        groups.append(_group(ALL_COLLEAGUES, COLLEAGUE_RELATIONSHIPS, answered))
    if show_manager and answered.get(LINE_MANAGER, 0):
        groups.append(_group(LINE_MANAGER, (LINE_MANAGER,), answered))
    groups.extend(_group(r, (r,), answered) for r in shown)
    if len(pooled) > 1 and sum(answered[r] for r in pooled) >= rules.group_min:
        groups.append(_group(COMBINED, tuple(pooled), answered))
    return groups


def _group(key: str, members: Iterable[str], answered: Mapping[str, int]) -> Group:
    members = tuple(members)
    count = sum(answered.get(r, 0) for r in members)
    return Group(key=key, label=GROUP_LABELS[key], members=members, answered=count)


@dataclass(frozen=True, slots=True)
class GroupChoices:
    """The groups of every round in a cohort: each distinct choice once, and each round's."""

    choices: tuple[tuple[Group, ...], ...]
    at: np.ndarray  # [round] -> its index in `choices`

    def manager_known(self) -> np.ndarray:
        """[round]: manager_is_known."""
        return np.array([manager_is_known(c) for c in self.choices], dtype=bool)[self.at]


def choose_cohort_groups(answered: np.ndarray, rules: AnonymityRules) -> GroupChoices:
    """choose_groups for each round; `answered` is [round, colleague relationship]."""
    numbers, firsts = distinct_rows(list(answered.T))
    distinct = answered[firsts].tolist()
    choices = tuple(choose_groups(_by_relationship(row), rules) for row in distinct)
    return GroupChoices(choices, numbers)


def _by_relationship(values: Iterable[int]) -> dict[str, int]:
    return dict(zip(COLLEAGUE_RELATIONSHIPS, values, strict=True))


def manager_is_known(groups: Iterable[Group]) -> bool:
    """The line manager's figures are shown on their own, so treat all of theirs as known."""
    return any(g.key == LINE_MANAGER for g in groups)


def item_in_scope(scored: Mapping[str, int], rules: AnonymityRules, manager_known: bool) -> bool:
    """Enough scores for an item's colleague figure, counting without a known line manager.

    `scored`: how many in each colleague relationship scored the item.
    """
    others = sum(n for r, n in scored.items() if r != LINE_MANAGER)
    if sum(scored.values()) < rules.item_min:
        return False
    return rules.is_safe_size(others) if manager_known else True


def cohort_in_scope(ratings: np.ndarray, known: np.ndarray, rules: AnonymityRules) -> np.ndarray:
    """item_in_scope for every round and item of a cohort, decided once per distinct input.

    `ratings` is [round, colleague relationship, item], `known` [round]; gives [round, item].
    """
    rounds, relationships, items = ratings.shape
    by_item = ratings.transpose(0, 2, 1).reshape(-1, relationships)
    columns = [*by_item.T, np.repeat(known, items).astype(np.int64)]
    numbers, firsts = distinct_rows(columns)
    decided = [
        item_in_scope(_by_relationship(row[:-1]), rules, manager_known=row[-1] == 1)
        for row in np.stack([c[firsts] for c in columns], axis=1).tolist()
    ]
    return np.array(decided, dtype=bool)[numbers].reshape(rounds, items)


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
    scope: np.ndarray  # [round, item]: the items its figures are taken over
    raters: np.ndarray  # [round, relationship, item]: who scored it (bitmasks)
    ratings: np.ndarray  # [round, relationship, item]: how many scored it


NOTHING = Publication((), False, False)


def audit_capability(
    cells: Cells, groups: GroupChoices, rules: AnonymityRules
) -> list[Publication]:
    """Per round, the most this capability can show without anyone's scores being recoverable."""
    known = groups.manager_known()
    candidates = _candidates(groups, _people(cells), rules).tolist()
    within_reach = _within_reach(cells, known, rules).tolist()
    scoped = cells.scope.any(axis=1).tolist()
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
    """[round, relationship]: how many scored at least one of the items in scope."""
    inside = np.where(cells.scope[:, None, :], cells.raters, 0).astype(cells.raters.dtype)
    return bit_counts(np.bitwise_or.reduce(inside, axis=2))


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
    """What to try showing, most first, as (groups with a mean, whether items show theirs)."""
    all_shown = any(g.key == ALL_COLLEAGUES for g in groups)
    managers_only = tuple(g for g in candidates if g.key in (ALL_COLLEAGUES, LINE_MANAGER))
    return [
        (candidates, all_shown),
        (managers_only, all_shown),
        (tuple(g for g in candidates if g.key == ALL_COLLEAGUES), all_shown),
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
    raters = {
        (r, item): mask
        for r, masks in zip(COLLEAGUE_RELATIONSHIPS, cells.raters[n].tolist(), strict=True)
        for item, mask in zip(cells.items, masks, strict=True)
        if mask
    }
    for shown, items_shown in _ladder(groups, candidates):
        if not _leaks(shown, scope if items_shown else (), scope, raters, known, rules):
            return _publication(groups, shown, items_shown)
    raise AssertionError("publishing nothing cannot leak")  # pragma: no cover


def _within_reach(cells: Cells, known: np.ndarray, rules: AnonymityRules) -> np.ndarray:
    """[round]: could some combination of published sums rest on a few people's scores alone?

    Only then does a round need the linear algebra of _leaks. Nobody is within reach unless
    an item in scope was scored in some relationship (a known manager's aside) by fewer than
    group_min people: they are who _suspects tries. Even then they are out of reach when the
    cells scored by group_min or more link every relationship and item: every published sum,
    and so every combination of them, is a_r + b_i on cell (r, i), a_r from the group sums
    holding relationship r and b_i from item i's sum (0 when items are not shown). A
    combination that is 0 on every well-scored cell has a_r = c and b_i = -c along linked cells
    (a_r = 0 when no item is shown), so if they link everything it is 0 on every cell.
    """
    manager = np.array([r == LINE_MANAGER for r in COLLEAGUE_RELATIONSHIPS])
    scored = (cells.ratings > 0) & cells.scope[:, None, :]
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
