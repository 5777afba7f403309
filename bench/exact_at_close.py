"""What an exact check of two reports at close would cost, against the rule the close runs now.

    .venv/bin/python bench/exact_at_close.py               # 8 overlaps of one pair
    .venv/bin/python bench/exact_at_close.py --overlaps 0  # every overlap (about 10 minutes)
    .venv/bin/python bench/exact_at_close.py --quick       # 1 overlap, for the smoke test

docs/reports.md ("Not yet proved") says what the two-rounds rule still misses: chains of whole
numbers of scores that only an exact check finds. Such a check is the z3 attacker the tests use
(tests/reports/exact_pairs.py), run once for every overlap the close cannot rule out: per
relationship, any number from none to all of those who answered both rounds may be the same
people. This times it on a pair shaped like bench/two_rounds.py (manager instrument, thirteen
colleagues then, two leave and three join; those who stay answer alike, as that attacker
assumes), for a sample of the overlaps spread evenly over all of them, and projects the sum.
The floor is the rule itself (`hold_back_against`) on the same pair.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "reports")]

import z3  # noqa: E402
from _harness import figure, median, note  # noqa: E402
from builders_report import report_of  # noqa: E402
from exact_pairs import IN_EARLIER, IN_NEWER, JOINED, LEFT, STEADY, PairAttacker  # noqa: E402
from exact_publication import publication_of  # noqa: E402

from feedback360.instruments.loading import DEFAULT_DIRECTORY, load_instruments  # noqa: E402
from feedback360.reports.over_time import hold_back_against  # noqa: E402

# (part, relationship) -> how many: two_rounds.py's thirteen, less two, plus three.
PARTS = {
    (STEADY, "line_manager"): 1,
    (STEADY, "peer"): 4,
    (LEFT, "peer"): 1,
    (JOINED, "peer"): 1,
    (STEADY, "direct_report"): 3,
    (LEFT, "direct_report"): 1,
    (STEADY, "other"): 3,
    (JOINED, "other"): 2,
}
ANSWERS = (None, 2, 3, 3, 4, 4, 4, 5, 5)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--overlaps", type=int, default=8, help="overlaps to time; 0: all")
    parser.add_argument("--quick", action="store_true", help="one overlap, for the smoke test")
    return parser.parse_args(argv)


def people(instrument, seed: int = 0) -> list[tuple[str, str, dict]]:
    rng = random.Random(seed)
    return [
        (part, relationship, {i.key: rng.choice(ANSWERS) for i in instrument.items})
        for (part, relationship), size in PARTS.items()
        for _ in range(size)
    ]


def raters(everyone: list, parts: tuple[str, ...]) -> list:
    chosen = [(r, answers) for p, r, answers in everyone if p in parts]
    return [(f"{r}-{n}", r, answers) for n, (r, answers) in enumerate(chosen)]


def overlaps(then: dict[str, int], now: dict[str, int]) -> list[dict[tuple[str, str], int]]:
    """Every split of each relationship into steady, left and joined the two counts allow."""
    relationships = [r for r in then if then[r] or now.get(r)]
    ranges = [range(min(then[r], now.get(r, 0)) + 1) for r in relationships]
    return [
        {
            **{(STEADY, r): s for r, s in zip(relationships, steady, strict=True)},
            **{(LEFT, r): then[r] - s for r, s in zip(relationships, steady, strict=True)},
            **{(JOINED, r): now.get(r, 0) - s for r, s in zip(relationships, steady, strict=True)},
        }
        for steady in itertools.product(*ranges)
    ]


def spread(every: list, wanted: int) -> list:
    if wanted <= 0 or wanted >= len(every):
        return every
    step = len(every) / wanted
    return [every[int(n * step)] for n in range(wanted)]


def check(earlier, newer, parts: dict) -> float:
    """Seconds for the whole exact check of one overlap: none, if no answers fit it."""
    started = time.perf_counter()
    attacker = PairAttacker(earlier, newer, parts)
    if attacker.solver.check() == z3.sat:
        attacker.leaks()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    instrument = load_instruments(DEFAULT_DIRECTORY)["manager"]
    everyone = people(instrument)
    earlier = report_of(raters(everyone, IN_EARLIER), instrument)
    newer = report_of(raters(everyone, IN_NEWER), instrument)
    started = time.perf_counter()
    held = hold_back_against(newer, [earlier])
    rule = time.perf_counter() - started
    then, now = (dict(publication_of(r).sizes) for r in (earlier, held))
    every = overlaps(then, now)
    sample = spread(every, 1 if args.quick else args.overlaps)
    seconds = [check(publication_of(earlier), publication_of(held), parts) for parts in sample]
    projected = sum(seconds) / len(seconds) * len(every)
    timed = "all timed" if len(sample) == len(every) else f"{len(sample)} timed, sum projected"
    note(f"one pair, manager instrument, {len(instrument.items)} items; overlaps: {timed}")
    figure("floor: the rule at close", rule * 1000, "ms")
    figure("overlaps the close cannot rule out", len(every))
    figure("exact check, one overlap (median)", median(seconds) * 1000, "ms")
    figure("exact check, every overlap (projected)", projected, "s")
    figure("ratio exact / rule", projected / rule)


if __name__ == "__main__":
    main()
