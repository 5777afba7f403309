"""A report's published figures as constraints on unknown counts, for exact_check.

The unknowns are counts: how many colleagues of each relationship gave each answer ("not
observed" is 0) to each item. Colleagues of one relationship are interchangeable, so every
figure is a function of these counts, and z3 works on a few dozen small integers rather than on
every person's every answer (whose symmetries kept it busy for minutes on a single round).

Who gave what matters for one figure only: a group has a mean only with enough people behind
it. The most people of a relationship who can have scored one of a capability's items is
min(size, scores given), and one arrangement gives that most to every group of the capability
at once (they all cover its `figure_items`). So "at least N behind" holds for some arrangement
exactly when it holds with those most.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import z3
from exact_publication import LINE_MANAGER, GroupFigure, ItemFigures, Publication

NOT_OBSERVED = 0


class Counts:
    """how_many[(relationship, item)][answer]: a z3 integer, for each relationship present."""

    def __init__(self, publication: Publication) -> None:
        self.sizes = {r: size for r, size in publication.sizes if size}
        self.top = publication.scale[1]
        self.how_many = {
            (r, i.key): tuple(z3.Int(f"n_{r}_{i.key}_{v}") for v in range(self.top + 1))
            for r in self.sizes
            for i in publication.items
        }

    def present(self, relationships: Iterable[str]) -> list[str]:
        return [r for r in relationships if r in self.sizes]

    def domain(self) -> list[z3.BoolRef]:
        """Each relationship's answers to an item: as many as the people in it."""
        found = []
        for (r, _), counts in self.how_many.items():
            found += [z3.And(n >= 0, n <= self.sizes[r]) for n in counts]
            found.append(z3.Sum(counts) == self.sizes[r])
        return found

    def unseen(self, relationships: Iterable[str], items: Iterable[str]) -> z3.ArithRef:
        cells = [(r, i) for r in self.present(relationships) for i in items]
        return z3.Sum([self.how_many[cell][NOT_OBSERVED] for cell in cells] or [z3.IntVal(0)])

    def scored(self, relationships: Iterable[str], items: Iterable[str]) -> z3.ArithRef:
        relationships, items = self.present(relationships), list(items)
        people = sum(self.sizes[r] for r in relationships) * len(items)
        return people - self.unseen(relationships, items)

    def total(self, relationships: Iterable[str], items: Iterable[str]) -> z3.ArithRef:
        """The sum of the scores, not observed counting 0."""
        cells = [(r, i) for r in self.present(relationships) for i in items]
        scores = [v * self.how_many[cell][v] for cell in cells for v in range(1, self.top + 1)]
        return z3.Sum(scores or [z3.IntVal(0)])

    def most_behind(self, relationship: str, items: Sequence[str]) -> z3.ArithRef:
        """The most people of the relationship who can have scored one of these items."""
        scored = self.scored([relationship], items)
        size = self.sizes[relationship]
        return z3.If(scored < size, scored, size)


def constraints(publication: Publication, counts: Counts) -> list[z3.BoolRef]:
    """Every published figure, as a constraint on the unknown counts."""
    found = counts.domain()
    for item in publication.items:
        found += _item_constraints(item, counts)
    for group in publication.groups:
        found += _group_constraints(group, counts)
    found += [_in_scope(item, publication, counts) == inside for item, inside in publication.scope]
    return found


def _item_constraints(item: ItemFigures, counts: Counts) -> list[z3.BoolRef]:
    everyone, key = list(counts.sizes), [item.key]
    found = []
    if item.ratings is not None:
        found.append(counts.scored(everyone, key) == item.ratings)
    if item.not_observed is not None:
        found.append(counts.unseen(everyone, key) == item.not_observed)
    if item.total is not None:
        found.append(counts.total(everyone, key) == item.total)
    if item.hundredths is not None:
        found += _mean_over_unknown_count(item.hundredths, counts, key)
    if item.low is not None and item.high is not None:
        given = [counts.how_many[(r, item.key)] for r in everyone]
        outside = [v for v in range(1, counts.top + 1) if not item.low <= v <= item.high]
        found += [n[v] == 0 for n in given for v in outside]
        found += [z3.Sum([n[end] for n in given]) >= 1 for end in (item.low, item.high)]
    return found


def _mean_over_unknown_count(hundredths: int, counts: Counts, key: list[str]) -> list[z3.BoolRef]:
    """A mean shown to two decimals over scores whose number is not shown: total / scored is
    within half a hundredth of it, which, times 200 * scored, is linear in the unknowns."""
    scored, total = counts.scored(counts.sizes, key), counts.total(counts.sizes, key)
    off = 200 * total - 2 * hundredths * scored
    return [scored >= 1, off <= scored, off >= -scored]


def _group_constraints(group: GroupFigure, counts: Counts) -> list[z3.BoolRef]:
    members = counts.present(group.members)
    behind = [counts.most_behind(r, group.items) for r in members]
    return [
        counts.total(members, group.items) == group.total,
        counts.scored(members, group.items) == group.ratings,
        z3.Sum(behind or [z3.IntVal(0)]) >= group.people,
    ]


def _in_scope(item: str, publication: Publication, counts: Counts) -> z3.BoolRef:
    """groups.item_in_scope, on the unknown counts."""
    rules = publication.rules
    enough = counts.scored(counts.sizes, [item]) >= rules.item_min
    if not publication.manager_disclosed:
        return enough
    others = counts.scored([r for r in counts.sizes if r != LINE_MANAGER], [item])
    return z3.And(enough, z3.Or(others == 0, others >= rules.group_min))
