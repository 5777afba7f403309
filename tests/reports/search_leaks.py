"""Search random rounds of one worker for what their kept reports, set side by side, give away.

    .venv/bin/python tests/reports/search_leaks.py --rounds 3 --count 400 --seed 1

Each trial makes colleagues in parts by the rounds they answered (for three rounds: all three,
the first two only, the first only, and so on), each answering alike in every round they
answered. It makes each round's report and holds it back against the reports kept before it,
as a close does, then hands all the kept reports to the exact attacker (exact_pairs.py). A
trial that leaks is printed with its colleagues; with three rounds, the line also says whether
some two of the reports leak by themselves. The figures in docs/reports.md for three reports,
and for pairs in "What the search found next" and "Each person's range", come from this search.
On this project's shared two-core machines 400 trials took 80 to 170 s for two rounds and 300
to 500 s for three.

`--start-at` makes every later report start the rule's ladder (over_time._ladder) lower, with
fewer figures on the capabilities it shares: what publishing less in later rounds would buy.
It changes the rule in this process only.
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

from feedback360.reports import over_time  # noqa: E402
from feedback360.reports.report import Report  # noqa: E402

INSTRUMENT = small_instrument((1, 3))
RELATIONSHIPS = ("line_manager", "peer", "direct_report", "other")
ANSWERS = (None, 1, 2, 3, 4, 5)
# The rungs of over_time._ladder, in its order: what a later report may still show.
RUNGS = (
    "everything",
    "all colleagues and items",
    "items",
    "group means",
    "all colleagues",
    "nothing",
)


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


def start_at(rung: str) -> None:
    """Every later report tries only the rungs of the ladder from `rung` down."""
    assert hasattr(over_time, "_ladder"), "the rule's ladder has moved: update this search"
    whole, first = over_time._ladder, RUNGS.index(rung)
    over_time._ladder = lambda scores, items: whole(scores, items)[first:]


def figures_kept(kept: list[Report]) -> tuple[int, int]:
    """Of the later reports' capability and item slots, how many show a colleague figure."""
    later = [c for report in kept[1:] for c in report.capabilities]
    shown = sum(bool(c.scores) for c in later)
    shown += sum(i.colleague_mean is not None for c in later for i in c.items)
    return shown, sum(1 + len(c.items) for c in later)


def trial(people: list[Person], rounds: int) -> str | None:
    """How the kept reports leak ("only all together", "within a pair", or for two rounds
    "leaks"), or None; every round must have someone who answered it."""
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
    parser.add_argument("--start-at", choices=RUNGS, default=RUNGS[0], help="the rule's rung")
    options = parser.parse_args()
    start_at(options.start_at)
    rng = random.Random(options.seed)
    started, found, shown, slots = time.monotonic(), {}, 0, 0
    for number in range(options.count):
        people = colleagues(rng, options.rounds)
        if not all(raters_in(people, r) for r in range(options.rounds)):
            continue  # a round nobody answered makes no report
        figures = figures_kept(kept_reports(people, options.rounds, INSTRUMENT))
        shown, slots = shown + figures[0], slots + figures[1]
        if (kind := trial(people, options.rounds)) is not None:
            found[kind] = found.get(kind, 0) + 1
            print(f"trial {number}: {kind}: {people}", flush=True)
    seconds = time.monotonic() - started
    said = f"{options.count} trials of {options.rounds} rounds (seed {options.seed})"
    print(f"{said}, from {options.start_at!r}: {found or 'no leak'}; {seconds:.0f} s")
    print(f"later reports show a colleague figure in {shown} of {slots} capability and item slots")
    return 0


if __name__ == "__main__":
    sys.exit(main())
