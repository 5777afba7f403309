"""An exact attacker: which colleague answers do a report's published figures force?

Everything a Report publishes about colleagues (exact_publication.py reads it) becomes a
constraint (exact_counts.py): how many answered in each relationship (the cover), each item's
number of scores and of not-observed answers, its colleague mean and range where shown, and
each capability's group means with their counts and the items they cover. So do the scope
rules that let a figure appear: a capability's `figure_items` are exactly its items with enough
scores, and a group has a mean only with enough people behind it. Not encoded: why a figure was
held back (the audit's refusals); leaving a fact out can only make this attacker weaker than a
real one, never stronger.

z3 then asks what every solution agrees on. A colleague's answer to an item is forced to v when
every solution has all of their relationship giving v: they are interchangeable, so if one of
them could answer otherwise, each could. A colleague's total over a capability is forced when
it takes one value in every solution: for a relationship of one, that is the relationship's
total; for a larger one, see `Attacker.each_total`.

A leak is a forced answer of a colleague who is not the disclosed line manager, unless it is the
scale's top or bottom score (or "not observed") forced alike for at least three colleagues other
than the disclosed line manager on that item: a unanimous group of three or more, which any
mean of theirs states by itself. Likewise a forced capability total is a leak unless it follows
from such answers: on the capability's items whose answer is not itself forced and allowed, the
colleague is one of at least three (the disclosed line manager aside) whose every answer there
is confined to "not observed" and one extreme score, a unanimous group again, whose totals then
follow from how many items each scored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import z3
from exact_counts import NOT_OBSERVED, Counts, constraints
from exact_publication import LINE_MANAGER, GroupFigure, Publication

UNANIMOUS = 3  # a group this large states its unanimity with any mean of theirs
# ("answers", relationship, item) or ("total", relationship, capability)
Term = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Forced:
    """One relationship's answer (on an item) or each one's total (over a capability)."""

    relationship: str
    about: str
    value: int
    total: bool = False


class Attacker:
    """A solver holding every published figure, asked what they force."""

    def __init__(self, publication: Publication) -> None:
        self.publication = publication
        self.counts = Counts(publication)
        self.solver = z3.Solver()
        self.solver.add(*constraints(publication, self.counts))
        self.seen: list[dict[Term, int]] = []  # the terms' values in every solution found

    def terms(self) -> dict[Term, z3.ArithRef]:
        """Per relationship: its answers to each item as one number, and each capability total."""
        counts, terms = self.counts, {}
        for (r, item), how_many in counts.how_many.items():
            base = counts.sizes[r] + 1
            terms[("answers", r, item)] = z3.Sum([n * base**v for v, n in enumerate(how_many)])
        for capability, items in self.publication.capabilities:
            terms |= {("total", r, capability): counts.total([r], items) for r in counts.sizes}
        return terms

    def answers(self, relationship: str, number: int) -> list[int]:
        """How many gave each answer, from the number terms() makes of them."""
        base = self.counts.sizes[relationship] + 1
        return [number // base**v % base for v in range(self.counts.top + 1)]

    def forced(self) -> list[Forced]:
        """Every relationship's answer and capability total that the figures force."""
        constant = self.constant(self.terms(), self.solver)
        sizes, found = self.counts.sizes, []
        for (kind, r, item), number in constant.items():
            given = self.answers(r, number) if kind == "answers" else []
            found += [Forced(r, item, v) for v, n in enumerate(given) if n == sizes[r]]
        answers = {(f.relationship, f.about): f.value for f in found}
        for (kind, r, capability), total in constant.items():
            if kind == "total":
                each = total if sizes[r] == 1 else self.each_total(r, capability, answers)
                found += [] if each is None else [Forced(r, capability, each, total=True)]
        return found

    def constant(self, terms: Mapping[Term, z3.ArithRef], solver: z3.Solver) -> dict[Term, int]:
        """The terms that take one value in every solution, with that value.

        Each solution found clears every term it gives another value, so a handful of checks
        settle them all rather than one per term.
        """
        assert solver.check() == z3.sat, "no answers fit the figures: the encoding is wrong"
        first = self.values(solver.model(), terms)
        open_terms = set(terms)
        while open_terms:
            if not _possible(solver, z3.Or([terms[t] != first[t] for t in open_terms])):
                break
            values = self.values(solver.model(), terms)
            open_terms = {t for t in open_terms if values[t] == first[t]}
        return {t: first[t] for t in open_terms}

    def values(self, model: z3.ModelRef, terms: Mapping[Term, z3.ArithRef]) -> dict[Term, int]:
        found = {t: model.eval(term, model_completion=True).as_long() for t, term in terms.items()}
        self.seen.append(found)
        return found

    def each_total(
        self, relationship: str, capability: str, answers: Mapping[tuple[str, str], int]
    ) -> int | None:
        """Each one's total over a capability, if forced, in a relationship of several whose
        total over it is forced."""
        items = dict(self.publication.capabilities)[capability]
        if all((relationship, i) in answers for i in items):
            # Unanimous on every item in every solution: the usual way a total is forced.
            return sum(answers[(relationship, i)] for i in items)
        # Two of them with different scores on an item can swap them there: every figure and
        # who scored what stay as they were, and both totals change. So none is forced.
        if any(self.seen_mixed(relationship, i) for i in items):
            return None
        if self.possible(z3.Or([self.mixed_scores(relationship, i) for i in items])):
            return None
        return person_total(self, relationship, capability)

    def mixed_scores(self, relationship: str, item: str) -> z3.BoolRef:
        """Do some of the relationship give the item one score and others another?"""
        how_many = self.counts.how_many[(relationship, item)]
        return z3.Sum([z3.If(n >= 1, 1, 0) for n in how_many[1:]]) >= 2

    def seen_mixed(self, relationship: str, item: str) -> bool:
        """mixed_scores, in a solution already found."""
        term = ("answers", relationship, item)
        for values in self.seen:
            if (
                term in values
                and sum(n > 0 for n in self.answers(relationship, values[term])[1:]) >= 2
            ):
                return True
        return False

    def possible(self, condition: z3.BoolRef) -> bool:
        """Do some answers fit the figures and this condition?"""
        return _possible(self.solver, condition)

    def confined(self, relationship: str, items: Iterable[str], value: int) -> bool:
        """Is every answer of the relationship on these items "not observed" or `value`?"""
        how_many = self.counts.how_many
        others = [
            how_many[(relationship, i)][v] >= 1
            for i in items
            for v in range(1, self.counts.top + 1)
            if v != value
        ]
        return not self.possible(z3.Or(others))


