"""Search random rounds of one worker for what their kept reports, set side by side, give away.

    .venv/bin/python tests/reports/search_leaks.py --rounds 3 --count 400 --seed 1

Each trial makes colleagues in parts by the rounds they answered (for three rounds: all three,
the first two only, the first only, and so on), each answering alike in every round they
answered. It makes each round's report and holds it back against the reports kept before it,
as a close does, then hands all the kept reports to the exact attacker (exact_pairs.py). A
trial that leaks is printed with its colleagues; with three rounds, the line also says whether
some two of the reports leak by themselves. The figures for three reports in docs/reports.md
come from this search. It takes about a second a trial for two rounds and several for three.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parents[1])]

from builders_report import small_instrument  # noqa: E402
from exact_rounds import Person, attacker_of, kept_reports, raters_in  # noqa: E402

INSTRUMENT = small_instrument((1, 3))
RELATIONSHIPS = ("line_manager", "peer", "direct_report", "other")
ANSWERS = (None, 1, 2, 3, 4, 5)


def parts_of(rounds: int) -> list[tuple[int, ...]]:
    """Every set of rounds a colleague may have answered, the largest first."""
    every = range(rounds)
    return [s for n in range(rounds, 0, -1) for s in itertools.combinations(every, n)]


def colleagues(rng: random.Random, rounds: int) -> list[Person]:
    """Per relationship, a few colleagues in each part; a line manager in at most one part."""
    palette = tuple(rng.sample(ANSWERS, rng.randint(1, 3)))  # alike answers pin more
    people: list[Person] = []
    for relationship in RELATIONSHIPS:
        for part in parts_of(rounds):
            if relationship == "line_manager":
                size = rng.choice((0, 0, 0, 1))
            elif len(part) == rounds:
                size = rng.choice((0, 1, 2, 3, 3, 4))
            else:
                size = rng.choice((0, 0, 0, 1, 1, 2))
            own = palette if rng.random() < 0.5 else ANSWERS
            for _ in range(size):
                answers = {item.key: rng.choice(own) for item in INSTRUMENT.items}
                people.append((part, relationship, answers))
    return people


def trial(people: list[Person], rounds: int) -> str | None:
    """How the trial leaks ("all together", or "within a pair" too), or None."""
    if not all(raters_in(people, r) for r in range(rounds)):
        return None  # a round nobody answered makes no report
    kept = kept_reports(people, rounds, INSTRUMENT)
    if not attacker_of(people, kept, tuple(range(rounds))).leaks():
        return None
    pairs = itertools.combinations(range(rounds), 2)
    if rounds > 2 and not any(attacker_of(people, kept, pair).leaks() for pair in pairs):
        return "only all together"
    return "within a pair" if rounds > 2 else "leaks"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, choices=(2, 3))
    parser.add_argument("--count", type=int, default=100, help="trials")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    started, found = time.monotonic(), {}
    for number in range(options.count):
        people = colleagues(rng, options.rounds)
        if (kind := trial(people, options.rounds)) is not None:
            found[kind] = found.get(kind, 0) + 1
            print(f"trial {number}: {kind}: {people}", flush=True)
    seconds = time.monotonic() - started
    said = f"{options.count} trials of {options.rounds} rounds (seed {options.seed})"
    print(f"{said}: {found or 'no leak'}; {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
