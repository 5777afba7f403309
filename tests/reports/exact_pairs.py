"""The exact attacker of exact_check.py, holding two reports of one worker at once.

The attacker is granted the worst overlap: they know how many in each relationship answered
both rounds, and that those steady colleagues gave the same answers both times, so their
answers cancel between the reports. Each relationship's colleagues are then three parts:
steady (in both), leavers (the earlier round only) and joiners (the newer only), and each
part has its own unknown counts of who gave what. The earlier report's counts are steady +
leavers, the newer's steady + joiners, and each report's figures constrain its own counts
exactly as exact_counts.py encodes them.

A leak is a part of one or two colleagues (not a disclosed line manager) whose answer to an
item, or total over a capability, the two reports together force, unless the answer is an
extreme or "not observed" that a unanimous three or more in that report state anyway (the
single report's allowance), or the total follows from such answers alone.

`RoundsAttacker` holds any number of reports: each part is then the colleagues who answered
one set of the rounds (for three, those in all three, in the first two only, and so on).
`PairAttacker` is its case of two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import z3
from exact_counts import NOT_OBSERVED, Counts, constraints
from exact_publication import LINE_MANAGER, Publication

STEADY, LEFT, JOINED = "steady", "left", "joined"
IN_EARLIER = (STEADY, LEFT)
IN_NEWER = (STEADY, JOINED)
UNANIMOUS = 3


@dataclass(frozen=True, slots=True)
class PartForced:
    part: str
    relationship: str
    about: str
    value: int
    total: bool = False


class PartCounts(Counts):
    """One report's counts, each the sum of its parts' unknowns."""

    def __init__(self, publication: Publication, parts: Mapping, names: tuple[str, ...]) -> None:
        self.sizes = {r: size for r, size in publication.sizes if size}
        self.top = publication.scale[1]
        self.how_many = {
            (r, i.key): tuple(
                z3.Sum([parts[(p, r, i.key)][v] for p in names if (p, r, i.key) in parts])
                for v in range(self.top + 1)
            )
            for r in self.sizes
            for i in publication.items
        }


class RoundsAttacker:
    """Every report of one worker at once, its colleagues split into parts by which rounds
    they answered: `rounds_of[part]` is the reports (by their place in `publications`) that
    part's colleagues answered, alike each time."""

    def __init__(
        self,
        publications: Sequence[Publication],
        parts: Mapping[tuple[str, str], int],  # (part, relationship) -> its size
        rounds_of: Mapping[str, tuple[int, ...]],
    ) -> None:
        self.publications, self.sizes, self.rounds_of = list(publications), dict(parts), rounds_of
        first = self.publications[0]
        self.top = first.scale[1]
        items = [i.key for i in first.items]
        self.unknowns = {
            (p, r, item): tuple(z3.Int(f"{p}_{r}_{item}_{v}") for v in range(self.top + 1))
            for (p, r), size in parts.items()
            if size
            for item in items
        }
        self.counts = {
            side: PartCounts(publication, self.unknowns, self._parts_in(side))
            for side, publication in enumerate(self.publications)
        }
        self.solver = z3.Solver()
        for (p, r, _), counts in self.unknowns.items():
            size = parts[(p, r)]
            self.solver.add(*[z3.And(n >= 0, n <= size) for n in counts])
            self.solver.add(z3.Sum(counts) == size)
        for side, publication in enumerate(self.publications):
            self.solver.add(*constraints(publication, self.counts[side]))

    def _parts_in(self, side: int) -> tuple[str, ...]:
        return tuple(p for p, rounds in self.rounds_of.items() if side in rounds)

    def fits(self, answers: Mapping[tuple[str, str, str], list[int]]) -> bool:
        """Do these answers, each part's to each item, fit every report's figures?"""
        exact = [
            self.unknowns[key][v] == given.count(v)
            for key, given in answers.items()
            for v in range(self.top + 1)
        ]
        return self.solver.check(*exact) == z3.sat

    def terms(self) -> dict[tuple, z3.ArithRef]:
        terms = {}
        for (p, r, item), counts in self.unknowns.items():
            base = self.sizes[(p, r)] + 1
            terms[("part", p, r, item)] = z3.Sum([n * base**v for v, n in enumerate(counts)])
        for side, counts in self.counts.items():
            for (r, item), how_many in counts.how_many.items():
                base = counts.sizes[r] + 1
                terms[("whole", side, r, item)] = z3.Sum(
                    [n * base**v for v, n in enumerate(how_many)]
                )
        for capability, items in self.publications[0].capabilities:
            for (p, r), size in self.sizes.items():
                if size and all((p, r, i) in self.unknowns for i in items):
                    cells = [self.unknowns[(p, r, i)] for i in items]
                    total = z3.Sum([v * c[v] for c in cells for v in range(1, self.top + 1)])
                    terms[("total", p, r, capability)] = total
        return terms

    def constant(self, terms: Mapping[tuple, z3.ArithRef]) -> dict[tuple, int]:
        """The terms that take one value in every solution (as exact_check's Attacker)."""
        assert self.solver.check() == z3.sat, "no answers fit the reports: encoding wrong"
        first = self._values(terms)
        open_terms = set(terms)
        while open_terms:
            guard = z3.FreshBool()
            self.solver.add(z3.Implies(guard, z3.Or([terms[t] != first[t] for t in open_terms])))
            if self.solver.check(guard) != z3.sat:
                break
            values = self._values(terms)
            open_terms = {t for t in open_terms if values[t] == first[t]}
        return {t: first[t] for t in open_terms}

    def _values(self, terms: Mapping[tuple, z3.ArithRef]) -> dict[tuple, int]:
        model = self.solver.model()
        return {t: model.eval(e, model_completion=True).as_long() for t, e in terms.items()}

    def leaks(self) -> list[PartForced]:
        constant = self.constant(self.terms())
        unanimous = self._unanimous(constant)
        unanimous = _added(unanimous, self._unanimous_parts(constant))
        found, allowed = [], set()
        for key, number in constant.items():
            if key[0] != "part" or not self._anonymous(key[1], key[2]):
                continue
            _, p, r, item = key
            size = self.sizes[(p, r)]
            for v, n in enumerate(_digits(number, size + 1, self.top + 1)):
                if n != size:
                    continue
                if v in (NOT_OBSERVED, 1, self.top) and self._stated(p, item, v, unanimous):
                    allowed.add((p, r, item))
                elif size < UNANIMOUS:
                    found.append(PartForced(p, r, item, v))
        for key, total in constant.items():
            if key[0] != "total" or not self._anonymous(key[1], key[2]):
                continue
            _, p, r, capability = key
            items = dict(self.publications[0].capabilities)[capability]
            if self.sizes[(p, r)] < UNANIMOUS and not all((p, r, i) in allowed for i in items):
                found.append(PartForced(p, r, capability, total, total=True))
        return found

    def _anonymous(self, part: str, relationship: str) -> bool:
        """A part of one or two line managers is named by any report of a round they answered
        that shows the line manager on their own."""
        if self.sizes[(part, relationship)] >= UNANIMOUS or relationship != LINE_MANAGER:
            return True
        return not any(self.publications[s].manager_disclosed for s in self.rounds_of[part])

    def _unanimous(self, constant: Mapping[tuple, int]) -> dict[tuple[int, str, int], int]:
        """(side, item, answer) -> how many anonymous colleagues that side forces to it."""
        alike: dict[tuple[int, str, int], int] = {}
        for side, counts in self.counts.items():
            publication = self.publications[side]
            for (r, item), _ in counts.how_many.items():
                number = constant.get(("whole", side, r, item))
                if number is None or (r == LINE_MANAGER and publication.manager_disclosed):
                    continue
                size = counts.sizes[r]
                for v, n in enumerate(_digits(number, size + 1, self.top + 1)):
                    if n == size:
                        alike[(side, item, v)] = alike.get((side, item, v), 0) + size
        return alike

    def _unanimous_parts(self, constant: Mapping[tuple, int]) -> dict[tuple[int, str, int], int]:
        """(side, item, answer) -> how many anonymous colleagues of that side's parts are forced
        to it: three who joined, say, all forced to "not observed" are a unanimous three."""
        alike: dict[tuple[int, str, int], int] = {}
        for key, number in constant.items():
            if key[0] != "part" or not self._anonymous(key[1], key[2]):
                continue
            _, p, r, item = key
            size = self.sizes[(p, r)]
            for v, n in enumerate(_digits(number, size + 1, self.top + 1)):
                for side in self.rounds_of[p]:
                    if n == size:
                        alike[(side, item, v)] = alike.get((side, item, v), 0) + size
        return alike

    def _stated(self, part: str, item: str, value: int, alike: Mapping) -> bool:
        return any(alike.get((side, item, value), 0) >= UNANIMOUS for side in self.rounds_of[part])


class PairAttacker(RoundsAttacker):
    """Two reports, earlier and newer: steady colleagues answered both, leavers the earlier
    only, joiners the newer only."""

    def __init__(
        self,
        earlier: Publication,
        newer: Publication,
        parts: Mapping[tuple[str, str], int],  # (part, relationship) -> its size
    ) -> None:
        super().__init__([earlier, newer], parts, {STEADY: (0, 1), LEFT: (0,), JOINED: (1,)})


def _added(one: Mapping, other: Mapping) -> dict:
    """Per key the larger: either way of counting a unanimous group will do."""
    return {k: max(one.get(k, 0), other.get(k, 0)) for k in {*one, *other}}


def _digits(number: int, base: int, width: int) -> list[int]:
    return [number // base**v % base for v in range(width)]
