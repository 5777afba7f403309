"""Which colleague figures a report may show: DESIGN.md section 4, decided in one place.

Two steps. `choose_groups` works on answer-set counts alone: groups of 3 or more (the line
manager at 1), small groups pooled, and a left-over of 1 or 2 people folded into a bigger group
so that "all colleagues" minus the shown groups never isolates them. `audit_capability` then
checks, per capability, every figure that would be published (group means, the all-colleagues
mean, item means) as linear sums over who scored what: not-observed answers can leave a shown
group with a few scorers on some items, and subtraction could then single them out. If it can,
group figures for that capability are held back. docs/reports.md explains the model.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from .model import ALL_COLLEAGUES, COMBINED, Group
from .rules import AnonymityRules

LINE_MANAGER = "line_manager"
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


@dataclass(frozen=True, slots=True)
class Entry:
    """The scores one relationship gave one item: who scored it, and the totals."""

    raters: frozenset[str]
    total: int
    low: int
    high: int

    @property
    def ratings(self) -> int:
        return len(self.raters)


Entries = Mapping[tuple[str, str], Entry]


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


def manager_is_known(groups: Iterable[Group]) -> bool:
    """The line manager's figures are shown on their own, so treat all of theirs as known."""
    return any(g.key == LINE_MANAGER for g in groups)


def item_in_scope(item: str, entries: Entries, rules: AnonymityRules, manager_known: bool) -> bool:
    """Enough scores for an item's colleague figure, counting without a known line manager."""
    counts = {
        r: entries[(r, item)].ratings for r in COLLEAGUE_RELATIONSHIPS if (r, item) in entries
    }
    others = sum(n for r, n in counts.items() if r != LINE_MANAGER)
    if sum(counts.values()) < rules.item_min:
        return False
    return rules.is_safe_size(others) if manager_known else True


def contributors(members: Iterable[str], items: Iterable[str], entries: Entries) -> int:
    """How many people in these relationships scored at least one of these items."""
    found: set[str] = set()
    for relationship, item in itertools.product(members, items):
        entry = entries.get((relationship, item))
        if entry:
            found |= entry.raters
    return len(found)


@dataclass(frozen=True, slots=True)
class Publication:
    """What one capability may show: groups with a mean, and whether items may show theirs."""

    groups: tuple[Group, ...]
    items_shown: bool
    groups_withheld: bool


def audit_capability(
    scope: tuple[str, ...],
    groups: tuple[Group, ...],
    entries: Entries,
    rules: AnonymityRules,
) -> Publication:
    """The most this capability can show without anyone's few scores being recoverable."""
    if not scope:
        return Publication((), False, False)
    candidates = tuple(g for g in groups if _cell_big_enough(g, scope, entries, rules))
    all_shown = any(g.key == ALL_COLLEAGUES for g in groups)
    known = manager_is_known(groups)
    managers_only = tuple(g for g in candidates if g.key in (ALL_COLLEAGUES, LINE_MANAGER))
    ladder = [
        (candidates, all_shown),
        (managers_only, all_shown),
        (tuple(g for g in candidates if g.key == ALL_COLLEAGUES), all_shown),
        ((), False),
    ]
    for shown, items_shown in ladder:
        if not _leaks(shown, scope if items_shown else (), scope, entries, known, rules):
            withheld = len(shown) < len(groups)
            return Publication(shown, items_shown, withheld)
    raise AssertionError("publishing nothing cannot leak")  # pragma: no cover


def _cell_big_enough(
    group: Group, scope: tuple[str, ...], entries: Entries, rules: AnonymityRules
) -> bool:
    people = contributors(group.members, scope, entries)
    needed = rules.manager_min if group.key == LINE_MANAGER else rules.group_min
    return people >= needed


def _leaks(
    groups: tuple[Group, ...],
    shown_items: tuple[str, ...],
    scope: tuple[str, ...],
    entries: Entries,
    manager_known: bool,
    rules: AnonymityRules,
) -> bool:
    """Could any published sum, or a combination of them, single out one or two people?"""
    columns = [
        (r, i)
        for r in COLLEAGUE_RELATIONSHIPS
        for i in scope
        if (r, i) in entries and not (manager_known and r == LINE_MANAGER)
    ]
    rows = [[float(r in g.members) for r, _ in columns] for g in groups]
    rows += [[float(i == item) for _, i in columns] for item in shown_items]
    basis = _row_basis(rows, len(columns))
    if basis.shape[0] == 0:
        return False
    return any(
        _isolates(basis, columns, people, entries) for people in _suspects(columns, entries, rules)
    )


def _row_basis(rows: list[list[float]], width: int) -> np.ndarray:
    """An orthonormal basis of everything the published sums let anyone compute."""
    if not rows or width == 0:
        return np.zeros((0, width))
    _, singular, vt = np.linalg.svd(np.array(rows), full_matrices=False)
    rank = int((singular > 1e-9).sum())
    return vt[:rank]


def _suspects(columns: list[tuple[str, str]], entries: Entries, rules: AnonymityRules):
    """Every set of one or two people who are alone in some relationship-and-item entry."""
    few = sorted(
        {p for c in columns if entries[c].ratings < rules.group_min for p in entries[c].raters}
    )
    size = min(rules.group_min - 1, len(few))
    return [frozenset(t) for t in itertools.combinations(few, size)] if size else []


def _isolates(
    basis: np.ndarray, columns: list[tuple[str, str]], people: frozenset[str], entries: Entries
) -> bool:
    """Is some computable sum made only of these people's scores, and not only a manager's?"""
    inside = [entries[c].raters <= people for c in columns]
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
