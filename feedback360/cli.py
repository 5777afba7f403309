"""Flask commands: each feature keeps its own group; this module registers them."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from .instruments.loading import DEFAULT_DIRECTORY, check_files

instruments_cli = AppGroup("instruments", help="Check the instrument YAML files.")


@instruments_cli.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def check_instruments(files: tuple[str, ...]) -> None:
    """Validate FILES (all shipped instruments when none is named)."""
    paths = list(files) or sorted(str(p) for p in DEFAULT_DIRECTORY.glob("*.yaml"))
    lines, ok = check_files(paths)
    for line in lines:
        click.echo(line)
    sys.exit(0 if ok else 1)


@click.command("worker")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between passes.")
@click.option("--max-loops", type=int, default=None, help="Stop after this many passes.")
@click.option("--batch", default=50, show_default=True, help="Most messages per pass.")
@with_appcontext
def worker_command(interval: float, max_loops: int | None, batch: int) -> None:
    """Send the outbox and make PDFs as they fall due, until stopped (Ctrl+C or SIGTERM)."""
    import threading

    from .background import run_passes, stop_on_sigterm
    from .mail.cli import mail_task
    from .reports.cli import pdf_task

    stop = threading.Event()
    click.echo(f"Sending mail and making PDFs, looking every {interval:g} s. Ctrl+C stops.")
    try:
        with stop_on_sigterm(stop):
            passes = run_passes(stop, [mail_task(stop, batch), pdf_task()], interval, max_loops)
    except KeyboardInterrupt:
        click.echo("Interrupted.")
        return
    click.echo(f"Stopped after {passes} passes.")


def init_app(app: Flask) -> None:
    from .mail.cli import mail_cli
    from .privacy.cli import privacy_cli
    from .programmes.cli import programmes_cli
    from .reports.cli import demo_command, report_cli
    from .surveys.cli import rounds_cli

    for group in (instruments_cli, mail_cli, rounds_cli, report_cli, privacy_cli, programmes_cli):
        app.cli.add_command(group)
    app.cli.add_command(demo_command)
    app.cli.add_command(worker_command)
