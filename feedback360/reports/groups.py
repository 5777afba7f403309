"""Which colleague groups a report shows, and which items have enough scores: DESIGN.md section 4.

`choose_groups` works on answer-set counts alone: groups of 3 or more (the line manager at 1),
small groups pooled, and a left-over of 1 or 2 people folded into a bigger group so that "all
colleagues" minus the shown groups never isolates them. `item_in_scope` says whether an item has
enough colleague scores for a figure. Both are worked out once per distinct set of counts across a
cohort of rounds (a report is a cohort of one). audit.py then checks what these allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from .distinct import distinct_rows
from .relationships import COLLEAGUE_RELATIONSHIPS, GROUP_LABELS, OTHER_RELATIONSHIPS
from .report import ALL_COLLEAGUES, COMBINED, LINE_MANAGER, Group
from .rules import AnonymityRules


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
