"""flask rounds ... commands."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..extensions import db
from ..privacy.scrub import scrub_after_close
from .closing import close_if_due, due_round_ids

rounds_cli = AppGroup("rounds", help="Feedback rounds.")


@rounds_cli.command("close-due")
def close_due_command() -> None:
    """Close every open round whose deadline has passed (run it daily, e.g. from cron)."""
    closed = failed = 0
    for round_id in due_round_ids():
        # One transaction per round, so a problem with one report leaves the others closed.
        try:
            closed += close_if_due(round_id)
            db.session.commit()
        except Exception as error:  # noqa: BLE001 (report it, carry on with the next round)
            db.session.rollback()
            failed += 1
            click.echo(f"Round {round_id} could not be closed: {error}", err=True)
    if closed:
        scrub_after_close()
    click.echo(f"Closed {closed} {'round' if closed == 1 else 'rounds'} past their deadline.")
    if failed:
        sys.exit(1)
