"""A cohort: 10,000 rounds aggregated in one batch, and 200 PDFs on one core and on two.

    .venv/bin/python bench/cohort.py                   # 10,000 rounds, 200 PDFs
    .venv/bin/python bench/cohort.py --quick           # a few rounds, for the smoke test

Aggregation: one frame of every answer (self plus 15 colleagues, every item, per round) and
one of every comment, both with a `round` column, through the real summarize_many(): the path
summarize() takes for a single round. `--pdfs 0` skips the PDFs.
PDFs: the real `flask report pdfs --jobs 1`, then `--jobs 2`, timed from outside.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import (  # noqa: E402
    BENCH_POSTGRES_URL,
    figure,
    fresh_sqlite_url,
    migrated_app,
    note,
    scratch_folder,
    verdict,
)

GIB = 1024**3


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10_000, help="rounds to aggregate")
    parser.add_argument("--pdfs", type=int, default=200, help="rounds to write PDFs for")
    parser.add_argument("--postgres", nargs="?", const=BENCH_POSTGRES_URL, default=None)
    parser.add_argument("--quick", action="store_true", help="a tiny run for the smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.pdfs = 12, 2
    return args


# Aggregation ---------------------------------------------------------------------------------


def _resident_kib(field: str) -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+)", status).group(1))


def load_average() -> str:
    """Other people's work on this shared machine shows here: read figures in its light."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def reset_peak_memory() -> None:
    """Linux: start the peak resident size (VmHWM) again from what is resident now."""
    Path("/proc/self/clear_refs").write_text("5")


def aggregate(rounds: int) -> None:
    import _cohort_frame
    import _data

    from feedback360.reports.aggregate import RoundFacts, summarize_many
    from feedback360.reports.rules import DEFAULT_RULES

    instrument = _data.frontline()
    started = time.perf_counter()
    answers = _cohort_frame.answers(rounds, instrument)
    comments = _cohort_frame.comments(rounds, instrument)
    figure("cohort frame rows", len(answers))
    figure("cohort frame memory", answers.memory_usage(deep=True).sum() / 1024**2, "MiB")
    figure("cohort frame build (untimed below)", time.perf_counter() - started, "s")
    facts = RoundFacts("Morag Campbell", dt.date(2026, 1, 5), dt.date(2026, 2, 2), "cohort")
    note(f"load average before aggregating: {load_average()}")
    reset_peak_memory()
    before = _resident_kib("VmRSS")
    started = time.perf_counter()
    facts_by_round = dict.fromkeys(range(1, rounds + 1), facts)
    reports = summarize_many(answers, comments, instrument, DEFAULT_RULES, facts_by_round)
    seconds = time.perf_counter() - started
    # The reports are still held here, so the peak counts them as well as the working arrays.
    print_aggregation(rounds, len(reports), seconds, _resident_kib("VmHWM"), before)
    note(f"load average after aggregating: {load_average()}")


def print_aggregation(rounds: int, done: int, seconds: float, peak: int, before: int) -> None:
    figure("rounds aggregated", done)
    figure("aggregation time", seconds, "s")
    figure("aggregation per round", 1000 * seconds / max(done, 1), "ms")
    figure("rounds per second", done / seconds, "/s")
    figure("peak resident memory while aggregating", peak / 1024, "MiB")
    figure("  of which added by aggregating", (peak - before) / 1024, "MiB")
    verdict(f"aggregation of {rounds} rounds (s)", seconds, "<= 2", seconds <= 2)
    verdict("peak memory (GiB)", peak * 1024 / GIB, "<= 1", peak * 1024 <= GIB)


# Bulk PDFs -----------------------------------------------------------------------------------


def closed_rounds(database_url: str, count: int) -> list[int]:
    """`count` closed rounds of a self-assessment and 15 colleagues, each with its report."""
    import _data

    from feedback360.extensions import db
    from feedback360.surveys.closing import close_round

    app = migrated_app(database_url)
    tags = itertools.count()
    ids = []
    with app.app_context():
        for number in range(count):
            user = _data.make_worker(f"Worker {number} Campbell")
            round_ = _data.answered_round(user, _data.frontline(), tags)
            close_round(round_)
            ids.append(round_.id)
        db.session.commit()
        db.engine.dispose()
    return ids


def bulk_pdfs(database_url: str, count: int, folder: Path) -> None:
    """The real command, `flask report pdfs`, with one process and then two."""
    from _bulk_pdf import run_command

    round_ids = closed_rounds(database_url, count)
    rates = {}
    for jobs in (1, 2):
        note(f"load average before {jobs} process(es): {load_average()}")
        run = run_command(database_url, round_ids, jobs, folder)
        rates[jobs] = run.written / run.wall
        figure(f"PDFs written with {jobs} process(es)", run.written)
        figure(f"PDFs failed with {jobs} process(es)", run.failed)
        figure(f"command time, {jobs} process(es)", run.wall, "s")
        figure(f"PDFs per second, {jobs} process(es)", rates[jobs], "/s")
        figure(f"CPU seconds per PDF, {jobs} process(es)", run.cpu / max(run.written, 1), "s")
        figure(f"cores kept busy, {jobs} process(es)", run.cpu / run.wall)
        for problem in run.problems:
            note(problem)
    speed_up = rates[2] / rates[1]
    verdict("speed-up, two cores / one", speed_up, ">= 1.8", speed_up >= 1.8)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    aggregate(args.rounds)
    if not args.pdfs:
        return 0
    with scratch_folder() as folder:
        url = args.postgres or fresh_sqlite_url(folder)
        bulk_pdfs(url, args.pdfs, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
