"""Submits per second and latency of the colleague's "Send", against a floor, then a DB check.

    .venv/bin/python bench/submit_load.py                 # SQLite, 20 s at 32 concurrent
    .venv/bin/python bench/submit_load.py --postgres      # the same on PostgreSQL
    .venv/bin/python bench/submit_load.py --quick         # a few seconds, for the smoke test

Both servers run under gunicorn with 2 workers on a loopback port. The app's raters are first
walked through the real pages (untimed), then their sends are timed. The floor is
bench/floor_app.py: the same complete answers parsed and inserted with the bare driver.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import (  # noqa: E402
    BENCH_POSTGRES_URL,
    bench_config,
    figure,
    fresh_sqlite_url,
    gunicorn,
    migrated_app,
    note,
    percentile,
    scratch_folder,
    verdict,
)
from _load import Request, Result, run_load  # noqa: E402
from _rater_flow import Rater, page_form, walk_all  # noqa: E402
from _submit_check import Stored, check_stored  # noqa: E402


@dataclass(frozen=True, slots=True)
class Run:
    """One timed phase: what came back, how long it took, and what the database kept."""

    name: str
    results: list[Result]
    wall: float
    sent: int
    stored: Stored

    @property
    def ok(self) -> list[Result]:
        return [r for r in self.results if r.status == 302 and r.location.endswith("/thanks")]

    @property
    def rate(self) -> float:
        return len(self.ok) / self.wall if self.wall else 0.0

    def latency_ms(self, fraction: float) -> float:
        return 1000 * percentile([r.latency for r in self.results], fraction)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invitations", type=int, default=12000, help="invitations to create")
    parser.add_argument(
        "--floor-requests", type=int, default=30000, help="most submits to send the floor"
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit of each phase")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--per-round",
        type=int,
        default=0,
        help="invitations per round (default: all in one round, as the issue asks)",
    )
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=BENCH_POSTGRES_URL,
        default=None,
        help=f"run on PostgreSQL (default URL {BENCH_POSTGRES_URL})",
    )
    parser.add_argument(
        "--pages",
        choices=("http", "direct"),
        default="direct",
        help="warm-up: save every questionnaire page over HTTP, or write the drafts directly",
    )
    parser.add_argument("--quick", action="store_true", help="a tiny run for the smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.invitations, args.floor_requests, args.seconds, args.pages = 24, 24, 3.0, "http"
    return args


def server_env(database_url: str) -> dict[str, str]:
    return {k: str(v) for k, v in bench_config(database_url).items()}


# The app ------------------------------------------------------------------------------------


def seed_app(database_url: str, count: int, per_round: int, direct: bool) -> list[Rater]:
    """Open rounds of `per_round` invitations, `count` in all (with drafts, when `direct`)."""
    import _data

    from feedback360.extensions import db

    app = migrated_app(database_url)
    invitations: list[tuple[int, str]] = []
    with app.app_context():
        instrument = _data.frontline()
        while len(invitations) < count:
            round_ = _data.open_round(_data.make_worker(), instrument)
            invitations += _data.invite(round_, min(per_round, count - len(invitations)))
        if direct:
            for tag, (invitation_id, _) in enumerate(invitations):
                _data.seed_draft(invitation_id, instrument, tag)
        db.session.commit()
        db.engine.dispose()
    return [Rater(tag, token) for tag, (_, token) in enumerate(invitations)]


def run_app(args: argparse.Namespace, database_url: str, log: Path) -> Run:
    import _data

    per_round = args.per_round or args.invitations
    raters = seed_app(database_url, args.invitations, per_round, args.pages == "direct")
    instrument = _data.frontline()
    with gunicorn("wsgi:app", server_env(database_url), args.workers, log) as port:
        ready, saves = walk_all(port, instrument, raters, args.pages == "http", args.concurrency)
        note(f"warm-up: {len(ready)} raters walked to the review page ({args.pages} pages)")
        if saves:
            figure("warm-up page save p50", 1000 * percentile(saves, 0.5), "ms")
            figure("warm-up page save p99", 1000 * percentile(saves, 0.99), "ms")
        requests = [r.submit() for r in ready]
        results, wall = run_load(port, requests, args.concurrency, args.seconds)
    return Run("app", results, wall, len(results), check_stored(database_url, True))


# The floor ----------------------------------------------------------------------------------


def floor_requests(count: int) -> list[Request]:
    """The same complete answers the app's raters saved, as one form each."""
    import _data

    instrument = _data.frontline()
    requests = []
    for tag in range(count):
        form = [("csrf_token", "x" * 90)]
        for number in range(1, len(instrument.capabilities) + 2):
            form += [p for p in page_form(instrument, number, tag) if p[0] != "action"]
        requests.append(Request("POST", "/submit", form, tag=tag))
    return requests


