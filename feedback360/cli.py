"""Flask commands: each feature keeps its own group; this module registers them."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup

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


def init_app(app: Flask) -> None:
    from .mail.cli import mail_cli
    from .privacy.cli import privacy_cli
    from .programmes.cli import programmes_cli
    from .reports.cli import demo_command, report_cli
    from .surveys.cli import rounds_cli

    for group in (instruments_cli, mail_cli, rounds_cli, report_cli, privacy_cli, programmes_cli):
        app.cli.add_command(group)
    app.cli.add_command(demo_command)
