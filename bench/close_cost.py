"""What closing a round costs on a large database, before and after it forgot who answered.

    .venv/bin/python bench/close_cost.py                # SQLite, 10,000 closed rounds
    .venv/bin/python bench/close_cost.py --postgres     # PostgreSQL (empties feedback360_bench)
    .venv/bin/python bench/close_cost.py --quick        # a few rounds, for the smoke test

A database of many closed rounds is written in bulk, with a few open rounds beside them. Then,
each on a fresh open round (a self-assessment, 8 answers, 3 colleagues still to answer with a
draft, an email and a reminder link each), median of --repeats:

(a) the floor, the close as it was before: round closed, addresses and names set to NULL,
    drafts and mail deleted, report kept; commit;
(b) the close as the app does it now, `surveys.closing.close_round`; commit;
(c) `scrub.scrub_after_close()` alone, right after (b).

On PostgreSQL the clean-up's statements are then timed table by table, after further closes,
so that the part that grows with the database shows.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _close_data  # noqa: E402
import _data  # noqa: E402
from _harness import (  # noqa: E402
    BENCH_POSTGRES_URL,
    figure,
    fresh_sqlite_url,
    median,
    migrated_app,
    note,
    scratch_folder,
)
from sqlalchemy import delete, select, update  # noqa: E402

from feedback360.extensions import db  # noqa: E402
from feedback360.mail.models import OutboxMessage  # noqa: E402
from feedback360.privacy.scrub import (  # noqa: E402
    LOCK_TIMEOUT,
    REWRITTEN_WHOLE,
    VACUUMED,
    scrub_after_close,
)
from feedback360.reports.freeze import freeze_report  # noqa: E402
from feedback360.reports.models import RoundReport  # noqa: E402
from feedback360.surveys.closing import close_round  # noqa: E402
from feedback360.surveys.models import Invitation, RaterDraft  # noqa: E402

OTHER_TABLES = ("user_account", "feedback_round", "round_report")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10_000, help="closed rounds to write")
    parser.add_argument("--open", type=int, default=20, help="open rounds beside them")
    parser.add_argument("--repeats", type=int, default=7, help="closes timed each way")
    parser.add_argument("--time-limit", type=float, default=900, help="seconds for the timing")
    parser.add_argument("--postgres", nargs="?", const=BENCH_POSTGRES_URL, default=None)
    parser.add_argument("--quick", action="store_true", help="a tiny run for the smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.open, args.repeats = 30, 2, 2
    return args


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def timed(function: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """Seconds taken by function(*args), and what it returned."""
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


# Building --------------------------------------------------------------------------------------


def build(rounds: int, open_rounds: int, tags: itertools.count) -> None:
    """The closed rounds in bulk, then the open ones beside them, each step timed."""
    instrument = _data.frontline()
    report = template_report(instrument, tags)
    seconds, _ = timed(_close_data.write_closed_rounds, rounds, instrument, report, progress)
    figure("closed rounds written", rounds)
    figure("building the closed rounds", seconds, "s")
    for _ in range(open_rounds):
        _close_data.live_round(instrument, tags)
    db.session.commit()
    figure("open rounds beside them", open_rounds)
    figure("tidying after building", timed(tidy)[0], "s")


def template_report(instrument: Any, tags: itertools.count) -> dict[str, Any]:
    """A real report, made by closing a real round, kept by every bulk-written round."""
    round_ = _close_data.live_round(instrument, tags)
    close_round(round_)
    db.session.commit()
    scrub_after_close()
    report = db.session.get(RoundReport, round_.id).data
    db.session.remove()  # SQLite: the bulk writes below use connections of their own
    return report


def progress(done: int) -> None:
    if done % 2000 == 0:
        note(f"{done} closed rounds written")


def tidy() -> None:
    """What a live system has had time to do: PostgreSQL vacuumed and analysed, SQLite's log cut."""
    if db.engine.dialect.name == "sqlite":
        fold_sqlite_log()
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")


def fold_sqlite_log() -> None:
    raw = db.engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


def print_sizes(sqlite_file: Path | None) -> None:
    tables = (*REWRITTEN_WHOLE, *VACUUMED, *OTHER_TABLES)
    sizes = sqlite_sizes() if sqlite_file else postgres_sizes(tables)
    with db.engine.connect() as connection:
        for table in tables:
            rows = connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar()
            figure(f"rows in {table}", rows)
            figure(f"size of {table}", sizes.get(table, 0) / 2**20, "MiB")
    if sqlite_file:
        figure("size of the database file", sqlite_file.stat().st_size / 2**20, "MiB")
    else:
        figure("size of the database", sizes["database"] / 2**20, "MiB")
    db.session.remove()


def sqlite_sizes() -> dict[str, int]:
    """Bytes of each table with its indexes (SQLite's dbstat table)."""
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT m.tbl_name, sum(s.pgsize) FROM dbstat AS s "
            "JOIN sqlite_master AS m ON m.name = s.name GROUP BY m.tbl_name"
        )
        return dict(rows.all())


