"""Steps a worker takes through their pages, and rows that stand in for colleagues' answers.

Imported by name (`from worker_steps import ...`): pytest puts this folder on sys.path.
"""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from feedback360.extensions import db
from feedback360.instruments.model import Instrument
from feedback360.instruments.snapshots import instrument_from_dict
from feedback360.mail.models import OutboxMessage
from feedback360.surveys.forms import NOT_OBSERVED, comment_field_name, field_name
from feedback360.surveys.models import (
    Answer,
    AnswerSet,
    Invitation,
    InvitationStatus,
    InvitationUse,
    Relationship,
    Round,
)

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK = re.compile(r"https?://[^\s\"<>]+")


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def post_form(client, page: str, data: dict, *, to: str | None = None, **kwargs):
    """GET a page for its CSRF token, then POST the form there (or to `to`) as a browser would."""
    html = client.get(page, **kwargs).get_data(as_text=True)
    return client.post(to or page, data={"csrf_token": csrf_from(html), **data}, **kwargs)


def start_round(client, instrument_key: str = "frontline"):
    return post_form(client, "/rounds/", {"instrument": instrument_key}, to="/rounds/start")


def instrument_for(app: Flask, round_id: int) -> Instrument:
    with app.app_context():
        return instrument_from_dict(db.session.get(Round, round_id).instrument_snapshot)


def page_answers(instrument: Instrument, page: int, score: str = "4") -> dict[str, str]:
    """A full page: the first statement "not observed", the rest scored, and a comment."""
    if page > len(instrument.capabilities):
        return {comment_field_name(q.key): f"My thoughts on {q.key}" for q in instrument.questions}
    capability = instrument.capabilities[page - 1]
    answers = {field_name(item.key): score for item in capability.items}
    answers[field_name(capability.items[0].key)] = NOT_OBSERVED
    answers[comment_field_name(capability.key)] = f"About my {capability.name}"
    return answers


def save_self_page(client, round_id: int, page: int, answers: dict, action: str = "continue"):
    path = f"/rounds/{round_id}/self/{page}"
    return post_form(client, path, {**answers, "action": action})


def self_rows(app: Flask, round_id: int) -> tuple[dict[str, int | None], dict[str, str]]:
    """The stored self-assessment: scores by item key and comments by question key."""
    with app.app_context():
        answer_sets = db.session.scalars(
            select(AnswerSet).where(
                AnswerSet.round_id == round_id, AnswerSet.relationship == Relationship.SELF
            )
        ).all()
        assert len(answer_sets) <= 1
        if not answer_sets:
            return {}, {}
        answer_set = answer_sets[0]
        return (
            {a.item_key: a.score for a in answer_set.answers},
            {c.question_key: c.text for c in answer_set.comments},
        )


def invite(client, round_id: int, email: str, relationship: str = "peer", name: str = "", **kw):
    path = f"/rounds/{round_id}/invite"
    data = {"email": email, "name": name, "relationship": relationship}
    return post_form(client, path, data, **kw)


def outbox(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return list(rows)


def invitations(app: Flask, round_id: int) -> list[Invitation]:
    with app.app_context():
        rows = db.session.scalars(
            select(Invitation).where(Invitation.round_id == round_id).order_by(Invitation.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def links_in(text: str) -> list[str]:
    return LINK.findall(text)


def record_reply(
    app: Flask, invitation: Invitation, status: InvitationStatus = InvitationStatus.SUBMITTED
) -> None:
    """What a colleague's submit (or decline) leaves behind, written straight to the database."""
    with app.app_context():
        stored = db.session.get(Invitation, invitation.id)
        stored.status = status
        db.session.add(InvitationUse(invitation_id=stored.id))
        if status is InvitationStatus.SUBMITTED:
            answer_set = AnswerSet(round_id=stored.round_id, relationship=stored.relationship)
            db.session.add(answer_set)
            db.session.flush()
            instrument = instrument_from_dict(stored.round.instrument_snapshot)
            db.session.add_all(
                Answer(answer_set_id=answer_set.id, item_key=item.key, score=4)
                for item in instrument.items
            )
        db.session.commit()