def run_floor(args: argparse.Namespace, database_url: str, log: Path) -> Run:
    import _data

    from feedback360.extensions import db

    app = migrated_app(database_url)
    with app.app_context():
        instrument = _data.frontline()
        round_id = _data.open_round(_data.make_worker(), instrument).id
        db.session.commit()
        db.engine.dispose()
    env = {
        "FLOOR_DATABASE": database_url.removeprefix("sqlite:///"),
        "FLOOR_ROUND_ID": str(round_id),
        "FLOOR_ITEMS": ",".join(i.key for i in instrument.items),
        "FLOOR_QUESTIONS": ",".join(
            [c.key for c in instrument.capabilities] + [q.key for q in instrument.questions]
        ),
        "PYTHONPATH": str(Path(__file__).resolve().parent),
    }
    with gunicorn("floor_app:app", env, args.workers, log) as port:
        requests = floor_requests(args.floor_requests)
        results, wall = run_load(port, requests, args.concurrency, args.seconds)
    return Run("floor", results, wall, len(results), check_stored(database_url, False))


# Printing -----------------------------------------------------------------------------------


def print_run(run: Run) -> None:
    failed = [r for r in run.results if r not in run.ok]
    figure(f"{run.name} submits per second", run.rate, "/s")
    figure(f"{run.name} submit latency p50", run.latency_ms(0.5), "ms")
    figure(f"{run.name} submit latency p99", run.latency_ms(0.99), "ms")
    figure(f"{run.name} submits sent", run.sent)
    figure(f"{run.name} submits succeeded", len(run.ok))
    figure(f"{run.name} submits failed (answered)", len(failed))
    figure(f"{run.name} time of the timed phase", run.wall, "s")
    for status, count in sorted(_statuses(failed).items()):
        note(f"{run.name}: {count} answered {status}")
    run.stored.print(run.name, {r.tag for r in run.ok}, {r.tag for r in failed})


def _statuses(results: list[Result]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        key = result.error or str(result.status)
        counts[key] = counts.get(key, 0) + 1
    return counts


def print_verdicts(app: Run, floor: Run) -> None:
    ratio = app.rate / floor.rate if floor.rate else 0.0
    ok_tags = {r.tag for r in app.ok}
    verdict("ratio submits/s (app / floor)", ratio, ">= 0.5", ratio >= 0.5)
    p99 = app.latency_ms(0.99)
    verdict("app submit latency p99 (ms)", p99, "< 100", p99 < 100)
    lost = app.stored.lost(ok_tags)
    duplicated = app.stored.duplicated()
    verdict("app submits lost", len(lost), "0", not lost)
    verdict("app submits duplicated", len(duplicated), "0", not duplicated)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with scratch_folder() as folder:
        url = args.postgres or fresh_sqlite_url(folder / "floor")
        (folder / "floor").mkdir()
        (folder / "app").mkdir()
        note(f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; {os.cpu_count()} cores")
        note(f"{args.concurrency} concurrent, at most {args.seconds:.0f} s per phase")
        floor = run_floor(args, url, folder / "floor.log")
        app_url = args.postgres or fresh_sqlite_url(folder / "app")
        app = run_app(args, app_url, folder / "app.log")
        print_run(floor)
        print_run(app)
        print_verdicts(app, floor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
