"""Builders and steps for programme tests: organisations, programmes, members, their rounds."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from builders import make_round, make_user
from flask import Flask

from feedback360.auth.models import User
from feedback360.extensions import db
from feedback360.programmes import setup
from feedback360.programmes.models import ListStatus, Member, Programme, ProgrammeRound
from feedback360.surveys.models import Round

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK = re.compile(r"https?://[^\s\"<>]+")
_names = itertools.count(1)


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def post_form(client, page: str, data: dict, *, to: str | None = None, **kwargs):
    """GET a page for its CSRF token, then POST the form there (or to `to`)."""
    html = client.get(page, **kwargs).get_data(as_text=True)
    return client.post(to or page, data={"csrf_token": csrf_from(html), **data}, **kwargs)


@dataclass
class Setup:
    programme_id: int
    lead: User
    coach: User
    join_token: str


def make_programme(app: Flask, organisation: str = "", **options: object) -> Setup:
    """An organisation with one programme, a lead and a coach (each a fresh account)."""
    number = next(_names)
    lead = make_user(app, email=f"lead{number}@example.org", name=f"Lena Lead{number}")
    coach = make_user(app, email=f"coach{number}@example.org", name=f"Callum Coach{number}")
    with app.app_context():
        organisation_row = setup.create_organisation(organisation or f"Care provider {number}")
        programme = setup.create_programme(
            organisation_row, f"Team leaders {number}", instrument_keys=[], **options
        )
        setup.add_lead(programme, lead.email)
        setup.add_coach(programme, coach.email)
        token = setup.new_join_link(programme)
        db.session.commit()
        return Setup(programme.id, lead, coach, token)


def make_member(app: Flask, programme: Setup, *, coached: bool = True, **user: object) -> Member:
    worker = make_user(app, **user)
    with app.app_context():
        member = setup.join(worker, db.session.get(Programme, programme.programme_id))
        if coached:
            setup.assign_coach(member, programme.coach.id)
        db.session.commit()
        db.session.refresh(member)
        db.session.expunge(member)
        return member


def member_user(app: Flask, member: Member) -> User:
    with app.app_context():
        user = db.session.get(User, member.user_id)
        db.session.expunge(user)
        return user


def make_programme_round(app: Flask, member: Member, instrument_key: str = "frontline") -> Round:
    """A round of the member's, inside the programme, as starting one from the dashboard would."""
    round_ = make_round(app, member_user(app, member), instrument_key)
    with app.app_context():
        programme = db.session.get(Programme, member.programme_id)
        status = ListStatus.OPEN if programme.approval_required else None
        db.session.add(
            ProgrammeRound(round_id=round_.id, programme_id=programme.id, list_status=status)
        )
        db.session.commit()
    return round_


def programme_round(app: Flask, round_id: int) -> ProgrammeRound:
    with app.app_context():
        found = db.session.get(ProgrammeRound, round_id)
        db.session.expunge(found)
        return found
