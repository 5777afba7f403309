"""What holding a second round's report back against the first costs, and what it keeps.

    .venv/bin/python bench/two_rounds.py            # 5 pairs, manager instrument
    .venv/bin/python bench/two_rounds.py --quick    # 1 pair, for the smoke test

Each pair: thirteen colleagues answer the first round (line manager 1, peers 5, people managed
4, others 3); in the second, a peer and a person managed have gone, a peer and two others have
joined, and everyone who stayed changed one answer. The floor is making the second report
itself (`summarize`); the figure is `hold_back_against` on top of it, the work a close adds
when the worker has an earlier report. Also printed: how many item means and group means the
second report keeps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import figure, median, note  # noqa: E402

from feedback360.instruments.loading import DEFAULT_DIRECTORY, load_instruments  # noqa: E402
from feedback360.reports.aggregate import RoundFacts, summarize  # noqa: E402
from feedback360.reports.frames import make_answers_frame, make_comments_frame  # noqa: E402
from feedback360.reports.over_time import hold_back_against  # noqa: E402
from feedback360.reports.rules import DEFAULT_RULES  # noqa: E402

FIRST = {"line_manager": 1, "peer": 5, "direct_report": 4, "other": 3}
GONE = ("peer-0", "direct_report-0")
JOINED = ("peer", "other", "other")
ANSWERS = (None, 2, 3, 3, 4, 4, 4, 5, 5)
FACTS = RoundFacts("Morag Campbell", dt.date(2026, 1, 5), dt.date(2026, 2, 2), "bench")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5, help="pairs of rounds to time")
    parser.add_argument("--quick", action="store_true", help="one pair, for the smoke test")
    return parser.parse_args(argv)


def rounds(instrument, seed: int) -> tuple[list, list]:
    """Both rounds' colleagues as (name, relationship, answers)."""
    rng = random.Random(seed)
    items = [item.key for item in instrument.items]

    def answers() -> dict:
        return {k: rng.choice(ANSWERS) for k in items}

    first = [(f"{r}-{n}", r, answers()) for r, count in FIRST.items() for n in range(count)]
    stayed = [(name, r, dict(a)) for name, r, a in first if name not in GONE]
    for _, _, a in stayed:
        a[rng.choice(items)] = rng.choice(ANSWERS[1:])
    joined = [(f"new-{n}", r, answers()) for n, r in enumerate(JOINED)]
    return first, stayed + joined


def report(instrument, people: list):
    rows = [(name, r, k, s) for name, r, answers in people for k, s in answers.items()]
    return summarize(
        make_answers_frame(rows), make_comments_frame([]), instrument, DEFAULT_RULES, FACTS
    )


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    instrument = load_instruments(DEFAULT_DIRECTORY)["manager"]
    pairs = 1 if args.quick else args.pairs
    floors, holds, items, means = [], [], [], []
    for seed in range(pairs):
        first, second = rounds(instrument, seed)
        earlier = report(instrument, first)
        started = time.perf_counter()
        newer = report(instrument, second)
        made = time.perf_counter()
        held = hold_back_against(newer, [earlier])
        done = time.perf_counter()
        floors.append(made - started)
        holds.append(done - made)
        items.append(sum(i.colleague_mean is not None for c in held.capabilities for i in c.items))
        means.append(sum(len(c.scores) for c in held.capabilities))
    shown = sum(i.colleague_mean is not None for c in newer.capabilities for i in c.items)
    note(f"{pairs} pairs, manager instrument, {len(instrument.items)} items")
    figure("floor: make the second report", median(floors) * 1000, "ms")
    figure("hold it back against the first", median(holds) * 1000, "ms")
    figure("ratio hold / floor", median(holds) / median(floors))
    figure("item means kept (median)", median(items), f"of {shown} in the last pair")
    figure("group means kept (median)", median(means))


if __name__ == "__main__":
    main()
