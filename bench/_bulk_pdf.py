"""Many reports' PDFs by the real command, `flask report pdfs --jobs N`, in its own process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from _harness import bench_config

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"(\d+) PDFs in [\d.]+ s .*; (\d+) failed\.")


@dataclass(frozen=True, slots=True)
class BulkRun:
    wall: float  # seconds, the command's whole life: start-up, warm-up of each process, PDFs
    written: int
    failed: int
    cpu: float  # CPU seconds of the command and its processes
    problems: tuple[str, ...]


def forget_kept_pdfs(database_url: str) -> None:
    """Each run renders every PDF afresh, not the ones kept by the run before."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE round_report SET pdf = NULL"))
    engine.dispose()


def run_command(database_url: str, round_ids: list[int], jobs: int, folder: Path) -> BulkRun:
    """`flask report pdfs` for these rounds with `jobs` processes, timed from outside."""
    forget_kept_pdfs(database_url)
    env = {**os.environ, **{k: str(v) for k, v in bench_config(database_url).items()}}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "report", "pdfs"]
    command += ["--jobs", str(jobs), "--folder", str(folder / f"jobs-{jobs}")]
    command += [str(round_id) for round_id in round_ids]
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = os.times()
    summary = SUMMARY.search(done.stdout)
    if summary is None:  # the command broke: show why rather than print made-up figures
        raise SystemExit(f"flask report pdfs failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return BulkRun(
        wall=wall,
        written=int(summary.group(1)),
        failed=int(summary.group(2)),
        cpu=cpu,
        problems=tuple(line for line in done.stderr.splitlines() if line.startswith("Round ")),
    )
