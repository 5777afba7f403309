"""PDFs written to files: one round's (`flask report pdf`), or many at once in a pool of processes.

A PDF costs a second or two of one core in WeasyPrint and matplotlib, both of which hold
Python's GIL, so threads would not help: each process of the pool has its own app and app
context for its whole life, and makes each PDF with write_pdf, as `flask report pdf` does.
Rendering reads without SQLite's write lock (`database.read_only`), so the processes never wait
for one another except for the moment each keeps its PDF.
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_app_context: Any = None  # one per pool process, pushed for the life of the process


@dataclass(frozen=True, slots=True)
class Written:
    """One round's outcome: the file written, or the problem in plain words."""

    round_id: int
    path: Path | None
    problem: str = ""


def worker_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The resolved settings a pool process needs to build the same app as this one."""
    from ..config import SETTINGS

    return {setting.name: config[setting.name] for setting in SETTINGS if setting.name in config}


def write_pdf(round_id: int, output: Path) -> str:
    """Write a round's PDF as the worker would download it; returns its size and time taken."""
    from ..database import read_only
    from ..extensions import db
    from . import documents
    from .reflection import shared_reflection

    read_only()  # render without SQLite's write lock, so other writers go on meanwhile
    started = time.perf_counter()
    pdf = documents.pdf_for(round_id, shared_reflection(round_id))
    db.session.commit()  # the reflection-free PDF is kept, as on the first web download
    output.write_bytes(pdf)
    return f"{output} ({len(pdf) // 1024} KiB, {time.perf_counter() - started:.2f} s)"


def _start_process(settings: dict[str, Any]) -> None:
    global _app_context
    from .. import create_app

    _app_context = create_app(settings).app_context()
    _app_context.push()


def _write(round_id: int, folder: str) -> Written:
    from ..extensions import db
    from .documents import NoReport

    path = Path(folder) / f"round-{round_id}.pdf"
    try:
        write_pdf(round_id, path)
    except NoReport:
        db.session.rollback()
        return Written(round_id, None, "no report: the round does not exist or is still open")
    except Exception as problem:  # reported for this round; the others go on
        db.session.rollback()
        return Written(round_id, None, f"{type(problem).__name__}: {problem}")
    finally:
        db.session.remove()  # no transaction left open between rounds
    return Written(round_id, path)


def write_pdfs(
    settings: dict[str, Any], round_ids: list[int], folder: Path, jobs: int
) -> Iterator[Written]:
    """Each round's PDF into `folder` as round-ID.pdf, with `jobs` processes, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    # spawn, not fork: a forked child would share the parent's database connections.
    context = multiprocessing.get_context("spawn")
    with futures.ProcessPoolExecutor(
        jobs, context, initializer=_start_process, initargs=(settings,)
    ) as pool:
        yield from pool.map(_write, round_ids, [str(folder)] * len(round_ids))


def closed_round_ids() -> list[int]:
    from sqlalchemy import select

    from ..extensions import db
    from .models import RoundReport

    return list(db.session.scalars(select(RoundReport.round_id).order_by(RoundReport.round_id)))
