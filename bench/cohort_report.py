"""A programme's cohort report for 10,000 workers, against the batch aggregation alone.

    .venv/bin/python bench/cohort_report.py            # 10,000 workers
    .venv/bin/python bench/cohort_report.py --quick    # a few workers, for the smoke test

The floor is the real summarize_many() over one frame of every worker's answers (self plus 15
colleagues, every item): the batch aggregation every report comes from. The run then adds what
the cohort report costs on top, in the same process: cohort_report() over those reports for
the whole cohort and for every view it offers (by role), and the rows the page, CSV and PDF
show. Headline: (aggregation + cohort) / aggregation alone, and the peak memory of each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import figure, note  # noqa: E402

ROLES = ("Team leader", "Senior carer", "Service manager", "Support worker")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=10_000, help="workers in the cohort")
    parser.add_argument("--quick", action="store_true", help="a tiny run for the smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.workers = 12
    return args


def _resident_kib(field: str) -> int:
    import re

    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+)", status).group(1))


def reset_peak_memory() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def main(argv: list[str] | None = None) -> int:
    import _cohort_frame
    import _data

    from feedback360.programmes import cohort_data
    from feedback360.programmes.cohort import Contribution, cohort_report
    from feedback360.reports.aggregate import RoundFacts, summarize_many
    from feedback360.reports.rules import DEFAULT_RULES

    args = parse_args(argv)
    instrument = _data.frontline()
    answers = _cohort_frame.answers(args.workers, instrument)
    comments = _cohort_frame.comments(args.workers, instrument)
    facts = RoundFacts("Morag Campbell", dt.date(2026, 1, 5), dt.date(2026, 2, 2), "cohort")
    facts_by_round = dict.fromkeys(range(1, args.workers + 1), facts)
    figure("workers", args.workers)

    reset_peak_memory()
    before = _resident_kib("VmRSS")
    started = time.perf_counter()
    reports = summarize_many(answers, comments, instrument, DEFAULT_RULES, facts_by_round)
    floor = time.perf_counter() - started
    floor_peak = _resident_kib("VmHWM")
    figure("floor: batch aggregation time", floor, "s")
    figure("floor: peak resident memory", floor_peak / 1024, "MiB")
    figure("floor: memory added", (floor_peak - before) / 1024, "MiB")

    reset_peak_memory()
    started = time.perf_counter()
    contributions = [
        Contribution(number, instrument.key, ROLES[number % len(ROLES)], report)
        for number, report in reports.items()
    ]
    everyone = cohort_report(contributions)
    views = [cohort_report(contributions, chosen) for chosen in everyone.filters[1:]]
    rows = sum(len(cohort_data.rows(view)) for view in [everyone, *views])
    cohort_seconds = time.perf_counter() - started
    cohort_peak = _resident_kib("VmHWM")
    figure("cohort views offered", len(everyone.filters))
    figure("cohort rows shown", rows)
    figure("cohort report time (all views)", cohort_seconds, "s")
    figure("cohort peak resident memory", cohort_peak / 1024, "MiB")
    figure("ratio: (aggregation + cohort) / aggregation", (floor + cohort_seconds) / floor)
    figure("ratio: cohort peak / aggregation peak", cohort_peak / floor_peak)
    note("the cohort reads the Reports the aggregation made; the database load is not timed here")
    return 0


if __name__ == "__main__":
    sys.exit(main())