def _possible(solver: z3.Solver, condition: z3.BoolRef) -> bool:
    """Is the condition satisfiable with the solver's constraints? (Its model is then one.)"""
    guard = z3.FreshBool()
    solver.add(z3.Implies(guard, condition))
    return solver.check(guard) == z3.sat


def person_total(attacker: Attacker, relationship: str, capability: str) -> int | None:
    """Each one's total over a capability, if forced, in a relationship of several.

    Their answers on its items become unknowns of their own (one Boolean per answer), tied to
    the counts, and the people behind its groups are counted person by person for this
    relationship. Rarely needed: see Attacker.each_total.
    """
    items = dict(attacker.publication.capabilities)[capability]
    counts = attacker.counts
    size, top = counts.sizes[relationship], counts.top
    gave = [
        [[z3.Bool(f"g_{p}_{i}_{v}") for v in range(top + 1)] for i in items] for p in range(size)
    ]
    solver = z3.Solver()
    solver.add(*constraints(attacker.publication, counts))
    solver.add(*[z3.PbEq([(b, 1) for b in options], 1) for person in gave for options in person])
    for j, item in enumerate(items):
        for v, n in enumerate(counts.how_many[(relationship, item)]):
            solver.add(z3.Sum([z3.If(person[j][v], 1, 0) for person in gave]) == n)
    for group in attacker.publication.groups:
        if relationship in group.members and set(group.items) <= set(items):
            at = [items.index(i) for i in group.items]
            solver.add(_behind_by_person(group, relationship, gave, at, counts))
    # They are interchangeable: keep them in one order, so the solver tries no other.
    keys = [_weighted(person, lambda j, v: v * (top + 1) ** j) for person in gave]
    solver.add(*[keys[p] <= keys[p + 1] for p in range(size - 1)])
    totals = {
        ("total", relationship, f"{capability} {p}"): _weighted(person, lambda j, v: v)
        for p, person in enumerate(gave)
    }
    constant = attacker.constant(totals, solver)
    each = set(constant.values())
    return each.pop() if len(constant) == size and len(each) == 1 else None


