"""Many reports' PDFs in a process pool, each made by the function `flask report pdf` runs."""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

_app_context: Any = None


def start_worker(database_url: str, warm_round: int) -> None:
    """Pool initializer: the app, an app context for the process's life, one warm render."""
    global _app_context
    from _harness import bench_config

    from feedback360 import create_app
    from feedback360.extensions import db
    from feedback360.reports.documents import kept_report, render_report_pdf

    app = create_app(bench_config(database_url))
    _app_context = app.app_context()
    _app_context.push()
    render_report_pdf(kept_report(warm_round), None)  # fonts, templates, matplotlib
    db.session.rollback()  # an open transaction would hold SQLite's write lock


def ready(barrier: Any) -> int:
    """Waits until every worker holds one of these: then all are started and warm."""
    barrier.wait(timeout=300)
    return os.getpid()


def write_one(round_id: int, folder: str) -> tuple[str, float]:
    """What `flask report pdf ROUND_ID -o FILE` does, in a warm process.

    Returns "" or the failure, and the CPU seconds it took: on a shared machine, CPU time
    against wall time shows how much of the two cores the pool actually got.
    """
    from feedback360.extensions import db
    from feedback360.reports.cli import _write_pdf

    output = Path(folder) / f"round-{round_id}.pdf"
    started = time.process_time()
    try:
        _write_pdf(round_id, output)
    except Exception as problem:  # counted and printed by the caller: never silent
        db.session.rollback()
        return f"{type(problem).__name__}: {str(problem).splitlines()[0]}", 0.0
    problem = "" if output.read_bytes().startswith(b"%PDF") else "not a PDF"
    return problem, time.process_time() - started


def forget_kept_pdfs(database_url: str) -> None:
    """Each run renders every PDF afresh, not the ones kept by the run before."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE round_report SET pdf = NULL"))
    engine.dispose()


def run_pool(
    database_url: str, round_ids: list[int], jobs: int, folder: Path
) -> tuple[float, list[tuple[str, float]]]:
    """Seconds to write every round's PDF with `jobs` processes, and each one's outcome."""
    forget_kept_pdfs(database_url)
    context = multiprocessing.get_context("spawn")  # no state shared with this process
    with (
        context.Manager() as manager,
        futures.ProcessPoolExecutor(
            jobs, context, initializer=start_worker, initargs=(database_url, round_ids[0])
        ) as pool,
    ):
        barrier = manager.Barrier(jobs)
        pids = set(pool.map(ready, [barrier] * jobs))
        assert len(pids) == jobs, "every worker is started and warm before the clock starts"
        started = time.perf_counter()
        outcomes = list(pool.map(write_one, round_ids, [str(folder)] * len(round_ids)))
        wall = time.perf_counter() - started
    return wall, outcomes
