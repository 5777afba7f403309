"""Seeding for the programme journey: accounts, and answers colleagues would have sent.

The browser drives every step a lead, a coach and a worker take; what colleagues answer is
already proved in the main journey, so here it is written straight to the database.
"""

from __future__ import annotations

import sys
from pathlib import Path

from flask import Flask

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "reports"))

from builders import make_user  # noqa: E402
from builders_report import add_answer_set, make_closed_round  # noqa: E402

from feedback360 import create_app  # noqa: E402
from feedback360.auth.models import User  # noqa: E402
from feedback360.extensions import db  # noqa: E402
from feedback360.instruments.registry import instruments  # noqa: E402
from feedback360.programmes import setup  # noqa: E402
from feedback360.programmes.models import Programme, ProgrammeRound  # noqa: E402
from feedback360.surveys.models import Round  # noqa: E402

PASSWORD = "correct horse battery"  # the builders' password for every account they make


def seed_app(database_url: str) -> Flask:
    from .conftest import shared

    return create_app(shared.base_config(database_url))


def account(app: Flask, email: str, name: str):
    return make_user(app, email=email, name=name)


def programme_id(app: Flask, name: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Programme.id).where(Programme.name == name))


def earlier_cohort(app: Flask, programme: int, count: int) -> None:
    """Workers who finished before: each joined and has a closed round with its report."""
    for n in range(count):
        user = make_user(app, email=f"earlier{n}@care.example.org", name=f"Earlier Worker{n}")
        with app.app_context():
            setup.join(user, db.session.get(Programme, programme))
            db.session.commit()
        round_id = make_closed_round(app, user, colleagues={"peer": 4})
        with app.app_context():
            db.session.add(ProgrammeRound(round_id=round_id, programme_id=programme))
            db.session.commit()


def colleagues_answer(app: Flask, worker_email: str, count: int) -> None:
    """`count` colleagues of the worker's open round send their answers."""
    with app.app_context():
        round_id = db.session.scalar(
            db.select(Round.id)
            .join(User, User.id == Round.user_id)
            .where(User.email == worker_email, Round.closed_at.is_(None))
        )
        items = [item.key for item in instruments()["frontline"].items]
    for n in range(count):
        add_answer_set(app, round_id, "peer", {k: 3 + (n % 2) for k in items}, {})