def postgres_sizes(tables: tuple[str, ...]) -> dict[str, int]:
    with db.engine.connect() as connection:
        sizes = {
            table: connection.exec_driver_sql(
                f"SELECT pg_total_relation_size('\"{table}\"')"
            ).scalar()
            for table in tables
        }
        sizes["database"] = connection.exec_driver_sql(
            "SELECT pg_database_size(current_database())"
        ).scalar()
    return sizes


# The closes -------------------------------------------------------------------------------------


def close_as_before(round_: Any) -> None:
    """The close before it forgot who answered what (rounds.py before commit c5bdf4f); commit."""
    only = {"synchronize_session": False}
    round_.close()
    invitation_ids = select(Invitation.id).where(Invitation.round_id == round_.id)
    db.session.execute(
        update(Invitation).where(Invitation.round_id == round_.id).values(email=None, name=None),
        execution_options=only,
    )
    for table in (OutboxMessage, RaterDraft):
        db.session.execute(
            delete(table).where(table.invitation_id.in_(invitation_ids)), execution_options=only
        )
    db.session.flush()
    db.session.expire_all()
    freeze_report(round_)
    db.session.commit()


def close_as_now(round_: Any) -> None:
    close_round(round_)
    db.session.commit()


def fresh_round(tags: itertools.count) -> Any:
    """A live round, committed, with SQLite's log cut so that every close starts alike."""
    round_ = _close_data.live_round(_data.frontline(), tags)
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        fold_sqlite_log()
    return round_


def time_closes(repeats: int, deadline: float, tags: itertools.count) -> dict[str, list[float]]:
    """(a), (b) and (c) in turn; the first turn warms up and is not counted."""
    times: dict[str, list[float]] = {"floor": [], "close": [], "scrub": [], "waits": []}
    for turn in range(repeats + 1):
        if turn and time.monotonic() > deadline:
            note(f"time limit reached after {turn - 1} timed closes each way")
            break
        before, now = fresh_round(tags), fresh_round(tags)
        floor = timed(close_as_before, before)[0]
        close = timed(close_as_now, now)[0]
        scrub, done = timed(scrub_after_close)
        if turn:
            times["floor"].append(floor)
            times["close"].append(close)
            times["scrub"].append(scrub)
            times["waits"].append(0.0 if done else 1.0)
    return times


def print_closes(times: dict[str, list[float]]) -> None:
    note("(a) the close before, the floor; (b) the close now; (c) the scrub after (b)")
    labels = {"floor": "(a) floor close", "close": "(b) close", "scrub": "(c) scrub after close"}
    for key, label in labels.items():
        figure(f"{label} median", 1000 * median(times[key]), "ms")
        figure(f"{label} max", 1000 * max(times[key], default=float("nan")), "ms")
    floor, close, scrub = (median(times[key]) for key in ("floor", "close", "scrub"))
    figure("scrubs left for the next run", sum(times["waits"]))
    figure("ratio b / a (close)", close / floor)
    figure("ratio (b + c) / a (close and scrub)", (close + scrub) / floor)
    figure("ratio c / a (scrub)", scrub / floor)


def time_vacuum_parts(repeats: int, deadline: float, tags: itertools.count) -> None:
    """PostgreSQL: each VACUUM FULL or VACUUM, as privacy/scrub.py runs them after a close."""
    statements = [f"VACUUM FULL {t}" for t in REWRITTEN_WHOLE] + [f"VACUUM {t}" for t in VACUUMED]
    times: dict[str, list[float]] = {statement: [] for statement in statements}
    for turn in range(repeats):
        if turn and time.monotonic() > deadline:
            note(f"time limit reached after {turn} closes with their vacuums timed")
            break
        close_as_now(fresh_round(tags))
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            for statement in statements:
                times[statement].append(timed(connection.exec_driver_sql, statement)[0])
    for statement in statements:
        figure(f"{statement} median", 1000 * median(times[statement]), "ms")
    whole = len(REWRITTEN_WHOLE)
    full = [sum(parts) for parts in zip(*(times[s] for s in statements[:whole]), strict=True)]
    plain = [sum(parts) for parts in zip(*(times[s] for s in statements[whole:]), strict=True)]
    figure("VACUUM FULL, all five tables, median", 1000 * median(full), "ms")
    figure("plain VACUUM, all three tables, median", 1000 * median(plain), "ms")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with scratch_folder() as folder:
        url = args.postgres or fresh_sqlite_url(folder)
        app = migrated_app(url)
        tags = itertools.count()
        with app.app_context():
            note(f"engine: {'PostgreSQL' if args.postgres else 'SQLite'}")
            build(args.rounds, args.open, tags)
            print_sizes(None if args.postgres else folder / "bench.db")
            note(f"load average before timing: {load_average()}")
            deadline = time.monotonic() + args.time_limit
            print_closes(time_closes(args.repeats, deadline, tags))
            if args.postgres:
                time_vacuum_parts(args.repeats, deadline, tags)
            note(f"load average after timing: {load_average()}")
            db.session.remove()
            db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
