"""Colleagues over several rounds of one worker, the reports kept of them, and the attacker.

A person is the rounds they answered (0 the first), their relationship, and their answers,
alike in every round they answered. Reports are made and held back as closes make them; the
exact attacker (exact_pairs.RoundsAttacker) may then be handed any of them together, its parts
named by the chosen rounds each person answered ("01": the first two chosen, "1": the second
only). Used by test_report_rounds_exact.py and by the search in search_leaks.py.
"""

from __future__ import annotations

from builders_report import Rater, report_of
from exact_pairs import RoundsAttacker
from exact_publication import publication_of

from feedback360.instruments.model import Instrument
from feedback360.reports.over_time import hold_back_against
from feedback360.reports.report import Report

# (the rounds answered, relationship, answers to each item)
Person = tuple[tuple[int, ...], str, dict[str, int | None]]


def raters_in(people: list[Person], round_: int) -> list[Rater]:
    chosen = [(r, answers) for rounds, r, answers in people if round_ in rounds]
    return [(f"{r}-{n}", r, answers) for n, (r, answers) in enumerate(chosen)]


def kept_reports(people: list[Person], rounds: int, instrument: Instrument) -> list[Report]:
    """Each round's report, held back against those kept before it, as closes make them."""
    kept: list[Report] = []
    for round_ in range(rounds):
        made = report_of(raters_in(people, round_), instrument)
        kept.append(hold_back_against(made, kept) if kept else made)
    return kept


def _part(rounds: tuple[int, ...], chosen: tuple[int, ...]) -> str:
    """The part a person falls in among the chosen reports: "" if they answered none."""
    return "".join(str(chosen.index(r)) for r in rounds if r in chosen)


def attacker_of(
    people: list[Person], kept: list[Report], chosen: tuple[int, ...]
) -> RoundsAttacker:
    """The exact attacker holding the chosen rounds' kept reports, told who answered which."""
    sizes: dict[tuple[str, str], int] = {}
    for rounds, relationship, _ in people:
        if part := _part(rounds, chosen):
            sizes[(part, relationship)] = sizes.get((part, relationship), 0) + 1
    rounds_of = {part: tuple(map(int, part)) for part, _ in sizes}
    return RoundsAttacker([publication_of(kept[r]) for r in chosen], sizes, rounds_of)


def answers_of(people: list[Person], chosen: tuple[int, ...]) -> dict[tuple, list[int]]:
    """What each part gave each item ("not observed" as 0), for `RoundsAttacker.fits`."""
    found: dict[tuple, list[int]] = {}
    for rounds, relationship, answers in people:
        if part := _part(rounds, chosen):
            for item, answer in answers.items():
                found.setdefault((part, relationship, item), []).append(answer or 0)
    return found