def _weighted(person: list[list[z3.BoolRef]], weight) -> z3.ArithRef:
    """The sum of weight(item's place, answer) over the person's answers."""
    return z3.Sum(
        [
            z3.If(b, weight(j, v), 0)
            for j, options in enumerate(person)
            for v, b in enumerate(options)
        ]
    )


def _behind_by_person(
    group: GroupFigure, relationship: str, gave: list, at: list[int], counts: Counts
) -> z3.BoolRef:
    scored = [z3.Not(z3.And([person[j][NOT_OBSERVED] for j in at])) for person in gave]
    others = counts.present(r for r in group.members if r != relationship)
    most = [counts.most_behind(r, group.items) for r in others]
    return z3.Sum([z3.If(b, 1, 0) for b in scored] + most) >= group.people


def leaks(publication: Publication) -> list[Forced]:
    """The forced answers and totals that single a colleague out (the module's definition)."""
    attacker = Attacker(publication)
    forced = attacker.forced()
    answers = {(f.relationship, f.about): f.value for f in forced if not f.total}
    found = [f for f in forced if not f.total and _answer_leaks(f, answers, publication)]
    allowed = set(answers) - {(f.relationship, f.about) for f in found}
    found += [f for f in forced if f.total and _total_leaks(f, attacker, allowed)]
    return found


def _anonymous(publication: Publication) -> dict[str, int]:
    """Relationship -> answered, for everyone but a disclosed line manager."""
    disclosed = LINE_MANAGER if publication.manager_disclosed else None
    return {r: size for r, size in publication.sizes if size and r != disclosed}


def _answer_leaks(f: Forced, answers: Mapping[tuple[str, str], int], p: Publication) -> bool:
    anonymous = _anonymous(p)
    if f.relationship not in anonymous:
        return False
    alike = sum(size for r, size in anonymous.items() if answers.get((r, f.about)) == f.value)
    return not (f.value in (NOT_OBSERVED, *p.scale) and alike >= UNANIMOUS)


def _total_leaks(f: Forced, attacker: Attacker, allowed: set[tuple[str, str]]) -> bool:
    """`allowed`: the (relationship, item) answers forced without a leak."""
    anonymous = _anonymous(attacker.publication)
    if f.relationship not in anonymous:
        return False
    items = dict(attacker.publication.capabilities)[f.about]
    # Answers a unanimous group gives away add nothing to a total that the group did not.
    rest = tuple(i for i in items if (f.relationship, i) not in allowed)
    if not rest:
        return False
    for value in attacker.publication.scale:
        if not attacker.confined(f.relationship, rest, value):
            continue
        alike = sum(s for r, s in anonymous.items() if attacker.confined(r, rest, value))
        if alike >= UNANIMOUS:
            return False
    return True


def consistent(publication: Publication, answers: Mapping[tuple[str, str], Sequence[int]]) -> bool:
    """Do these answers, each relationship's to each item, fit the figures?"""
    attacker = Attacker(publication)
    how_many = attacker.counts.how_many
    exact = [
        how_many[(r, item)][v] == given.count(v)
        for (r, item), given in answers.items()
        for v in range(attacker.counts.top + 1)
    ]
    return attacker.possible(z3.And(exact))
