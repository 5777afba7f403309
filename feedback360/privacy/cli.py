"""flask privacy purge and flask privacy scrub: retention and the clean-up after it, from cron."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from ..columns import utcnow
from ..extensions import db
from ..programmes.invitations import forget_expired as forget_expired_programme_invitations
from .retention import purge_expired_answers
from .scrub import scrub_after_close

privacy_cli = AppGroup("privacy", help="Data protection: retention of raw answers.")


@privacy_cli.command("purge")
@click.option(
    "--months",
    type=click.IntRange(min=0),
    default=None,
    help="Override RETENTION_MONTHS for this run.",
)
def purge_command(months: int | None) -> None:
    """Delete raw answers of rounds closed more than RETENTION_MONTHS ago; reports stay."""
    months = current_app.config["RETENTION_MONTHS"] if months is None else months
    result = purge_expired_answers(utcnow(), months)
    forgotten = forget_expired_programme_invitations(utcnow())
    db.session.commit()
    rounds = "round" if result.rounds == 1 else "rounds"
    click.echo(
        f"Deleted the raw answers of {result.rounds} {rounds} closed more than {months} months "
        f"ago ({result.answer_sets} answer sets); their reports are kept. Also deleted "
        f"{result.finished_emails} finished account emails and {result.throttle_records} "
        f"old throttle records. Forgot the addresses of {forgotten} expired programme "
        "invitations."
    )
    scrub_after_close()


@privacy_cli.command("scrub")
def scrub_command() -> None:
    """Make the database drop old versions of rows that closes and purges deleted (daily)."""
    if not scrub_after_close():
        click.echo("The database was busy; nothing was lost, run this again later.", err=True)
        sys.exit(1)
    click.echo("The database holds no old versions of deleted rows.")
