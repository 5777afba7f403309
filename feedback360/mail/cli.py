"""`flask mail send` and `flask mail worker`: the outbox's sender, run once or kept running."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import click
from flask.cli import AppGroup

# Called as sender.send_due, not imported by name, so a test can replace it (test_mail_cli.py).
from . import sender
from .sender import SendResult

mail_cli = AppGroup("mail", help="Send the emails waiting in the outbox.")


@mail_cli.command("send")
@click.option("--batch", default=50, show_default=True, help="Most messages to send.")
def send_command(batch: int) -> None:
    """Send the messages that are due, once."""
    click.echo(_report(sender.send_due(batch=batch)))


@mail_cli.command("worker")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes.")
@click.option("--max-loops", type=int, default=None, help="Stop after this many passes.")
@click.option("--batch", default=50, show_default=True, help="Most messages per pass.")
def worker_command(interval: float, max_loops: int | None, batch: int) -> None:
    """Keep sending what is due until stopped (Ctrl+C or SIGTERM)."""
    stop = threading.Event()
    click.echo(f"Sending the outbox every {interval:g} s. Press Ctrl+C to stop.")
    try:
        with _stop_on_sigterm(stop):
            passes = sender.run_worker(stop, interval, max_loops, batch, _echo_report)
    except KeyboardInterrupt:
        click.echo("Interrupted.")
        return
    click.echo(f"Stopped after {passes} passes.")


def _report(result: SendResult) -> str:
    line = f"Sent {result.sent}, will retry {result.retried}, failed {result.failed}"
    if result.deferred:
        line += f", not tried yet {result.deferred}"
    return line + "."


def _echo_report(result: SendResult) -> None:
    click.echo(_report(result))


@contextmanager
def _stop_on_sigterm(stop: threading.Event) -> Iterator[None]:
    """SIGTERM (systemd, docker stop) lets the message in hand finish, then stops."""

    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, handle)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
