"""`flask programmes ...`: what an operator runs to start an organisation's programme."""

from __future__ import annotations

import datetime as dt
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..extensions import db
from ..instruments.registry import instruments
from ..web.links import external_url
from . import setup
from .models import Programme

programmes_cli = AppGroup("programmes", help="Organisations, programmes, leads and coaches.")


def _fail(problem: setup.ProgrammeProblem) -> None:
    db.session.rollback()
    click.echo(problem.message, err=True)
    sys.exit(1)


def _programme(organisation: str, name: str) -> Programme:
    found = db.session.scalar(
        select(Programme).where(
            Programme.organisation_id == setup.organisation_named(organisation).id,
            Programme.name == " ".join(name.split()),
        )
    )
    if found is None:
        raise setup.ProgrammeProblem(f"{organisation} has no programme called {name}.")
    return found


@programmes_cli.command("operator")
@click.argument("email")
def operator_command(email: str) -> None:
    """Let the account EMAIL use the admin pages."""
    try:
        setup.make_operator(email)
    except setup.ProgrammeProblem as problem:
        _fail(problem)
    db.session.commit()
    click.echo(f"{email} can now use the admin pages at /admin.")


@programmes_cli.command("organisation")
@click.argument("name")
def organisation_command(name: str) -> None:
    """Create the organisation NAME."""
    try:
        setup.create_organisation(name)
    except setup.ProgrammeProblem as problem:
        _fail(problem)
    db.session.commit()
    click.echo(f"Created the organisation {name}.")


@programmes_cli.command("create")
@click.option("--organisation", required=True)
@click.option("--name", required=True, help='e.g. "Team leaders, spring 2027"')
@click.option("--instrument", "instrument_keys", multiple=True, help="offered (default: all)")
@click.option(
    "--min-answers",
    "closing_minimum",
    type=int,
    default=None,
    help="answers needed to close a round",
)
@click.option("--deadline", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--approval/--no-approval", default=False, help="a coach approves rater lists")
@click.option("--release/--no-release", default=False, help="a coach releases reports")
@click.option("--lead", "leads", multiple=True, help="email of a programme lead")
@click.option("--coach", "coaches", multiple=True, help="email of a coach")
def create_command(  # noqa: PLR0913 (one option each, as the operator types them)
    organisation: str,
    name: str,
    instrument_keys: tuple[str, ...],
    closing_minimum: int | None,
    deadline: dt.datetime | None,
    approval: bool,
    release: bool,
    leads: tuple[str, ...],
    coaches: tuple[str, ...],
) -> None:
    """Create a programme in an organisation, with its leads and coaches and a join link."""
    unknown = sorted(set(instrument_keys) - set(instruments()))
    if unknown:
        _fail(setup.ProgrammeProblem(f"No instrument called {', '.join(unknown)}."))
    try:
        programme = setup.create_programme(
            setup.organisation_named(organisation),
            name,
            instrument_keys=list(instrument_keys),
            closing_minimum=closing_minimum,
            deadline_at=deadline,
            approval_required=approval,
            release_after_debrief=release,
        )
        for email in leads:
            setup.add_lead(programme, email)
        for email in coaches:
            setup.add_coach(programme, email)
        token = setup.new_join_link(programme)
    except setup.ProgrammeProblem as problem:
        _fail(problem)
    db.session.commit()
    click.echo(f"Created {programme.name} (programme {programme.id}).")
    click.echo(f"Join link for its workers: {external_url('programmes.join', token=token)}")


@programmes_cli.command("add")
@click.option("--organisation", required=True)
@click.option("--programme", "name", required=True)
@click.option("--lead", "leads", multiple=True)
@click.option("--coach", "coaches", multiple=True)
def add_command(
    organisation: str, name: str, leads: tuple[str, ...], coaches: tuple[str, ...]
) -> None:
    """Add leads or coaches to a programme."""
    try:
        programme = _programme(organisation, name)
        for email in leads:
            setup.add_lead(programme, email)
        for email in coaches:
            setup.add_coach(programme, email)
    except setup.ProgrammeProblem as problem:
        _fail(problem)
    db.session.commit()
    click.echo(f"Added {len(leads)} lead(s) and {len(coaches)} coach(es) to {name}.")
