"""An attacker who runs the app's own rule: every truth that would have made the same reports.

exact_pairs.py's z3 attacker reads the published figures but not why a figure was held back.
The rules are published, though, so a real attacker can go further: try every answer each
colleague could have given, make both reports as the app does (the newer one held back against
the earlier), and keep the answers that give exactly the reports they hold. Whatever those all
agree on is known, refusals included (docs/reports.md, "Ranges, and what the exact solver
proves").

Trying every answer is only possible for tiny rounds: one item, a handful of colleagues. Each
part (steady, left or joined, per relationship) is a multiset of answers: people of one part
are interchangeable, and steady colleagues answer alike in both rounds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping

from builders_report import report_of, small_instrument
from exact_pairs import JOINED, LEFT, STEADY

from feedback360.reports.over_time import hold_back_against
from feedback360.reports.report import Report

ONE_ITEM = small_instrument((1,))
ANSWERS = (None, 1, 2, 3, 4, 5)
# (part, relationship) -> the answers of the colleagues in it
Parts = Mapping[tuple[str, str], tuple[int | None, ...]]


def kept_pair(parts: Parts, rule: bool = True) -> tuple[Report, Report]:
    """Both reports as the app keeps them."""
    earlier = report_of(_raters(parts, (STEADY, LEFT)), ONE_ITEM)
    newer = report_of(_raters(parts, (STEADY, JOINED)), ONE_ITEM)
    return earlier, hold_back_against(newer, [earlier]) if rule else newer


def _raters(parts: Parts, wanted: tuple[str, ...]) -> list:
    chosen = [(r, a) for (p, r), answers in parts.items() if p in wanted for a in answers]
    return [(f"{r}-{n}", r, {"c1i1": a}) for n, (r, a) in enumerate(chosen)]


def truths_behind(parts: Parts, rule: bool = True) -> Iterator[dict]:
    """Every way the parts could have answered that gives the reports these parts gave."""
    earlier, newer = kept_pair(parts, rule)
    then = [k for k in parts if k[0] != JOINED]
    joined = [k for k in parts if k[0] == JOINED]
    for answers_then in itertools.product(*(_multisets(len(parts[k])) for k in then)):
        guess = dict(zip(then, answers_then, strict=True))
        if report_of(_raters(guess, (STEADY, LEFT)), ONE_ITEM) != earlier:
            continue
        for answers_now in itertools.product(*(_multisets(len(parts[k])) for k in joined)):
            guess_now = {**guess, **dict(zip(joined, answers_now, strict=True))}
            if kept_pair(guess_now, rule)[1] == newer:
                yield guess_now


def _multisets(size: int) -> list[tuple[int | None, ...]]:
    return list(itertools.combinations_with_replacement(ANSWERS, size))


def pinned(parts: Parts, rule: bool = True) -> dict[tuple[str, str], tuple]:
    """The parts of one or two colleagues whose answers every such truth agrees on."""
    seen: dict[tuple[str, str], set] = {k: set() for k in parts if 0 < len(parts[k]) < 3}
    for truth in truths_behind(parts, rule):
        for key, found in seen.items():
            found.add(truth[key])
    return {key: found.pop() for key, found in seen.items() if len(found) == 1}
