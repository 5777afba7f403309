"""flask report ... and flask demo: the same functions the web pages use."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

report_cli = AppGroup("report", help="Reports.")


@report_cli.command("pdf")
@click.argument("round_id", type=int)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the PDF.",
)
def report_pdf(round_id: int, output: Path) -> None:
    """Write the PDF of closed round ROUND_ID, as its worker would download it."""
    from .bulk import write_pdf
    from .documents import NoReport

    try:
        written = write_pdf(round_id, output)
    except NoReport:
        click.echo(f"Round {round_id} has no report: it does not exist or is still open.", err=True)
        sys.exit(1)
    click.echo(f"Wrote {written}.")


@report_cli.command("pdfs")
@click.argument("round_ids", type=int, nargs=-1)
@click.option(
    "-o",
    "--folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write them, as round-ID.pdf.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="the number of cores",
    help="Processes making PDFs at once.",
)
def report_pdfs(round_ids: tuple[int, ...], folder: Path, jobs: int) -> None:
    """Write the PDF of each closed round named, or of every closed round, using JOBS cores."""
    from ..database import read_only
    from ..extensions import db
    from . import bulk

    read_only()
    wanted = list(round_ids) or bulk.closed_round_ids()
    db.session.commit()  # nothing of this process's stays open while the pool works
    if not wanted:
        click.echo("There are no closed rounds, so there are no reports to write.")
        return
    settings = bulk.worker_settings(current_app.config)
    started = time.perf_counter()
    failed = 0
    for written in bulk.write_pdfs(settings, wanted, folder, jobs):
        if written.problem:
            failed += 1
            click.echo(f"Round {written.round_id}: {written.problem}", err=True)
        else:
            click.echo(f"Wrote {written.path}.")
    seconds = time.perf_counter() - started
    done = len(wanted) - failed
    click.echo(
        f"{done} PDFs in {seconds:.1f} s ({done / seconds if seconds else 0:.2f} a second) "
        f"with {jobs} process{'es' if jobs > 1 else ''}; {failed} failed."
    )
    if failed:
        sys.exit(1)


@click.command("demo")
@click.option("--quiet", is_flag=True, help="Only print how to log in.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the demo PDF (default demo-report.pdf; with --quiet, none).",
)
@with_appcontext
def demo_command(quiet: bool, output: Path | None) -> None:
    """Create a demo worker with a closed round and its report, and print how to log in."""
    from ..extensions import db
    from . import demo
    from .bulk import write_pdf

    if current_app.config["FEEDBACK360_ENV"] == "production":
        click.echo(
            "flask demo adds an account with a published password: not in production.", err=True
        )
        sys.exit(1)
    user = demo.demo_user()
    if user is None:
        round_ = demo.create_demo()
        db.session.commit()
        if not quiet:
            click.echo("Created a demo worker with a closed round and eight colleagues' answers.")
    else:
        round_ = demo.demo_round(user)
    _print_login()
    if output is None and quiet or round_ is None:
        return
    click.echo(f"Demo report: {write_pdf(round_.id, output or Path('demo-report.pdf'))}.")


def _print_login() -> None:
    from ..web.links import external_url
    from .demo import DEMO_EMAIL, DEMO_PASSWORD

    click.echo(f"Log in at {external_url('auth.login')}")
    click.echo(f"  email:    {DEMO_EMAIL}")
    click.echo(f"  password: {DEMO_PASSWORD}")
