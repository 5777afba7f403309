"""A round with a realistic history, closed by the worker, and what an attacker looks for after.

Imported by name from the tests beside it. Nine colleagues are invited through the real form;
three send before a reminder and four after it, one declines after saving a draft, and one
saves a draft and never sends. Everything an attacker would want to find again is written
down on the way: addresses, names, raw link tokens, draft words, and who sent in what order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from builders import login_as, make_round, make_user
from rater_steps import answer_every_page, answer_page, csrf_from, instrument_for, submit
from sqlalchemy import select, text
from worker_steps import invite, links_in, outbox, post_form

from feedback360.extensions import db
from feedback360.surveys.forms import comment_field_name
from feedback360.surveys.models import AnswerSet, Comment, Relationship

RELATIONSHIPS = (
    Relationship.LINE_MANAGER,
    *[Relationship.PEER] * 3,
    *[Relationship.DIRECT_REPORT] * 2,
    *[Relationship.OTHER] * 3,
)
SENT_BEFORE_REMINDER = (0, 1, 2)
SENT_AFTER_REMINDER = (3, 4, 5, 6)
DECLINES = 7
ONLY_DRAFTS = 8
DRAFT_WORDS = "Quinceberry marmalade draft"


@dataclass
class History:
    round_id: int
    addresses: list[str]
    names: list[str]
    tokens: list[str] = field(default_factory=list)
    # The colleague numbers in the order their answers were sent.
    sent_order: list[int] = field(default_factory=list)
    # PostgreSQL only: the transaction ids that wrote answer sets before the close.
    sending_xids: set[int] = field(default_factory=set)

    def secrets(self) -> list[str]:
        """What must not be found in the database files once the round has closed."""
        return [*self.addresses, *self.names, *self.tokens, DRAFT_WORDS]


def signature(number: int) -> str:
    """The overall comment colleague `number` sends: how the test recognises their answers."""
    return f"Sent by colleague number {number:02d}"


def closed_round_with_history(app, client) -> History:
    worker = make_user(app)
    round_ = make_round(app, worker)
    login_as(client, worker)
    history = History(
        round_.id,
        [f"zebedee.colleague{n}@example.org" for n in range(len(RELATIONSHIPS))],
        [f"Zebedee Quillfeather{n}" for n in range(len(RELATIONSHIPS))],
    )
    for address, name, relationship in zip(
        history.addresses, history.names, RELATIONSHIPS, strict=True
    ):
        response = invite(client, round_.id, address, relationship.value, name=name)
        assert response.status_code == 302, response.get_data(as_text=True)
    history.tokens = [_token(links_in(m.text_body)) for m in outbox(app)]
    instrument = instrument_for(app, round_)
    for number in SENT_BEFORE_REMINDER:
        _send(app, history, instrument, number)
    for number in (DECLINES, ONLY_DRAFTS):
        _save_draft(app, history.tokens[number], instrument)
    response = post_form(client, f"/rounds/{round_.id}", {}, to=f"/rounds/{round_.id}/remind")
    assert response.status_code == 302
    history.tokens += [_token(links_in(m.text_body)) for m in outbox(app)[len(history.tokens) :]]
    for number in SENT_AFTER_REMINDER:
        _send(app, history, instrument, number)
    _decline(app, history.tokens[DECLINES])
    history.sending_xids = _answer_set_xids(app, round_.id)
    response = post_form(client, f"/rounds/{round_.id}", {}, to=f"/rounds/{round_.id}/close")
    assert response.status_code == 302
    assert "closed" in client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    return history


def _token(links: list[str]) -> str:
    return links[0].rstrip("/").split("/")[-1]


def _send(app, history: History, instrument, number: int) -> None:
    rater = app.test_client()
    token = history.tokens[number]
    overall = {comment_field_name(q.key): signature(number) for q in instrument.questions}
    answer_every_page(rater, token, instrument, **overall)
    assert submit(rater, token).status_code == 302
    history.sent_order.append(number)


def _save_draft(app, token: str, instrument) -> None:
    words = {comment_field_name(instrument.capabilities[0].key): DRAFT_WORDS}
    assert answer_page(app.test_client(), token, instrument, 1, **words).status_code == 302


def _decline(app, token: str) -> None:
    rater = app.test_client()
    page = rater.get(f"/r/{token}/decline").get_data(as_text=True)
    assert rater.post(f"/r/{token}/decline", data={"csrf_token": csrf_from(page)}).status_code in (
        302,
        200,
    )


def _answer_set_xids(app, round_id: int) -> set[int]:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return set()
        rows = db.session.execute(
            text("SELECT xmin::text::bigint FROM answer_set WHERE round_id = :r"), {"r": round_id}
        )
        return {row[0] for row in rows}


def stored_order(app, round_id: int) -> list[int]:
    """The colleague numbers in the order their answer sets lie in the table, as stored."""
    position = "ctid" if _engine(app) == "postgresql" else "rowid"
    with app.app_context():
        rows = db.session.execute(
            text(f"SELECT id FROM answer_set WHERE round_id = :r ORDER BY {position}"),  # noqa: S608
            {"r": round_id},
        )
        ids = [row[0] for row in rows]
        senders = dict(
            db.session.execute(
                select(Comment.answer_set_id, Comment.text).where(
                    Comment.text.like("Sent by colleague number %")
                )
            ).all()
        )
        self_id = db.session.scalar(
            select(AnswerSet.id).where(
                AnswerSet.round_id == round_id, AnswerSet.relationship == Relationship.SELF
            )
        )
    return [int(senders[i][-2:]) for i in ids if i != self_id]


def _engine(app) -> str:
    with app.app_context():
        return db.engine.dialect.name
