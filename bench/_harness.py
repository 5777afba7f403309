"""Shared pieces for the bench scripts: servers, timing, figures, fresh databases.

Every figure is printed as one line, `name  value unit`, so that a reader (and the smoke test)
can find it; ratios are printed against a floor measured in the same run, because these
machines are shared and an absolute time means little on its own.
"""

from __future__ import annotations

import math
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"  # loopback only: these scripts never send traffic anywhere else
BENCH_POSTGRES_URL = "postgresql+psycopg://feedback360:feedback360@127.0.0.1:5432/feedback360_bench"


# Figures ------------------------------------------------------------------------------------


def figure(name: str, value: float, unit: str = "") -> None:
    """One figure on its own line, flushed at once so a long run shows progress."""
    print(f"{name:<40} {value:>12.3f} {unit}".rstrip(), flush=True)


def verdict(name: str, value: float, target: str, met: bool) -> None:
    """A ratio or limit checked against the issue's target (a figure, never a test)."""
    status = "met" if met else "MISSED"
    print(f"{name:<40} {value:>12.3f} (target {target}: {status})", flush=True)


def note(text: str) -> None:
    print(f"# {text}", flush=True)


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with `fraction` of values at or below it."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def time_calls(function: Any, repeats: int) -> list[float]:
    """Seconds taken by each of `repeats` calls of function()."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# Databases and apps --------------------------------------------------------------------------


def bench_config(database_url: str) -> dict[str, Any]:
    """Production settings, as a real deployment runs, with a throwaway secret key."""
    return {
        "FEEDBACK360_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "BASE_URL": f"http://{HOST}",
        "MAIL_TRANSPORT": "smtp",
        "MAIL_SERVER": HOST,
    }


def fresh_sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'bench.db'}"


def reset_postgres(url: str) -> None:
    """Empty the bench database (never the test database other people use)."""
    if "feedback360_bench" not in url:
        raise SystemExit("Refusing to reset a PostgreSQL database not named feedback360_bench.")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def migrated_app(database_url: str) -> Any:
    """The real app on a database just brought up to the latest migration."""
    from flask_migrate import upgrade

    from feedback360 import create_app

    if database_url.startswith("postgresql"):
        reset_postgres(database_url)
    app = create_app(bench_config(database_url))
    with app.app_context():
        upgrade()
    return app


@contextmanager
def scratch_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="feedback360-bench-") as folder:
        yield Path(folder)


# Servers -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, limit: float = 60.0) -> None:
    """Until the server accepts connections; bounded, and fails fast if it died."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The server exited with code {process.returncode} at start-up.")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"The server did not listen on {HOST}:{port} within {limit:.0f} s.")


@contextmanager
def gunicorn(
    app_spec: str, env: dict[str, str], workers: int = 2, log: Path | None = None
) -> Iterator[int]:
    """Serve app_spec under gunicorn on a loopback port; the whole process group stops after."""
    port = free_port()
    command = [
        str(VENV_BIN / "gunicorn"),
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--chdir",
        str(ROOT),
        "--graceful-timeout",
        "5",
        app_spec,
    ]
    output = open(log or os.devnull, "w")  # noqa: SIM115  (closed in finally)
    process = subprocess.Popen(
        command,
        env={**os.environ, **env},
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, so the workers stop with it
    )
    try:
        wait_for_port(port, process)
        yield port
    finally:
        stop_group(process)
        output.close()


def stop_group(process: subprocess.Popen) -> None:
    """TERM the process group, then KILL whatever is left after ten seconds."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass
    # Workers that outlived the arbiter would keep the port and the CPU.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
