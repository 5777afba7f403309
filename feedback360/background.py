"""What every background worker shares: passes over its queues until it is told to stop.

`flask worker` runs the outbox and the PDF queue in one process (enough for most installations,
and what `make run` starts); `flask mail worker` and `flask report worker` run one queue each,
for installations that want more of one kind side by side.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

# One go at a queue: True when it did a full share of work, so more may be waiting at once.
Task = Callable[[], bool]


def run_passes(
    stop: threading.Event, tasks: Sequence[Task], interval: float, max_loops: int | None
) -> int:
    """Give each task a turn per pass; rest `interval` seconds after a pass with nothing to do.

    Turns alternate, so a queue of PDFs (seconds each) never holds the mail up for more than
    one PDF. Returns the number of passes.
    """
    passes = 0
    while not stop.is_set() and (max_loops is None or passes < max_loops):
        busy = False
        for task in tasks:
            if stop.is_set():
                break
            busy = task() or busy
        passes += 1
        if not busy and (max_loops is None or passes < max_loops):
            stop.wait(interval)
    return passes


@contextmanager
def stop_on_sigterm(stop: threading.Event) -> Iterator[None]:
    """SIGTERM (systemd, docker stop) lets the work in hand finish, then stops."""

    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, handle)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
